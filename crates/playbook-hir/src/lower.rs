//! Lowering: from the YAML syntax tree to the typed IR, with the structural checks that
//! need nothing but the file itself.
//!
//! Lowering never fails. It reads what it can, leaves out what it cannot, and reports:
//! unknown keys (with a suggestion), nodes of the wrong kind, missing required keys,
//! duplicate keys, invalid parameter names and step ids, duplicate parameters and step ids,
//! unknown parameter types and API versions, and values of the wrong type.
//!
//! The shape of each kind of document is declared once, as the key lists in [`schema`],
//! which drive both the unknown-key check and its suggestions.

use foldhash::{HashMap, HashMapExt as _};
use std::borrow::Cow;

use playbook_diagnostics::{Diagnostic, Fix, TextRange};
use playbook_syntax::SyntaxTree;
use playbook_syntax::ast::{self, MapEntry, Mapping, Node, Scalar, ScalarContent, ScalarStyle};

use crate::codes;
use crate::ir::*;
use crate::suggest;

mod test_file;

/// The API version every document must declare.
pub const API_VERSION: &str = "stackpulse.io/v1";

/// The keys each mapping of the format may hold.
pub mod schema {
    pub const PLAYBOOK: &[&str] = &["apiVersion", "kind", "metadata", "parameters", "steps"];
    pub const PLAYBOOK_METADATA: &[&str] = &["name", "description"];
    pub const PARAMETER: &[&str] = &["name", "type", "description", "default", "options"];
    pub const PARAMETER_OPTIONS: &[&str] = &["integration_type"];
    pub const STEP_CALL: &[&str] = &[
        "name",
        "id",
        "env",
        "envFrom",
        "runner",
        "when",
        "args",
        "output_parser",
        "ignoreFailure",
    ];
    pub const ENV_FROM: &[&str] = &["integrationRef"];
    pub const OUTPUT_PARSER: &[&str] = &["name"];
    pub const STEP_BLOCK: &[&str] = &["when", "steps"];
    pub const STEP_LOOP_ENTRY: &[&str] = &["foreach"];
    pub const STEP_LOOP: &[&str] = &["in", "key", "value", "steps", "when", "break"];
    pub const LOOP_RANGE: &[&str] = &["range"];
    pub const MANIFEST: &[&str] = &[
        "apiVersion",
        "kind",
        "metadata",
        "envs",
        "args",
        "outputs",
        "integrations",
    ];
    pub const MANIFEST_METADATA: &[&str] = &[
        "name",
        "version",
        "description",
        "vendor",
        "type",
        "imageName",
    ];
    pub const INPUT: &[&str] = &[
        "name",
        "description",
        "type",
        "required",
        "example",
        "default",
    ];
    pub const OUTPUT: &[&str] = &["name", "description", "type", "example"];
    pub const TRIGGER: &[&str] = &[
        "apiVersion",
        "kind",
        "enabled",
        "playbook",
        "metadata",
        "scenarios",
    ];
    pub const TRIGGER_METADATA: &[&str] = &["name", "description"];
    pub const SCENARIO: &[&str] = &["name", "enabled", "integration", "when", "parameters"];
    pub const TEST: &[&str] = &["kind", "playbook", "cases"];
    pub const TEST_CASE: &[&str] = &[
        "name", "params", "event", "outputs", "runs", "skips", "inputs", "fails",
    ];
    /// The expected inputs of one step (or of one of its runs, with `iteration`).
    pub const TEST_INPUTS: &[&str] = &["iteration", "env", "args", "runner", "envFrom"];
    /// The `envFrom` of a step's expected inputs: what [`ENV_FROM`] renders.
    pub const TEST_ENV_FROM: &[&str] = &["integrationRef"];
    pub const MATCHER: &[&str] = &["equals", "contains", "matches"];
}

/// The result of lowering one file.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Lowered {
    pub file: File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers every playbook document of a parsed file. Documents that are not playbook
/// documents (no `kind`, or a `kind` of another format such as a Kubernetes manifest) are
/// skipped without a word.
pub fn lower(tree: &SyntaxTree) -> Lowered {
    let mut cx = Cx::default();
    // Usually one document: sized exactly, as a grown vector of items would hold four.
    let mut file = File {
        items: Vec::with_capacity(ast::documents(tree).count()),
    };
    for document in ast::documents(tree) {
        let Some(Node::Mapping(body)) = document.body() else {
            continue;
        };
        if let Some(item) = lower_document(&mut cx, body) {
            file.items.push(item);
        }
    }
    cx.diagnostics
        .sort_by_key(|d| (d.range.start(), d.range.end()));
    Lowered {
        file,
        diagnostics: cx.diagnostics,
    }
}

/// Where diagnostics go while lowering.
#[derive(Default)]
struct Cx {
    diagnostics: Vec<Diagnostic>,
}

impl Cx {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

/// The most keys a mapping of the format may hold (a step call's nine): [`Fields`] keeps the
/// entries of a mapping in an array of this size, with no allocation per mapping.
const MAX_KEYS: usize = 9;

const _: () = {
    // Every key list of the schema fits in a `Fields`, and no key holds white space (which
    // `scan` relies on to compare plain keys as written).
    let lists = [
        schema::PLAYBOOK,
        schema::PLAYBOOK_METADATA,
        schema::PARAMETER,
        schema::PARAMETER_OPTIONS,
        schema::STEP_CALL,
        schema::ENV_FROM,
        schema::OUTPUT_PARSER,
        schema::STEP_BLOCK,
        schema::STEP_LOOP_ENTRY,
        schema::STEP_LOOP,
        schema::LOOP_RANGE,
        schema::MANIFEST,
        schema::MANIFEST_METADATA,
        schema::INPUT,
        schema::OUTPUT,
        schema::TRIGGER,
        schema::TRIGGER_METADATA,
        schema::SCENARIO,
        schema::TEST,
        schema::TEST_CASE,
        schema::TEST_INPUTS,
        schema::TEST_ENV_FROM,
        schema::MATCHER,
    ];
    let mut i = 0;
    while i < lists.len() {
        let list = lists[i];
        assert!(list.len() <= MAX_KEYS);
        let mut k = 0;
        while k < list.len() {
            let key = list[k].as_bytes();
            let mut b = 0;
            while b < key.len() {
                assert!(!matches!(key[b], b' ' | b'\t' | b'\n' | b'\r'));
                b += 1;
            }
            k += 1;
        }
        i += 1;
    }
};

/// The entry of each allowed key of a mapping, by the key's position in the key list: the
/// first entry of that key, as later ones are reported as duplicates.
type Entries<'t> = [Option<MapEntry<'t>>; MAX_KEYS];

