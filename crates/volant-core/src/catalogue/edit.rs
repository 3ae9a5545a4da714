//! One record edited by the team lead, checked as strictly as an import: the
//! record's shape field by field, its own rules, and the rules of the whole
//! catalogue it would join (unique ticket letters, existing services), and
//! its visitor texts translated or left in French on purpose.

use volant_protocol::RecordKind;

use super::file::french_serde_message;
use crate::domain::{Catalogue, Demarche, FieldProblem, Service};

fn decode<T: serde::de::DeserializeOwned>(record: &serde_json::Value) -> Result<T, FieldProblem> {
    serde_path_to_error::deserialize::<_, T>(record).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        FieldProblem {
            field: if path == "." { String::new() } else { path },
            message: french_serde_message(&inner),
        }
    })
}

/// Puts `record` (a service or a démarche with id `id`) into `catalogue`, in
/// place of the record with that id if there is one. Returns the record as it
/// will be stored, or the first problem found (the catalogue is then unchanged).
pub fn apply_edit(
    catalogue: &Catalogue,
    kind: RecordKind,
    id: &str,
    record: &serde_json::Value,
) -> Result<(Catalogue, serde_json::Value), FieldProblem> {
    let mut next = catalogue.clone();
    let (section, index, stored) = match kind {
        RecordKind::Service => {
            let s: Service = decode(record)?;
            let stored = serde_json::to_value(&s);
            let index = put(&mut next.services, s, |r| r.id.as_str() == id);
            ("services", index, stored)
        }
        RecordKind::Demarche => {
            let d: Demarche = decode(record)?;
            let stored = serde_json::to_value(&d);
            let index = put(&mut next.demarches, d, |r| r.id.as_str() == id);
            ("demarches", index, stored)
        }
    };
    let record_id = record
        .get("id")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    if record_id != id {
        return Err(FieldProblem {
            field: "id".into(),
            message: format!("l'identifiant « {record_id} » ne correspond pas à « {id} »"),
        });
    }
    if let Some(p) = next
        .problems()
        .into_iter()
        .chain(next.untranslated())
        .find(|p| p.section == section && p.index == index)
    {
        return Err(p.problem);
    }
    let stored = stored.map_err(|e| FieldProblem {
        field: String::new(),
        message: e.to_string(),
    })?;
    Ok((next, stored))
}

/// Replaces the record matching `same`, or appends it; returns its index.
fn put<T>(records: &mut Vec<T>, record: T, same: impl Fn(&T) -> bool) -> usize {
    match records.iter().position(same) {
        Some(i) => {
            records[i] = record;
            i
        }
        None => {
            records.push(record);
            records.len() - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_field_an_unknown_service_and_a_taken_letter_are_refused() {
        let catalogue = crate::catalogue::shipped().expect("shipped");
        let mut d = serde_json::to_value(&catalogue.demarches[0]).expect("json");
        let id = catalogue.demarches[0].id.to_string();
        d["title"] = "Nouveau titre".into();
        let (next, stored) =
            apply_edit(&catalogue, RecordKind::Demarche, &id, &d).expect("valid edit");
        assert_eq!(stored["title"], "Nouveau titre");
        assert_eq!(next.demarches.len(), catalogue.demarches.len());

        d["frequency"] = "souvent".into();
        let p = apply_edit(&catalogue, RecordKind::Demarche, &id, &d).expect_err("bad type");
        assert_eq!(p.field, "frequency");

        d["frequency"] = 3.into();
        d["service"] = "nulle-part".into();
        let p = apply_edit(&catalogue, RecordKind::Demarche, &id, &d).expect_err("unknown service");
        assert_eq!(p.field, "service");

        d["service"] = catalogue.demarches[0].service.to_string().into();
        d.as_object_mut().map(|d| d.remove("title_in"));
        let p = apply_edit(&catalogue, RecordKind::Demarche, &id, &d).expect_err("untranslated");
        assert_eq!(p.field, "title_in");
        d["title_in"] =
            serde_json::json!({"en": "New title", "ar": null, "es": null, "zh-Hans": null});
        d["documents"] = serde_json::json!([{"ref": "rib"}, {"ref": "carte_bleue"}]);
        let p = apply_edit(&catalogue, RecordKind::Demarche, &id, &d).expect_err("unknown entry");
        assert_eq!(p.field, "documents[1].ref");

        let counter = catalogue
            .services
            .iter()
            .find(|s| s.ticket_letter().is_some())
            .expect("a counter");
        let mut s = serde_json::to_value(counter).expect("json");
        s["id"] = "nouveau-guichet".into();
        let p = apply_edit(&catalogue, RecordKind::Service, "nouveau-guichet", &s)
            .expect_err("letter taken");
        assert_eq!(p.field, "ticket_letter");
        let p = apply_edit(&catalogue, RecordKind::Service, "autre", &s).expect_err("id mismatch");
        assert_eq!(p.field, "id");
    }
}
