//! "Did you mean ...?": the closest known name to a misspelled one.
//!
//! A case-insensitive exact match wins (`Description` for `description`); otherwise the
//! candidate with the smallest edit distance, if that distance is small for the name's length;
//! otherwise a candidate that the name starts or ends (`sev` for `severity`, `libraries` for
//! `library`).

/// A suggested name, and whether it is the only candidate that close.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Suggestion<'a> {
    pub name: &'a str,
    /// No other candidate is as close to the name (another one in another case, at the same
    /// edit distance, or another prefix match): the suggestion is the one candidate, and a
    /// fix may write it unattended. With several equally close, the first is suggested
    /// and a person must choose.
    pub only: bool,
}

/// The candidate closest to `name`, if one is close enough to be a likely intent.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    closest_suggestion(name, candidates).map(|s| s.name)
}

/// [`closest`], and whether it is the only candidate that close.
pub fn closest_suggestion<'a, I>(name: &str, candidates: I) -> Option<Suggestion<'a>>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let length = name.chars().count();
    // A third of the name's length may be wrong (at least one edit, none for names of one
    // or two characters); nothing longer than a name can be is a typo of one.
    let limit = match length {
        0..=2 => Some(0),
        n if n > 64 => None,
        n => Some((n / 3).max(1)),
    };
    pick(name, candidates, |candidate| {
        let candidate = candidate.to_lowercase();
        if candidate == lower {
            return Some(0);
        }
        let limit = limit?;
        let distance = edit_distance(&lower, &candidate);
        if distance <= limit {
            Some(1 + distance)
        } else if is_prefix_match(&lower, &candidate) {
            // After every near spelling: `sev` for `severity`, `libraries` for `library`.
            Some(2 + limit)
        } else {
            None
        }
    })
}

/// The candidate that `name` is most likely a typo of, judged more strictly than
/// [`closest`]: the same name in another case, or a name one edit away (two for names of
/// twelve characters or more), an adjacent transposition counting as one edit. Names of one
/// or two characters match only in another case.
///
/// For names taken from data that is a sample rather than a complete list (the fields of
/// an output's example, the run metadata known to exist): a field the sample lacks may be
/// real, and only a near spelling of one it has is a likely mistake. `executionId` is not a
/// typo of `executionUrl`; `userEmial` is one of `userEmail`.
pub fn likely_typo<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    likely_typo_suggestion(name, candidates).map(|s| s.name)
}

/// [`likely_typo`], and whether it is the only candidate that close.
pub fn likely_typo_suggestion<'a, I>(name: &str, candidates: I) -> Option<Suggestion<'a>>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let limit = match name.chars().count() {
        0..=2 => 0,
        3..=11 => 1,
        12..=64 => 2,
        _ => return None,
    };
    pick(name, candidates, |candidate| {
        let candidate = candidate.to_lowercase();
        if candidate == lower {
            return Some(0);
        }
        let distance = edit_distance(&lower, &candidate);
        (distance <= limit).then_some(1 + distance)
    })
}

/// The first candidate other than `name` of the lowest rank (`None`: not a candidate), and
/// whether no other name has that rank.
fn pick<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    rank: impl Fn(&str) -> Option<usize>,
) -> Option<Suggestion<'a>> {
    let mut best: Option<(usize, Suggestion<'a>)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let Some(r) = rank(candidate) else { continue };
        match &mut best {
            Some((b, s)) if r == *b => s.only &= s.name == candidate,
            Some((b, _)) if r > *b => {}
            _ => {
                best = Some((
                    r,
                    Suggestion {
                        name: candidate,
                        only: true,
                    },
                ));
            }
        }
    }
    best.map(|(_, s)| s)
}

/// Whether a candidate starts with the name or the name starts with it (both lowercase),
/// for names of at least three characters.
fn is_prefix_match(lower: &str, candidate: &str) -> bool {
    lower.chars().count() >= 3
        && (candidate.starts_with(lower)
            || (candidate.chars().count() >= 3 && lower.starts_with(candidate)))
}