/// The entries of one mapping, by key, after the unknown-key and duplicate-key checks.
struct Fields<'t> {
    /// The keys the mapping may hold.
    allowed: &'static [&'static str],
    /// The entry of each allowed key given, by its position in `allowed`.
    entries: Entries<'t>,
    /// The range to report a missing key at: the key of the entry whose value this mapping
    /// is, or the mapping itself.
    anchor: TextRange,
    /// The allowed keys that an unknown key was reported as a misspelling of (bit `i` for
    /// `allowed[i]`): `envs:` in a step call is a misspelled `env`.
    misspelled: u16,
}

impl<'t> Fields<'t> {
    fn entry(&self, key: &str) -> Option<MapEntry<'t>> {
        let i = key_index(self.allowed, key)?;
        self.entries.get(i).copied().flatten()
    }

    fn value(&self, key: &str) -> Option<Node<'t>> {
        self.entry(key)?.value()
    }

    fn has(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// Whether an unknown key of the mapping was reported as a misspelling of `key`.
    fn misspelled(&self, key: &str) -> bool {
        key_index(self.allowed, key).is_some_and(|i| self.misspelled & (1 << i) != 0)
    }
}

/// The position of `key` in `allowed`. Keys are short and mostly differ in length or first
/// byte, which are compared before the rest.
fn key_index(allowed: &[&str], key: &str) -> Option<usize> {
    let key = key.as_bytes();
    allowed.iter().position(|k| {
        let k = k.as_bytes();
        k.len() == key.len() && k.first() == key.first() && k == key
    })
}

/// Reads a mapping's entries, reporting keys not in `allowed` and keys given twice.
/// `what` names the mapping in messages ("a parameter").
fn fields<'t>(
    cx: &mut Cx,
    map: Mapping<'t>,
    allowed: &'static [&'static str],
    what: &str,
    anchor: TextRange,
) -> Fields<'t> {
    let mut f = Fields {
        allowed,
        entries: [None; MAX_KEYS],
        anchor,
        misspelled: 0,
    };
    if !scan(map, allowed, &mut f.entries) {
        f.misspelled = check_keys(cx, map, allowed, what, &mut f.entries);
    }
    f
}

/// The entries of a mapping whose keys are all allowed, plain scalars, and given once, as
/// the keys of almost every mapping are: read without the bookkeeping that reporting needs.
/// `false` when some key is not so, for [`check_keys`] to read the mapping again and report.
/// `entries` starts empty; it is filled in place, as the array is large to copy.
fn scan<'t>(map: Mapping<'t>, allowed: &[&str], entries: &mut Entries<'t>) -> bool {
    for entry in map.entries() {
        let Some(content) = entry.key_scalar().and_then(|k| k.content()) else {
            return false;
        };
        // A plain key is compared as written, without looking for the line breaks that
        // would make its value differ: a multi-line plain scalar's value holds the space or
        // line feed its breaks fold into, which no allowed key does, so it matches none
        // either way (and is left to `check_keys`).
        let slot = match content.style() {
            ScalarStyle::Plain => key_index(allowed, content.token().text()),
            _ => key_index(allowed, &content.value()),
        };
        let slot = slot.and_then(|i| entries.get_mut(i));
        match slot {
            Some(slot @ None) => *slot = Some(entry),
            _ => return false,
        }
    }
    true
}

/// Reads a mapping's entries as [`scan`] does, reporting keys that are not scalars, keys
/// not in `allowed` and keys given twice. Returns the allowed keys that an unknown key was
/// reported as a misspelling of, as a bit set (see [`Fields::misspelled`]).
fn check_keys<'t>(
    cx: &mut Cx,
    map: Mapping<'t>,
    allowed: &[&str],
    what: &str,
    entries: &mut Entries<'t>,
) -> u16 {
    *entries = [None; MAX_KEYS];
    let mut misspelled = 0u16;
    let mut seen = Seen::default();
    for entry in map.entries() {
        let Some(key) = entry.key_scalar() else {
            if let Some(key) = entry.key() {
                cx.report(
                    Diagnostic::new(
                        &codes::WRONG_NODE_KIND,
                        key.text_range(),
                        format!("{} as a key", key.kind_name()),
                    )
                    .with_label("keys are names")
                    .with_help("write the key as a plain name"),
                );
            }
            continue;
        };
        let content = key.content();
        let (name, range) = match content {
            Some(content) => (content.value(), content.range()),
            None => (Cow::Borrowed(""), key.content_range()),
        };
        if let Some(first) = seen.get(&name) {
            cx.report(
                Diagnostic::new(
                    &codes::DUPLICATE_KEY,
                    range,
                    format!("duplicate key `{name}`"),
                )
                .with_label("given again here")
                .with_related(first, "first given here")
                .with_help("remove one of the two entries"),
            );
            continue;
        }
        let Some(slot) = key_index(allowed, &name).and_then(|i| entries.get_mut(i)) else {
            seen.insert(name.clone(), range);
            let mut diagnostic = Diagnostic::new(
                &codes::UNKNOWN_KEY,
                range,
                format!("unknown key `{name}` in {what}"),
            );
            match suggest::closest(&name, allowed.iter().copied()) {
                Some(better) => {
                    if let Some(i) = key_index(allowed, better) {
                        misspelled |= 1 << i;
                    }
                    diagnostic = diagnostic
                        .with_label(format!("did you mean `{better}`?"))
                        .with_help(format!("rename the key to `{better}`"));
                    // Renamed to a key the mapping has, the key would be a duplicate.
                    let fix = match map.get(better) {
                        Some(_) => None,
                        None => content.and_then(|c| rename_fix(c, better)),
                    };
                    if let Some(fix) = fix {
                        diagnostic = diagnostic.with_fix(fix);
                    }
                }
                None => {
                    diagnostic = diagnostic
                        .with_label("not a key of this mapping")
                        .with_help(format!("the keys of {what} are {}", list(allowed)));
                }
            }
            cx.report(diagnostic);
            continue;
        };
        *slot = Some(entry);
        seen.insert(name, range);
    }
    misspelled
}

