//! Keeps the editor files under `grammar/` honest: the TextMate injection grammar for
//! template actions and the JSON Schema of the document kinds (the platform's three and the
//! test files' `PlaybookTest`).
//!
//! The grammar is checked for its required keys, for regexes whose parentheses and brackets
//! balance and whose captures name groups that exist (Oniguruma is not available here, so a
//! small checker stands in for it), for includes that resolve, and for a function list that
//! covers the template crate's function table. The schema is checked against the lowering's
//! key lists (`playbook_hir::schema`, which the test-file reader uses too) and its enums, and
//! every example document under `playbooks/` (test files included) is validated against it
//! by a small validator of the keywords the schema uses, so that neither the schema nor the
//! examples can drift without a failing test.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use playbook_syntax::ast::{self, Node, ScalarStyle};
use serde_json::{Map, Value};

fn root() -> PathBuf {
    playbook_test_support::workspace_root()
}

fn read_json(relative: &str) -> Value {
    let path = root().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative} is not JSON: {e}"))
}

fn grammar() -> Value {
    read_json("grammar/playbook-template.tmLanguage.json")
}

fn schema() -> Value {
    read_json("grammar/playbook.schema.json")
}

// ---------------------------------------------------------------------------------------
// The grammar
// ---------------------------------------------------------------------------------------

/// Checks that the parentheses and brackets of an Oniguruma regex balance, and returns its
/// number of capturing groups. Escapes are skipped; inside a character class `(` and `)` are
/// literal, `[` opens a nested class, and a `]` right after `[` or `[^` is literal.
fn regex_groups(regex: &str) -> Result<usize, String> {
    let mut chars = regex.chars().peekable();
    let mut open_groups = 0usize;
    let mut class_depth = 0usize;
    let mut groups = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars
                    .next()
                    .ok_or_else(|| "ends with a lone backslash".to_string())?;
            }
            '[' => {
                class_depth += 1;
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                }
            }
            ']' if class_depth > 0 => class_depth -= 1,
            ']' => return Err("`]` closes no character class".into()),
            _ if class_depth > 0 => {}
            '(' => {
                open_groups += 1;
                if chars.peek() == Some(&'?') {
                    chars.next();
                    // `(?<name>...)` captures; `(?<=` and `(?<!` are lookbehinds.
                    if chars.peek() == Some(&'<') {
                        chars.next();
                        if !matches!(chars.peek(), Some('=' | '!')) {
                            groups += 1;
                        }
                    }
                } else {
                    groups += 1;
                }
            }
            ')' => {
                open_groups = open_groups
                    .checked_sub(1)
                    .ok_or_else(|| "`)` closes no group".to_string())?;
            }
            _ => {}
        }
    }
    if class_depth > 0 {
        return Err("a character class is not closed".into());
    }
    if open_groups > 0 {
        return Err(format!("{open_groups} group(s) not closed"));
    }
    Ok(groups)
}

#[test]
fn the_regex_checker_catches_unbalanced_regexes() {
    assert_eq!(regex_groups(r"(\{\{)(-(?=[ \t]))?"), Ok(2));
    assert_eq!(regex_groups(r"(?<![\w.$])(if|else)"), Ok(1));
    assert_eq!(regex_groups(r"(?<name>a)(?:b)"), Ok(1));
    assert_eq!(regex_groups(r"[()\]]\(\)"), Ok(0));
    assert_eq!(regex_groups(r"[]a]"), Ok(0));
    assert_eq!(regex_groups(r"[^]a]"), Ok(0));
    assert!(regex_groups("(a").is_err());
    assert!(regex_groups("a)").is_err());
    assert!(regex_groups("[a").is_err());
    assert!(regex_groups("a]").is_err());
    assert!(regex_groups("a\\").is_err());
    assert!(regex_groups(r"(\)").is_err());
}

/// Calls `visit(path, rule)` on every object of the grammar, depth first.
fn each_rule(value: &Value, path: &str, visit: &mut dyn FnMut(&str, &Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            visit(path, map);
            for (key, child) in map {
                each_rule(child, &format!("{path}/{key}"), visit);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                each_rule(child, &format!("{path}/{i}"), visit);
            }
        }
        _ => {}
    }
}

