//! Lowering of `kind: PlaybookTest` documents, the test files of `playbook test`: the
//! tested playbook, and cases with their parameters, event, mocked outputs and
//! expectations, every name and expected value with its source range, so that a failed
//! expectation points at its line.
//!
//! The shape (documented in `docs/testing.md`):
//!
//! ```yaml
//! kind: PlaybookTest
//! playbook: database-slowness        # the playbook's metadata.name
//! cases:
//!   - name: slow queries page the team
//!     params: {Threshold: "500"}     # values as text
//!     event: {alert: {host: db1}}    # any YAML, as JSON
//!     outputs:                       # mocked outputs, by step id
//!       stats: {mean_ms: 900}
//!     runs: [stats, page]            # steps that must run
//!     skips: [all-clear]             # steps that must not
//!     inputs:                        # rendered inputs, by step id
//!       page:
//!         env:
//!           MESSAGE: {contains: "900 ms"}   # or equals, matches; a plain value: equals
//!         args: {0: {matches: "^db"}}
//!         runner: {equals: db1}
//!         envFrom: {integrationRef: slack-prod}
//!       notify-each:                 # a step in a loop: a list, one entry per run
//!         - iteration: 1             # the loop's second run ([outer, inner] when nested)
//!           env: {TEXT: {contains: "db2"}}
//!     fails: {contains: "wrong type"} # the run's error
//! ```

use playbook_diagnostics::{Diagnostic, TextRange};
use playbook_syntax::ast::{Mapping, Node, ScalarStyle};

use super::{
    Cx, as_mapping, as_scalar, as_sequence, fields, first_line, key_range, name, require, schema,
};
use crate::codes;
use crate::ir::{
    InputExpectation, InputKey, MatchKind, Matcher, MockedOutputs, PlaybookTest, Spanned, TestCase,
};

/// How deep [`to_json`] reads nested collections; deeper values read as `null`.
const MAX_DEPTH: usize = 64;

pub(super) fn lower_test(
    cx: &mut Cx,
    body: Mapping<'_>,
    range: TextRange,
    anchor: TextRange,
) -> PlaybookTest {
    let top = fields(cx, body, schema::TEST, "a test file", anchor);
    require(cx, &top, "playbook", "the test file");
    require(cx, &top, "cases", "the test file");
    let mut test = PlaybookTest {
        range,
        playbook: name(cx, top.value("playbook"), "`playbook`"),
        cases: Vec::new(),
    };
    if let Some(seq) = as_sequence(cx, top.value("cases"), "`cases`") {
        for item in seq.items() {
            if let Some(case) = lower_case(cx, item) {
                test.cases.push(case);
            }
        }
    }
    // Two cases of one name would be one line of the report each, told apart by nothing.
    let mut seen: Vec<&Spanned<String>> = Vec::new();
    for case in &test.cases {
        let Some(n) = &case.name else { continue };
        match seen.iter().find(|s| s.value == n.value) {
            Some(first) => cx.report(
                Diagnostic::new(
                    &codes::DUPLICATE_KEY,
                    n.range,
                    format!("two cases are named `{}`", n.value),
                )
                .with_label("named again here")
                .with_related(first.range, "first named here")
                .with_help("give each case its own name"),
            ),
            None => seen.push(n),
        }
    }
    test
}