/// The keys of one mapping seen so far, in order, with where each was first given: a
/// short list searched linearly (mappings are small), indexed by a hash map past
/// [`Seen::LINEAR_MAX`] keys so that a mapping of thousands of keys is still checked in
/// linear time.
#[derive(Default)]
struct Seen<'t> {
    keys: Vec<(Cow<'t, str>, TextRange)>,
    /// Empty until there are more than [`Seen::LINEAR_MAX`] keys; then every key.
    index: HashMap<Cow<'t, str>, TextRange>,
}

impl<'t> Seen<'t> {
    const LINEAR_MAX: usize = 16;

    /// Where `key` was first given, if it was.
    fn get(&self, key: &str) -> Option<TextRange> {
        if self.index.is_empty() {
            self.keys.iter().find(|k| k.0 == key).map(|k| k.1)
        } else {
            self.index.get(key).copied()
        }
    }

    /// Records `key`, given at `range`, which [`Seen::get`] did not find.
    fn insert(&mut self, name: Cow<'t, str>, range: TextRange) {
        if self.keys.len() >= Self::LINEAR_MAX {
            if self.index.is_empty() {
                let known = self.keys.iter().cloned();
                self.index.extend(known);
            }
            self.index.insert(name.clone(), range);
        }
        self.keys.push((name, range));
    }
}

/// The fix that writes `new`, a word of the format (a key, a type, a kind), in place of a
/// scalar's value, keeping its quotes; `None` when the value is not written as it reads
/// (escapes, several lines, a block scalar).
fn rename_fix(content: ScalarContent<'_>, new: &str) -> Option<Fix> {
    if new.is_empty() || !new.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let token = content.token();
    let text = token.text();
    let start = token.text_range().start();
    let value = content.value();
    let range = match content.style() {
        ScalarStyle::Plain if text == value => TextRange::at(start, text.len() as u32),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let quote = text.chars().next()?;
            let inner = text.get(1..text.len().checked_sub(1)?)?;
            if !text.ends_with(quote) || inner != value || inner.contains(['\\', '\'', '"']) {
                return None;
            }
            TextRange::at(start + 1, inner.len() as u32)
        }
        _ => return None,
    };
    // A word of the format written in place of another changes what the document says
    // (a step's `ignoreFailure`, a parameter's type): a person decides.
    Some(Fix::replace(format!("Replace with `{new}`"), range, new).unsafe_())
}

/// `a`, `b` and `c`.
fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn require(cx: &mut Cx, fields: &Fields<'_>, key: &str, what: &str) {
    if !fields.has(key) {
        cx.report(
            Diagnostic::new(
                &codes::MISSING_KEY,
                fields.anchor,
                format!("{what} has no `{key}`"),
            )
            .with_label(format!("`{key}` is missing"))
            .with_help(format!("add `{key}:` to {what}")),
        );
    }
}

/// The range a missing key of the mapping under `entry` is reported at: the entry's key.
fn key_range(entry: MapEntry<'_>) -> TextRange {
    entry.key().map_or(entry.text_range(), |k| k.text_range())
}

fn wrong_kind(cx: &mut Cx, node: Node<'_>, expected: &str, what: &str) {
    if matches!(node, Node::Error(_)) {
        return; // already reported by the parser
    }
    cx.report(
        Diagnostic::new(
            &codes::WRONG_NODE_KIND,
            node.text_range(),
            format!("{what} must be {expected}, not {}", node.kind_name()),
        )
        .with_label(format!("expected {expected}")),
    );
}

fn as_mapping<'t>(cx: &mut Cx, node: Option<Node<'t>>, what: &str) -> Option<Mapping<'t>> {
    match node? {
        Node::Mapping(m) => Some(m),
        Node::Scalar(s) if s.is_null() => None,
        other => {
            wrong_kind(cx, other, "a mapping", what);
            None
        }
    }
}

fn as_sequence<'t>(cx: &mut Cx, node: Option<Node<'t>>, what: &str) -> Option<ast::Sequence<'t>> {
    match node? {
        Node::Sequence(s) => Some(s),
        Node::Scalar(s) if s.is_null() => None,
        other => {
            wrong_kind(cx, other, "a sequence", what);
            None
        }
    }
}

fn as_scalar<'t>(cx: &mut Cx, node: Option<Node<'t>>, what: &str) -> Option<Scalar<'t>> {
    match node? {
        Node::Scalar(s) => Some(s),
        other => {
            wrong_kind(cx, other, "a single value", what);
            None
        }
    }
}

fn text_of(content: ScalarContent<'_>) -> Text {
    let decoded = content.decode();
    Text::new(
        decoded.value.into_boxed_str(),
        content.range(),
        content.style(),
        decoded.map,
    )
}

/// A scalar value as text; `None` when absent, empty or not a scalar (reported).
fn text(cx: &mut Cx, node: Option<Node<'_>>, what: &str) -> Option<Text> {
    let scalar = as_scalar(cx, node, what)?;
    Some(text_of(scalar.content()?))
}

/// A scalar value as a name; `None` when absent, empty or not a scalar.
fn name(cx: &mut Cx, node: Option<Node<'_>>, what: &str) -> Option<Spanned<String>> {
    let content = as_scalar(cx, node, what)?.content()?;
    Some(Spanned {
        value: content.value().into_owned(),
        range: content.range(),
    })
}

