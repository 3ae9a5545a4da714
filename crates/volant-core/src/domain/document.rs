//! Documents to bring: a typed vocabulary shared by every démarche, each entry
//! worded for visitors in the five languages of the visitor screen, and the
//! démarche's list of them, where free text (in French) remains only for what
//! no entry says.

use serde::{Deserialize, Serialize};

/// The languages a visitor can read the visitor screen in, French first.
pub const VISITOR_LANGUAGES: [&str; 5] = ["fr", "en", "ar", "es", "zh-Hans"];

/// One entry's wording: French, English, Arabic, Spanish, Simplified Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    /// In French (the mairie's wording; the counter agent reads it).
    pub fr: &'static str,
    /// In English.
    pub en: &'static str,
    /// In Arabic.
    pub ar: &'static str,
    /// In Spanish.
    pub es: &'static str,
    /// In Simplified Chinese.
    pub zh: &'static str,
}

impl Wording {
    /// The wording in `language` (a tag of [`VISITOR_LANGUAGES`]), French otherwise.
    pub fn get(&self, language: &str) -> &'static str {
        match language {
            "en" => self.en,
            "ar" => self.ar,
            "es" => self.es,
            "zh-Hans" => self.zh,
            _ => self.fr,
        }
    }
}

macro_rules! vocabulary {
    ($($(#[$doc:meta])* $variant:ident = $id:literal { $fr:literal, $en:literal, $ar:literal, $es:literal, $zh:literal })*) => {
        /// An entry of the documents vocabulary.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum DocumentKind {
            $($(#[$doc])* #[serde(rename = $id)] $variant,)*
        }

        impl DocumentKind {
            /// Every entry, in the order the catalogue editor lists them.
            pub const ALL: &'static [DocumentKind] = &[$(DocumentKind::$variant,)*];

            /// Its id, as written in the catalogue.
            pub fn id(self) -> &'static str {
                match self { $(DocumentKind::$variant => $id,)* }
            }

            /// Its wording in the five languages.
            pub fn wording(self) -> Wording {
                match self {
                    $(DocumentKind::$variant => Wording { fr: $fr, en: $en, ar: $ar, es: $es, zh: $zh },)*
                }
            }
        }
    };
}

vocabulary! {
    /// An identity card, passport or residence permit.
    IdentityDocument = "piece_identite" {
        "Pièce d'identité en cours de validité",
        "Valid identity document (ID card, passport or residence permit)",
        "وثيقة هوية سارية المفعول (بطاقة هوية أو جواز سفر أو بطاقة إقامة)",
        "Documento de identidad vigente (DNI, pasaporte o permiso de residencia)",
        "有效身份证件（身份证、护照或居留证）"
    }
    /// Proof of address under three months old.
    ProofOfAddress = "justificatif_domicile" {
        "Justificatif de domicile de moins de 3 mois (facture, avis d'imposition, quittance)",
        "Proof of address less than 3 months old (bill, tax notice, rent receipt)",
        "إثبات سكن لا يتجاوز عمره 3 أشهر (فاتورة، إشعار ضريبي، إيصال إيجار)",
        "Justificante de domicilio de menos de 3 meses (factura, aviso de impuestos, recibo de alquiler)",
        "3个月内的住址证明（账单、税单、房租收据）"
    }
    /// Proof of income.
    ProofOfIncome = "justificatif_ressources" {
        "Derniers justificatifs de ressources (avis d'imposition, bulletins de salaire, attestation CAF)",
        "Latest proof of income (tax notice, payslips, CAF statement)",
        "آخر إثباتات الدخل (إشعار ضريبي، كشوف الراتب، شهادة من صندوق الإعانات العائلية CAF)",
        "Últimos justificantes de ingresos (aviso de impuestos, nóminas, certificado de la CAF)",
        "最近的收入证明（税单、工资单、家庭补助局CAF证明）"
    }
    /// The last tax notice.
    TaxNotice = "avis_imposition" {
        "Dernier avis d'imposition",
        "Latest tax notice",
        "آخر إشعار ضريبي",
        "Último aviso de impuestos",
        "最近一年的纳税通知单"
    }
    /// The tax notices of the last two years.
    TaxNoticesTwoYears = "avis_imposition_2_ans" {
        "Avis d'imposition des 2 dernières années",
        "Tax notices for the last 2 years",
        "الإشعارات الضريبية للسنتين الأخيرتين",
        "Avisos de impuestos de los 2 últimos años",
        "最近两年的纳税通知单"
    }
    /// Recent payslips.
    Payslips = "bulletins_salaire" {
        "Derniers bulletins de salaire",
        "Latest payslips",
        "آخر كشوف الراتب",
        "Últimas nóminas",
        "最近的工资单"
    }
    /// The family record book.
    FamilyRecordBook = "livret_famille" {
        "Livret de famille",
        "Family record book (livret de famille)",
        "دفتر العائلة",
        "Libro de familia",
        "家庭户口簿（livret de famille）"
    }
    /// A birth certificate.
    BirthCertificate = "acte_naissance" {
        "Acte de naissance",
        "Birth certificate",
        "شهادة الميلاد",
        "Partida de nacimiento",
        "出生证明"
    }
    /// A birth certificate issued less than three months ago.
    RecentBirthCertificate = "acte_naissance_3_mois" {
        "Acte de naissance de moins de 3 mois",
        "Birth certificate issued less than 3 months ago",
        "شهادة ميلاد صادرة منذ أقل من 3 أشهر",
        "Partida de nacimiento de menos de 3 meses",
        "3个月内开具的出生证明"
    }
    /// The child's birth certificate.
    ChildBirthCertificate = "acte_naissance_enfant" {
        "Acte de naissance de l'enfant",
        "The child's birth certificate",
        "شهادة ميلاد الطفل",
        "Partida de nacimiento del niño",
        "孩子的出生证明"
    }
    /// A death certificate.
    DeathCertificate = "acte_deces" {
        "Acte de décès",
        "Death certificate",
        "شهادة الوفاة",
        "Acta de defunción",
        "死亡证明"
    }
    /// The doctor's certificate of death.
    MedicalDeathCertificate = "certificat_deces" {
        "Certificat de décès établi par le médecin",
        "Death certificate signed by the doctor",
        "شهادة الوفاة التي حررها الطبيب",
        "Certificado de defunción firmado por el médico",
        "医生开具的死亡证明书"
    }
    /// Identity photographs.
    IdentityPhoto = "photo_identite" {
        "Photo d'identité récente, conforme aux normes",
        "Recent passport-style photo meeting the official standard",
        "صورة شمسية حديثة مطابقة للمعايير الرسمية",
        "Foto de carné reciente que cumpla las normas oficiales",
        "符合官方标准的近期证件照"
    }
    /// A tax stamp when the title was lost or stolen.
    TaxStampLoss = "timbre_fiscal_perte" {
        "Timbre fiscal si le titre est perdu ou volé (achat en ligne ou au bureau de tabac)",
        "Tax stamp if the document was lost or stolen (buy it online or at a tobacconist)",
        "طابع جبائي إذا ضاعت الوثيقة أو سُرقت (يُشترى عبر الإنترنت أو من محل التبغ)",
        "Timbre fiscal si el documento se perdió o fue robado (se compra en línea o en un estanco)",
        "证件遗失或被盗时需要的印花税票（可在网上或烟草店购买）"
    }
    /// The online pre-application number.
    AntsPreApplication = "numero_predemande_ants" {
        "Numéro de pré-demande ANTS",
        "ANTS online pre-application number",
        "رقم الطلب المسبق على موقع ANTS",
        "Número de solicitud previa ANTS",
        "ANTS网上预申请编号"
    }
    /// The previous identity card or passport.
    PreviousTitle = "ancien_titre" {
        "Ancien titre (carte d'identité ou passeport)",
        "Your old ID card or passport",
        "الوثيقة القديمة (بطاقة الهوية أو جواز السفر)",
        "Documento anterior (DNI o pasaporte)",
        "旧证件（身份证或护照）"
    }
    /// The police receipt of a theft report.
    TheftReport = "recepisse_vol" {
        "Récépissé de déclaration de vol (commissariat)",
        "Police receipt for the theft report",
        "وصل التصريح بالسرقة (مركز الشرطة)",
        "Resguardo de la denuncia de robo (comisaría)",
        "警察局出具的失窃报案回执"
    }
    /// A means of payment.
    MeansOfPayment = "moyen_paiement" {
        "Moyen de paiement (carte bancaire, chèque ou espèces)",
        "Means of payment (bank card, cheque or cash)",
        "وسيلة دفع (بطاقة بنكية أو شيك أو نقدًا)",
        "Medio de pago (tarjeta bancaria, cheque o efectivo)",
        "付款方式（银行卡、支票或现金）"
    }
    /// Bank details.
    BankDetails = "rib" {
        "RIB (relevé d'identité bancaire)",
        "Bank details (RIB)",
        "كشف الهوية البنكية (RIB)",
        "Datos bancarios (RIB)",
        "银行账户信息（RIB）"
    }
    /// The CAF claimant number.
    CafNumber = "numero_caf" {
        "Numéro d'allocataire CAF",
        "CAF claimant number",
        "رقم المستفيد لدى صندوق الإعانات العائلية CAF",
        "Número de beneficiario de la CAF",
        "家庭补助局（CAF）领取人编号"
    }
    /// The CAF family-quotient statement.
    CafQuotient = "attestation_quotient_caf" {
        "Attestation CAF de quotient familial",
        "CAF statement of your family quotient",
        "شهادة الحاصل العائلي من صندوق الإعانات العائلية CAF",
        "Certificado de cociente familiar de la CAF",
        "家庭补助局（CAF）家庭系数证明"
    }
    /// The social-housing application number.
    HousingApplicationNumber = "numero_unique_logement" {
        "Numéro unique de demande de logement social",
        "Social housing application number (numéro unique)",
        "الرقم الموحد لطلب السكن الاجتماعي",
        "Número único de solicitud de vivienda social",
        "社会住房申请唯一编号"
    }
    /// The lease.
    Lease = "bail" {
        "Bail (contrat de location)",
        "Lease (rental contract)",
        "عقد الإيجار",
        "Contrato de alquiler",
        "租房合同"
    }
    /// The bill concerned.
    Bill = "facture" {
        "La facture concernée",
        "The bill concerned",
        "الفاتورة المعنية",
        "La factura en cuestión",
        "相关账单"
    }
    /// The letters received about the matter.
    LettersReceived = "courriers_recus" {
        "Les courriers reçus",
        "The letters you received",
        "الرسائل التي تلقيتها",
        "Las cartas recibidas",
        "您收到的信件"
    }
    /// A medical certificate.
    MedicalCertificate = "certificat_medical" {
        "Certificat médical",
        "Medical certificate",
        "شهادة طبية",
        "Certificado médico",
        "医疗证明"
    }
    /// A medical certificate under one year old.
    RecentMedicalCertificate = "certificat_medical_1_an" {
        "Certificat médical de moins d'un an",
        "Medical certificate less than one year old",
        "شهادة طبية لا يتجاوز عمرها سنة واحدة",
        "Certificado médico de menos de un año",
        "一年内的医疗证明"
    }
    /// The MDPH application form.
    MdphForm = "formulaire_mdph" {
        "Formulaire de demande MDPH (Cerfa n°15692)",
        "MDPH disability application form (Cerfa 15692)",
        "استمارة طلب MDPH لذوي الإعاقة (Cerfa رقم 15692)",
        "Formulario de solicitud MDPH para discapacidad (Cerfa n.º 15692)",
        "残疾人事务所（MDPH）申请表（Cerfa 15692）"
    }
    /// The child's health record.
    HealthRecord = "carnet_sante" {
        "Carnet de santé de l'enfant (vaccinations)",
        "The child's health record (vaccinations)",
        "الدفتر الصحي للطفل (التلقيحات)",
        "Cartilla de salud del niño (vacunas)",
        "孩子的健康手册（疫苗接种记录）"
    }
    /// A residence permit for foreign nationals.
    ResidencePermit = "titre_sejour" {
        "Titre de séjour (personnes étrangères)",
        "Residence permit (for foreign nationals)",
        "بطاقة الإقامة (للأجانب)",
        "Permiso de residencia (personas extranjeras)",
        "居留证（外国人）"
    }
    /// A statement of accommodation by one's host.
    HostingStatement = "attestation_hebergement" {
        "Attestation d'hébergement si vous êtes hébergé",
        "Letter from your host if you live with someone",
        "شهادة إيواء إذا كنت تقيم لدى شخص آخر",
        "Certificado de alojamiento si vive en casa de otra persona",
        "如借住他人家中，需提供房主出具的留宿证明"
    }
    /// The health insurance card.
    HealthInsuranceCard = "carte_vitale" {
        "Carte Vitale ou numéro de sécurité sociale",
        "Carte Vitale or social security number",
        "بطاقة Vitale أو رقم الضمان الاجتماعي",
        "Tarjeta Vitale o número de la seguridad social",
        "医保卡（Carte Vitale）或社会保险号"
    }
    /// The employment contract.
    EmploymentContract = "contrat_travail" {
        "Contrat de travail",
        "Employment contract",
        "عقد العمل",
        "Contrato de trabajo",
        "劳动合同"
    }
    /// A statement from the employer.
    EmployerStatement = "attestation_employeur" {
        "Attestation de l'employeur",
        "Statement from your employer",
        "شهادة من صاحب العمل",
        "Certificado de la empresa",
        "雇主出具的证明"
    }
    /// The pregnancy declaration.
    PregnancyDeclaration = "declaration_grossesse" {
        "Déclaration de grossesse",
        "Pregnancy declaration",
        "التصريح بالحمل",
        "Declaración de embarazo",
        "怀孕申报表"
    }
    /// The divorce judgment.
    DivorceJudgment = "jugement_divorce" {
        "Jugement de divorce (en cas de garde)",
        "Divorce judgment (if custody is shared or set)",
        "حكم الطلاق (في حالة الحضانة)",
        "Sentencia de divorcio (en caso de custodia)",
        "离婚判决书（涉及子女监护时）"
    }
    /// The original of a document and a copy.
    OriginalAndCopy = "original_copie" {
        "Original et copie du document",
        "The original document and a copy",
        "أصل الوثيقة ونسخة منها",
        "El documento original y una copia",
        "文件原件及复印件"
    }
    /// The vehicle registration certificate.
    VehicleRegistration = "carte_grise" {
        "Carte grise (certificat d'immatriculation)",
        "Vehicle registration certificate (carte grise)",
        "البطاقة الرمادية (شهادة تسجيل المركبة)",
        "Permiso de circulación del vehículo (carte grise)",
        "车辆登记证（carte grise）"
    }
    /// The driving licence.
    DrivingLicence = "permis_conduire" {
        "Permis de conduire",
        "Driving licence",
        "رخصة السياقة",
        "Permiso de conducir",
        "驾驶证"
    }
    /// The school catering family number.
    FamilyNumber = "numero_famille" {
        "Numéro de famille (Caisse des écoles)",
        "Family number (Caisse des écoles)",
        "رقم العائلة (صندوق المدارس)",
        "Número de familia (Caisse des écoles)",
        "家庭编号（学校基金会）"
    }
    /// The inventory of fixtures.
    InventoryOfFixtures = "etat_des_lieux" {
        "État des lieux du logement",
        "Inventory of the home's condition (état des lieux)",
        "محضر معاينة حالة المسكن",
        "Acta del estado de la vivienda",
        "房屋状况清单（état des lieux）"
    }
}

impl DocumentKind {
    /// The entry whose French wording is exactly `french`, if any.
    pub fn from_french(french: &str) -> Option<DocumentKind> {
        DocumentKind::ALL
            .iter()
            .copied()
            .find(|k| k.wording().fr == french.trim())
    }
}

/// One document a démarche asks for: an entry of the vocabulary, or free text
/// in French for what no entry says (shown in French, with a marker). In a
/// catalogue file: `{"ref": "piece_identite"}` or a plain string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DocumentItem {
    /// An entry of the vocabulary.
    Listed {
        /// The entry.
        #[serde(rename = "ref")]
        kind: DocumentKind,
    },
    /// Free text, in French.
    Free(String),
}

impl DocumentItem {
    /// The French wording (what the counter agent reads).
    pub fn french(&self) -> &str {
        match self {
            DocumentItem::Listed { kind } => kind.wording().fr,
            DocumentItem::Free(text) => text,
        }
    }

    /// An entry when the text is exactly an entry's French wording, else free text.
    pub fn from_text(text: String) -> DocumentItem {
        match DocumentKind::from_french(&text) {
            Some(kind) => DocumentItem::Listed { kind },
            None => DocumentItem::Free(text),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    #[serde(rename = "ref")]
    kind: DocumentKind,
}

impl<'de> Deserialize<'de> for DocumentItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Item;
        impl<'de> serde::de::Visitor<'de> for Item {
            type Value = DocumentItem;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a text or {\"ref\": entry}")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DocumentItem, E> {
                Ok(DocumentItem::Free(text.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<DocumentItem, A::Error> {
                let listed =
                    Listed::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(DocumentItem::Listed { kind: listed.kind })
            }
        }
        d.deserialize_any(Item)
    }
}

/// The vocabulary as a TypeScript module body: each entry's wording by
/// language, for the UI (generated, so it is written once).
pub fn typescript_wordings() -> String {
    let mut out = String::from(
        "export const DOCUMENT_WORDINGS: Record<DocumentKind, Record<\"fr\" | \"en\" | \"ar\" | \"es\" | \"zh-Hans\", string>> = {\n",
    );
    for kind in DocumentKind::ALL {
        let w = kind.wording();
        let entry =
            serde_json::json!({"fr": w.fr, "en": w.en, "ar": w.ar, "es": w.es, "zh-Hans": w.zh});
        out.push_str(&format!("  {}: {entry},\n", kind.id()));
    }
    out + "};\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_what_serde_writes_and_every_wording_is_filled() {
        let mut ids = std::collections::HashSet::new();
        for &kind in DocumentKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::from(kind.id()))
            );
            assert!(ids.insert(kind.id()), "{} twice", kind.id());
            for language in VISITOR_LANGUAGES {
                assert!(
                    !kind.wording().get(language).trim().is_empty(),
                    "{kind:?} {language}"
                );
            }
            assert_eq!(DocumentKind::from_french(kind.wording().fr), Some(kind));
        }
    }

    #[test]
    fn an_item_is_an_entry_or_free_text_and_an_unknown_entry_is_refused() {
        let items: Vec<DocumentItem> =
            serde_json::from_str(r#"[{"ref": "livret_famille"}, "Statuts de l'association"]"#)
                .expect("valid");
        assert_eq!(
            items,
            [
                DocumentItem::Listed {
                    kind: DocumentKind::FamilyRecordBook
                },
                DocumentItem::Free("Statuts de l'association".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&items).ok().as_deref(),
            Some(r#"[{"ref":"livret_famille"},"Statuts de l'association"]"#)
        );
        assert_eq!(items[0].french(), "Livret de famille");
        for bad in [
            r#"{"ref": "passeport_galactique"}"#,
            r#"{"ref": "rib", "x": 1}"#,
            "3",
        ] {
            assert!(serde_json::from_str::<DocumentItem>(bad).is_err(), "{bad}");
        }
        assert_eq!(
            DocumentItem::from_text("Livret de famille".into()),
            items[0]
        );
    }
}