#[test]
fn grammar_is_an_injection_grammar_into_yaml() {
    let g = grammar();
    assert_eq!(g["scopeName"], "template.playbook");
    assert_eq!(g["injectionSelector"], "L:source.yaml -comment");
    let patterns = g["patterns"].as_array().unwrap();
    assert!(!patterns.is_empty());
    assert!(g["repository"].as_object().is_some_and(|r| !r.is_empty()));
}

#[test]
fn every_grammar_regex_balances_and_every_capture_names_a_group() {
    let g = grammar();
    let mut checked = 0;
    let mut problems = Vec::new();
    each_rule(&g, "", &mut |path, rule| {
        let mut groups = BTreeMap::new();
        for key in ["match", "begin", "end"] {
            let Some(regex) = rule.get(key) else { continue };
            let Some(regex) = regex.as_str() else {
                problems.push(format!("{path}/{key} is not a string"));
                continue;
            };
            checked += 1;
            match regex_groups(regex) {
                Ok(n) => {
                    groups.insert(key, n);
                }
                Err(e) => problems.push(format!("{path}/{key} `{regex}`: {e}")),
            }
        }
        let any = groups.values().copied().max().unwrap_or(0);
        for (key, against) in [
            ("captures", any),
            ("beginCaptures", groups.get("begin").copied().unwrap_or(0)),
            ("endCaptures", groups.get("end").copied().unwrap_or(0)),
        ] {
            let Some(captures) = rule.get(key).and_then(Value::as_object) else {
                continue;
            };
            for number in captures.keys() {
                match number.parse::<usize>() {
                    Ok(n) if n <= against => {}
                    _ => problems.push(format!(
                        "{path}/{key}/{number}: the regex has {against} group(s)"
                    )),
                }
            }
        }
        if rule.contains_key("begin") != rule.contains_key("end") {
            problems.push(format!("{path}: `begin` and `end` go together"));
        }
    });
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked >= 20, "only {checked} regexes found");
}

#[test]
fn every_include_resolves_and_every_scope_is_ours() {
    let g = grammar();
    let repository = g["repository"].as_object().unwrap();
    let mut problems = Vec::new();
    each_rule(&g, "", &mut |path, rule| {
        if let Some(include) = rule.get("include").and_then(Value::as_str) {
            match include.strip_prefix('#') {
                Some(name) if repository.contains_key(name) => {}
                _ => problems.push(format!("{path}: include `{include}` resolves to nothing")),
            }
        }
        if let Some(name) = rule.get("name").and_then(Value::as_str)
            && !path.is_empty()
            && !name.ends_with(".template.playbook")
        {
            problems.push(format!(
                "{path}: scope `{name}` lacks the `.template.playbook` suffix"
            ));
        }
    });
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The regexes of the grammar rules whose scope starts with `scope`.
fn regexes_scoped(g: &Value, scope: &str) -> Vec<String> {
    let mut found = Vec::new();
    each_rule(g, "", &mut |_, rule| {
        if rule
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.starts_with(scope))
            && let Some(regex) = rule.get("match").and_then(Value::as_str)
        {
            found.push(regex.to_string());
        }
    });
    found
}

/// Whether `word` is one of the alternatives of a `(a|b|c)` group of `regex`.
fn is_alternative(regex: &str, word: &str) -> bool {
    ["(", "|"].iter().any(|before| {
        [")", "|"]
            .iter()
            .any(|after| regex.contains(&format!("{before}{word}{after}")))
    })
}

#[test]
fn grammar_knows_every_function_of_the_template_crate() {
    let g = grammar();
    let regexes = regexes_scoped(&g, "support.function.");
    let missing: Vec<&str> = playbook_template::functions::names()
        .filter(|name| !regexes.iter().any(|r| is_alternative(r, name)))
        .collect();
    assert!(missing.is_empty(), "functions not highlighted: {missing:?}");
    let platform = regexes_scoped(&g, "support.function.platform.");
    for name in ["secret", "get", "ieq", "ine"] {
        assert!(
            platform.iter().any(|r| is_alternative(r, name)),
            "`{name}` is not a platform function"
        );
    }
}