fn boolean(cx: &mut Cx, node: Option<Node<'_>>, what: &str) -> Option<Spanned<bool>> {
    let scalar = as_scalar(cx, node, what)?.content()?;
    let value = scalar.value();
    let parsed = match (scalar.style(), &*value) {
        (ScalarStyle::Plain, "true" | "True" | "TRUE") => Some(true),
        (ScalarStyle::Plain, "false" | "False" | "FALSE") => Some(false),
        _ => None,
    };
    match parsed {
        Some(b) => Some(Spanned {
            value: b,
            range: scalar.range(),
        }),
        None => {
            cx.report(
                Diagnostic::new(
                    &codes::INVALID_VALUE,
                    scalar.range(),
                    format!("{what} must be `true` or `false`, not `{value}`"),
                )
                .with_label("not a boolean")
                .with_help("write `true` or `false`, unquoted"),
            );
            None
        }
    }
}

fn integer(cx: &mut Cx, node: Option<Node<'_>>, what: &str) -> Option<Spanned<i64>> {
    let scalar = as_scalar(cx, node, what)?.content()?;
    let value = scalar.value();
    match value.parse::<i64>() {
        Ok(n) if scalar.style() == ScalarStyle::Plain => Some(Spanned {
            value: n,
            range: scalar.range(),
        }),
        _ => {
            cx.report(
                Diagnostic::new(
                    &codes::INVALID_VALUE,
                    scalar.range(),
                    format!("{what} must be an integer, not `{value}`"),
                )
                .with_label("not an integer"),
            );
            None
        }
    }
}

/// A value that must be one of a fixed list of words.
fn one_of<T>(
    cx: &mut Cx,
    node: Option<Node<'_>>,
    what: &str,
    allowed: &[&str],
    code: &'static playbook_diagnostics::Code,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<Spanned<T>> {
    let scalar = as_scalar(cx, node, what)?.content()?;
    let value = scalar.value();
    if let Some(parsed) = parse(&value) {
        return Some(Spanned {
            value: parsed,
            range: scalar.range(),
        });
    }
    let mut diagnostic = Diagnostic::new(code, scalar.range(), format!("unknown {what} `{value}`"));
    diagnostic = match suggest::closest(&value, allowed.iter().copied()) {
        Some(better) => {
            let diagnostic = diagnostic
                .with_label(format!("did you mean `{better}`?"))
                .with_help(format!(
                    "did you mean `{better}`? {what} is one of {}",
                    list(allowed)
                ));
            match rename_fix(scalar, better) {
                Some(fix) => diagnostic.with_fix(fix),
                None => diagnostic,
            }
        }
        None => diagnostic
            .with_label(format!("not a known {what}"))
            .with_help(format!("{what} is one of {}", list(allowed))),
    };
    cx.report(diagnostic);
    None
}

fn lower_document(cx: &mut Cx, body: Mapping<'_>) -> Option<Item> {
    let kind_entry = body.get("kind");
    let api_entry = body.get("apiVersion");
    let kind_scalar = kind_entry
        .and_then(|e| e.value())
        .and_then(|v| v.as_scalar());
    let kind_value = kind_scalar.map(|s| s.value().into_owned());
    let api_value = api_entry
        .and_then(|e| e.value())
        .and_then(|v| v.as_scalar())
        .map(|s| s.value().into_owned());
    let ours = api_value
        .as_deref()
        .is_some_and(|v| v.starts_with("stackpulse.io/"));
    let kind = match kind_value.as_deref().and_then(Kind::parse) {
        Some(kind) => kind,
        None => {
            // Only a stackpulse.io document with an unknown kind is ours to report; other
            // YAML (CI workflows, Kubernetes manifests) is not a playbook file.
            if let (true, Some(scalar)) = (ours, kind_scalar) {
                let value = scalar.value();
                let mut diagnostic = Diagnostic::new(
                    &codes::UNKNOWN_KIND,
                    scalar.content_range(),
                    format!("unknown kind `{value}`"),
                );
                let kinds = "the kinds are `Playbook`, `Step` and `Trigger`";
                diagnostic = match suggest::closest(&value, Kind::ALL) {
                    Some(better) => {
                        let diagnostic = diagnostic
                            .with_label(format!("did you mean `{better}`?"))
                            .with_help(format!("did you mean `{better}`? {kinds}"));
                        match scalar.content().and_then(|c| rename_fix(c, better)) {
                            Some(fix) => diagnostic.with_fix(fix),
                            None => diagnostic,
                        }
                    }
                    None => diagnostic
                        .with_label("not a playbook kind")
                        .with_help(kinds),
                };
                cx.report(diagnostic);
            }
            return None;
        }
    };
    let anchor = kind_entry.map_or(body.syntax().text_range(), key_range);
    let range = body.syntax().text_range();
    if kind == Kind::Test {
        // Our own kind: no `apiVersion` of the platform's.
        return Some(Item::Test(Box::new(test_file::lower_test(
            cx, body, range, anchor,
        ))));
    }
    match api_entry
        .and_then(|e| e.value())
        .and_then(|v| v.as_scalar())
    {
        None => cx.report(
            Diagnostic::new(&codes::MISSING_KEY, anchor, "document has no `apiVersion`")
                .with_label("`apiVersion` is missing")
                .with_help(format!("add `apiVersion: {API_VERSION}`")),
        ),
        Some(scalar) if scalar.value() != API_VERSION => cx.report(
            Diagnostic::new(
                &codes::UNKNOWN_API_VERSION,
                scalar.content_range(),
                format!("unknown apiVersion `{}`", scalar.value()),
            )
            .with_label(format!("expected `{API_VERSION}`"))
            .with_help(format!("use `apiVersion: {API_VERSION}`")),
        ),
        Some(_) => {}
    }
    Some(match kind {
        Kind::Playbook => Item::Playbook(lower_playbook(cx, body, range, anchor)),
        Kind::Step => Item::Step(Box::new(lower_manifest(cx, body, range, anchor))),
        Kind::Trigger => Item::Trigger(lower_trigger(cx, body, range, anchor)),
        Kind::Test => return None,
    })
}

