//! The catalogue file: the shipped one, export/import round trip, and a bad
//! file refused whole with nothing changed.

use std::collections::HashSet;

use volant_core::Error;
use volant_core::domain::ServiceKind;
use volant_tests::fresh_store;

#[test]
fn the_shipped_catalogue_covers_the_building_and_credits_its_sources() {
    let t = fresh_store();
    let c = t.store.catalogue().expect("catalogue");
    assert!(c.demarches.len() >= 200, "{} démarches", c.demarches.len());
    assert!(
        c.meta
            .credits
            .iter()
            .any(|credit| credit.contains("Service-Public.fr / DILA — Licence Ouverte 2.0"))
    );
    let served: HashSet<&str> = c.demarches.iter().map(|d| d.service.as_str()).collect();
    for service in [
        "etat-civil",
        "affaires-generales",
        "elections",
        "regie",
        "caisse-des-ecoles",
        "antenne-logement",
        "perm-ecrivain-public",
        "perm-avocats",
        "perm-acces-droit",
        "perm-conciliateur",
        "perm-adil",
        "perm-mediateur",
        "caf",
        "cpam",
        "france-travail",
        "prefecture-police",
        "commissariat-19",
        "casvp-19",
        "france-services",
        "samu-social-115",
        "en-ligne-encombrants",
        "en-ligne-dansmarue",
        "en-ligne-sports",
        "en-ligne-elections",
    ] {
        assert!(served.contains(service), "no démarche for {service}");
    }
    let kinds: HashSet<&str> = c.services.iter().map(|s| s.kind.name()).collect();
    assert_eq!(kinds.len(), 4);
    assert!(
        c.services
            .iter()
            .any(|s| matches!(&s.kind, ServiceKind::Permanence { slots, .. } if !slots.is_empty()))
    );
    let linked = c.demarches.iter().filter(|d| d.official.is_some()).count();
    assert!(
        linked >= 100,
        "{linked} démarches linked to an official sheet"
    );
}

#[test]
fn export_then_import_gives_the_same_catalogue() {
    let mut t = fresh_store();
    let before = t.store.catalogue().expect("catalogue");
    let text = t.store.export_catalogue().expect("export");
    let summary = t.store.import_catalogue(&text).expect("import");
    assert_eq!(summary.demarches, before.demarches.len());
    assert_eq!(t.store.catalogue().expect("catalogue"), before);
}

#[test]
fn an_invalid_file_is_refused_whole_and_changes_nothing() {
    let mut t = fresh_store();
    let before = t.store.export_catalogue().expect("export");
    // A valid change early in the file, and two errors further down.
    let edited = before
        .replacen(
            "\"title\": \"Acte de naissance (copie intégrale ou extrait)\"",
            "\"title\": \"Nouveau titre\"",
            1,
        )
        .replacen(
            "\"service\": \"etat-civil\"",
            "\"service\": \"service-inconnu\"",
            3,
        )
        .replacen("\"ticket_letter\": \"E\"", "\"ticket_letter\": \"A\"", 1);
    let err = t.store.import_catalogue(&edited).expect_err("refused");
    let Error::CatalogueFile(file) = err else {
        panic!("unexpected error {err}")
    };
    assert!(file.problems.len() >= 2, "{:?}", file.problems);
    let lines: Vec<&str> = edited.lines().collect();
    for p in &file.problems {
        assert!(p.line >= 1 && p.line <= lines.len(), "{p}");
        let key = p.field.rsplit('.').next().unwrap_or_default();
        assert!(
            lines[p.line - 1].contains(&format!("\"{key}\"")),
            "line {} does not hold {}: {}",
            p.line,
            p.field,
            lines[p.line - 1]
        );
    }
    assert!(
        file.problems
            .iter()
            .any(|p| p.field.ends_with(".service") && p.message.contains("service-inconnu"))
    );
    assert!(
        file.problems
            .iter()
            .any(|p| p.field.ends_with(".ticket_letter"))
    );
    assert_eq!(
        t.store.export_catalogue().expect("export"),
        before,
        "nothing was half-imported"
    );
    assert!(
        t.store
            .search("naissance", 3)
            .expect("search")
            .iter()
            .any(|h| h.title.starts_with("Acte de naissance"))
    );
}

#[test]
fn malformed_json_is_refused_with_its_line() {
    let mut t = fresh_store();
    let before = t.store.export_catalogue().expect("export");
    let truncated = &before[..before.len() / 2];
    let Error::CatalogueFile(file) = t.store.import_catalogue(truncated).expect_err("refused")
    else {
        panic!("wrong error")
    };
    assert_eq!(file.problems.len(), 1);
    assert!(file.problems[0].line > 1);
    assert_eq!(t.store.export_catalogue().expect("export"), before);
}
