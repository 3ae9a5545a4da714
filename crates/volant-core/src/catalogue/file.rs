//! Parsing and writing the catalogue file.
//!
//! Records are first taken as raw JSON slices of the input, so each one's line
//! is known; each is then decoded on its own (so every bad record is reported,
//! not only the first), and the whole catalogue is checked for cross-record
//! rules (unique ids, known services, unique ticket letters).
//!
//! Format 2 gives every visitor text in the other languages (or `null` to
//! leave it in French) and documents as vocabulary entries. A format 1 file
//! (before translations) is still read: each of its documents whose text is a
//! vocabulary entry's French wording becomes that entry, the rest stays free
//! text, and its visitor texts show in French.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::domain::{Catalogue, CatalogueMeta, Demarche, DocumentItem, Service};

/// The `format` field of a catalogue file.
pub const FORMAT: &str = "volant-catalogue";
/// The `format_version` this build writes (it also reads format 1).
pub const FORMAT_VERSION: u32 = 2;
/// The format before translations and the documents vocabulary.
const FORMAT_VERSION_1: u32 = 1;

/// One error in a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// 1-based line in the file.
    pub line: usize,
    /// The field, as a path (`demarches[3].service`).
    pub field: String,
    /// What is wrong, in French.
    pub message: String,
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ligne {}, {} : {}", self.line, self.field, self.message)
    }
}

/// A refused catalogue file, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("catalogue refusé, rien n'a été importé : {}", summary(.problems))]
pub struct CatalogueFileError {
    /// Every problem, in file order.
    pub problems: Vec<LineProblem>,
}

fn summary(problems: &[LineProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ; ")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile<'a> {
    format: String,
    format_version: u32,
    #[serde(borrow)]
    meta: &'a RawValue,
    #[serde(borrow)]
    services: Vec<&'a RawValue>,
    #[serde(borrow)]
    demarches: Vec<&'a RawValue>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    format_version: u32,
    meta: &'a CatalogueMeta,
    services: &'a [Service],
    demarches: &'a [Demarche],
}

struct Located<'a> {
    input: &'a str,
}

impl<'a> Located<'a> {
    fn line_at(&self, offset: usize) -> usize {
        self.input.as_bytes()[..offset.min(self.input.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn offset_of(&self, raw: &RawValue) -> usize {
        (raw.get().as_ptr() as usize).saturating_sub(self.input.as_ptr() as usize)
    }

    /// Line of `field`'s key inside `raw`, or of the record itself.
    fn line_of_field(&self, raw: &RawValue, field: &str) -> usize {
        let key = field.split(['[', '.']).next().unwrap_or(field);
        let start = self.offset_of(raw);
        let within = raw.get().find(&format!("\"{key}\"")).unwrap_or(0);
        self.line_at(start + within)
    }

    fn decode<T: serde::de::DeserializeOwned>(
        &self,
        raw: &RawValue,
        prefix: &str,
        problems: &mut Vec<LineProblem>,
    ) -> Option<T> {
        let mut de = serde_json::Deserializer::from_str(raw.get());
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(value) => Some(value),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let field = if path == "." {
                    prefix.to_owned()
                } else {
                    format!("{prefix}.{path}")
                };
                problems.push(LineProblem {
                    line: self.line_at(self.offset_of(raw)) + inner.line().saturating_sub(1),
                    field,
                    message: french_serde_message(&inner),
                });
                None
            }
        }
    }
}

/// serde's message, stripped of its own position (we give ours).
pub(super) fn french_serde_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = text.split(" at line ").next().unwrap_or(&text).to_owned();
    text.replace("missing field", "champ manquant")
        .replace("unknown field", "champ inconnu")
        .replace("invalid type", "type invalide")
        .replace("expected one of", "attendu l'un de")
        .replace("expected", "attendu")
        .replace("unknown variant", "valeur inconnue")
}