/// The Damerau-Levenshtein distance (with adjacent transpositions) between two strings, in
/// characters. Names are short, so the quadratic table is fine; very long inputs are cut.
pub fn edit_distance(a: &str, b: &str) -> usize {
    const MAX: usize = 64;
    let a: Vec<char> = a.chars().take(MAX).collect();
    let b: Vec<char> = b.chars().take(MAX).collect();
    let (n, m) = (a.len(), b.len());
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    if let Some(first) = table.first_mut() {
        for (j, cell) in first.iter_mut().enumerate() {
            *cell = j;
        }
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (table[i - 1][j] + 1)
                .min(table[i][j - 1] + 1)
                .min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = d;
        }
    }
    table[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_match_wins() {
        assert_eq!(
            closest("Description", ["name", "description"]),
            Some("description")
        );
    }

    #[test]
    fn close_typos() {
        assert_eq!(
            closest("descripton", ["name", "description"]),
            Some("description")
        );
        assert_eq!(
            closest("RedisIP", ["RedisIp", "RedisPassword"]),
            Some("RedisIp")
        );
        assert_eq!(closest("evn", ["env", "envFrom"]), Some("env"));
    }

    #[test]
    fn prefixes() {
        assert_eq!(closest("sev", ["exclude", "severity"]), Some("severity"));
        assert_eq!(
            closest("libraries", ["exclude", "library"]),
            Some("library")
        );
        assert_eq!(closest("se", ["severity"]), None);
    }

    #[test]
    fn a_suggestion_is_the_only_one_when_no_other_is_as_close() {
        let only = |name, candidates: &[&'static str]| {
            closest_suggestion(name, candidates.iter().copied()).map(|s| (s.name, s.only))
        };
        assert_eq!(
            only("RedisIP", &["RedisIp", "RedisIq"]),
            Some(("RedisIp", true))
        );
        assert_eq!(
            only("redisip", &["RedisIp", "REDISIP"]),
            Some(("RedisIp", false))
        );
        assert_eq!(only("Port", &["Pots", "Ports"]), Some(("Ports", true)));
        assert_eq!(only("Pot", &["Port", "Pat"]), Some(("Port", false)));
        assert_eq!(
            only("sev", &["severity", "seven"]),
            Some(("severity", false))
        );
        assert_eq!(only("env", &["envs", "envs"]), Some(("envs", true)));
        let typo = |name, candidates: &[&'static str]| {
            likely_typo_suggestion(name, candidates.iter().copied()).map(|s| (s.name, s.only))
        };
        assert_eq!(typo("nmae", &["name", "size"]), Some(("name", true)));
        assert_eq!(typo("nam", &["name", "nab"]), Some(("name", false)));
    }

    #[test]
    fn nothing_close() {
        assert_eq!(closest("completely", ["name", "description"]), None);
        assert_eq!(closest("ab", ["cd"]), None);
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn likely_typos_are_near_spellings_only() {
        let metadata = ["executionUrl", "playbookId", "userEmail"];
        assert_eq!(likely_typo("userEmial", metadata), Some("userEmail"));
        assert_eq!(likely_typo("playbookID", metadata), Some("playbookId"));
        assert_eq!(likely_typo("executionId", metadata), None);
        assert_eq!(likely_typo("idd", ["id"]), Some("id"));
        assert_eq!(likely_typo("ix", ["id"]), None);
        assert_eq!(likely_typo("nmae", ["name", "size"]), Some("name"));
        // A longer name extending a field of the sample is another field, not a typo.
        assert_eq!(likely_typo("name_full", ["name"]), None);
        assert_eq!(likely_typo("status", ["state"]), None);
        assert_eq!(
            likely_typo("connected_clinets", ["connected_clients"]),
            Some("connected_clients")
        );
        assert_eq!(likely_typo("name", ["name"]), None);
    }
}