fn lower_playbook(cx: &mut Cx, body: Mapping<'_>, range: TextRange, anchor: TextRange) -> Playbook {
    let top = fields(cx, body, schema::PLAYBOOK, "a playbook", anchor);
    require(cx, &top, "metadata", "the playbook");
    let mut playbook = Playbook {
        range,
        name: None,
        description: None,
        parameters: Vec::new(),
        steps: Vec::new(),
    };
    if let Some(entry) = top.entry("metadata")
        && let Some(map) = as_mapping(cx, entry.value(), "`metadata`")
    {
        let meta = fields(
            cx,
            map,
            schema::PLAYBOOK_METADATA,
            "the playbook's `metadata`",
            key_range(entry),
        );
        require(cx, &meta, "name", "`metadata`");
        playbook.name = name(cx, meta.value("name"), "`metadata.name`");
        playbook.description = text(cx, meta.value("description"), "`metadata.description`");
    } else if top.has("metadata") {
        require(
            cx,
            &Fields {
                allowed: &[],
                entries: [None; MAX_KEYS],
                anchor: top.entry("metadata").map_or(anchor, key_range),
                misspelled: 0,
            },
            "name",
            "`metadata`",
        );
    }
    if let Some(seq) = as_sequence(cx, top.value("parameters"), "`parameters`") {
        playbook.parameters.reserve_exact(seq.entries().count());
        for item in seq.items() {
            if let Some(p) = lower_parameter(cx, item) {
                playbook.parameters.push(p);
            }
        }
    }
    check_duplicate_parameters(cx, &playbook.parameters);
    if let Some(seq) = as_sequence(cx, top.value("steps"), "`steps`") {
        playbook.steps = lower_steps(cx, seq, 0);
    }
    check_duplicate_ids(cx, &playbook.steps);
    playbook
}

fn lower_parameter(cx: &mut Cx, node: Node<'_>) -> Option<Parameter> {
    let map = as_mapping(cx, Some(node), "a parameter")?;
    let f = fields(cx, map, schema::PARAMETER, "a parameter", first_line(node));
    require(cx, &f, "name", "the parameter");
    require(cx, &f, "type", "the parameter");
    let param_name = name(cx, f.value("name"), "a parameter's `name`")?;
    if !is_identifier(&param_name.value) {
        cx.report(
            Diagnostic::new(
                &codes::INVALID_PARAMETER_NAME,
                param_name.range,
                format!("invalid parameter name `{}`", param_name.value),
            )
            .with_label("not an identifier: templates must quote it")
            .with_help(format!(
                "use letters, digits and `_` only, not starting with a digit, e.g. `{}`",
                to_identifier(&param_name.value)
            )),
        );
    }
    let ty = one_of(
        cx,
        f.value("type"),
        "parameter type",
        &ParamType::ALL,
        &codes::UNKNOWN_PARAMETER_TYPE,
        ParamType::parse,
    );
    let mut integration_type = None;
    if let Some(entry) = f.entry("options")
        && let Some(options) = as_mapping(cx, entry.value(), "`options`")
    {
        let o = fields(
            cx,
            options,
            schema::PARAMETER_OPTIONS,
            "a parameter's `options`",
            key_range(entry),
        );
        integration_type = name(cx, o.value("integration_type"), "`integration_type`");
    }
    Some(Parameter {
        range: node.text_range(),
        name: param_name,
        ty,
        description: text(cx, f.value("description"), "a parameter's `description`"),
        default: text(cx, f.value("default"), "a parameter's `default`"),
        integration_type,
    })
}