/// Parses and checks a catalogue file. On any problem, nothing is returned
/// but the full list of problems.
pub fn parse(input: &str) -> Result<Catalogue, CatalogueFileError> {
    let located = Located { input };
    let raw: RawFile<'_> = serde_json::from_str(input).map_err(|e| CatalogueFileError {
        problems: vec![LineProblem {
            line: e.line(),
            field: "(fichier)".into(),
            message: french_serde_message(&e),
        }],
    })?;
    let mut problems = Vec::new();
    let known = [FORMAT_VERSION_1, FORMAT_VERSION].contains(&raw.format_version);
    if raw.format != FORMAT || !known {
        problems.push(LineProblem {
            line: 1,
            field: "format".into(),
            message: format!(
                "format « {} » version {} inconnu (attendu « {FORMAT} » version {FORMAT_VERSION})",
                raw.format, raw.format_version
            ),
        });
    }
    let meta = located.decode::<CatalogueMeta>(raw.meta, "meta", &mut problems);
    let services: Vec<Option<Service>> = raw
        .services
        .iter()
        .enumerate()
        .map(|(i, r)| located.decode(r, &format!("services[{i}]"), &mut problems))
        .collect();
    let demarches: Vec<Option<Demarche>> = raw
        .demarches
        .iter()
        .enumerate()
        .map(|(i, r)| located.decode(r, &format!("demarches[{i}]"), &mut problems))
        .collect();
    let decoded = problems.is_empty();
    let mut catalogue = Catalogue {
        meta: meta.unwrap_or_else(|| CatalogueMeta {
            mairie: String::new(),
            edition: String::new(),
            credits: Vec::new(),
        }),
        services: services.into_iter().flatten().collect(),
        demarches: demarches.into_iter().flatten().collect(),
    };
    // Cross-record rules are only meaningful on fully decoded sections: indexes
    // would otherwise point at the wrong raw record.
    if raw.format_version == FORMAT_VERSION_1 {
        upgrade_from_1(&mut catalogue);
    }
    if decoded {
        let untranslated = match raw.format_version {
            FORMAT_VERSION_1 => Vec::new(),
            _ => catalogue.untranslated(),
        };
        for p in catalogue.problems().into_iter().chain(untranslated) {
            let raw_record = match p.section {
                "services" => raw.services[p.index],
                _ => raw.demarches[p.index],
            };
            problems.push(LineProblem {
                line: located.line_of_field(raw_record, &p.problem.field),
                field: format!("{}[{}].{}", p.section, p.index, p.problem.field),
                message: p.problem.message,
            });
        }
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() {
        Ok(catalogue)
    } else {
        Err(CatalogueFileError { problems })
    }
}

/// Format 1 wrote documents as French text: those that say exactly what a
/// vocabulary entry says become that entry.
fn upgrade_from_1(catalogue: &mut Catalogue) {
    for d in &mut catalogue.demarches {
        for item in &mut d.documents {
            if let DocumentItem::Free(text) = item {
                *item = DocumentItem::from_text(std::mem::take(text));
            }
        }
    }
}

