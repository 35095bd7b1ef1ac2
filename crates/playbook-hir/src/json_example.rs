//! Examples written as JSON in step manifests, parsed once when the manifest is lowered.
//!
//! Real examples are not always strict JSON (a trailing comma before `}` or `]` is common),
//! so trailing commas are removed before parsing; an example that still does not parse has
//! no known shape and nothing is checked against it.

use serde_json::Value;

/// The example parsed as JSON, if it parses once trailing commas are removed.
pub fn parse_example(example: &str) -> Option<Value> {
    serde_json::from_str(example)
        .ok()
        .or_else(|| serde_json::from_str(&strip_trailing_commas(example)).ok())
}

/// The text without commas that are followed (after whitespace) by `}` or `]`, outside
/// strings.
fn strip_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        } else if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_commas_are_tolerated() {
        let value = parse_example(r#"{"a": {"b": 1,}, "c": [1, 2,],}"#).unwrap();
        assert_eq!(value["a"]["b"], 1);
        assert_eq!(value["c"][1], 2);
    }

    #[test]
    fn commas_in_strings_are_kept() {
        let value = parse_example(r#"{"a": ",}", }"#).unwrap();
        assert_eq!(value["a"], ",}");
    }

    #[test]
    fn not_json() {
        assert!(parse_example("# Server\\r\\nredis_version:6").is_none());
    }
}
