//! Unmet needs grouped by similar wording: « photo d'identité sur place » and
//! « photos d'identité ? » are one need for the lead.

use std::collections::{BTreeSet, HashMap};

use volant_protocol::UnmetGroup;

use crate::search::normalize::{keywords, stem};

/// The stems of a wording's meaningful words.
fn stems(text: &str) -> BTreeSet<String> {
    keywords(text)
        .into_iter()
        .map(|w| stem(&w).map_or_else(|| w.clone(), str::to_owned))
        .collect()
}

/// Two wordings are similar when half of their stems are shared, or when one
/// wording's stems are all in the other.
fn similar(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let shared = a.intersection(b).count();
    if shared == 0 {
        return a.is_empty() && b.is_empty();
    }
    shared == a.len().min(b.len()) || 2 * shared >= a.union(b).count()
}

/// Groups wordings (one per visit), biggest group first; each group is
/// labelled by its most frequent wording.
pub fn group_unmet<'a>(wordings: impl IntoIterator<Item = &'a str>) -> Vec<UnmetGroup> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for w in wordings {
        *counts.entry(w.trim().to_owned()).or_default() += 1;
    }
    let mut distinct: Vec<(String, u32)> = counts.into_iter().collect();
    distinct.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut groups: Vec<(BTreeSet<String>, UnmetGroup)> = Vec::new();
    for (wording, n) in distinct {
        let key = stems(&wording);
        match groups.iter_mut().find(|(k, _)| similar(k, &key)) {
            Some((k, group)) => {
                k.extend(key);
                group.visits += n;
                group.wordings.push(wording);
            }
            None => groups.push((
                key,
                UnmetGroup {
                    label: wording.clone(),
                    visits: n,
                    wordings: vec![wording],
                },
            )),
        }
    }
    let mut out: Vec<UnmetGroup> = groups.into_iter().map(|(_, g)| g).collect();
    out.sort_by(|a, b| b.visits.cmp(&a.visits).then_with(|| a.label.cmp(&b.label)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_wordings_make_one_group_labelled_by_the_most_frequent() {
        let groups = group_unmet([
            "photo d'identité sur place",
            "Photos d'identité ?",
            "photo d'identité sur place",
            "location de vélo cargo",
            "vélo cargo pour association",
            "inscription au loto",
        ]);
        assert_eq!(groups.len(), 3, "{groups:?}");
        assert_eq!(groups[0].label, "photo d'identité sur place");
        assert_eq!(groups[0].visits, 3);
        assert_eq!(groups[0].wordings.len(), 2);
        assert_eq!(groups[1].visits, 2);
        assert_eq!(groups[2].label, "inscription au loto");
    }
}