/// The catalogue as a file: pretty JSON, one field per line.
pub fn to_json(catalogue: &Catalogue) -> String {
    let out = FileOut {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        meta: &catalogue.meta,
        services: &catalogue.services,
        demarches: &catalogue.demarches,
    };
    // Serialising plain data structs to a String cannot fail.
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
  "format": "volant-catalogue",
  "format_version": 2,
  "meta": {"mairie": "Mairie test", "edition": "2026-11-28", "credits": ["x"]},
  "services": [
    {"id": "etat-civil", "name": "État civil", "name_in": {"en": "Civil records", "ar": null, "es": null, "zh-Hans": null}, "kind": "counter", "location": "RDC", "location_in": {"en": "Ground floor", "ar": null, "es": null, "zh-Hans": null}, "hours": "8h30-17h", "ticket_letter": "E"}
  ],
  "demarches": [
    {"id": "etat-civil.acte-naissance", "title": "Acte de naissance", "title_in": {"en": "Birth certificate", "ar": "شهادة الميلاد", "es": null, "zh-Hans": "出生证明"}, "category": "État civil", "service": "etat-civil"}
  ]
}"#;

    /// The same catalogue as a format 1 file (before translations).
    const FORMAT_1: &str = r#"{
  "format": "volant-catalogue",
  "format_version": 1,
  "meta": {"mairie": "Mairie test", "edition": "2026-11-28", "credits": ["x"]},
  "services": [
    {"id": "etat-civil", "name": "État civil", "kind": "counter", "location": "RDC", "hours": "8h30-17h", "ticket_letter": "E"}
  ],
  "demarches": [
    {"id": "etat-civil.acte-naissance", "title": "Acte de naissance", "category": "État civil", "service": "etat-civil",
     "documents": ["Livret de famille", "Nom et date de naissance de la personne"]}
  ]
}"#;

    #[test]
    fn a_good_file_round_trips() {
        let c = parse(GOOD).expect("valid");
        assert_eq!(c.demarches.len(), 1);
        assert_eq!(parse(&to_json(&c)).expect("round trip"), c);
    }

    #[test]
    fn every_error_is_reported_with_its_line_and_field() {
        let bad = GOOD
            .replace(
                r#""ticket_letter": "E""#,
                r#""ticket_letter": "E", "colour": "red""#,
            )
            .replace(
                r#""service": "etat-civil"}"#,
                r#""service": "etat-civil"},
    {"id": "x.y", "title": "", "title_in": {"en": null, "ar": null, "es": null, "zh-Hans": null}, "category": "Test", "service": "nowhere"}"#,
            );
        let err = parse(&bad).expect_err("invalid");
        let found: Vec<(usize, &str)> = err
            .problems
            .iter()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(found, [(6, "services[0]")]);
        assert!(
            err.problems[0].message.contains("champ inconnu"),
            "{}",
            err.problems[0].message
        );

        let bad = GOOD.replace(
            r#""service": "etat-civil"}"#,
            r#""service": "etat-civil"},
    {"id": "x.y", "title": "", "title_in": {"en": null, "ar": null, "es": null, "zh-Hans": null}, "category": "Test", "service": "nowhere"}"#,
        );
        let err = parse(&bad).expect_err("invalid");
        let found: Vec<(usize, &str)> = err
            .problems
            .iter()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [(10, "demarches[1].title"), (10, "demarches[1].service")]
        );
    }

    #[test]
    fn visitor_words_situations_and_life_events_are_read_and_checked() {
        let words = r#""service": "etat-civil", "foreign_words": {"en": ["birth certificate"], "es": ["partida de nacimiento"]}, "situations": ["je dois prouver ma naissance"], "life_events": ["naissance"]}"#;
        let c = parse(&GOOD.replace(r#""service": "etat-civil"}"#, words)).expect("valid");
        let d = &c.demarches[0];
        assert_eq!(d.foreign_words.es, ["partida de nacimiento"]);
        assert_eq!(d.life_events, [crate::domain::LifeEvent::Naissance]);
        assert_eq!(parse(&to_json(&c)).expect("round trip"), c);
        for (bad, field, message) in [
            (
                words.replace("\"naissance\"]", "\"naissance\", \"naissance\"]"),
                "demarches[0].life_events[1]",
                "déjà listé",
            ),
            (
                words.replace("\"naissance\"]", "\"vacances\"]"),
                "demarches[0].life_events[0]",
                "valeur inconnue",
            ),
            (
                words.replace("je dois prouver ma naissance", " "),
                "demarches[0].situations[0]",
                "vide",
            ),
            (
                words.replace("\"es\"", "\"de\""),
                "demarches[0].foreign_words.de",
                "champ inconnu",
            ),
        ] {
            let err = parse(&GOOD.replace(r#""service": "etat-civil"}"#, &bad)).expect_err(field);
            assert_eq!(err.problems[0].field, field, "{err}");
            assert!(err.problems[0].message.contains(message), "{err}");
        }
    }

    #[test]
    fn syntax_errors_and_wrong_formats_are_refused() {
        let err = parse("{\n  \"format\": ").expect_err("truncated");
        assert_eq!(err.problems[0].line, 2);
        let err = parse(&GOOD.replace("\"format_version\": 2", "\"format_version\": 9"))
            .expect_err("version");
        assert_eq!(err.problems[0].field, "format");
    }

    #[test]
    fn every_visitor_text_is_translated_or_left_in_french_on_purpose() {
        let c = parse(GOOD).expect("valid");
        let title = c.demarches[0].title_in.as_ref().expect("translated");
        assert_eq!(title.zh.as_deref(), Some("出生证明"));
        assert_eq!(title.es, None, "left in French");
        for (bad, line, field, message) in [
            (
                GOOD.replace(r#", "es": null, "zh-Hans": "出生证明"}"#, r#", "es": null}"#),
                9,
                "demarches[0].title_in",
                "champ manquant `zh-Hans`",
            ),
            (
                GOOD.replace(
                    r#""title_in": {"en": "Birth certificate", "ar": "شهادة الميلاد", "es": null, "zh-Hans": "出生证明"}, "#,
                    "",
                ),
                9,
                "demarches[0].title_in",
                "traductions manquantes",
            ),
            (
                GOOD.replace(r#""location_in": {"en": "Ground floor", "ar": null, "es": null, "zh-Hans": null}, "#, ""),
                6,
                "services[0].location_in",
                "traductions manquantes",
            ),
            (
                GOOD.replace(r#""en": "Birth certificate""#, r#""en": " ""#),
                9,
                "demarches[0].title_in.en",
                "vide",
            ),
        ] {
            let err = parse(&bad).expect_err(field);
            let p = &err.problems[0];
            assert_eq!((p.line, p.field.as_str()), (line, field), "{err}");
            assert!(p.message.contains(message), "{err}");
        }
    }

    #[test]
    fn a_document_is_a_vocabulary_entry_or_free_text_and_an_unknown_entry_is_refused() {
        let with = |documents: &str| {
            GOOD.replace(
                r#""service": "etat-civil"}"#,
                &format!("\"service\": \"etat-civil\",\n     \"documents\": {documents}}}"),
            )
        };
        let c = parse(&with(
            r#"[{"ref": "piece_identite"}, "Statuts de l'association"]"#,
        ))
        .expect("valid");
        assert_eq!(
            c.demarches[0].documents,
            [
                DocumentItem::Listed {
                    kind: crate::domain::DocumentKind::IdentityDocument
                },
                DocumentItem::Free("Statuts de l'association".into())
            ]
        );
        assert_eq!(parse(&to_json(&c)).expect("round trip"), c);
        let err = parse(&with(
            r#"[{"ref": "piece_identite"}, {"ref": "passeport_galactique"}]"#,
        ))
        .expect_err("unknown entry");
        let p = &err.problems[0];
        assert_eq!(
            (p.line, p.field.as_str()),
            (10, "demarches[0].documents[1].ref"),
            "{err}"
        );
        assert!(
            p.message.contains("valeur inconnue `passeport_galactique`"),
            "{err}"
        );
        let err = parse(&with(r#"[{"ref": "rib"}, {"ref": "rib"}]"#)).expect_err("twice");
        assert_eq!(err.problems[0].field, "demarches[0].documents[1]", "{err}");
    }

    #[test]
    fn a_format_1_file_is_upgraded_and_keeps_every_record() {
        let c = parse(FORMAT_1).expect("format 1 is read");
        let d = &c.demarches[0];
        assert_eq!(
            d.documents,
            [
                DocumentItem::Listed {
                    kind: crate::domain::DocumentKind::FamilyRecordBook
                },
                DocumentItem::Free("Nom et date de naissance de la personne".into())
            ]
        );
        assert_eq!(d.title_in, None, "shown in French");
        // Written back, it is a format 2 file; reading that asks for the translations.
        let err = parse(&to_json(&c)).expect_err("format 2 needs translations");
        assert!(
            err.problems
                .iter()
                .all(|p| p.message.contains("traductions manquantes")),
            "{err}"
        );
        assert_eq!(err.problems.len(), 3, "{err}");
    }

    /// The shipped catalogue written back as format 1 (French text only), as
    /// the previous release shipped it, reads back with every record.
    #[test]
    fn the_shipped_catalogue_in_format_1_reads_back_with_every_record() {
        let shipped = crate::catalogue::shipped().expect("shipped");
        let mut file: serde_json::Value = serde_json::from_str(&to_json(&shipped)).expect("json");
        file["format_version"] = 1.into();
        for s in file["services"].as_array_mut().expect("services") {
            let s = s.as_object_mut().expect("service");
            s.remove("name_in");
            s.remove("location_in");
        }
        for d in file["demarches"].as_array_mut().expect("demarches") {
            let d = d.as_object_mut().expect("demarche");
            d.remove("title_in");
            let french: Vec<serde_json::Value> =
                serde_json::from_value::<Vec<DocumentItem>>(d["documents"].clone())
                    .expect("documents")
                    .iter()
                    .map(|i| i.french().into())
                    .collect();
            d.insert("documents".into(), french.into());
        }
        let old = parse(&serde_json::to_string_pretty(&file).expect("text")).expect("format 1");
        assert_eq!(old.services.len(), shipped.services.len());
        assert_eq!(old.demarches.len(), shipped.demarches.len());
        for (old, new) in old.demarches.iter().zip(&shipped.demarches) {
            assert_eq!(old.id, new.id);
            assert_eq!(old.documents, new.documents, "{}", old.id);
            assert_eq!(
                (old.title.as_str(), old.service.as_str(), old.version),
                (new.title.as_str(), new.service.as_str(), new.version)
            );
        }
    }
}
