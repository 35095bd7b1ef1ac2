//! Data-driven tests of the template parser: each case prints every action (range and
//! parsed form) and every error (range, code, message, label, help).

// An integration test is not `#[cfg(test)]`, so clippy's `allow-unwrap-in-tests` misses it.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;

use expect_test::{Expect, expect};
use playbook_template::{Node, parse};

fn render(src: &str) -> String {
    let template = parse(src);
    let mut out = String::new();
    for action in template.actions() {
        let open = if action.trim_left { "{{-" } else { "{{" };
        let close = match (action.closed, action.trim_right) {
            (false, _) => "(unclosed)",
            (true, true) => "-}}",
            (true, false) => "}}",
        };
        writeln!(out, "{:?} {open} {action} {close}", action.range()).unwrap();
    }
    for error in template.errors() {
        writeln!(
            out,
            "error {:?} {}: {}",
            error.range, error.code.id, error.message
        )
        .unwrap();
        if let Some(label) = &error.label {
            writeln!(out, "  label: {label}").unwrap();
        }
        if let Some(help) = &error.help {
            writeln!(out, "  help: {help}").unwrap();
        }
    }
    out
}

fn check(src: &str, expect: Expect) {
    expect.assert_eq(&render(src));
}

#[test]
fn text_only() {
    check("no actions here", expect![[""]]);
    check("", expect![[""]]);
}