#[test]
fn grammar_knows_every_keyword_and_constant() {
    let g = grammar();
    let keywords = regexes_scoped(&g, "keyword.control.");
    for word in [
        "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
    ] {
        assert!(keywords.iter().any(|r| is_alternative(r, word)), "{word}");
    }
    let constants = regexes_scoped(&g, "constant.language.");
    for word in ["true", "false", "nil"] {
        assert!(constants.iter().any(|r| is_alternative(r, word)), "{word}");
    }
}

// ---------------------------------------------------------------------------------------
// The schema: its own shape
// ---------------------------------------------------------------------------------------

fn def<'s>(schema: &'s Value, name: &str) -> &'s Value {
    let found = &schema["$defs"][name];
    assert!(found.is_object(), "no $defs/{name}");
    found
}

fn enum_of(schema: &Value, def_name: &str, property: &str) -> Vec<String> {
    def(schema, def_name)["properties"][property]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("$defs/{def_name}/{property} has no enum"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn schema_enums_are_the_formats_types() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(
        enum_of(&s, "parameter", "type"),
        ["var", "secret", "integration", "spd"]
    );
    assert_eq!(
        enum_of(&s, "input", "type"),
        ["string", "bool", "int", "json", "secret"]
    );
    assert_eq!(
        enum_of(&s, "output", "type"),
        ["string", "bool", "int", "json"]
    );
    assert_eq!(
        s["properties"]["kind"]["enum"],
        serde_json::json!(playbook_hir::PLAYBOOK_KINDS)
    );
    // `equals`, `contains`, `matches`: the comparisons the judge knows.
    assert_eq!(playbook_hir::ir::MatchKind::ALL, hir_schema::MATCHER);
}

use playbook_hir::schema as hir_schema;

/// Each kind's `if` picks its branch by `kind`, and yaml-language-server's completion takes
/// a `const` as met by any prefix of it (so that `kind: Play` completes): `Playbook` would
/// open the `PlaybookTest` branch and offer a playbook the test file's keys. A kind whose name
/// starts with another's is pinned by an anchored `pattern` too, which it checks in full.
#[test]
fn each_kind_branch_is_chosen_by_its_whole_name() {
    let s = schema();
    let kinds = playbook_hir::PLAYBOOK_KINDS;
    let branches = s["allOf"].as_array().unwrap();
    assert_eq!(branches.len(), kinds.len());
    for branch in branches {
        let kind = &branch["if"]["properties"]["kind"];
        let name = kind["const"].as_str().unwrap();
        assert!(kinds.contains(&name), "{name}");
        let has_prefix = kinds.iter().any(|k| *k != name && name.starts_with(k));
        if has_prefix {
            assert_eq!(kind["pattern"], format!("^{name}$"), "{name}");
        }
    }
}

fn keys(properties: &Value) -> BTreeSet<String> {
    properties
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The schema's closed mappings hold exactly the keys the checker accepts, so completion in
/// an editor never offers a key that `playbook check` would reject, nor misses one.
#[test]
fn schema_keys_are_the_checkers_keys() {
    use playbook_hir::schema as hir;
    let s = schema();
    let cases: &[(&str, &[&str])] = &[
        ("playbook", hir::PLAYBOOK),
        ("playbook/properties/metadata", hir::PLAYBOOK_METADATA),
        ("parameter", hir::PARAMETER),
        ("parameter/properties/options", hir::PARAMETER_OPTIONS),
        ("stepCall", hir::STEP_CALL),
        ("stepCall/properties/envFrom", hir::ENV_FROM),
        ("stepCall/properties/output_parser", hir::OUTPUT_PARSER),
        ("stepBlock", hir::STEP_BLOCK),
        ("stepLoop", hir::STEP_LOOP_ENTRY),
        ("stepLoop/properties/foreach", hir::STEP_LOOP),
        (
            "stepLoop/properties/foreach/properties/in/anyOf/1",
            hir::LOOP_RANGE,
        ),
        ("manifest", hir::MANIFEST),
        ("manifest/properties/metadata", hir::MANIFEST_METADATA),
        ("input", hir::INPUT),
        ("output", hir::OUTPUT),
        ("trigger", hir::TRIGGER),
        ("trigger/properties/metadata", hir::TRIGGER_METADATA),
        ("scenario", hir::SCENARIO),
        ("test", hir::TEST),
        ("testCase", hir::TEST_CASE),
        ("testInputs", hir::TEST_INPUTS),
        ("testInputs/properties/envFrom", hir::TEST_ENV_FROM),
        ("testMatcher", hir::MATCHER),
    ];
    for (path, expected) in cases {
        let pointer = format!("/$defs/{path}");
        let node = s
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("no {pointer}"));
        assert_eq!(node["additionalProperties"], false, "{pointer} is closed");
        assert_eq!(keys(&node["properties"]), set(expected), "{pointer}");
    }
}

#[test]
fn every_schema_property_has_a_description() {
    let s = schema();
    let mut missing = Vec::new();
    let mut seen = 0;
    each_rule(&s, "", &mut |path, node| {
        // The conditions of `if` are not shown to anyone.
        if path.contains("/if") {
            return;
        }
        if let Some(Value::Object(props)) = node.get("properties") {
            for (key, prop) in props {
                seen += 1;
                if prop.get("description").and_then(Value::as_str).is_none() {
                    missing.push(format!("{path}/properties/{key}"));
                }
            }
        }
    });
    assert!(missing.is_empty(), "{missing:#?}");
    assert!(seen > 50, "only {seen} properties");
}

// ---------------------------------------------------------------------------------------
// The schema against documents
// ---------------------------------------------------------------------------------------

/// How deep the validator and the YAML conversion go; far beyond any real document.
const MAX_DEPTH: usize = 100;

/// A YAML node as JSON, with YAML 1.2 core-schema resolution of plain scalars (as the YAML
/// language server does): null, booleans, integers and floats; everything else is a string.
fn to_json(node: Node<'_>, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("nested too deeply".into());
    }
    match node {
        Node::Scalar(scalar) => {
            let text = scalar.value();
            if scalar.style() != ScalarStyle::Plain {
                return Ok(Value::String(text.into_owned()));
            }
            Ok(plain_scalar(&text))
        }
        Node::Mapping(map) => {
            let mut out = Map::new();
            for entry in map.entries() {
                let key = entry
                    .key_scalar()
                    .ok_or_else(|| "a key that is not a scalar".to_string())?
                    .value()
                    .into_owned();
                let value = match entry.value() {
                    Some(v) => to_json(v, depth + 1)?,
                    None => Value::Null,
                };
                out.insert(key, value);
            }
            Ok(Value::Object(out))
        }
        Node::Sequence(seq) => seq
            .items()
            .map(|item| to_json(item, depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Node::Alias(_) => Err("aliases are not used in playbooks".into()),
        Node::Error(_) => Err("the YAML has an error".into()),
    }
}

fn plain_scalar(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(n) = text.parse::<i64>() {
        return Value::from(n);
    }
    let numeric = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && text.chars().any(|c| c.is_ascii_digit());
    if numeric && let Ok(f) = text.parse::<f64>() {
        return Value::from(f);
    }
    Value::String(text.to_string())
}

fn type_matches(value: &Value, ty: &str) -> bool {
    match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        _ => false,
    }
}

/// The keywords the validator understands. A schema using any other is a test failure, so
/// that the validator cannot silently ignore a constraint it does not know.
const KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$defs",
    "title",
    "description",
    "type",
    "const",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "anyOf",
    "allOf",
    "if",
    "then",
    // Not checked: the checker reports bad names and ids with better messages.
    "pattern",
    "propertyNames",
];

