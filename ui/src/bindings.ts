// Generated from the Rust types by volant_core::bindings (feature `ts`).
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p volant-tests --test e2e bindings`.

export type DemarcheId = string;
export type ServiceId = string;
export type VisitId = string;
export type TabletLetter = string;
export type AgentInitials = string;
export type Language = string;
export type HourMinute = string;
export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
export type WeeklySlot = { 
/**
 * Day of the week.
 */
weekday: Weekday, 
/**
 * Start time.
 */
start: HourMinute, 
/**
 * End time.
 */
end: HourMinute, };
export type OfficialSheet = { 
/**
 * Sheet id, e.g. `F1427`.
 */
id: string, 
/**
 * Link to the official page.
 */
url: string, };
export type OnlineLink = { 
/**
 * What the visitor will find there.
 */
title: string, 
/**
 * The address (https).
 */
url: string, };
export type Appointment = { 
/**
 * An appointment is required.
 */
required: boolean, 
/**
 * Where to book (a link or a place).
 */
booking?: string | null, };
export type ForeignWords = { 
/**
 * In English.
 */
en?: Array<string>, 
/**
 * In Spanish.
 */
es?: Array<string>, };
export type LifeEvent = "deces" | "naissance" | "mariage" | "separation" | "demenagement" | "perte_vol" | "perte_emploi" | "handicap" | "grand_age" | "arrivee_france" | "sans_domicile";
export type Translations = { 
/**
 * In English.
 */
en: string | null, 
/**
 * In Arabic.
 */
ar: string | null, 
/**
 * In Spanish.
 */
es: string | null, 
/**
 * In Simplified Chinese.
 */
"zh-Hans": string | null, };
export type DocumentKind = "piece_identite" | "justificatif_domicile" | "justificatif_ressources" | "avis_imposition" | "avis_imposition_2_ans" | "bulletins_salaire" | "livret_famille" | "acte_naissance" | "acte_naissance_3_mois" | "acte_naissance_enfant" | "acte_deces" | "certificat_deces" | "photo_identite" | "timbre_fiscal_perte" | "numero_predemande_ants" | "ancien_titre" | "recepisse_vol" | "moyen_paiement" | "rib" | "numero_caf" | "attestation_quotient_caf" | "numero_unique_logement" | "bail" | "facture" | "courriers_recus" | "certificat_medical" | "certificat_medical_1_an" | "formulaire_mdph" | "carnet_sante" | "titre_sejour" | "attestation_hebergement" | "carte_vitale" | "contrat_travail" | "attestation_employeur" | "declaration_grossesse" | "jugement_divorce" | "original_copie" | "carte_grise" | "permis_conduire" | "numero_famille" | "etat_des_lieux";
export type DocumentItem = { 
/**
 * The entry.
 */
ref: DocumentKind, } | string;
export const DOCUMENT_WORDINGS: Record<DocumentKind, Record<"fr" | "en" | "ar" | "es" | "zh-Hans", string>> = {
  piece_identite: {"ar":"وثيقة هوية سارية المفعول (بطاقة هوية أو جواز سفر أو بطاقة إقامة)","en":"Valid identity document (ID card, passport or residence permit)","es":"Documento de identidad vigente (DNI, pasaporte o permiso de residencia)","fr":"Pièce d'identité en cours de validité","zh-Hans":"有效身份证件（身份证、护照或居留证）"},
  justificatif_domicile: {"ar":"إثبات سكن لا يتجاوز عمره 3 أشهر (فاتورة، إشعار ضريبي، إيصال إيجار)","en":"Proof of address less than 3 months old (bill, tax notice, rent receipt)","es":"Justificante de domicilio de menos de 3 meses (factura, aviso de impuestos, recibo de alquiler)","fr":"Justificatif de domicile de moins de 3 mois (facture, avis d'imposition, quittance)","zh-Hans":"3个月内的住址证明（账单、税单、房租收据）"},
  justificatif_ressources: {"ar":"آخر إثباتات الدخل (إشعار ضريبي، كشوف الراتب، شهادة من صندوق الإعانات العائلية CAF)","en":"Latest proof of income (tax notice, payslips, CAF statement)","es":"Últimos justificantes de ingresos (aviso de impuestos, nóminas, certificado de la CAF)","fr":"Derniers justificatifs de ressources (avis d'imposition, bulletins de salaire, attestation CAF)","zh-Hans":"最近的收入证明（税单、工资单、家庭补助局CAF证明）"},
  avis_imposition: {"ar":"آخر إشعار ضريبي","en":"Latest tax notice","es":"Último aviso de impuestos","fr":"Dernier avis d'imposition","zh-Hans":"最近一年的纳税通知单"},
  avis_imposition_2_ans: {"ar":"الإشعارات الضريبية للسنتين الأخيرتين","en":"Tax notices for the last 2 years","es":"Avisos de impuestos de los 2 últimos años","fr":"Avis d'imposition des 2 dernières années","zh-Hans":"最近两年的纳税通知单"},
  bulletins_salaire: {"ar":"آخر كشوف الراتب","en":"Latest payslips","es":"Últimas nóminas","fr":"Derniers bulletins de salaire","zh-Hans":"最近的工资单"},
  livret_famille: {"ar":"دفتر العائلة","en":"Family record book (livret de famille)","es":"Libro de familia","fr":"Livret de famille","zh-Hans":"家庭户口簿（livret de famille）"},
  acte_naissance: {"ar":"شهادة الميلاد","en":"Birth certificate","es":"Partida de nacimiento","fr":"Acte de naissance","zh-Hans":"出生证明"},
  acte_naissance_3_mois: {"ar":"شهادة ميلاد صادرة منذ أقل من 3 أشهر","en":"Birth certificate issued less than 3 months ago","es":"Partida de nacimiento de menos de 3 meses","fr":"Acte de naissance de moins de 3 mois","zh-Hans":"3个月内开具的出生证明"},
  acte_naissance_enfant: {"ar":"شهادة ميلاد الطفل","en":"The child's birth certificate","es":"Partida de nacimiento del niño","fr":"Acte de naissance de l'enfant","zh-Hans":"孩子的出生证明"},
  acte_deces: {"ar":"شهادة الوفاة","en":"Death certificate","es":"Acta de defunción","fr":"Acte de décès","zh-Hans":"死亡证明"},
  certificat_deces: {"ar":"شهادة الوفاة التي حررها الطبيب","en":"Death certificate signed by the doctor","es":"Certificado de defunción firmado por el médico","fr":"Certificat de décès établi par le médecin","zh-Hans":"医生开具的死亡证明书"},
  photo_identite: {"ar":"صورة شمسية حديثة مطابقة للمعايير الرسمية","en":"Recent passport-style photo meeting the official standard","es":"Foto de carné reciente que cumpla las normas oficiales","fr":"Photo d'identité récente, conforme aux normes","zh-Hans":"符合官方标准的近期证件照"},
  timbre_fiscal_perte: {"ar":"طابع جبائي إذا ضاعت الوثيقة أو سُرقت (يُشترى عبر الإنترنت أو من محل التبغ)","en":"Tax stamp if the document was lost or stolen (buy it online or at a tobacconist)","es":"Timbre fiscal si el documento se perdió o fue robado (se compra en línea o en un estanco)","fr":"Timbre fiscal si le titre est perdu ou volé (achat en ligne ou au bureau de tabac)","zh-Hans":"证件遗失或被盗时需要的印花税票（可在网上或烟草店购买）"},
  numero_predemande_ants: {"ar":"رقم الطلب المسبق على موقع ANTS","en":"ANTS online pre-application number","es":"Número de solicitud previa ANTS","fr":"Numéro de pré-demande ANTS","zh-Hans":"ANTS网上预申请编号"},
  ancien_titre: {"ar":"الوثيقة القديمة (بطاقة الهوية أو جواز السفر)","en":"Your old ID card or passport","es":"Documento anterior (DNI o pasaporte)","fr":"Ancien titre (carte d'identité ou passeport)","zh-Hans":"旧证件（身份证或护照）"},
  recepisse_vol: {"ar":"وصل التصريح بالسرقة (مركز الشرطة)","en":"Police receipt for the theft report","es":"Resguardo de la denuncia de robo (comisaría)","fr":"Récépissé de déclaration de vol (commissariat)","zh-Hans":"警察局出具的失窃报案回执"},
  moyen_paiement: {"ar":"وسيلة دفع (بطاقة بنكية أو شيك أو نقدًا)","en":"Means of payment (bank card, cheque or cash)","es":"Medio de pago (tarjeta bancaria, cheque o efectivo)","fr":"Moyen de paiement (carte bancaire, chèque ou espèces)","zh-Hans":"付款方式（银行卡、支票或现金）"},
  rib: {"ar":"كشف الهوية البنكية (RIB)","en":"Bank details (RIB)","es":"Datos bancarios (RIB)","fr":"RIB (relevé d'identité bancaire)","zh-Hans":"银行账户信息（RIB）"},
  numero_caf: {"ar":"رقم المستفيد لدى صندوق الإعانات العائلية CAF","en":"CAF claimant number","es":"Número de beneficiario de la CAF","fr":"Numéro d'allocataire CAF","zh-Hans":"家庭补助局（CAF）领取人编号"},
  attestation_quotient_caf: {"ar":"شهادة الحاصل العائلي من صندوق الإعانات العائلية CAF","en":"CAF statement of your family quotient","es":"Certificado de cociente familiar de la CAF","fr":"Attestation CAF de quotient familial","zh-Hans":"家庭补助局（CAF）家庭系数证明"},
  numero_unique_logement: {"ar":"الرقم الموحد لطلب السكن الاجتماعي","en":"Social housing application number (numéro unique)","es":"Número único de solicitud de vivienda social","fr":"Numéro unique de demande de logement social","zh-Hans":"社会住房申请唯一编号"},
  bail: {"ar":"عقد الإيجار","en":"Lease (rental contract)","es":"Contrato de alquiler","fr":"Bail (contrat de location)","zh-Hans":"租房合同"},
  facture: {"ar":"الفاتورة المعنية","en":"The bill concerned","es":"La factura en cuestión","fr":"La facture concernée","zh-Hans":"相关账单"},
  courriers_recus: {"ar":"الرسائل التي تلقيتها","en":"The letters you received","es":"Las cartas recibidas","fr":"Les courriers reçus","zh-Hans":"您收到的信件"},
  certificat_medical: {"ar":"شهادة طبية","en":"Medical certificate","es":"Certificado médico","fr":"Certificat médical","zh-Hans":"医疗证明"},
  certificat_medical_1_an: {"ar":"شهادة طبية لا يتجاوز عمرها سنة واحدة","en":"Medical certificate less than one year old","es":"Certificado médico de menos de un año","fr":"Certificat médical de moins d'un an","zh-Hans":"一年内的医疗证明"},
  formulaire_mdph: {"ar":"استمارة طلب MDPH لذوي الإعاقة (Cerfa رقم 15692)","en":"MDPH disability application form (Cerfa 15692)","es":"Formulario de solicitud MDPH para discapacidad (Cerfa n.º 15692)","fr":"Formulaire de demande MDPH (Cerfa n°15692)","zh-Hans":"残疾人事务所（MDPH）申请表（Cerfa 15692）"},
  carnet_sante: {"ar":"الدفتر الصحي للطفل (التلقيحات)","en":"The child's health record (vaccinations)","es":"Cartilla de salud del niño (vacunas)","fr":"Carnet de santé de l'enfant (vaccinations)","zh-Hans":"孩子的健康手册（疫苗接种记录）"},
  titre_sejour: {"ar":"بطاقة الإقامة (للأجانب)","en":"Residence permit (for foreign nationals)","es":"Permiso de residencia (personas extranjeras)","fr":"Titre de séjour (personnes étrangères)","zh-Hans":"居留证（外国人）"},
  attestation_hebergement: {"ar":"شهادة إيواء إذا كنت تقيم لدى شخص آخر","en":"Letter from your host if you live with someone","es":"Certificado de alojamiento si vive en casa de otra persona","fr":"Attestation d'hébergement si vous êtes hébergé","zh-Hans":"如借住他人家中，需提供房主出具的留宿证明"},
  carte_vitale: {"ar":"بطاقة Vitale أو رقم الضمان الاجتماعي","en":"Carte Vitale or social security number","es":"Tarjeta Vitale o número de la seguridad social","fr":"Carte Vitale ou numéro de sécurité sociale","zh-Hans":"医保卡（Carte Vitale）或社会保险号"},
  contrat_travail: {"ar":"عقد العمل","en":"Employment contract","es":"Contrato de trabajo","fr":"Contrat de travail","zh-Hans":"劳动合同"},
  attestation_employeur: {"ar":"شهادة من صاحب العمل","en":"Statement from your employer","es":"Certificado de la empresa","fr":"Attestation de l'employeur","zh-Hans":"雇主出具的证明"},
  declaration_grossesse: {"ar":"التصريح بالحمل","en":"Pregnancy declaration","es":"Declaración de embarazo","fr":"Déclaration de grossesse","zh-Hans":"怀孕申报表"},
  jugement_divorce: {"ar":"حكم الطلاق (في حالة الحضانة)","en":"Divorce judgment (if custody is shared or set)","es":"Sentencia de divorcio (en caso de custodia)","fr":"Jugement de divorce (en cas de garde)","zh-Hans":"离婚判决书（涉及子女监护时）"},
  original_copie: {"ar":"أصل الوثيقة ونسخة منها","en":"The original document and a copy","es":"El documento original y una copia","fr":"Original et copie du document","zh-Hans":"文件原件及复印件"},
  carte_grise: {"ar":"البطاقة الرمادية (شهادة تسجيل المركبة)","en":"Vehicle registration certificate (carte grise)","es":"Permiso de circulación del vehículo (carte grise)","fr":"Carte grise (certificat d'immatriculation)","zh-Hans":"车辆登记证（carte grise）"},
  permis_conduire: {"ar":"رخصة السياقة","en":"Driving licence","es":"Permiso de conducir","fr":"Permis de conduire","zh-Hans":"驾驶证"},
  numero_famille: {"ar":"رقم العائلة (صندوق المدارس)","en":"Family number (Caisse des écoles)","es":"Número de familia (Caisse des écoles)","fr":"Numéro de famille (Caisse des écoles)","zh-Hans":"家庭编号（学校基金会）"},
  etat_des_lieux: {"ar":"محضر معاينة حالة المسكن","en":"Inventory of the home's condition (état des lieux)","es":"Acta del estado de la vivienda","fr":"État des lieux du logement","zh-Hans":"房屋状况清单（état des lieux）"},
};
export type Demarche = { 
/**
 * Stable identifier.
 */
id: DemarcheId, 
/**
 * Agent-facing title, in French.
 */
title: string, 
/**
 * The title for visitors in the other languages (absent in records
 * written before translations existed: shown in French).
 */
title_in?: Translations | null, 
/**
 * Category (e.g. « État civil »).
 */
category: string, 
/**
 * The official Service-Public sheet, where one exists.
 */
official?: OfficialSheet | null, 
/**
 * Words visitors actually use: synonyms, abbreviations, colloquial phrasings.
 */
keywords: Array<string>, 
/**
 * The same in the other languages visitors speak in the hall.
 */
foreign_words?: ForeignWords, 
/**
 * Short first-person life situations that lead here, as a visitor tells
 * them (« mon mari est décédé », « je n'ai plus de logement »).
 */
situations?: Array<string>, 
/**
 * The life events it belongs to.
 */
life_events?: Array<LifeEvent>, 
/**
 * The service that handles it.
 */
service: ServiceId, 
/**
 * Other places that can help (a permanence, a partner).
 */
other_services?: Array<ServiceId>, 
/**
 * Documents to bring: vocabulary entries, free text where none fits.
 */
documents: Array<DocumentItem>, 
/**
 * Online alternatives.
 */
online: Array<OnlineLink>, 
/**
 * Whether an appointment is needed, and where to book.
 */
appointment: Appointment, 
/**
 * Short notes for the agent.
 */
notes?: string | null, 
/**
 * How often visitors come for it, from 1 (rare) to 5 (every hour): a
 * ranking prior for search and the weights of demo visits.
 */
frequency: number, 
/**
 * Archived démarches stay in the catalogue but are not proposed.
 */
active: boolean, 
/**
 * Version of this record (the server increments it on every write).
 */
version: number, };
export type ServiceKind = { "kind": "counter", 
/**
 * Where in the building.
 */
location: string, 
/**
 * The same, for visitors in the other languages.
 */
location_in?: Translations | null, 
/**
 * Opening hours, as shown to visitors.
 */
hours: string, 
/**
 * The service letter of its tickets.
 */
ticket_letter: string, } | { "kind": "permanence", 
/**
 * The partner holding it.
 */
partner: string, 
/**
 * Where in the building.
 */
location: string, 
/**
 * The same, for visitors in the other languages.
 */
location_in?: Translations | null, 
/**
 * Weekly slots.
 */
slots: Array<WeeklySlot>, 
/**
 * How to get a place (on the spot, by phone…).
 */
booking?: string | null, } | { "kind": "partner", 
/**
 * Street address.
 */
address: string, 
/**
 * Opening hours.
 */
hours: string, 
/**
 * Phone number of the service (an office, never a person).
 */
phone?: string | null, 
/**
 * Website.
 */
website?: string | null, } | { "kind": "online", 
/**
 * The address.
 */
url: string, };
export type Service = { 
/**
 * Stable identifier.
 */
id: ServiceId, 
/**
 * Name, in French.
 */
name: string, 
/**
 * The name for visitors in the other languages.
 */
name_in?: Translations | null, 
/**
 * Archived services are kept for the log but not proposed.
 */
active: boolean, 
/**
 * Version of this record.
 */
version: number, } & ({ "kind": "counter", 
/**
 * Where in the building.
 */
location: string, 
/**
 * The same, for visitors in the other languages.
 */
location_in?: Translations | null, 
/**
 * Opening hours, as shown to visitors.
 */
hours: string, 
/**
 * The service letter of its tickets.
 */
ticket_letter: string, } | { "kind": "permanence", 
/**
 * The partner holding it.
 */
partner: string, 
/**
 * Where in the building.
 */
location: string, 
/**
 * The same, for visitors in the other languages.
 */
location_in?: Translations | null, 
/**
 * Weekly slots.
 */
slots: Array<WeeklySlot>, 
/**
 * How to get a place (on the spot, by phone…).
 */
booking?: string | null, } | { "kind": "partner", 
/**
 * Street address.
 */
address: string, 
/**
 * Opening hours.
 */
hours: string, 
/**
 * Phone number of the service (an office, never a person).
 */
phone?: string | null, 
/**
 * Website.
 */
website?: string | null, } | { "kind": "online", 
/**
 * The address.
 */
url: string, });
export type CatalogueMeta = { 
/**
 * Whose catalogue this is.
 */
mairie: string, 
/**
 * Edition of the catalogue (e.g. `2026-11-28`).
 */
edition: string, 
/**
 * Credits of the data sources, shown in the about screen.
 */
credits: Array<string>, };
export type Catalogue = { 
/**
 * Facts about it.
 */
meta: CatalogueMeta, 
/**
 * Every service.
 */
services: Array<Service>, 
/**
 * Every démarche.
 */
demarches: Array<Demarche>, };
export type Step = "listen" | "qualify" | "orient" | "accompany" | "closed" | "abandoned";
export type StepSpan = { 
/**
 * The step.
 */
step: Step, 
/**
 * When it started (tablet clock).
 */
started_at: string, 
/**
 * When it ended, once it has.
 */
ended_at: string | null, };
export type VisitorProfile = "citizen" | "consumer_novice" | "consumer_expert" | "beneficiary_fragile" | "beneficiary_expert" | "inhabitant" | "curious" | "practitioner";
export type Listening = { 
/**
 * The visitor's profile, if the agent chose one.
 */
profile: VisitorProfile | null, 
/**
 * The visitor's language.
 */
language: Language | null, 
/**
 * A short factual note; readable by the visitor (right of access).
 */
note: string | null, };
export type Qualification = { "kind": "demarches", 
/**
 * The démarches, first the main one.
 */
ids: Array<DemarcheId>, } | { "kind": "unmet", 
/**
 * The request in a few words.
 */
description: string, };
export type Destination = { "kind": "counter", 
/**
 * The counter.
 */
service: ServiceId, } | { "kind": "permanence", 
/**
 * The permanence.
 */
service: ServiceId, 
/**
 * The slot proposed (mairie local time), if any.
 */
slot: string | null, } | { "kind": "partner", 
/**
 * The partner.
 */
service: ServiceId, } | { "kind": "online", 
/**
 * What it is.
 */
title: string, 
/**
 * The link.
 */
url: string, } | { "kind": "resolved_on_spot" };
export type TicketCode = string;
export type Ticket = { 
/**
 * The code shown to the visitor and called at the counter.
 */
code: TicketCode, 
/**
 * The counter.
 */
service: ServiceId, 
/**
 * The mairie day it is valid for.
 */
day: string, 
/**
 * The tablet's counter for this service and day.
 */
number: number, 
/**
 * When it was issued (tablet clock).
 */
issued_at: string, 
/**
 * The expected wait the orient step showed when it was issued, when the
 * tablet had a figure for its counter (visit payload version 3).
 */
quoted_wait?: WaitMinutes, };
export type Orientation = { 
/**
 * Where the visitor was sent.
 */
destination: Destination, 
/**
 * The queue ticket, for an internal counter.
 */
ticket: Ticket | null, };
export type Accompaniment = { 
/**
 * The agent walked the visitor to the counter, helped fill a form…
 */
accompanied: boolean, };
export type Satisfaction = "very_dissatisfied" | "dissatisfied" | "satisfied" | "very_satisfied";
export type Opinion = { 
/**
 * The face tapped.
 */
satisfaction: Satisfaction, 
/**
 * Whether the visitor had to repeat their situation, once answered.
 */
repeated_situation: boolean | null, 
/**
 * When the face was tapped (tablet clock).
 */
given_at: string, };
export type Visit = { 
/**
 * UUIDv7 made on the tablet.
 */
id: VisitId, 
/**
 * The tablet that recorded it.
 */
tablet: TabletLetter, 
/**
 * The agent's initials, if set.
 */
agent: AgentInitials | null, 
/**
 * The mairie day the visit started.
 */
day: string, 
/**
 * Current step.
 */
step: Step, 
/**
 * Every stay in every step, in order.
 */
spans: Array<StepSpan>, 
/**
 * Listen step data.
 */
listening: Listening, 
/**
 * Qualify step data.
 */
qualification: Qualification | null, 
/**
 * Orient step data.
 */
orientation: Orientation | null, 
/**
 * Tickets issued then replaced when the agent went back and re-oriented.
 */
replaced_tickets?: Array<Ticket>, 
/**
 * Accompany step data.
 */
accompaniment: Accompaniment | null, 
/**
 * The step at which the visit was abandoned.
 */
abandoned_at: Step | null, 
/**
 * The visitor's opinion, once given.
 */
opinion?: Opinion, 
/**
 * Number of changes applied so far (0 when opened).
 */
revision: number, };
export type StepDurations = { 
/**
 * Écouter.
 */
listen: number, 
/**
 * Qualifier.
 */
qualify: number, 
/**
 * Orienter.
 */
orient: number, 
/**
 * Accompagner.
 */
accompany: number, };
export type VisitEvent<O = Orientation> = { "type": "listened", "data": Listening } | { "type": "qualified", "data": Qualification } | { "type": "oriented", "data": O } | { "type": "accompanied", "data": Accompaniment } | { "type": "back" } | { "type": "abandon" } | { "type": "rated", "data": Satisfaction } | { "type": "answered_repeat", "data": boolean };
export type Action = VisitEvent<Destination>;
export type SearchHit = { 
/**
 * Démarche id.
 */
id: string, 
/**
 * Its title.
 */
title: string, 
/**
 * Its category.
 */
category: string, 
/**
 * Id of the service that handles it.
 */
service_id: string, 
/**
 * Name of that service.
 */
service: string, 
/**
 * The visitor words attached to it.
 */
keywords: Array<string>, 
/**
 * BM25 score (lower is better).
 */
score: number, };
export type PrinterAddress = string;
export type Settings = { 
/**
 * The tablet's letter, part of its ticket codes. Unique in the mairie.
 */
tablet: TabletLetter, 
/**
 * Initials of the agent holding it.
 */
agent: AgentInitials | null, 
/**
 * Whether the listen step offers a short note (off by default: RGPD).
 */
notes_enabled: boolean, 
/**
 * The hall's receipt printer, if the visitor's slip can be printed.
 */
printer: PrinterAddress | null, };
export type Raster = { 
/**
 * Bytes per row.
 */
width_bytes: number, 
/**
 * Rows.
 */
height: number, 
/**
 * The rows, one after the other.
 */
dots: Array<number>, };
export type TicketStatus = { 
/**
 * The code.
 */
code: string, 
/**
 * Where it stands.
 */
state: TicketState, 
/**
 * The counter that called it.
 */
counter: string | null, };
export type LogEntry = { 
/**
 * The visit.
 */
visit: Visit, 
/**
 * Seconds per step.
 */
durations: StepDurations, 
/**
 * Changes of this visit not yet acknowledged by the server.
 */
pending_changes: number, 
/**
 * What the counters did with its ticket, as the server said at the last sync.
 */
ticket_state: TicketStatus | null, };
export type DaySummary = { 
/**
 * Visits of the day on this tablet.
 */
visits: number, 
/**
 * Of which with a ticket.
 */
tickets: number, 
/**
 * Those neither closed nor abandoned, oldest first.
 */
open: Array<Visit>, };
export type WaitMinutes = { 
/**
 * The earliest.
 */
optimistic: number, 
/**
 * The latest.
 */
pessimistic: number, };
export type ServiceWait = { 
/**
 * The service's catalogue id.
 */
service: string, 
/**
 * Tickets waiting in its queue.
 */
waiting: number, 
/**
 * Its counters open now (heard from within the last minute).
 */
open_counters: number, 
/**
 * Tickets it served today, whose times the range comes from.
 */
served_today: number, 
/**
 * The expected wait; absent: « inconnu » (no counter open, or too few
 * tickets served today).
 */
range: WaitMinutes | null, 
/**
 * The range's pessimistic end passes the counter's closing time.
 */
past_closing: boolean, };
export type WaitBoard = { 
/**
 * One per active internal counter service of the catalogue.
 */
services: Array<ServiceWait>, 
/**
 * When the server computed it.
 */
computed_at: string, };
export type CounterWaits = { 
/**
 * When this tablet fetched it, by its own clock (the age shown).
 */
fetched_at: string, 
/**
 * What the server said.
 */
board: WaitBoard, };
export type ImportSummary = { 
/**
 * Services imported.
 */
services: number, 
/**
 * Démarches imported.
 */
demarches: number, };
export type SyncStatus = { 
/**
 * Enrolled with a server.
 */
enrolled: boolean, 
/**
 * The last attempt reached the server.
 */
online: boolean, 
/**
 * Changes waiting for the server.
 */
pending: number, 
/**
 * Last complete sync.
 */
last_success_at: string | null, 
/**
 * Last error, in plain French.
 */
last_error: string | null, 
/**
 * Records the server quarantined.
 */
quarantined: number, 
/**
 * Last measured clock offset, in ms.
 */
clock_offset_ms: number | null, 
/**
 * The tablet's clock looks wrong (more than 5 minutes off).
 */
clock_suspect: boolean, 
/**
 * Enrolled as the team lead's device: the lead's screens are shown.
 */
lead: boolean, };
export type ErrorBody = { 
/**
 * See [`Error::code`].
 */
code: string, 
/**
 * For the agent, in French.
 */
message: string, };
export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;
export type Cached<T> = { 
/**
 * The answer.
 */
value: T, 
/**
 * When it was fetched, if the server could not be reached and this is
 * the last answer kept; `None` when it is fresh.
 */
cached_at: string | null, };
export type JournalQuery = { 
/**
 * The mairie day.
 */
day: string, 
/**
 * Only this tablet letter.
 */
tablet?: string | null, 
/**
 * Only this agent's initials.
 */
agent?: string | null, 
/**
 * Only visits sent to this service.
 */
service?: string | null, 
/**
 * Only this outcome (`counter`, `permanence`, `partner`, `online`,
 * `resolved_on_spot`, `abandoned`, `open`).
 */
outcome?: string | null, 
/**
 * Only visits about this démarche.
 */
demarche?: string | null, 
/**
 * Only unmet needs.
 */
unmet_only: boolean, 
/**
 * Page number, from 0.
 */
page: number, };
export type QuarantinedRecord = { 
/**
 * Device name.
 */
device: string, 
/**
 * The entity it was about.
 */
entity_id: string, 
/**
 * Tablet clock when it was made.
 */
device_time: string, 
/**
 * Why.
 */
reason: string, 
/**
 * Where it sits in the inbox: its tablet's install…
 */
install_id: string, 
/**
 * …and its position there (with the install, what a repair names).
 */
seq: number, 
/**
 * The démarches it names that the catalogue does not have (now): what a
 * repair maps to current ones.
 */
unknown_demarches: Array<string>, 
/**
 * Its repair by the lead, once made: the visit is then stored.
 */
repair: QuarantineRepair | null, };
export type QuarantineRepair = { 
/**
 * The lead device's name.
 */
by: string, 
/**
 * Server clock.
 */
at: string, 
/**
 * What changed.
 */
replacements: Array<DemarcheReplacement>, };
export type DemarcheReplacement = { 
/**
 * The id the visit names.
 */
from: string, 
/**
 * A démarche of the current catalogue.
 */
to: string, };
export type SignOff = { 
/**
 * The day.
 */
day: string, 
/**
 * The lead's comment.
 */
comment: string, 
/**
 * Name of the lead device.
 */
signed_by: string, 
/**
 * When (server clock).
 */
signed_at: string, };
export type TeamVisit = { 
/**
 * The visit.
 */
visit: Visit, 
/**
 * Seconds per step (an open step counts up to its start).
 */
durations: StepDurations, 
/**
 * Name of the device that recorded it.
 */
device: string, 
/**
 * The tablet's clock was more than 5 minutes off.
 */
clock_suspect: boolean, 
/**
 * Why the server quarantined a later change, if it did.
 */
quarantined: string | null, };
export type TeamJournal = { 
/**
 * The day.
 */
day: string, 
/**
 * Visits matching the filters, all pages.
 */
total: number, 
/**
 * This page, from 0.
 */
page: number, 
/**
 * Visits per page.
 */
page_size: number, 
/**
 * The visits of the page, by arrival.
 */
visits: Array<TeamVisit>, 
/**
 * Changes of that day the server quarantined.
 */
quarantined: Array<QuarantinedRecord>, 
/**
 * The day's sign-off.
 */
signoff: SignOff | null, 
/**
 * Past the retention period: only aggregates remain.
 */
purged: boolean, };
export type Period = { 
/**
 * First day.
 */
from: string, 
/**
 * Last day, included.
 */
to: string, };
export type Count = { 
/**
 * The value: an hour (`"09"`), a démarche id, an outcome, a tablet letter…
 */
key: string, 
/**
 * What people read for it, in French.
 */
label: string, 
/**
 * Visits.
 */
visits: number, };
export type StepTime = { 
/**
 * `listen`, `qualify`, `orient` or `accompany`.
 */
step: string, 
/**
 * Median seconds, over the visits that went through the step.
 */
median_s: number, 
/**
 * 90th percentile, in seconds.
 */
p90_s: number, 
/**
 * Visits measured.
 */
visits: number, };
export type UnmetGroup = { 
/**
 * The most frequent wording.
 */
label: string, 
/**
 * Visits.
 */
visits: number, 
/**
 * Every distinct wording of the group, most frequent first.
 */
wordings: Array<string>, };
export type TabletCount = { 
/**
 * Tablet letter.
 */
tablet: string, 
/**
 * Visits.
 */
visits: number, 
/**
 * Tickets issued.
 */
tickets: number, 
/**
 * Unmet needs.
 */
unmet: number, 
/**
 * Visits abandoned.
 */
abandoned: number, };
export type QueueTime = { 
/**
 * The service's name.
 */
service: string, 
/**
 * Tickets that entered its queue.
 */
tickets: number, 
/**
 * Served at a counter.
 */
served: number, 
/**
 * Called and absent.
 */
no_shows: number, 
/**
 * Median wait, issue to first call, in seconds (0 without calls).
 */
wait_median_s: number, 
/**
 * 90th percentile of the wait.
 */
wait_p90_s: number, 
/**
 * Median time at the counter, in seconds (0 without services).
 */
service_median_s: number, 
/**
 * 90th percentile of the time at the counter.
 */
service_p90_s: number, 
/**
 * Called tickets that were issued with a quoted wait.
 */
quoted: number, 
/**
 * Of which called before the quoted range's upper end.
 */
called_within_quote: number, };
export type SatisfactionFigures = { 
/**
 * Visitors who tapped a face.
 */
answers: number, 
/**
 * Share of them satisfied or very satisfied, in percent.
 */
satisfied_pct: number | null, 
/**
 * Satisfied minus dissatisfied, in points of percent (−100 to 100).
 */
net: number | null, 
/**
 * Visitors who answered « Avez-vous dû répéter votre situation ? ».
 */
repeat_answers: number, 
/**
 * Share of them who said yes, in percent.
 */
repeated_pct: number | null, };
export type Indicators = { 
/**
 * The period.
 */
period: Period, 
/**
 * Visits.
 */
visits: number, 
/**
 * Arrivals per hour of the day (mairie time), every hour with a visit.
 */
arrivals_per_hour: Array<Count>, 
/**
 * The busiest hour, e.g. `"10"`.
 */
busiest_hour: string | null, 
/**
 * The quietest hour with any visit.
 */
quietest_hour: string | null, 
/**
 * Main démarche of the visits, most frequent first (at most 10).
 */
top_demarches: Array<Count>, 
/**
 * Where visitors were sent, abandoned and open visits included.
 */
orientations: Array<Count>, 
/**
 * Median and 90th percentile per step.
 */
step_times: Array<StepTime>, 
/**
 * Visits accompanied.
 */
accompanied: number, 
/**
 * Visits that reached the end of the accompany step.
 */
accompany_answered: number, 
/**
 * Unmet needs, by similar wording.
 */
unmet: Array<UnmetGroup>, 
/**
 * Per tablet.
 */
per_tablet: Array<TabletCount>, 
/**
 * Days of the period with their detailed visits.
 */
detailed_days: number, 
/**
 * Days past the retention period, counted from their aggregates only
 * (no step times, accompaniment, unmet wording or tablet for them).
 */
aggregated_days: number, 
/**
 * Days of the period signed off.
 */
signed_off: Array<string>, 
/**
 * The counters' queues, per service (days still detailed only).
 */
queues: Array<QueueTime>, 
/**
 * Calls per counter, recalls included, most first.
 */
calls_per_counter: Array<Count>, 
/**
 * The visitors' opinions (days still detailed only).
 */
satisfaction: SatisfactionFigures, };
export type RecordKind = "service" | "demarche";
export type CatalogueEdit = { 
/**
 * The record's version the edit was made from; `None` creates it.
 */
expected_version: number | null, 
/**
 * The record (a service or a démarche), validated like an import.
 */
record: JsonValue, };
export type EditOutcome = { "outcome": "saved", 
/**
 * The record as stored, with its new version.
 */
record: JsonValue, } | { "outcome": "conflict", 
/**
 * What happened, in French.
 */
message: string, 
/**
 * The record as it is now.
 */
current: JsonValue | null, };
export type TicketState = "waiting" | "called" | "present" | "served" | "no_show" | "cancelled";
export type ServiceOutcome = "done" | "come_back" | "redirected";
export type CounterAction = { "type": "call_next" } | { "type": "call", 
/**
 * Its code.
 */
code: string, } | { "type": "recall" } | { "type": "arrived" } | { "type": "served", 
/**
 * The outcome.
 */
outcome: ServiceOutcome, } | { "type": "no_show" } | { "type": "transfer", 
/**
 * The service whose queue it joins.
 */
service: string, } | { "type": "reactivate", 
/**
 * Its code.
 */
code: string, } | { "type": "adopt", 
/**
 * The code as shown on the visitor's screen.
 */
code: string, };
export type CounterActionRequest = { 
/**
 * Chosen by the counter once per action: a retry with the same id and
 * content replays the first answer, with other content is refused.
 */
event_id: string, 
/**
 * The counter's clock when the agent acted.
 */
device_time: string, 
/**
 * What the agent did.
 */
action: CounterAction, };
export type QualifiedDemarche = { 
/**
 * Catalogue id.
 */
id: string, 
/**
 * Title.
 */
title: string, 
/**
 * Documents to bring, in French (the counter agent's wording).
 */
documents: Array<string>, };
export type Qualified = { 
/**
 * The démarches chosen.
 */
demarches: Array<QualifiedDemarche>, 
/**
 * The visitor's words when no démarche fitted.
 */
unmet: string | null, 
/**
 * The visitor's language (BCP 47), when not French.
 */
language: string | null, 
/**
 * The visitor's profile, as the greeter noted it.
 */
profile: string | null, 
/**
 * Whether the greeter walked the visitor to the counter (once known).
 */
accompanied: boolean | null, 
/**
 * The greeter's factual note, where the setting allows one.
 */
note: string | null, 
/**
 * The greeter's initials.
 */
agent: string | null, };
export type QueueTicket = { 
/**
 * The code called.
 */
code: string, 
/**
 * The service whose queue it is in.
 */
service: string, 
/**
 * Where it stands.
 */
state: TicketState, 
/**
 * When it was issued (the tablet's clock corrected by its measured
 * offset); for a ticket adopted before its tablet synced, the adoption.
 */
issued_at: string, 
/**
 * Adopted at a counter before the server had it from its tablet.
 */
adopted: boolean, 
/**
 * Its tablet's snapshot has reached the server.
 */
known: boolean, 
/**
 * Times called (recalls included).
 */
calls: number, 
/**
 * The counter that called it.
 */
counter: string | null, 
/**
 * When it was last called.
 */
last_call_at: string | null, 
/**
 * How it ended, once served.
 */
outcome: ServiceOutcome | null, 
/**
 * What the greeter qualified, once its tablet synced.
 */
qualified: Qualified | null, };
export type ServiceChoice = { 
/**
 * Catalogue id.
 */
id: string, 
/**
 * Name.
 */
name: string, };
export type CounterView = { 
/**
 * The counter's label, e.g. « Guichet 3 — État civil ».
 */
counter: string, 
/**
 * Its service.
 */
service: ServiceChoice, 
/**
 * The mairie day.
 */
day: string, 
/**
 * The waiting tickets, first to call first.
 */
waiting: Array<QueueTicket>, 
/**
 * The ticket this counter called and has not finished.
 */
current: QueueTicket | null, 
/**
 * Today's absent tickets of the service, to reactivate.
 */
absent: Array<QueueTicket>, 
/**
 * The other services' counters, for a transfer.
 */
transfer_to: Array<ServiceChoice>, 
/**
 * Seconds between two calls of one ticket.
 */
min_recall_interval_s: number, 
/**
 * The last event of the day (the live updates' event id).
 */
last_event: number, 
/**
 * The server's clock.
 */
server_time: string, };
export type CounterActionResult = { 
/**
 * The event recorded (the live updates' event id).
 */
event: number, 
/**
 * The ticket as the action left it.
 */
ticket: QueueTicket, 
/**
 * A retry of an action already recorded: nothing was done again.
 */
replayed: boolean, };
export type Call = { 
/**
 * The call's event id: a display announces each at most once.
 */
event: number, 
/**
 * The ticket code.
 */
code: string, 
/**
 * The counter to go to.
 */
counter: string, 
/**
 * Which call of the ticket this is (1, then recalls).
 */
call: number, 
/**
 * When the counter called.
 */
at: string, };
export type DisplayView = { 
/**
 * The room, e.g. « Salle d'attente du rez-de-chaussée ».
 */
room: string, 
/**
 * The latest calls and recalls of today, newest first (12 at most).
 */
calls: Array<Call>, 
/**
 * The last event of the day.
 */
last_event: number, 
/**
 * The server's clock.
 */
server_time: string, };
export type DeviceKind = "agent" | "lead" | "counter" | "display" | "city";
export type ScreenEnrollRequest = { 
/**
 * The one-time code printed by `volant-server device enroll-code --kind counter|display`.
 */
code: string, 
/**
 * The certificate fingerprint of the invitation (64 hex digits); a
 * server with another certificate refuses (`certificate_changed`).
 */
fingerprint?: string | null, };
export type ScreenEnrolled = { 
/**
 * `counter` or `display`.
 */
kind: DeviceKind, 
/**
 * The device's name.
 */
name: string, };