fn lower_case(cx: &mut Cx, node: Node<'_>) -> Option<TestCase> {
    let map = as_mapping(cx, Some(node), "a test case")?;
    let f = fields(cx, map, schema::TEST_CASE, "a test case", first_line(node));
    require(cx, &f, "name", "the test case");
    let mut case = TestCase {
        range: node.text_range(),
        name: name(cx, f.value("name"), "a case's `name`"),
        params: Vec::new(),
        event: f.value("event").map(|n| Spanned {
            value: to_json(n, 0),
            range: n.text_range(),
        }),
        outputs: Vec::new(),
        runs: ids(cx, f.value("runs"), "`runs`"),
        skips: ids(cx, f.value("skips"), "`skips`"),
        inputs: Vec::new(),
        fails: Vec::new(),
    };
    if let Some(params) = as_mapping(cx, f.value("params"), "`params`") {
        for entry in params.entries() {
            let Some(key) = entry.key_scalar().and_then(|k| k.content()) else {
                continue;
            };
            let value = match entry.value() {
                Some(Node::Scalar(s)) => Spanned {
                    value: s.value().into_owned(),
                    range: s.content_range(),
                },
                None => Spanned {
                    value: String::new(),
                    range: key.range(),
                },
                Some(other) => {
                    super::wrong_kind(cx, other, "a single value", "a parameter's value");
                    continue;
                }
            };
            case.params.push((spanned_key(key), value));
        }
    }
    if let Some(outputs) = as_mapping(cx, f.value("outputs"), "`outputs`") {
        for entry in outputs.entries() {
            let Some(key) = entry.key_scalar().and_then(|k| k.content()) else {
                continue;
            };
            let mut mocked = MockedOutputs {
                step: spanned_key(key),
                fields: Vec::new(),
            };
            if let Some(map) = as_mapping(cx, entry.value(), "a step's mocked outputs") {
                for field in map.entries() {
                    let Some(key) = field.key_scalar().and_then(|k| k.content()) else {
                        continue;
                    };
                    let value = field
                        .value()
                        .map_or(serde_json::Value::Null, |v| to_json(v, 0));
                    mocked.fields.push((spanned_key(key), value));
                }
            }
            case.outputs.push(mocked);
        }
    }
    if let Some(inputs) = as_mapping(cx, f.value("inputs"), "`inputs`") {
        for entry in inputs.entries() {
            let Some(key) = entry.key_scalar().and_then(|k| k.content()) else {
                continue;
            };
            let step = spanned_key(key);
            // One mapping (the first run, or the run its `iteration` names), or a list of
            // them, one per run.
            match entry.value() {
                Some(Node::Sequence(seq)) => {
                    for item in seq.items() {
                        if let Some(map) = as_mapping(cx, Some(item), "a step's expected inputs") {
                            expected_inputs(cx, &step, map, first_line(item), &mut case.inputs);
                        }
                    }
                }
                Some(Node::Scalar(s)) if !s.is_null() => super::wrong_kind(
                    cx,
                    Node::Scalar(s),
                    "a mapping or a sequence of mappings",
                    "a step's expected inputs",
                ),
                value => {
                    if let Some(map) = as_mapping(cx, value, "a step's expected inputs") {
                        expected_inputs(cx, &step, map, key_range(entry), &mut case.inputs);
                    }
                }
            }
        }
    }
    if let Some(entry) = f.entry("fails") {
        case.fails = matchers(cx, entry.value(), MatchKind::Contains);
        if case.fails.is_empty() && entry.value().is_some_and(|v| v.as_mapping().is_some()) {
            // `fails: {}` expects nothing: said where it is written.
            cx.report(
                Diagnostic::new(
                    &codes::MISSING_KEY,
                    key_range(entry),
                    "`fails` expects nothing",
                )
                .with_label("no `contains`, `equals` or `matches`")
                .with_help("say what the error says: `fails: {contains: \"...\"}`"),
            );
        }
    }
    Some(case)
}