/// Validates `value` against `schema` (resolving `#/$defs/...` references in `root`), and
/// pushes one message per violation, each with the JSON pointer of the value.
fn validate(
    root: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    depth: usize,
    errors: &mut Vec<String>,
) {
    if depth > MAX_DEPTH {
        errors.push(format!("{at}: schema nested too deeply"));
        return;
    }
    let Some(schema) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return;
    };
    for key in schema.keys() {
        if !KEYWORDS.contains(&key.as_str()) {
            errors.push(format!("{at}: the validator does not know `{key}`"));
        }
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        match reference.strip_prefix("#/$defs/") {
            Some(name) if root["$defs"].get(name).is_some() => {
                validate(root, &root["$defs"][name], value, at, depth + 1, errors)
            }
            _ => errors.push(format!("{at}: unresolved $ref `{reference}`")),
        }
    }
    match schema.get("type") {
        Some(Value::String(ty)) if !type_matches(value, ty) => {
            errors.push(format!("{at}: {value} is not of type {ty}"));
            return;
        }
        Some(Value::Array(types))
            if !types
                .iter()
                .any(|t| t.as_str().is_some_and(|t| type_matches(value, t))) =>
        {
            errors.push(format!("{at}: {value} is not of types {types:?}"));
            return;
        }
        _ => {}
    }
    if let Some(expected) = schema.get("const")
        && expected != value
    {
        errors.push(format!("{at}: {value} is not {expected}"));
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let (Some(minimum), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) && n < minimum
    {
        errors.push(format!("{at}: {value} is less than {minimum}"));
    }
    if let Value::Object(object) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(required)) = schema.get("required") {
            for key in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(key) {
                    errors.push(format!("{at}: `{key}` is required"));
                }
            }
        }
        for (key, child) in object {
            let path = format!("{at}/{key}");
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => validate(root, sub, child, &path, depth + 1, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{at}: `{key}` is not allowed here"));
                    }
                    Some(sub @ Value::Object(_)) => {
                        validate(root, sub, child, &path, depth + 1, errors)
                    }
                    _ => {}
                },
            }
        }
    }
    if let Value::Array(items) = value {
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(
                    root,
                    item_schema,
                    item,
                    &format!("{at}/{i}"),
                    depth + 1,
                    errors,
                );
            }
        }
        let len = items.len() as u64;
        if schema
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|min| len < min)
        {
            errors.push(format!("{at}: too few items"));
        }
        if schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|max| len > max)
        {
            errors.push(format!("{at}: too many items"));
        }
    }
    if let Some(Value::Array(all)) = schema.get("allOf") {
        for sub in all {
            validate(root, sub, value, at, depth + 1, errors);
        }
    }
    if let Some(Value::Array(any)) = schema.get("anyOf") {
        let branches: Vec<Vec<String>> = any
            .iter()
            .map(|sub| {
                let mut e = Vec::new();
                validate(root, sub, value, at, depth + 1, &mut e);
                e
            })
            .collect();
        if branches.iter().all(|e| !e.is_empty()) {
            errors.push(format!(
                "{at}: matches none of the alternatives: {}",
                branches
                    .iter()
                    .map(|e| e.join("; "))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
    }
    if let Some(condition) = schema.get("if") {
        let mut e = Vec::new();
        validate(root, condition, value, at, depth + 1, &mut e);
        if e.is_empty()
            && let Some(then) = schema.get("then")
        {
            validate(root, then, value, at, depth + 1, errors);
        }
    }
}

fn errors_of(schema: &Value, document: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(schema, schema, document, "", 0, &mut errors);
    errors
}

/// The documents of a YAML file that have a `kind`, as JSON.
fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let parse = playbook_syntax::parse(&text);
    assert!(
        parse.errors().is_empty(),
        "{}: {:?}",
        path.display(),
        parse.errors()
    );
    ast::documents(parse.tree())
        .filter_map(|d| d.body())
        .map(|body| to_json(body, 0).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .filter(|doc| doc.get("kind").is_some())
        .collect()
}

/// The YAML files under `dir`, recursively, skipping folders named in `skip`, sorted.
fn yaml_files(dir: &Path, skip: &[&Path], out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if !skip.contains(&path.as_path()) {
                yaml_files(&path, skip, out);
            }
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Validates every document of `files`; returns how many there were of each kind.
fn validate_all(files: &[PathBuf]) -> BTreeMap<String, usize> {
    let s = schema();
    let mut kinds = BTreeMap::new();
    let mut problems = Vec::new();
    for file in files {
        for doc in documents(file) {
            let kind = doc["kind"].as_str().unwrap_or("?").to_string();
            *kinds.entry(kind).or_insert(0) += 1;
            for e in errors_of(&s, &doc) {
                problems.push(format!("{}: {e}", file.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    kinds
}

#[test]
fn every_example_playbook_and_trigger_validates() {
    let playbooks = root().join("playbooks");
    let mut files = Vec::new();
    // The test files (`kind: PlaybookTest`) are this tool's own, not the platform's.
    yaml_files(
        &playbooks,
        &[&playbooks.join("steps"), &playbooks.join("tests")],
        &mut files,
    );
    let kinds = validate_all(&files);
    println!("validated: {kinds:?}");
    assert_eq!(kinds.get("Playbook"), Some(&8), "{kinds:?}");
    assert_eq!(kinds.get("Trigger"), Some(&5), "{kinds:?}");
    assert_eq!(kinds.get("Step"), None, "{kinds:?}");
}

#[test]
fn every_example_test_file_validates() {
    let mut files = Vec::new();
    yaml_files(&root().join("playbooks"), &[], &mut files);
    files.retain(|f| {
        f.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
    });
    let kinds = validate_all(&files);
    println!("validated: {kinds:?}");
    assert_eq!(kinds.get("PlaybookTest"), Some(&files.len()), "{kinds:?}");
    assert!(files.len() >= 8, "{files:?}");
}

#[test]
fn every_example_step_manifest_validates() {
    let mut files = Vec::new();
    yaml_files(&root().join("playbooks/steps"), &[], &mut files);
    let kinds = validate_all(&files);
    println!("validated: {kinds:?}");
    assert_eq!(kinds.get("Step"), Some(&files.len()), "{kinds:?}");
    assert!(files.len() >= 20);
}

#[test]
fn every_real_step_manifest_validates() {
    let Some(corpus) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let mut files = Vec::new();
    yaml_files(&corpus, &[], &mut files);
    files.retain(|f| f.file_name().is_some_and(|n| n == "manifest.yaml"));
    let kinds = validate_all(&files);
    println!("validated: {kinds:?}");
    assert_eq!(kinds.get("Step"), Some(&153), "{kinds:?}");
}

/// The validator finds what the schema forbids, so the tests above can fail.
#[test]
fn the_schema_rejects_what_the_checker_rejects() {
    let s = schema();
    let doc = json_doc;
    let head = "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\n";
    assert_eq!(errors_of(&s, &doc(head)), Vec::<String>::new());
    let cases = [
        (format!("{head}parameters:\n  - name: a\n    type: vr\n"), "/parameters/0/type"),
        (format!("{head}parameters:\n  - name: a\n"), "`type` is required"),
        (format!("{head}  Description: x\n"), "`Description` is not allowed"),
        (format!("{head}steps:\n  - nme: image\n"), "/steps/0: matches none"),
        (format!("{head}steps:\n  - name: i\n    ignoreFailure: yes\n"), "/ignoreFailure"),
        (
            format!("{head}steps:\n  - foreach:\n      in: {{range: [1]}}\n      steps: []\n"),
            "too few items",
        ),
        ("apiVersion: stackpulse.io/v2\nkind: Step\nmetadata: {name: s}\n".to_string(), "/apiVersion"),
        (
            "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata: {name: s}\noutputs:\n  - {name: o, type: list}\n".to_string(),
            "/outputs/0/type",
        ),
        (
            "apiVersion: stackpulse.io/v1\nkind: Trigger\nmetadata: {name: t}\n".to_string(),
            "`playbook` is required",
        ),
    ];
    for (yaml, expected) in cases {
        let errors = errors_of(&s, &doc(&yaml));
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "expected `{expected}` for\n{yaml}\ngot {errors:#?}"
        );
    }
}

/// The first document of `yaml` as JSON.
fn json_doc(yaml: &str) -> Value {
    let parse = playbook_syntax::parse(yaml);
    let body = ast::documents(parse.tree())
        .next()
        .and_then(|d| d.body())
        .unwrap();
    to_json(body, 0).unwrap()
}

/// A test file with every key the test-file reader knows, each in each of its forms.
const FULL_TEST: &str = r#"kind: PlaybookTest
playbook: greet
cases:
  - name: every key
    params: {Who: boss, Count: 3, Empty: }
    event: {labels: {host: db1}, n: 1, list: [a, {b: c}]}
    outputs:
      hello: {count: 3, output: raw, nested: {a: [1, 2]}}
      quiet:
    runs: [hello, 42]
    skips: [loud]
    inputs:
      hello:
        env:
          TEXT: hello boss
          MORE: {equals: x, contains: "y", matches: '^z'}
          NUMBER: 8
        args: {0: a, 1: {contains: b}}
        runner: {equals: agent}
        envFrom: {integrationRef: slack-prod}
      each:
        - iteration: 0
          env: {TEXT: first}
        - iteration: [1, 0]
          envFrom:
            integrationRef: {matches: "^slack"}
    fails: {contains: boom}
  - name: fails with a plain value
    fails: wrong type
"#;

/// The schema accepts everything the test-file reader accepts without a diagnostic, and
/// flags what the reader rejects, so that the editor and `playbook check` agree.
#[test]
fn the_schema_and_the_test_file_reader_agree() {
    let s = schema();
    let lowered = playbook_hir::lower(playbook_syntax::parse(FULL_TEST).tree());
    assert_eq!(lowered.diagnostics, Vec::new());
    assert_eq!(lowered.file.tests().count(), 1);
    assert_eq!(errors_of(&s, &json_doc(FULL_TEST)), Vec::<String>::new());
    // Every key of the reader's lists is used above, so the check covers all of them.
    for key in hir_schema::TEST
        .iter()
        .chain(hir_schema::TEST_CASE)
        .chain(hir_schema::TEST_INPUTS)
        .chain(hir_schema::TEST_ENV_FROM)
        .chain(hir_schema::MATCHER)
    {
        assert!(
            FULL_TEST.contains(&format!("{key}:")),
            "`{key}` is not used"
        );
    }

    let head = "kind: PlaybookTest\nplaybook: greet\ncases:\n  - name: c\n";
    let cases = [
        (format!("{head}    input: {{}}\n"), "`input` is not allowed"),
        (
            "apiVersion: stackpulse.io/v1\nkind: PlaybookTest\nplaybook: p\ncases: []\n"
                .to_string(),
            "`apiVersion` is not allowed",
        ),
        (
            "kind: PlaybookTest\ncases: []\n".to_string(),
            "`playbook` is required",
        ),
        (
            "kind: PlaybookTest\nplaybook: p\ncases:\n  - runs: [a]\n".to_string(),
            "`name` is required",
        ),
        (format!("{head}    runs: a\n"), "/cases/0/runs"),
        (
            format!("{head}    inputs:\n      s:\n        env: {{T: {{equal: x}}}}\n"),
            "/inputs/s: matches none",
        ),
        (
            format!("{head}    inputs:\n      s:\n        iteration: -1\n        env: {{T: x}}\n"),
            "/inputs/s: matches none",
        ),
        (
            format!(
                "{head}    inputs:\n      s:\n        - iteration: []\n          env: {{T: x}}\n"
            ),
            "/inputs/s: matches none",
        ),
        (
            format!("{head}    inputs:\n      s:\n        envFrom: {{integrationref: x}}\n"),
            "/inputs/s: matches none",
        ),
        (
            format!("{head}    fails: {{contain: x}}\n"),
            "/cases/0/fails: matches none",
        ),
    ];
    for (yaml, expected) in cases {
        let lowered = playbook_hir::lower(playbook_syntax::parse(&yaml).tree());
        assert!(
            !lowered.diagnostics.is_empty(),
            "the reader accepts\n{yaml}"
        );
        let errors = errors_of(&s, &json_doc(&yaml));
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "expected `{expected}` for\n{yaml}\ngot {errors:#?}"
        );
    }
}