#[test]
fn simple_paths() {
    check(
        "{{ $.params.x }} {{ .params.x }} {{ . }} {{ $ }}",
        expect![[r#"
            0..16 {{ (path $ .params .x) }}
            17..32 {{ (path . .params .x) }}
            33..40 {{ (path .) }}
            41..48 {{ (path $) }}
        "#]],
    );
}

#[test]
fn quoted_segments() {
    check(
        r#"{{ $.'redis-info'.info.Clients.connected_clients }} {{ $."x-y" }} {{ $.`a b`.c }}"#,
        expect![[r#"
            0..51 {{ (path $ .'redis-info' .info .Clients .connected_clients) }}
            52..65 {{ (path $ ."x-y") }}
            66..81 {{ (path $ .`a b` .c) }}
        "#]],
    );
}

#[test]
fn indexes_slices_and_wildcards() {
    check(
        "{{ toJson $.get_tags.Tags.[:].Name }} {{ toJson $.get_repositories.Repositories.* }}",
        expect![[r#"
            0..37 {{ (call toJson (path $ .get_tags .Tags .[:] .Name)) }}
            38..84 {{ (call toJson (path $ .get_repositories .Repositories .*)) }}
        "#]],
    );
    check(
        "{{ $.a[0] }} {{ $.a[:] }} {{ $.a[1:3] }} {{ $.a[1:] }} {{ .[0] }} {{ $.a[$i] }}",
        expect![[r#"
        0..12 {{ (path $ .a [(number 0)]) }}
        13..25 {{ (path $ .a [:]) }}
        26..40 {{ (path $ .a [(number 1):(number 3)]) }}
        41..54 {{ (path $ .a [(number 1):]) }}
        55..65 {{ (path . [(number 0)]) }}
        66..79 {{ (path $ .a [(path $i)]) }}
    "#]],
    );
}

#[test]
fn variables() {
    check(
        "{{ $x }} {{ $x.name }} {{ $x := 1 }} {{ $x = 2 }} {{ $_ }}",
        expect![[r#"
        0..8 {{ (path $x) }}
        9..22 {{ (path $x .name) }}
        23..36 {{ (declare ($x) (number 1)) }}
        37..49 {{ (assign ($x) (number 2)) }}
        50..58 {{ (path $_) }}
    "#]],
    );
}

#[test]
fn literals() {
    check(
        r#"{{ "a\n\t\"\\" }} {{ "\x41\u00e9\U0001F600\101" }} {{ `raw \n` }} {{ 'a' }} {{ 3 }} {{ -3 }} {{ 1.5e3 }} {{ 0x1F }} {{ true }} {{ false }} {{ nil }}"#,
        expect![[r#"
            0..17 {{ (string "a\n\t\"\\") }}
            18..50 {{ (string "Aé😀A") }}
            51..65 {{ (raw "raw \\n") }}
            66..75 {{ (char 'a') }}
            76..83 {{ (number 3) }}
            84..92 {{ (number -3) }}
            93..104 {{ (number 1.5e3) }}
            105..115 {{ (number 0x1F) }}
            116..126 {{ (bool true) }}
            127..138 {{ (bool false) }}
            139..148 {{ nil }}
        "#]],
    );
}

#[test]
fn trim_markers() {
    check(
        "{{- if gt (len .items) 0 -}}x{{- end -}}",
        expect![[r#"
            0..28 {{- if (call gt (paren (call len (path . .items))) (number 0)) -}}
            29..40 {{- end -}}
        "#]],
    );
    check(
        "{{-3}} {{3 -}} {{- 3}}",
        expect![[r#"
        0..6 {{ (number -3) }}
        7..14 {{ (number 3) -}}
        15..22 {{- (number 3) }}
    "#]],
    );
}

#[test]
fn comments() {
    check(
        "{{/* a comment */}} {{- /* trimmed */ -}} {{/* }} inside */}}",
        expect![[r#"
        0..19 {{ comment }}
        20..41 {{- comment -}}
        42..61 {{ comment }}
    "#]],
    );
    check(
        "{{/* unterminated }} {{/* a */ x }}",
        expect![[r#"
            0..20 {{ comment }}
            21..35 {{ comment }}
            error 2..4 PB101: unterminated comment
              label: this comment has no `*/`
              help: close it with `*/` right before `}}`
            error 30..32 PB101: text after comment
              label: a comment must end right before `}}`
              help: move this text into its own action
        "#]],
    );
}

#[test]
fn calls_and_pipelines() {
    check(
        r#"{{ toJson $.'redis-info'.info | b64enc }} {{ secret $.params.RedisPassword }} {{ now }}"#,
        expect![[r#"
            0..41 {{ (pipeline (call toJson (path $ .'redis-info' .info)) (call b64enc)) }}
            42..77 {{ (call secret (path $ .params .RedisPassword)) }}
            78..87 {{ (call now) }}
        "#]],
    );
    check(
        r#"{{ ieq (get "$.event.Type") "Updated" }} {{ and ( ieq .Type "created" ) }}"#,
        expect![[r#"
            0..40 {{ (call ieq (paren (call get (string "$.event.Type"))) (string "Updated")) }}
            41..74 {{ (call and (paren (call ieq (path . .Type) (string "created")))) }}
        "#]],
    );
    check(
        r#"{{ printf "%s|%s" .a (f "x|y") | upper }}"#,
        expect![[r#"
        0..41 {{ (pipeline (call printf (string "%s|%s") (path . .a) (paren (call f (string "x|y")))) (call upper)) }}
    "#]],
    );
    check(
        "{{ (index .items 0).Name }} {{ (f) }}",
        expect![[r#"
        0..27 {{ (paren (call index (path . .items) (number 0)) .Name) }}
        28..37 {{ (paren (call f)) }}
    "#]],
    );
}

#[test]
fn control_actions() {
    check(
        r#"{{ if eq $.params.x "a" }}A{{ else if ne .b 1 }}B{{ else }}C{{ end }}"#,
        expect![[r#"
            0..26 {{ if (call eq (path $ .params .x) (string "a")) }}
            27..48 {{ else if (call ne (path . .b) (number 1)) }}
            49..59 {{ else }}
            60..69 {{ end }}
        "#]],
    );
    check(
        "{{ range $i, $v := .items }}{{ $i }}{{ if $v }}{{ break }}{{ else }}{{ continue }}{{ end }}{{ end }}",
        expect![[r#"
            0..28 {{ range (declare ($i $v) (path . .items)) }}
            28..36 {{ (path $i) }}
            36..47 {{ if (path $v) }}
            47..58 {{ break }}
            58..68 {{ else }}
            68..82 {{ continue }}
            82..91 {{ end }}
            91..100 {{ end }}
        "#]],
    );
    check(
        "{{ with .a }}{{ . }}{{ else with .b }}{{ . }}{{ else }}none{{ end }}",
        expect![[r#"
            0..13 {{ with (path . .a) }}
            13..20 {{ (path .) }}
            20..38 {{ else with (path . .b) }}
            38..45 {{ (path .) }}
            45..55 {{ else }}
            59..68 {{ end }}
            error 20..38 PB105: `else with` is not supported
              label: Go 1.19, which runs the templates, has no `else with`
              help: write `{{ else }}{{ with ... }}`, and close that `with` with its own `{{ end }}`
        "#]],
    );
    check(
        r#"{{ define "x" }}y{{ end }}{{ template "x" . }}{{ template "x" }}{{ block "b" .c }}z{{ end }}"#,
        expect![[r#"
            0..16 {{ define (string "x") }}
            17..26 {{ end }}
            26..46 {{ template (string "x") (path .) }}
            46..64 {{ template (string "x") }}
            64..82 {{ block (string "b") (path . .c) }}
            83..92 {{ end }}
        "#]],
    );
}

#[test]
fn real_world() {
    check(
        "Clients: {{ $.'redis-info'.info.Clients.connected_clients }}",
        expect![[r#"
            9..60 {{ (path $ .'redis-info' .info .Clients .connected_clients) }}
        "#]],
    );
    check(
        "{{ toPrettyJson .data }}\n{{ if gt (len $.list_pods.pods) 0 }}\n  pods\n{{ end }}",
        expect![[r#"
            0..24 {{ (call toPrettyJson (path . .data)) }}
            25..61 {{ if (call gt (paren (call len (path $ .list_pods .pods))) (number 0)) }}
            69..78 {{ end }}
        "#]],
    );
}

#[test]
fn multi_line_action() {
    check(
        "{{ eq\n  .a\n  .b }}",
        expect![[r#"
        0..18 {{ (call eq (path . .a) (path . .b)) }}
    "#]],
    );
}

#[test]
fn unclosed_action_then_valid() {
    check(
        "{{ $.params.a text {{ $.params.b }}",
        expect![[r#"
        0..19 {{ (error (path $ .params .a) (call text)) (unclosed)
        19..35 {{ (path $ .params .b) }}
        error 0..2 PB102: unclosed action
          label: this `{{` is never closed
          help: add `}}` where the action should end
    "#]],
    );
    check(
        "end {{ $.params.a",
        expect![[r#"
        4..17 {{ (path $ .params .a) (unclosed)
        error 4..6 PB102: unclosed action
          label: this `{{` is never closed
          help: add `}}` where the action should end
    "#]],
    );
}

#[test]
fn stray_close() {
    check(
        "Redis at $.params.ip }} is down {{ .x }}",
        expect![[r#"
        32..40 {{ (path . .x) }}
        error 21..23 PB103: unmatched `}}`
          label: this `}}` closes no action
          help: add the missing `{{` before the expression, or remove the `}}`
    "#]],
    );
}

#[test]
fn bad_token_among_valid_actions() {
    check(
        r#"{{ .a }} {{ eq .b @ "x" }} {{ .c }}"#,
        expect![[r#"
        0..8 {{ (path . .a) }}
        9..26 {{ (call eq (path . .b) (error) (string "x")) }}
        27..35 {{ (path . .c) }}
        error 18..19 PB101: unexpected character `@`
          label: not valid in a template action
    "#]],
    );
    check(
        r#"{{ eq $.params. "a" }}"#,
        expect![[r#"
        0..22 {{ (call eq (path $ .params) (string "a")) }}
        error 14..15 PB101: missing field name after `.`
          label: expected a field name after this dot
          help: complete the path, or remove the trailing `.`
    "#]],
    );
    check(
        "{{ f x) }} {{ f | }} {{ .a .b }} {{ f (g x }}",
        expect![[r#"
            0..10 {{ (call f (call x)) }}
            11..20 {{ (call f) }}
            21..32 {{ (error (path . .a) (path . .b)) }}
            33..45 {{ (call f (paren (call g (call x)))) }}
            error 6..7 PB101: unmatched `)`
              label: no `(` is open here
              help: remove it, or add the `(` it closes
            error 16..17 PB101: missing command after `|`
              label: expected a function or a value after this `|`
              help: add the command, or remove the `|`
            error 27..29 PB101: argument given to a value that is not a function
              label: only a function takes arguments
              help: put the function first (`eq .a .b`), or separate commands with `|`
            error 38..39 PB101: unclosed `(`
              label: this `(` is never closed
              help: add `)` where the parenthesised expression ends
        "#]],
    );
}

#[test]
fn string_errors() {
    check(
        r#"{{ "abc }} {{ .x }}"#,
        expect![[r#"
        0..10 {{ (string "abc ") }}
        11..19 {{ (path . .x) }}
        error 3..8 PB101: unterminated string
          label: this string is never closed
          help: add the closing `"`
    "#]],
    );
    check(
        r#"{{ "a\qb" }} {{ 'abc' }} {{ 12ab }}"#,
        expect![[r#"
        0..12 {{ (string "aqb") }}
        13..24 {{ (char 'abc') }}
        25..35 {{ (error) }}
        error 5..7 PB101: invalid escape `\q`
          label: unknown escape sequence
          help: write `\\` for a backslash, or use a raw string in backquotes
        error 16..21 PB101: character literal must hold one character
          label: single quotes make a character, not a string
          help: write strings in double quotes: "..."
        error 28..32 PB101: malformed number `12ab`
          label: not a valid number
    "#]],
    );
}

#[test]
fn empty_and_missing() {
    check(
        "{{ }} {{}} {{ if }}{{ end }} {{ $.a[] }}",
        expect![[r#"
        0..5 {{ error }}
        6..10 {{ error }}
        11..19 {{ if (missing) }}
        19..28 {{ end }}
        29..40 {{ (path $ .a) }}
        error 0..5 PB101: empty action
          label: nothing between the braces
          help: write an expression inside, or remove the braces
        error 6..10 PB101: empty action
          label: nothing between the braces
          help: write an expression inside, or remove the braces
        error 14..16 PB101: missing pipeline after `if`
          label: `if` needs a value to test
          help: write the value after it: `{{ if .x }}`
        error 35..37 PB101: empty index
          label: expected an index or a slice
          help: write `[0]` for an element or `[:]` for all of them
    "#]],
    );
}

#[test]
fn block_errors() {
    check(
        "{{ if .a }}x",
        expect![[r#"
        0..11 {{ if (path . .a) }}
        error 0..11 PB104: `if` is never closed
          label: this `if` has no matching `{{ end }}`
          help: add `{{ end }}` where the block should end
    "#]],
    );
    check(
        "{{ range .a }}{{ with .b }}x{{ end }}",
        expect![[r#"
        0..14 {{ range (path . .a) }}
        14..27 {{ with (path . .b) }}
        28..37 {{ end }}
        error 0..14 PB104: `range` is never closed
          label: this `range` has no matching `{{ end }}`
          help: add `{{ end }}` where the block should end
    "#]],
    );
    check(
        "x{{ end }}",
        expect![[r#"
        1..10 {{ end }}
        error 1..10 PB105: unmatched `end`
          label: no block is open here
          help: remove this `{{ end }}`, or add the `{{ if ... }}` it closes
    "#]],
    );
    check(
        "{{ else }} {{ if .a }}{{ else }}{{ else }}{{ end }} {{ range .x }}{{ else if .y }}{{ end }}",
        expect![[r#"
            0..10 {{ else }}
            11..22 {{ if (path . .a) }}
            22..32 {{ else }}
            32..42 {{ else }}
            42..51 {{ end }}
            52..66 {{ range (path . .x) }}
            66..82 {{ else if (path . .y) }}
            82..91 {{ end }}
            error 0..10 PB105: `else` outside a block
              label: no `if`, `range` or `with` is open here for this `else`
              help: remove it, or add the `{{ if ... }}` it belongs to
            error 32..42 PB105: `else` after `else`
              label: the block already has its final `{{ else }}`
              help: remove it, or merge it into the earlier `{{ else }}`
            error 66..82 PB105: misplaced `else if`
              label: Go accepts `else if` only in an `if` block, not in a `range`
              help: write `{{ else }}{{ if ... }}`, and close that `if` with its own `{{ end }}` before the `range`'s
        "#]],
    );
    check(
        "{{ break }}",
        expect![[r#"
        0..11 {{ break }}
        error 0..11 PB105: `break` outside `range`
          label: no loop for `break` to act on
          help: use `{{ break }}` only inside a `range` block
    "#]],
    );
}

#[test]
fn dot_rebinding() {
    let template = parse(
        "{{ .a }}{{ range .items }}{{ .name }}{{ $.params.x }}{{ else }}{{ .b }}{{ end }}{{ with .c }}{{ .d }}{{ end }}{{ if .e }}{{ .f }}{{ end }}",
    );
    let scoped: Vec<String> = template
        .paths_with_scope()
        .map(|p| format!("{} rebound={}", p.path, p.dot_rebound))
        .collect();
    expect![[r#"
        [
            "(path . .a) rebound=false",
            "(path . .items) rebound=false",
            "(path . .name) rebound=true",
            "(path $ .params .x) rebound=true",
            "(path . .b) rebound=false",
            "(path . .c) rebound=false",
            "(path . .d) rebound=true",
            "(path . .e) rebound=false",
            "(path . .f) rebound=false",
        ]
    "#]]
    .assert_debug_eq(&scoped);
}

#[test]
fn paths_and_calls() {
    let template = parse(r#"{{ if eq (len $.a[.i]) 0 }}{{ toJson $.b | b64enc }}{{ end }}"#);
    let paths: Vec<String> = template
        .paths()
        .map(|p| format!("{:?} {p}", p.range))
        .collect();
    let calls: Vec<String> = template
        .calls()
        .map(|c| {
            format!(
                "{:?} {} name={:?} args={}",
                c.range,
                c.name,
                c.name_range,
                c.args.len()
            )
        })
        .collect();
    expect![[r#"
        (
            [
                "14..21 (path $ .a [(path . .i)])",
                "18..20 (path . .i)",
                "37..40 (path $ .b)",
            ],
            [
                "6..24 eq name=6..8 args=2",
                "10..21 len name=10..13 args=1",
                "30..40 toJson name=30..36 args=1",
                "43..49 b64enc name=43..49 args=0",
            ],
        )
    "#]]
    .assert_debug_eq(&(paths, calls));
}

#[test]
fn node_at_offsets() {
    let src = r#"{{ secret $.params.Pass | f "s" }}{{ $x := .a }}"#;
    let template = parse(src);
    let describe = |offset: u32| match template.node_at(offset) {
        Some(Node::Segment(path, n)) => format!("segment {} of {path}", path.segments[n]),
        Some(Node::Root(path)) => format!("root of {path}"),
        Some(Node::Path(path)) => format!("path {path}"),
        Some(Node::ParenSegment(_, n)) => format!("paren segment {n}"),
        Some(Node::Function(call)) => format!("function {}", call.name),
        Some(Node::Literal(literal)) => format!("literal {literal}"),
        Some(Node::Variable(variable)) => format!("variable ${}", variable.name),
        None => "nothing".to_string(),
    };
    let mut out = String::new();
    for needle in [
        "secret", "$.", "params", "Pass", "f ", "\"s\"", "$x", ".a", "}}",
    ] {
        let offset = src.find(needle).unwrap() as u32;
        writeln!(out, "{needle:?} at {offset}: {}", describe(offset)).unwrap();
    }
    expect![[r#"
        "secret" at 3: function secret
        "$." at 10: root of (path $ .params .Pass)
        "params" at 12: segment .params of (path $ .params .Pass)
        "Pass" at 19: segment .Pass of (path $ .params .Pass)
        "f " at 26: function f
        "\"s\"" at 28: literal (string "s")
        "$x" at 37: variable $x
        ".a" at 43: root of (path . .a)
        "}}" at 32: nothing
    "#]]
    .assert_eq(&out);
}

#[test]
fn elements_and_blocks() {
    let template = parse("a{{ if .x }}b{{ else }}c{{ end }}d");
    expect![[r#"
        (
            [
                Text(
                    0..1,
                ),
                Action(
                    0,
                ),
                Text(
                    12..13,
                ),
                Action(
                    1,
                ),
                Text(
                    23..24,
                ),
                Action(
                    2,
                ),
                Text(
                    33..34,
                ),
            ],
            [
                Block {
                    kind: If,
                    open: 0,
                    branches: [
                        1,
                    ],
                    end: Some(
                        2,
                    ),
                    parent: None,
                    range: 1..33,
                },
            ],
        )
    "#]]
    .assert_debug_eq(&(template.elements(), template.blocks()));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let deep = format!("{{{{ {} }}}}", "(".repeat(100_000));
            let template = parse(&deep);
            let codes: Vec<&str> = template.errors().iter().map(|e| e.code.id).collect();
            let ok = format!("{{{{ {}f{} }}}}", "(".repeat(64), ")".repeat(64));
            let template_ok = parse(&ok);
            (
                codes,
                template_ok.errors().len(),
                template_ok.actions().count(),
            )
        })
        .unwrap();
    let (codes, ok_errors, ok_actions) = handle.join().unwrap();
    assert_eq!(codes, ["PB101"]);
    assert_eq!((ok_errors, ok_actions), (0, 1));
}

#[test]
fn brackets_nest_deeply_too() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let deep = format!("{{{{ $.a{} }}}}", "[$.a".repeat(100_000));
            parse(&deep)
                .errors()
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
        })
        .unwrap();
    let messages = handle.join().unwrap();
    assert_eq!(messages, ["expression nested too deeply"]);
}

#[test]
fn long_input_completes() {
    let mut src = String::new();
    while src.len() < 1_000_000 {
        src.push_str("text {{ toJson $.step.output.items | b64enc }} {{ if .a }}x{{ end }}\n");
    }
    let template = parse(&src);
    assert!(template.errors().is_empty());
    assert!(template.actions().count() > 30_000);
    // Long unclosed and stray inputs complete too.
    let unclosed = "{{ \"".repeat(100_000);
    assert!(!parse(&unclosed).errors().is_empty());
    let strays = "}}".repeat(200_000);
    assert_eq!(parse(&strays).errors().len(), 200_000);
}

#[test]
fn never_panics_on_odd_inputs() {
    for src in [
        "{{",
        "}}",
        "{{-",
        "-}}",
        "{{- -}}",
        "{{/*",
        "{{/**/}}",
        "{{ \"\\",
        "{{ '",
        "{{ `",
        "{{ $",
        "{{ .",
        "{{ [",
        "{{ ]",
        "{{ ( }}",
        "{{ ) }}",
        "{{ | }}",
        "{{ := }}",
        "{{ $x, }}",
        "{{ é }}",
        "{{ $é.ü }}",
        "{{ \"\\u12\" }}",
        "{{ 0x }}",
        "{{ -}}",
        "{{{{}}}}",
        "{{ \"}}\" }}",
        "{{ .a.[ }}",
        "{{ .a[1:2:3] }}",
    ] {
        let template = parse(src);
        for action in template.actions() {
            let _ = action.to_string();
        }
        let _ = template.node_at(1);
    }
}

#[test]
fn codes_are_documented() {
    for code in playbook_template::codes::ALL {
        for section in [
            "## What it means",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(code.doc.contains(section), "{} lacks {section}", code.id);
        }
    }
    let ids: Vec<&str> = playbook_template::codes::ALL.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["PB101", "PB102", "PB103", "PB104", "PB105"]);
}

#[test]
fn contains_actions_detects_braces() {
    assert!(playbook_template::contains_actions("a {{ .x }}"));
    assert!(!playbook_template::contains_actions("a { b }"));
}

#[test]
fn recovery_inside_actions() {
    check(
        r#"{{ $x := }} {{ .a | }} {{ f :x }} {{ (f }} {{ $.a[1 }} {{ range $i, := .x }} {{ .a.[ }} {{ 'ab }} {{ f (g x }} {{ if .a b }}"#,
        expect![[r#"
            0..11 {{ (declare ($x) (missing)) }}
            12..22 {{ (path . .a) }}
            23..33 {{ (call f (error)) }}
            34..42 {{ (paren (call f)) }}
            43..54 {{ (path $ .a [(number 1)]) }}
            55..76 {{ range (path $i) }}
            77..87 {{ (path . .a) }}
            88..97 {{ (error) }}
            98..110 {{ (call f (paren (call g (call x)))) }}
            111..124 {{ if (error (path . .a) (call b)) }}
            error 3..8 PB101: missing value after `:=`
              label: expected a value to assign
              help: write the value after `:=`: `$x := .items`
            error 18..19 PB101: missing command after `|`
              label: expected a function or a value after this `|`
              help: add the command, or remove the `|`
            error 28..29 PB101: unexpected `:`
              label: expected a value
            error 37..38 PB101: unclosed `(`
              label: this `(` is never closed
              help: add `)` where the parenthesised expression ends
            error 49..50 PB101: unclosed `[`
              label: this `[` is never closed
              help: add `]` after the index
            error 55..76 PB104: `range` is never closed
              label: this `range` has no matching `{{ end }}`
              help: add `{{ end }}` where the block should end
            error 66..67 PB101: unexpected `,`
              label: expected the end of the action
            error 83..84 PB101: unclosed `[`
              label: this `[` is never closed
              help: add `]` after the index
            error 91..95 PB101: unterminated quoted name
              label: this quoted name is never closed
              help: add the closing `'`
            error 103..104 PB101: unclosed `(`
              label: this `(` is never closed
              help: add `)` where the parenthesised expression ends
            error 111..124 PB104: `if` is never closed
              label: this `if` has no matching `{{ end }}`
              help: add `{{ end }}` where the block should end
            error 120..121 PB101: argument given to a value that is not a function
              label: only a function takes arguments
              help: put the function first (`eq .a .b`), or separate commands with `|`
        "#]],
    );
}

/// A small deterministic generator (no dependency needed): xorshift.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_inputs_keep_the_invariants() {
    const FRAGMENTS: &[&str] = &[
        "{{", "}}", "{{- ", " -}}", " ", "$", ".", "a", "params", "'", "\"", "`", "(", ")", "[",
        "]", ":", ":=", "=", "|", "if ", "else ", "end", "range ", "with ", "/*", "*/", "-", "1",
        "0x", "é", "\\", "\n", "@", ",", "*", "x-y", "eq ", "$v", "break", "define ",
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..5_000 {
        let len = (next(&mut state) % 24) as usize;
        let src: String = (0..len)
            .map(|_| FRAGMENTS[(next(&mut state) % FRAGMENTS.len() as u64) as usize])
            .collect();
        let template = parse(&src);
        assert_eq!(template, parse(&src), "not deterministic: {src:?}");
        let text_len = src.len() as u32;

        // Text and actions tile the whole input, in order.
        let mut covered = 0;
        for element in template.elements() {
            let range = match *element {
                playbook_template::Element::Text(range) => range,
                playbook_template::Element::Action(index) => template.action(index).unwrap().range,
            };
            assert_eq!(range.start(), covered, "gap or overlap in {src:?}");
            covered = range.end();
        }
        assert_eq!(covered, text_len, "input not covered: {src:?}");

        for action in template.actions() {
            assert!(action.range.contains_range(action.content), "{src:?}");
            let _ = action.to_string();
        }
        for error in template.errors() {
            assert!(error.range.end() <= text_len, "{src:?}: {error:?}");
            assert!(
                src.is_char_boundary(error.range.start() as usize),
                "{src:?}"
            );
            assert!(src.is_char_boundary(error.range.end() as usize), "{src:?}");
        }
        for scoped in template.paths_with_scope() {
            let action = template.action(scoped.action).unwrap();
            assert!(action.range.contains_range(scoped.path.range), "{src:?}");
            for segment in &scoped.path.segments {
                assert!(scoped.path.range.contains_range(segment.range), "{src:?}");
            }
        }
        for call in template.calls() {
            assert!(call.range.contains_range(call.name_range), "{src:?}");
        }
        for offset in 0..=text_len {
            let _ = template.node_at(offset);
        }
    }
}

#[test]
fn keywords_as_field_names_and_braces_in_strings() {
    check(
        r#"{{ $.end.range.if }} {{ "{{ not an action }}" }} {{ `}}` }} {{ '}' }}"#,
        expect![[r#"
            0..20 {{ (path $ .end .range .if) }}
            21..48 {{ (string "{{ not an action }}") }}
            49..59 {{ (raw "}}") }}
            60..69 {{ (char '}') }}
        "#]],
    );
}

#[test]
fn numbers() {
    check(
        "{{ 1_000 }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 0x1p-2 }} {{ +1.5 }} {{ 1e }} {{ 09 }} {{ 0x }}",
        expect![[r#"
            0..11 {{ (number 1_000) }}
            12..22 {{ (number 0o17) }}
            23..32 {{ (number 017) }}
            33..44 {{ (number 0b101) }}
            45..57 {{ (number 0x1p-2) }}
            58..68 {{ (number +1.5) }}
            69..77 {{ (error) }}
            78..86 {{ (error) }}
            87..95 {{ (error) }}
            error 72..74 PB101: malformed number `1e`
              label: not a valid number
            error 81..83 PB101: malformed number `09`
              label: not a valid number
            error 90..92 PB101: malformed number `0x`
              label: not a valid number
        "#]],
    );
}

#[test]
fn unclosed_actions_are_not_checked() {
    let template = parse("{{ $.params.typo\n{{ $.params.b }}");
    let paths: Vec<String> = template.paths().map(|p| p.to_string()).collect();
    assert_eq!(paths, ["(path $ .params .b)"]);
    // But the editor still sees what is being typed.
    assert!(matches!(template.node_at(14), Some(Node::Segment(..))));
}

#[test]
fn variables_in_scope_blocks() {
    let template = parse("{{ range $i, $v := .items }}{{ with $v.x }}{{ $i }}{{ end }}{{ end }}");
    let inner = template.enclosing_blocks(2);
    let kinds: Vec<&str> = inner.iter().map(|b| b.kind.keyword()).collect();
    assert_eq!(kinds, ["with", "range"]);
    assert_eq!(template.enclosing_blocks(0).len(), 0);
    assert_eq!(template.enclosing_blocks(4).len(), 0);
}

#[test]
fn literals_across_lines_and_trim_edges() {
    check(
        "{{ \"abc\n }} {{ `a\n}}b` }} {{- }} {{-}} {{ x-}}",
        expect![[r#"
            0..11 {{ (string "abc") }}
            12..25 {{ (raw "a\n}}b") }}
            26..32 {{- error }}
            33..38 {{ (error) }}
            39..46 {{ (call x) }}
            error 3..7 PB101: unterminated string
              label: this string is never closed
              help: add the closing `"`
            error 26..32 PB101: empty action
              label: nothing between the braces
              help: write an expression inside, or remove the braces
            error 35..36 PB101: unexpected character `-`
              label: not valid in a template action
              help: a trim marker needs a space before it: ` -}}`
            error 43..44 PB101: unexpected character `-`
              label: not valid in a template action
              help: a trim marker needs a space before it: ` -}}`
        "#]],
    );
}

#[test]
fn text_and_actions_in_one_scalar() {
    check(
        "Pod {{ .pod }} on {{ $.params.node }}: {{ if .ok }}ok{{ else }}{{ .reason | upper }}{{ end }}.",
        expect![[r#"
            4..14 {{ (path . .pod) }}
            18..37 {{ (path $ .params .node) }}
            39..51 {{ if (path . .ok) }}
            53..63 {{ else }}
            63..84 {{ (pipeline (path . .reason) (call upper)) }}
            84..93 {{ end }}
        "#]],
    );
}

/// Go 1.19 accepts `else if` only in an `if` block (with/range refuse it: "unexpected <if> in
/// input"), and has neither `else with` nor `else range` ("unexpected <with> in else"): each
/// is reported with the spelling Go accepts, and the block around it stays whole.
#[test]
fn else_forms_go_refuses() {
    check(
        "{{ with .a }}x{{ else if .b }}y{{ else }}z{{ end }}",
        expect![[r#"
            0..13 {{ with (path . .a) }}
            14..30 {{ else if (path . .b) }}
            31..41 {{ else }}
            42..51 {{ end }}
            error 14..30 PB105: misplaced `else if`
              label: Go accepts `else if` only in an `if` block, not in a `with`
              help: write `{{ else }}{{ if ... }}`, and close that `if` with its own `{{ end }}` before the `with`'s
        "#]],
    );
    check(
        "{{ range .a }}x{{ else if .b }}y{{ end }}",
        expect![[r#"
        0..14 {{ range (path . .a) }}
        15..31 {{ else if (path . .b) }}
        32..41 {{ end }}
        error 15..31 PB105: misplaced `else if`
          label: Go accepts `else if` only in an `if` block, not in a `range`
          help: write `{{ else }}{{ if ... }}`, and close that `if` with its own `{{ end }}` before the `range`'s
    "#]],
    );
    check(
        "{{ with .a }}x{{ else with .b }}y{{ end }}",
        expect![[r#"
        0..13 {{ with (path . .a) }}
        14..32 {{ else with (path . .b) }}
        33..42 {{ end }}
        error 14..32 PB105: `else with` is not supported
          label: Go 1.19, which runs the templates, has no `else with`
          help: write `{{ else }}{{ with ... }}`, and close that `with` with its own `{{ end }}`
    "#]],
    );
    check(
        "{{ if .a }}x{{ else with .b }}y{{ end }}",
        expect![[r#"
        0..11 {{ if (path . .a) }}
        12..30 {{ else with (path . .b) }}
        31..40 {{ end }}
        error 12..30 PB105: `else with` is not supported
          label: Go 1.19, which runs the templates, has no `else with`
          help: write `{{ else }}{{ with ... }}`, and close that `with` with its own `{{ end }}`
    "#]],
    );
    check(
        "{{ else with .b }}y",
        expect![[r#"
        0..18 {{ else with (path . .b) }}
        error 0..18 PB105: `else with` is not supported
          label: Go 1.19, which runs the templates, has no `else with`
          help: write `{{ else }}{{ with ... }}`, and close that `with` with its own `{{ end }}`
    "#]],
    );
    check(
        "{{ range .a }}x{{ else range .b }}y{{ end }}",
        expect![[r#"
        0..14 {{ range (path . .a) }}
        15..34 {{ else }}
        35..44 {{ end }}
        error 23..31 PB101: `else range` is not supported
          label: Go has no `else range`: `else` ends its action
          help: write `{{ else }}{{ range ... }}`, and close that `range` with its own `{{ end }}`
    "#]],
    );
    check(
        r#"{{ define "x" }}{{ else if .b }}{{ end }}"#,
        expect![[r#"
        0..16 {{ define (string "x") }}
        16..32 {{ else if (path . .b) }}
        32..41 {{ end }}
        error 16..32 PB105: misplaced `else if`
          label: `else if` cannot appear in a `define` block
          help: remove it, or add the `{{ if ... }}` it belongs to
    "#]],
    );
    // What Go accepts instead: the `if` (or `with`, `range`) nested in a plain `else`.
    check(
        "{{ with .a }}x{{ else }}{{ if .b }}y{{ else }}z{{ end }}{{ end }}",
        expect![[r#"
            0..13 {{ with (path . .a) }}
            14..24 {{ else }}
            24..35 {{ if (path . .b) }}
            36..46 {{ else }}
            47..56 {{ end }}
            56..65 {{ end }}
        "#]],
    );
}
