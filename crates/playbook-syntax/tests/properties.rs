//! Property tests: on any input the parser does not panic, its tree is lossless, and every
//! error range lies within the text on char boundaries. Inputs are random strings over a
//! YAML-ish alphabet and mutations (deleted, inserted, duplicated ranges) of real YAML.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use playbook_syntax::parse;

const ALPHABET: &[&str] = &[
    "-", ":", "[", "]", "{", "}", ",", "#", "'", "\"", "|", ">", "&", "*", "!", "?", "%", " ",
    "\t", "\n", "\r", "a", "b", "k", "0", "9", "é", "\\", "---", "...", ": ", "- ", "  ",
];

const SEEDS: &[&str] = &[
    "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: kubectl_logs\n  description: consider using `allContainers: true`\nenvs:\n  - name: POD\n    type: string\n",
    "steps:\n  - name: us-docker.pkg.dev/stackpulse/public/redis/info\n    env: { REDIS_IP: \"{{ $.params.RedisIp }}\" }\n    when: '{{ eq .x \"y\" }}'\n",
    "%YAML 1.2\n---\n? [a, b]\n: &x !!map {c: *y, 'd': \"e\\n\"}\n- |2-\n   text\n\n...\n--- >\n folded\n # c\n",
    "a: [1, {b: c}, [d]]\nlist:\n- x\n- - y\n  - z: |\n      lit\n",
];

fn check(input: &str) -> Result<(), TestCaseError> {
    let parse = parse(input);
    prop_assert_eq!(parse.tree().text(), input);
    for e in parse.errors() {
        let (s, end) = (e.range.start() as usize, e.range.end() as usize);
        prop_assert!(end <= input.len(), "error range {s}..{end} past the end");
        prop_assert!(input.is_char_boundary(s) && input.is_char_boundary(end));
    }
    Ok(())
}

/// The char boundaries of `s`, as a strategy index helper.
fn boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(seed: &str, ops: &[(u8, usize, usize, usize)]) -> String {
    let mut s = seed.to_owned();
    for &(op, a, b, c) in ops {
        if s.is_empty() {
            break;
        }
        let x = boundary(&s, a % (s.len() + 1));
        let y = boundary(&s, b % (s.len() + 1));
        let (lo, hi) = (x.min(y), x.max(y));
        let piece = s[lo..hi].to_owned();
        match op % 3 {
            0 => s.replace_range(lo..hi, ""),
            1 => {
                let at = boundary(&s, c % (s.len() + 1));
                let insert = ALPHABET[c % ALPHABET.len()];
                s.insert_str(at, insert);
            }
            _ => {
                let at = boundary(&s, c % (s.len() + 1));
                s.insert_str(at, &piece);
            }
        }
    }
    s
}

/// 256 cases, or `PROPTEST_CASES` for a longer local run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn random_yamlish_strings(parts in prop::collection::vec(prop::sample::select(ALPHABET), 0..80)) {
        check(&parts.concat())?;
    }

    #[test]
    fn mutated_real_inputs(
        seed in prop::sample::select(SEEDS),
        ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()), 1..6),
    ) {
        check(&mutate(seed, &ops))?;
    }
}
