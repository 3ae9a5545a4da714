//! Words visitors use for words the catalogue uses. Démarche-specific words
//! (CNI, APL, « papiers »…) live in each démarche's keywords; this table holds
//! the general French ones: inflections the stemmer misses, slang, spellings
//! learnt by ear, and words of Arabic origin mixed into French (« toubib »,
//! « flouss »). Keys and values are folded (see `normalize::fold`).

/// `(visitor word, catalogue words)`, sorted by visitor word.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("accouche", &["naissance"]),
    ("adresse", &["domicile"]),
    ("allocs", &["allocations", "caf"]),
    ("appart", &["logement"]),
    ("appartement", &["logement"]),
    ("assurance", &["assurance", "cpam"]),
    ("avocat", &["avocat", "juridique"]),
    ("bagarre", &["plainte"]),
    ("bebe", &["naissance", "creche"]),
    ("boulot", &["emploi"]),
    ("bulletin", &["vote"]),
    ("cantine", &["restauration", "cantine"]),
    ("certif", &["certificat"]),
    ("chomage", &["emploi", "chomage"]),
    ("cimetiere", &["concession", "funeraire"]),
    ("copie", &["copie", "extrait"]),
    ("decede", &["deces"]),
    ("deceder", &["deces"]),
    ("demenage", &["demenagement"]),
    ("divorcer", &["divorce"]),
    ("docteur", &["medecin"]),
    ("ecole", &["scolaire", "ecole"]),
    ("enceinte", &["grossesse", "naissance"]),
    ("enterrement", &["obseques", "deces"]),
    ("expulse", &["expulsion"]),
    ("fac", &["universite"]),
    ("flic", &["police", "commissariat"]),
    ("flics", &["police", "commissariat"]),
    ("flous", &["argent", "aide"]),
    ("flouss", &["argent", "aide"]),
    ("ft", &["emploi", "chomage"]),
    ("gamin", &["enfant"]),
    ("gosse", &["enfant"]),
    ("gosses", &["enfants"]),
    ("impot", &["impots"]),
    ("legaliser", &["legalisation"]),
    ("logis", &["logement"]),
    ("loyer", &["loyer", "logement"]),
    ("mairie", &["mairie"]),
    ("maladie", &["maladie", "cpam"]),
    ("marie", &["mariage"]),
    ("marier", &["mariage"]),
    ("mort", &["deces"]),
    ("morte", &["deces"]),
    ("naitre", &["naissance"]),
    ("ne", &["naissance"]),
    ("nee", &["naissance"]),
    ("paperasse", &["formulaire"]),
    ("paye", &["paiement"]),
    ("payer", &["paiement", "regie"]),
    ("pe", &["emploi", "chomage"]),
    ("perdu", &["perte"]),
    ("perdue", &["perte"]),
    ("permis", &["permis", "conduire"]),
    ("plaindre", &["plainte"]),
    ("pole", &["emploi"]),
    ("porte", &["plainte"]),
    ("proprio", &["proprietaire", "bailleur"]),
    ("rdv", &["rendez"]),
    ("retraite", &["retraite"]),
    ("rue", &["voirie", "dansmarue"]),
    ("secu", &["securite", "cpam"]),
    ("signature", &["legalisation", "signature"]),
    ("sous", &["argent"]),
    ("taf", &["emploi"]),
    ("thune", &["argent"]),
    ("toubib", &["medecin"]),
    ("travail", &["emploi", "travail"]),
    ("vol", &["vol", "plainte"]),
    ("vole", &["vol", "plainte"]),
    ("volee", &["vol", "plainte"]),
    ("voter", &["vote", "electorale"]),
];

/// The catalogue words for a folded visitor word, if any.
pub fn expand(word: &str) -> &'static [&'static str] {
    SYNONYMS
        .binary_search_by(|(k, _)| k.cmp(&word))
        .map_or(&[], |i| SYNONYMS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_so_binary_search_works() {
        assert!(SYNONYMS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(expand("marier"), ["mariage"]);
        assert!(expand("zebre").is_empty());
    }
}