/// The expectations of one mapping of a step's expected inputs (`env`, `args`, `runner`,
/// `envFrom`), each about the run its `iteration` names. `anchor` is where a problem of
/// the whole mapping is reported.
fn expected_inputs(
    cx: &mut Cx,
    step: &Spanned<String>,
    map: Mapping<'_>,
    anchor: TextRange,
    out: &mut Vec<InputExpectation>,
) {
    let i = fields(
        cx,
        map,
        schema::TEST_INPUTS,
        "a step's expected inputs",
        anchor,
    );
    let iteration = i.value("iteration").and_then(|node| iteration(cx, node));
    let before = out.len();
    let mut expect = |key: InputKey, node: Option<Node<'_>>, cx: &mut Cx| {
        for matcher in matchers(cx, node, MatchKind::Equals) {
            out.push(InputExpectation {
                step: step.clone(),
                iteration: iteration.clone(),
                key: key.clone(),
                matcher,
            });
        }
    };
    if let Some(env) = as_mapping(cx, i.value("env"), "`env`") {
        for var in env.entries() {
            let Some(name) = var.key_scalar().and_then(|k| k.content()) else {
                continue;
            };
            expect(InputKey::Env(spanned_key(name)), var.value(), cx);
        }
    }
    if let Some(args) = as_mapping(cx, i.value("args"), "`args`") {
        for arg in args.entries() {
            let Some(index) = arg.key_scalar().and_then(|k| k.content()) else {
                continue;
            };
            let Some(n) = index_of(&index.value()) else {
                cx.report(
                    Diagnostic::new(
                        &codes::INVALID_VALUE,
                        index.range(),
                        format!(
                            "an argument's index must be a number, not `{}`",
                            index.value()
                        ),
                    )
                    .with_label("not an index")
                    .with_help("write the argument's position, from 0: `args: {0: {equals: ...}}`"),
                );
                continue;
            };
            let key = InputKey::Arg(Spanned {
                value: n,
                range: index.range(),
            });
            expect(key, arg.value(), cx);
        }
    }
    if let Some(entry) = i.entry("runner") {
        expect(InputKey::Runner(key_range(entry)), entry.value(), cx);
    }
    if let Some(entry) = i.entry("envFrom")
        && let Some(env_from) = as_mapping(cx, entry.value(), "`envFrom`")
    {
        let e = fields(
            cx,
            env_from,
            schema::TEST_ENV_FROM,
            "the expected `envFrom`",
            key_range(entry),
        );
        if let Some(entry) = e.entry("integrationRef") {
            expect(
                InputKey::IntegrationRef(key_range(entry)),
                entry.value(),
                cx,
            );
        }
    }
    if let (Some(entry), true) = (i.entry("iteration"), out.len() == before) {
        // `{iteration: 2}` alone expects nothing: said where it is written.
        cx.report(
            Diagnostic::new(
                &codes::MISSING_KEY,
                key_range(entry),
                "`iteration` says which run, but nothing is expected of it",
            )
            .with_label("no `env`, `args`, `runner` or `envFrom` beside it")
            .with_help("add what the step's inputs must be in that run: `env: {NAME: value}`"),
        );
    }
}

/// `iteration`: the index of the loop around the step (`2`), or of each loop around it,
/// outermost first (`[1, 0]`); `None` (reported) when it is not that.
fn iteration(cx: &mut Cx, node: Node<'_>) -> Option<Spanned<Vec<usize>>> {
    let (items, range): (Vec<Node<'_>>, TextRange) = match node {
        Node::Scalar(s) if s.is_null() => return None,
        Node::Scalar(s) => (vec![node], s.content_range()),
        Node::Sequence(seq) => (seq.items().collect(), node.text_range()),
        other => {
            super::wrong_kind(cx, other, "a number or a list of numbers", "`iteration`");
            return None;
        }
    };
    if items.is_empty() {
        cx.report(
            Diagnostic::new(&codes::INVALID_VALUE, range, "`iteration` is an empty list")
                .with_label("no index")
                .with_help("give the index of each loop around the step, outermost first: `iteration: [1, 0]`"),
        );
        return None;
    }
    let mut indices = Vec::with_capacity(items.len());
    for item in items {
        let content = as_scalar(cx, Some(item), "an iteration's index")?.content()?;
        let Some(n) = index_of(&content.value()) else {
            cx.report(
                Diagnostic::new(
                    &codes::INVALID_VALUE,
                    content.range(),
                    format!(
                        "an iteration must be a number from 0, not `{}`",
                        content.value()
                    ),
                )
                .with_label("not an index")
                .with_help("iterations are counted from 0: `iteration: 1` is a loop's second run"),
            );
            return None;
        };
        indices.push(n);
    }
    Some(Spanned {
        value: indices,
        range,
    })
}

