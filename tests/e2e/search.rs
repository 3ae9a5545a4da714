//! Visitors' own words → the intended démarche in the top 3.

use volant_tests::fresh_store;

/// (what the visitor says, the démarche the greeter means). No accents,
/// typos, abbreviations and colloquial French on purpose.
const PHRASINGS: &[(&str, &str)] = &[
    ("naiss", "etat-civil.acte-naissance"),
    ("acte de naissance", "etat-civil.acte-naissance"),
    ("je veux un extrait de naissance", "etat-civil.acte-naissance"),
    ("acte de naisance pour mon fils", "etat-civil.acte-naissance"),
    ("declarer la naissance de mon bebe", "etat-civil.declaration-naissance"),
    ("ma femme a accouche hier", "etat-civil.declaration-naissance"),
    ("cni", "identite.cni-renouvellement"),
    ("refaire ma carte d identite perimee", "identite.cni-renouvellement"),
    ("carte didentite", "identite.cni-renouvellement"),
    ("j'ai perdu ma carte d'identité", "identite.cni-perte"),
    ("on m'a vole mes papiers", "identite.cni-vol"),
    ("pasport", "identite.passeport"),
    ("passeport pour mon enfant", "identite.passeport-mineur"),
    ("je viens chercher mon passeport", "identite.retrait-titre"),
    ("pre demande ants", "identite.pre-demande-ants"),
    ("on veut se marier", "etat-civil.mariage"),
    ("dossier de mariage", "etat-civil.mariage"),
    ("pacs", "etat-civil.pacs"),
    ("se pacser", "etat-civil.pacs"),
    ("rompre notre pacs", "etat-civil.pacs-dissolution"),
    ("annuler mon mariage", "etat-civil.annulation-mariage"),
    ("mon pere est decede", "etat-civil.declaration-deces"),
    ("acte de deces de ma mere", "etat-civil.acte-deces"),
    ("reconnaitre mon enfant avant la naissance", "etat-civil.reconnaissance"),
    ("livret de famille perdu", "etat-civil.livret-famille-duplicata"),
    ("changer de prenom", "etat-civil.changement-prenom"),
    ("certificat de vie pour ma retraite", "affaires-generales.certificat-vie"),
    ("legaliser une signature", "affaires-generales.legalisation-signature"),
    ("attestation d'acceuil pour ma soeur", "affaires-generales.attestation-accueil"),
    ("copie conforme", "affaires-generales.copie-conforme"),
    ("m'inscrire sur les listes electorales", "elections.inscription"),
    ("voter", "elections.inscription"),
    ("procuration", "elections.procuration"),
    ("mon fils a 16 ans recensement", "elections.recensement-citoyen"),
    ("hlm", "logement.demande-social"),
    ("demande de logement social", "logement.demande-social"),
    ("renouveler ma demande hlm", "logement.renouvellement"),
    ("apl", "logement.apl"),
    ("mon proprio garde la caution", "logement.litige-proprietaire"),
    ("on va m'expulser", "logement.expulsion"),
    ("je dors dehors ce soir", "logement.hebergement-urgence"),
    ("rsa", "social.rsa"),
    ("assistante sociale", "social.casvp-aide"),
    ("inscrire ma fille a l'ecole maternelle", "ecole.inscription-maternelle"),
    ("tarif cantine trop cher", "ecole.tarif-cantine"),
    ("quotient familial", "ecole.tarif-cantine"),
    ("place en creche", "ecole.creche"),
    ("carte vitale", "sante.carte-vitale"),
    ("cmu", "sante.css"),
    ("pole emploi", "emploi.inscription-france-travail"),
    ("chomage", "emploi.inscription-france-travail"),
    ("jeter un vieux frigo", "quotidien.encombrants"),
    ("encombrant", "quotidien.encombrants"),
    ("signaler un tag sur le mur", "quotidien.dansmarue"),
    ("reserver un tennis", "quotidien.sports-reservation"),
    ("porter plainte", "droit.plainte"),
    ("avocat gratuit", "droit.avocat-gratuit"),
    ("probleme avec mon voisin", "droit.conciliation"),
    ("ecrivain public", "numerique.ecrivain-public"),
    ("remplir un formulaire", "numerique.ecrivain-public"),
    ("titre de sejour", "etrangers.titre-sejour"),
    ("impots declaration", "impots.declaration"),
    ("concession au cimetiere", "deces.concession"),
    ("carte grise", "quotidien.carte-grise"),
    ("mon mari me frappe", "social.violences-conjugales"),
    ("surendetement", "social.surendettement"),
    ("demande de logemnt", "logement.demande-social"),
    ("demande d'acte de naissance", "etat-civil.acte-naissance"),
    ("inscripsion liste electoral", "elections.inscription"),
    ("cantinne", "ecole.cantine-inscription"),
    ("renouvlement passeport", "identite.passeport"),
    ("carte d'identiter", "identite.cni-renouvellement"),
    ("allocs", "social.allocations-familiales"),
    ("boulot", "emploi.recherche"),
    ("jai perdu mon livret", "etat-civil.livret-famille-duplicata"),
    ("assistente sociale", "social.casvp-aide"),
];

#[test]
fn each_phrasing_finds_its_demarche_in_the_top_three() {
    let t = fresh_store();
    let mut misses = Vec::new();
    for (words, expected) in PHRASINGS {
        let hits = t.store.search(words, 3).unwrap_or_else(|e| panic!("search {words:?}: {e}"));
        if !hits.iter().any(|h| h.id == *expected) {
            let got: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
            misses.push(format!("{words:?}: expected {expected}, got {got:?}"));
        }
    }
    assert!(PHRASINGS.len() >= 50);
    assert!(misses.is_empty(), "{} of {} phrasings missed:\n{}", misses.len(), PHRASINGS.len(), misses.join("\n"));
}

#[test]
fn searches_that_mean_nothing_return_nothing_and_never_fail() {
    let t = fresh_store();
    for words in ["", "   ", "je veux", "\"", "NEAR(", "*", "') OR 1=1 --", "<script>alert(1)</script>", "ééé"] {
        let hits = t.store.search(words, 5).unwrap_or_else(|e| panic!("search {words:?}: {e}"));
        assert!(hits.len() <= 5, "{words:?}");
    }
    assert!(t.store.search("je veux", 5).expect("search").is_empty());
}