/// The range of the first line of a node: where a "missing key" of a sequence item is shown.
fn first_line(node: Node<'_>) -> TextRange {
    let range = node.text_range();
    let text = node.syntax().text();
    let end = text
        .bytes()
        .position(|b| b == b'\n' || b == b'\r')
        .unwrap_or(text.len());
    TextRange::at(range.start(), end as u32)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn to_identifier(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

fn is_step_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn check_duplicate_parameters(cx: &mut Cx, parameters: &[Parameter]) {
    for_duplicates(
        parameters,
        |p| Some(&p.name),
        |name, first| {
            cx.report(
                Diagnostic::new(
                    &codes::DUPLICATE_PARAMETER,
                    name.range,
                    format!("parameter `{}` is declared twice", name.value),
                )
                .with_label("declared again here")
                .with_related(first, "first declared here")
                .with_help("remove one declaration or rename it"),
            );
        },
    );
}

fn check_duplicate_ids(cx: &mut Cx, steps: &[Step]) {
    let report = |cx: &mut Cx, id: &Spanned<String>, first: TextRange| {
        cx.report(
            Diagnostic::new(
                &codes::DUPLICATE_STEP_ID,
                id.range,
                format!("step id `{}` is used twice", id.value),
            )
            .with_label("used again here")
            .with_related(first, "first used here")
            .with_help("give each step its own id"),
        );
    };
    // Usually every step is a call: their ids are read in place.
    if steps.iter().all(|s| matches!(s, Step::Call(_))) {
        for_duplicates(steps, call_id, |id, first| report(cx, id, first));
        return;
    }
    let mut ids = Vec::new();
    collect_ids(steps, &mut ids);
    for_duplicates(&ids, |id| Some(*id), |id, first| report(cx, id, first));
}

fn call_id(step: &Step) -> Option<&Spanned<String>> {
    match step {
        Step::Call(call) => call.id.as_ref(),
        _ => None,
    }
}

/// The ids of `steps` and of the steps in their blocks and loops, in source order.
fn collect_ids<'a>(steps: &'a [Step], ids: &mut Vec<&'a Spanned<String>>) {
    for step in steps {
        match step {
            Step::Call(call) => ids.extend(&call.id),
            Step::Block(block) => collect_ids(&block.steps, ids),
            Step::Loop(l) => collect_ids(&l.steps, ids),
        }
    }
}

/// Calls `report` with each name of `items` (as given by `name`) that an earlier item
/// already has, and the range of the earliest. A playbook has a few parameters and steps,
/// whose names are compared pairwise with no allocation; past [`Seen::LINEAR_MAX`] items, a
/// hash map keeps the check linear.
fn for_duplicates<'a, T>(
    items: &'a [T],
    name: impl Fn(&'a T) -> Option<&'a Spanned<String>>,
    mut report: impl FnMut(&'a Spanned<String>, TextRange),
) {
    if items.len() <= Seen::LINEAR_MAX {
        for (i, item) in items.iter().enumerate() {
            let Some(n) = name(item) else {
                continue;
            };
            let earlier = items.get(..i).unwrap_or_default();
            if let Some(first) = earlier
                .iter()
                .filter_map(&name)
                .find(|e| e.value == n.value)
            {
                report(n, first.range);
            }
        }
        return;
    }
    let mut seen: HashMap<&str, TextRange> = HashMap::new();
    for n in items.iter().filter_map(name) {
        if let Some(first) = seen.get(n.value.as_str()) {
            report(n, *first);
        } else {
            seen.insert(&n.value, n.range);
        }
    }
}

/// Nesting of blocks and loops beyond this depth is reported and not lowered, so that no
/// input can exhaust the stack.
const MAX_STEP_DEPTH: usize = 64;

fn lower_steps(cx: &mut Cx, seq: ast::Sequence<'_>, depth: usize) -> Vec<Step> {
    if depth > MAX_STEP_DEPTH {
        cx.report(
            Diagnostic::new(
                &codes::INVALID_VALUE,
                seq.syntax().text_range(),
                "steps nested too deeply",
            )
            .with_label(format!(
                "more than {MAX_STEP_DEPTH} levels of blocks and loops"
            )),
        );
        return Vec::new();
    }
    // Steps are large: sized once rather than grown.
    let mut steps = Vec::with_capacity(seq.entries().count());
    for item in seq.items() {
        if let Some(step) = lower_step(cx, item, depth) {
            steps.push(step);
        }
    }
    steps
}

fn lower_step(cx: &mut Cx, node: Node<'_>, depth: usize) -> Option<Step> {
    let map = as_mapping(cx, Some(node), "a step")?;
    let range = node.text_range();
    let anchor = first_line(node);
    // A step is a call when it has a `name`. The keys read to find out are those of a call,
    // in the common case in which they are all a call's keys, given once: then they need
    // not be read again.
    let mut call = Fields {
        allowed: schema::STEP_CALL,
        entries: [None; MAX_KEYS],
        anchor,
        misspelled: 0,
    };
    let scanned = scan(map, schema::STEP_CALL, &mut call.entries);
    let is_call = match scanned {
        true => call.has("name"),
        false => map.get("name").is_some(),
    };
    if is_call {
        if !scanned {
            call.misspelled = check_keys(cx, map, schema::STEP_CALL, "a step", &mut call.entries);
        }
        return lower_call(cx, &call, range).map(Step::Call);
    }
    if let Some(entry) = map.get("foreach") {
        let f = fields(cx, map, schema::STEP_LOOP_ENTRY, "a loop step", anchor);
        let _ = f;
        let body = as_mapping(cx, entry.value(), "`foreach`")?;
        let l = fields(cx, body, schema::STEP_LOOP, "`foreach`", key_range(entry));
        require(cx, &l, "in", "`foreach`");
        require(cx, &l, "steps", "`foreach`");
        let source = lower_loop_source(cx, l.value("in"));
        let steps = match as_sequence(cx, l.value("steps"), "`steps`") {
            Some(seq) => lower_steps(cx, seq, depth + 1),
            None => Vec::new(),
        };
        return Some(Step::Loop(Box::new(StepLoop {
            range,
            source,
            key: name(cx, l.value("key"), "`key`"),
            value: name(cx, l.value("value"), "`value`"),
            when: text(cx, l.value("when"), "`when`"),
            break_when: text(cx, l.value("break"), "`break`"),
            steps,
        })));
    }
    if map.get("steps").is_some() {
        let f = fields(cx, map, schema::STEP_BLOCK, "a conditional block", anchor);
        require(cx, &f, "when", "the conditional block");
        let steps = match as_sequence(cx, f.value("steps"), "`steps`") {
            Some(seq) => lower_steps(cx, seq, depth + 1),
            None => Vec::new(),
        };
        return Some(Step::Block(StepBlock {
            range,
            when: text(cx, f.value("when"), "`when`"),
            steps,
        }));
    }
    // Neither a call, a block nor a loop: most likely a call whose `name` is missing or
    // misspelled. Lower it as a call to report its keys.
    let f = fields(cx, map, schema::STEP_CALL, "a step", anchor);
    cx.report(
        Diagnostic::new(&codes::MISSING_KEY, anchor, "step has no `name`")
            .with_label("`name` is missing")
            .with_help("add `name: <image>` for a step call, or `when:` and `steps:` for a conditional block"),
    );
    let _ = f;
    None
}

/// Lowers a step call from its keys, read with [`schema::STEP_CALL`].
fn lower_call(cx: &mut Cx, f: &Fields<'_>, range: TextRange) -> Option<StepCall> {
    let image = name(cx, f.value("name"), "a step's `name`")?;
    let id = name(cx, f.value("id"), "a step's `id`");
    if let Some(id) = &id
        && !is_step_id(&id.value)
    {
        cx.report(
            Diagnostic::new(
                &codes::INVALID_STEP_ID,
                id.range,
                format!("invalid step id `{}`", id.value),
            )
            .with_label("only letters, digits, `_` and `-` are allowed")
            .with_help(format!("use an id such as `{}`", to_step_id(&id.value))),
        );
    }
    let mut env: Vec<EnvVar> = Vec::new();
    let env_node = f.value("env");
    let env_map = as_mapping(cx, env_node, "`env`");
    let env_unreadable = f.misspelled("env") || (env_node.is_some() && env_map.is_none());
    if let Some(map) = env_map {
        // Sized exactly: a grown vector holds up to twice the entries.
        env.reserve_exact(map.entries().count());
        // The variables kept so far hold the keys seen so far: searched linearly while they
        // are few, which spares a list of keys (an allocation per call), and indexed past
        // `Seen::LINEAR_MAX` so that thousands of keys are still checked in linear time.
        let mut index: HashMap<Cow<'_, str>, TextRange> = HashMap::new();
        for entry in map.entries() {
            let Some(key) = entry.key_scalar() else {
                continue;
            };
            let (key_value, key_range) = match key.content() {
                Some(content) => (content.value(), content.range()),
                None => (Cow::Borrowed(""), key.content_range()),
            };
            let first = match index.is_empty() {
                true => env
                    .iter()
                    .find(|v| v.name.value == *key_value)
                    .map(|v| v.name.range),
                false => index.get(&*key_value).copied(),
            };
            if let Some(first) = first {
                cx.report(
                    Diagnostic::new(
                        &codes::DUPLICATE_KEY,
                        key_range,
                        format!("duplicate key `{key_value}`"),
                    )
                    .with_label("given again here")
                    .with_related(first, "first given here")
                    .with_help("remove one of the two entries"),
                );
                continue;
            }
            let value = match entry.value() {
                // The common case, in which the message naming the value is not needed.
                Some(Node::Scalar(scalar)) => scalar.content().map(text_of),
                other => text(cx, other, &format!("the value of `{key_value}`")),
            };
            env.push(EnvVar {
                name: Spanned {
                    value: (*key_value).to_owned(),
                    range: key_range,
                },
                value,
            });
            if env.len() > Seen::LINEAR_MAX {
                if index.is_empty() {
                    let known = env
                        .iter()
                        .map(|v| (v.name.value.clone().into(), v.name.range));
                    index.extend(known);
                } else {
                    index.insert(key_value, key_range);
                }
            }
        }
    }
    let mut integration_ref = None;
    if let Some(entry) = f.entry("envFrom")
        && let Some(map) = as_mapping(cx, entry.value(), "`envFrom`")
    {
        let e = fields(cx, map, schema::ENV_FROM, "`envFrom`", key_range(entry));
        integration_ref = text(cx, e.value("integrationRef"), "`integrationRef`").map(Box::new);
    }
    let mut output_parser = None;
    if let Some(entry) = f.entry("output_parser")
        && let Some(map) = as_mapping(cx, entry.value(), "`output_parser`")
    {
        let o = fields(
            cx,
            map,
            schema::OUTPUT_PARSER,
            "`output_parser`",
            key_range(entry),
        );
        require(cx, &o, "name", "`output_parser`");
        output_parser = name(cx, o.value("name"), "`output_parser.name`").map(Box::new);
    }
    let mut args = Vec::new();
    if let Some(seq) = as_sequence(cx, f.value("args"), "`args`") {
        for item in seq.items() {
            if let Some(t) = text(cx, Some(item), "an argument") {
                args.push(t);
            }
        }
    }
    Some(StepCall {
        range,
        image,
        id,
        env,
        integration_ref,
        runner: text(cx, f.value("runner"), "`runner`"),
        when: text(cx, f.value("when"), "`when`").map(Box::new),
        args,
        output_parser,
        ignore_failure: boolean(cx, f.value("ignoreFailure"), "`ignoreFailure`"),
        env_unreadable,
    })
}

fn to_step_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn lower_loop_source(cx: &mut Cx, node: Option<Node<'_>>) -> Option<LoopSource> {
    match node? {
        Node::Mapping(map) => {
            let anchor = map.syntax().text_range();
            let f = fields(cx, map, schema::LOOP_RANGE, "`in`", anchor);
            let seq = as_sequence(cx, f.value("range"), "`range`")?;
            let items: Vec<Node<'_>> = seq.items().collect();
            if items.len() != 2 {
                cx.report(
                    Diagnostic::new(
                        &codes::INVALID_VALUE,
                        seq.syntax().text_range(),
                        "`range` must have two bounds",
                    )
                    .with_label(format!("{} values", items.len()))
                    .with_help("write `range: [from, to]`"),
                );
                return None;
            }
            let from = integer(cx, items.first().copied(), "a range bound")?;
            let to = integer(cx, items.get(1).copied(), "a range bound")?;
            Some(LoopSource::Range { from, to })
        }
        other => text(cx, Some(other), "`in`").map(LoopSource::Text),
    }
}

fn lower_manifest(
    cx: &mut Cx,
    body: Mapping<'_>,
    range: TextRange,
    anchor: TextRange,
) -> StepManifest {
    let top = fields(cx, body, schema::MANIFEST, "a step manifest", anchor);
    require(cx, &top, "metadata", "the step manifest");
    let mut manifest = StepManifest {
        range,
        name: None,
        version: None,
        description: None,
        vendor: None,
        step_type: None,
        image_name: None,
        envs: Vec::new(),
        args: Vec::new(),
        outputs: Vec::new(),
        integrations: None,
    };
    if let Some(entry) = top.entry("metadata")
        && let Some(map) = as_mapping(cx, entry.value(), "`metadata`")
    {
        let meta = fields(
            cx,
            map,
            schema::MANIFEST_METADATA,
            "a manifest's `metadata`",
            key_range(entry),
        );
        require(cx, &meta, "name", "`metadata`");
        manifest.name = name(cx, meta.value("name"), "`metadata.name`");
        manifest.version = text(cx, meta.value("version"), "`metadata.version`");
        manifest.description = text(cx, meta.value("description"), "`metadata.description`");
        manifest.vendor = text(cx, meta.value("vendor"), "`metadata.vendor`");
        manifest.step_type = text(cx, meta.value("type"), "`metadata.type`");
        manifest.image_name = name(cx, meta.value("imageName"), "`metadata.imageName`");
    }
    manifest.envs = lower_inputs(cx, top.value("envs"), "`envs`");
    manifest.args = lower_inputs(cx, top.value("args"), "`args`");
    if let Some(seq) = as_sequence(cx, top.value("outputs"), "`outputs`") {
        for item in seq.items() {
            let Some(map) = as_mapping(cx, Some(item), "an output") else {
                continue;
            };
            let f = fields(cx, map, schema::OUTPUT, "an output", first_line(item));
            require(cx, &f, "name", "the output");
            require(cx, &f, "type", "the output");
            let Some(output_name) = name(cx, f.value("name"), "an output's `name`") else {
                continue;
            };
            let example = text(cx, f.value("example"), "an output's `example`");
            let example_json = example
                .as_ref()
                .and_then(|e| crate::json_example::parse_example(&e.value));
            manifest.outputs.push(Output {
                range: item.text_range(),
                name: output_name,
                ty: one_of(
                    cx,
                    f.value("type"),
                    "output type",
                    &OutputType::ALL,
                    &codes::INVALID_VALUE,
                    OutputType::parse,
                ),
                description: text(cx, f.value("description"), "an output's `description`"),
                example,
                example_json,
            });
        }
    }
    drop_duplicate_names(cx, &mut manifest.envs, |i| &i.name, "input");
    drop_duplicate_names(cx, &mut manifest.outputs, |o| &o.name, "output");
    if let Some(seq) = as_sequence(cx, top.value("integrations"), "`integrations`") {
        let integrations = manifest.integrations.insert(Vec::new());
        for item in seq.items() {
            if let Some(n) = name(cx, Some(item), "an integration") {
                integrations.push(n);
            }
        }
    }
    check_examples(cx, &manifest.envs);
    check_examples(cx, &manifest.args);
    manifest
}

fn lower_inputs(cx: &mut Cx, node: Option<Node<'_>>, what: &str) -> Vec<Input> {
    let mut inputs = Vec::new();
    let Some(seq) = as_sequence(cx, node, what) else {
        return inputs;
    };
    for item in seq.items() {
        let Some(map) = as_mapping(cx, Some(item), "an input") else {
            continue;
        };
        let f = fields(cx, map, schema::INPUT, "an input", first_line(item));
        require(cx, &f, "name", "the input");
        let Some(input_name) = name(cx, f.value("name"), "an input's `name`") else {
            continue;
        };
        inputs.push(Input {
            range: item.text_range(),
            name: input_name,
            ty: one_of(
                cx,
                f.value("type"),
                "input type",
                &InputType::ALL,
                &codes::INVALID_VALUE,
                InputType::parse,
            ),
            description: text(cx, f.value("description"), "an input's `description`"),
            required: boolean(cx, f.value("required"), "`required`"),
            example: text(cx, f.value("example"), "an input's `example`"),
            default: text(cx, f.value("default"), "an input's `default`"),
        });
    }
    inputs
}

/// Reports inputs whose `example` contradicts their `type` (an invalid value, which in a
/// step manifest is reported as a manifest defect): the manifest says two things, and calls
/// are not held to either.
fn check_examples(cx: &mut Cx, inputs: &[Input]) {
    for input in inputs {
        if !input.example_contradicts_type() {
            continue;
        }
        let (Some(ty), Some(example)) = (&input.ty, &input.example) else {
            continue;
        };
        cx.report(
            Diagnostic::new(
                &codes::INVALID_VALUE,
                example.range,
                format!(
                    "the example of input `{}` is not a {}",
                    input.name.value,
                    ty.value.as_str()
                ),
            )
            .with_label(format!("not a {} value", ty.value.as_str()))
            .with_related(ty.range, format!("declared `type: {}` here", ty.value.as_str()))
            .with_help(format!(
                "fix the `type` or the `example` of `{}`; until then, values given to it are not checked against the type",
                input.name.value
            )),
        );
    }
}

/// Reports each input or output of a manifest declared again under the name of an earlier
/// one, and keeps only the first declaration: the interface has one input of each name, so
/// that a call is not held to (and told about) the same input twice.
fn drop_duplicate_names<T>(
    cx: &mut Cx,
    items: &mut Vec<T>,
    name: impl Fn(&T) -> &Spanned<String>,
    what: &str,
) {
    let mut again: Vec<TextRange> = Vec::new();
    for_duplicates(
        items,
        |item| Some(name(item)),
        |n, first| {
            again.push(n.range);
            cx.report(
                Diagnostic::new(
                    &codes::DUPLICATE_KEY,
                    n.range,
                    format!("{what} `{}` is declared twice", n.value),
                )
                .with_label("declared again here")
                .with_related(first, "first declared here")
                .with_help("remove one of the two declarations"),
            );
        },
    );
    if !again.is_empty() {
        items.retain(|item| !again.contains(&name(item).range));
    }
}

fn lower_trigger(cx: &mut Cx, body: Mapping<'_>, range: TextRange, anchor: TextRange) -> Trigger {
    let top = fields(cx, body, schema::TRIGGER, "a trigger", anchor);
    require(cx, &top, "metadata", "the trigger");
    require(cx, &top, "playbook", "the trigger");
    let mut trigger = Trigger {
        range,
        name: None,
        description: None,
        enabled: boolean(cx, top.value("enabled"), "`enabled`"),
        playbook: None,
        scenarios: Vec::new(),
    };
    if let Some(scalar) = top
        .value("playbook")
        .and_then(|n| as_scalar(cx, Some(n), "`playbook`"))
    {
        trigger.playbook = Some(Spanned {
            value: scalar.value().into_owned(),
            range: scalar.content_range(),
        });
    }
    if let Some(entry) = top.entry("metadata")
        && let Some(map) = as_mapping(cx, entry.value(), "`metadata`")
    {
        let meta = fields(
            cx,
            map,
            schema::TRIGGER_METADATA,
            "a trigger's `metadata`",
            key_range(entry),
        );
        require(cx, &meta, "name", "`metadata`");
        trigger.name = name(cx, meta.value("name"), "`metadata.name`");
        trigger.description = text(cx, meta.value("description"), "`metadata.description`");
    }
    if let Some(seq) = as_sequence(cx, top.value("scenarios"), "`scenarios`") {
        for item in seq.items() {
            let Some(map) = as_mapping(cx, Some(item), "a scenario") else {
                continue;
            };
            let f = fields(cx, map, schema::SCENARIO, "a scenario", first_line(item));
            let mut parameters = Vec::new();
            if let Some(params) = as_mapping(cx, f.value("parameters"), "`parameters`") {
                for entry in params.entries() {
                    let Some(key) = entry.key_scalar() else {
                        continue;
                    };
                    let key_name = Spanned {
                        value: key.value().into_owned(),
                        range: key.content_range(),
                    };
                    let value = text(cx, entry.value(), "a scenario parameter");
                    parameters.push((key_name, value));
                }
            }
            trigger.scenarios.push(Scenario {
                range: item.text_range(),
                name: text(cx, f.value("name"), "a scenario's `name`"),
                enabled: boolean(cx, f.value("enabled"), "`enabled`"),
                integration: text(cx, f.value("integration"), "`integration`"),
                when: text(cx, f.value("when"), "`when`"),
                parameters,
            });
        }
    }
    trigger
}