/// A position counted from 0, written in decimal digits.
fn index_of(text: &str) -> Option<usize> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The comparisons of a mapping of `equals`, `contains` and `matches`; a single value is
/// the comparison `plain` with it.
fn matchers(cx: &mut Cx, node: Option<Node<'_>>, plain: MatchKind) -> Vec<Matcher> {
    let Some(node) = node else {
        return Vec::new();
    };
    if let Node::Scalar(scalar) = node {
        return vec![Matcher {
            kind: plain,
            value: Spanned {
                value: scalar.value().into_owned(),
                range: scalar.content_range(),
            },
        }];
    }
    let Some(map) = as_mapping(cx, Some(node), "an expected value") else {
        return Vec::new();
    };
    let f = fields(
        cx,
        map,
        schema::MATCHER,
        "an expected value",
        first_line(node),
    );
    let mut out = Vec::new();
    for word in MatchKind::ALL {
        let Some(kind) = MatchKind::parse(word) else {
            continue;
        };
        if f.entry(word).is_none() {
            continue;
        }
        let Some(scalar) = as_scalar(cx, f.value(word), "an expected value") else {
            continue;
        };
        out.push(Matcher {
            kind,
            value: Spanned {
                value: scalar.value().into_owned(),
                range: scalar.content_range(),
            },
        });
    }
    out
}

/// A list of step ids (`runs: [a, b]`).
fn ids(cx: &mut Cx, node: Option<Node<'_>>, what: &str) -> Vec<Spanned<String>> {
    let Some(seq) = as_sequence(cx, node, what) else {
        return Vec::new();
    };
    seq.items()
        .filter_map(|item| name(cx, Some(item), "a step id"))
        .collect()
}

fn spanned_key(key: playbook_syntax::ast::ScalarContent<'_>) -> Spanned<String> {
    Spanned {
        value: key.value().into_owned(),
        range: key.range(),
    }
}

/// A YAML value as JSON, by YAML 1.2's core schema: plain `null`, `~` and empty are null,
/// `true` and `false` booleans, numbers numbers; quoted scalars are strings. Aliases are
/// not expanded (null), and collections nested past [`MAX_DEPTH`] read as null.
pub(crate) fn to_json(node: Node<'_>, depth: usize) -> serde_json::Value {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match node {
        Node::Scalar(scalar) => {
            let value = scalar.value();
            if scalar.style() != ScalarStyle::Plain {
                return Value::String(value.into_owned());
            }
            if scalar.is_null() {
                return Value::Null;
            }
            plain_scalar(&value).unwrap_or_else(|| Value::String(value.into_owned()))
        }
        Node::Mapping(map) => Value::Object(
            map.entries()
                .map(|entry| {
                    let key = entry
                        .key_scalar()
                        .map(|k| k.value().into_owned())
                        .unwrap_or_default();
                    let value = entry.value().map_or(Value::Null, |v| to_json(v, depth + 1));
                    (key, value)
                })
                .collect(),
        ),
        Node::Sequence(seq) => Value::Array(seq.items().map(|v| to_json(v, depth + 1)).collect()),
        Node::Alias(_) | Node::Error(_) => Value::Null,
    }
}

/// A plain scalar's boolean or number, by the core schema.
fn plain_scalar(text: &str) -> Option<serde_json::Value> {
    use serde_json::Value;
    match text {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<i64>()
    {
        return Some(Value::from(n));
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Value::from);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Value::from);
    }
    let looks_float = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && text.bytes().any(|b| b.is_ascii_digit());
    if looks_float {
        return text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_read_by_the_core_schema() {
        assert_eq!(plain_scalar("true"), Some(serde_json::json!(true)));
        assert_eq!(plain_scalar("42"), Some(serde_json::json!(42)));
        assert_eq!(plain_scalar("-7"), Some(serde_json::json!(-7)));
        assert_eq!(plain_scalar("0x1f"), Some(serde_json::json!(31)));
        assert_eq!(plain_scalar("1.5"), Some(serde_json::json!(1.5)));
        assert_eq!(plain_scalar("1e3"), Some(serde_json::json!(1000.0)));
        assert_eq!(plain_scalar("db1"), None);
        assert_eq!(plain_scalar("1.2.3"), None);
        assert_eq!(plain_scalar("yes"), None);
        // Past i64, a JSON integer cannot hold it: read as a float.
        assert_eq!(
            plain_scalar("99999999999999999999"),
            Some(serde_json::json!(1e20))
        );
    }
}
