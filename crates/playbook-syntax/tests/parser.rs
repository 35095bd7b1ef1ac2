//! Snapshot tests of the parser: the tree of each YAML construct, and the errors and
//! recovered tree of each kind of mistake.

#![allow(clippy::unwrap_used)]

use expect_test::{Expect, expect};
use playbook_syntax::{ast, parse};

/// The tree of `input`, which must parse without errors.
fn check(input: &str, expect: Expect) {
    let parse = parse(input);
    assert_eq!(parse.tree().text(), input);
    assert!(
        parse.errors().is_empty(),
        "unexpected errors: {:?}",
        parse.errors()
    );
    expect.assert_eq(&parse.tree().debug_dump());
}

/// The errors of `input` (`start..end CODE message (help: ...)`), then its tree.
fn check_errors(input: &str, expect: Expect) {
    let parse = parse(input);
    assert_eq!(parse.tree().text(), input);
    let mut out = String::new();
    for e in parse.errors() {
        out.push_str(&format!(
            "{}..{} {} {}",
            e.range.start(),
            e.range.end(),
            e.code.id,
            e.message
        ));
        if let Some(help) = &e.help {
            out.push_str(&format!(" (help: {help})"));
        }
        out.push('\n');
    }
    out.push_str(&parse.tree().debug_dump());
    expect.assert_eq(&out);
}

const REQUIRED: &str = "apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: kubectl_logs
  description: consider using `allContainers: true`
envs:
  - name: POD
    type: string
";

#[test]
fn colon_in_plain_value_keeps_the_rest_of_the_file() {
    let parse = parse(REQUIRED);
    assert_eq!(parse.errors().len(), 1);
    let error = &parse.errors()[0];
    assert_eq!(error.code.id, "PB002");
    let colon = REQUIRED.find("allContainers:").unwrap() + "allContainers".len();
    assert_eq!(
        (error.range.start() as usize, error.range.end() as usize),
        (colon, colon + 1)
    );
    let root = ast::documents(parse.tree())
        .next()
        .unwrap()
        .body()
        .unwrap()
        .as_mapping()
        .unwrap();
    let description = root
        .get("metadata")
        .and_then(|e| e.value())
        .and_then(|v| v.as_mapping())
        .and_then(|m| m.get("description"))
        .and_then(|e| e.value())
        .and_then(|v| v.as_scalar())
        .unwrap();
    assert_eq!(description.value(), "consider using `allContainers: true`");
    let envs = root
        .get("envs")
        .and_then(|e| e.value())
        .and_then(|v| v.as_sequence())
        .unwrap();
    let item = envs.items().next().and_then(|i| i.as_mapping()).unwrap();
    let name = item
        .get("name")
        .and_then(|e| e.value())
        .and_then(|v| v.as_scalar());
    assert_eq!(name.unwrap().value(), "POD");
}

#[test]
fn required_case_snapshot() {
    check_errors(
        REQUIRED,
        expect![[r#"
        115..116 PB002 unquoted value contains `: ` (help: quote the value: "consider using `allContainers: true`")
        ROOT@0..160
          DOCUMENT@0..159
            BLOCK_MAP@0..159
              BLOCK_MAP_ENTRY@0..28
                MAP_KEY@0..10
                  SCALAR@0..10
                    PLAIN@0..10 "apiVersion"
                COLON@10..11 ":"
                WHITESPACE@11..12 " "
                MAP_VALUE@12..28
                  SCALAR@12..28
                    PLAIN@12..28 "stackpulse.io/v1"
              NEWLINE@28..29 "\n"
              BLOCK_MAP_ENTRY@29..39
                MAP_KEY@29..33
                  SCALAR@29..33
                    PLAIN@29..33 "kind"
                COLON@33..34 ":"
                WHITESPACE@34..35 " "
                MAP_VALUE@35..39
                  SCALAR@35..39
                    PLAIN@35..39 "Step"
              NEWLINE@39..40 "\n"
              BLOCK_MAP_ENTRY@40..122
                MAP_KEY@40..48
                  SCALAR@40..48
                    PLAIN@40..48 "metadata"
                COLON@48..49 ":"
                NEWLINE@49..50 "\n"
                WHITESPACE@50..52 "  "
                MAP_VALUE@52..122
                  BLOCK_MAP@52..122
                    BLOCK_MAP_ENTRY@52..70
                      MAP_KEY@52..56
                        SCALAR@52..56
                          PLAIN@52..56 "name"
                      COLON@56..57 ":"
                      WHITESPACE@57..58 " "
                      MAP_VALUE@58..70
                        SCALAR@58..70
                          PLAIN@58..70 "kubectl_logs"
                    NEWLINE@70..71 "\n"
                    WHITESPACE@71..73 "  "
                    BLOCK_MAP_ENTRY@73..122
                      MAP_KEY@73..84
                        SCALAR@73..84
                          PLAIN@73..84 "description"
                      COLON@84..85 ":"
                      WHITESPACE@85..86 " "
                      MAP_VALUE@86..122
                        SCALAR@86..122
                          PLAIN@86..122 "consider using `allContainers: true`"
              NEWLINE@122..123 "\n"
              BLOCK_MAP_ENTRY@123..159
                MAP_KEY@123..127
                  SCALAR@123..127
                    PLAIN@123..127 "envs"
                COLON@127..128 ":"
                NEWLINE@128..129 "\n"
                WHITESPACE@129..131 "  "
                MAP_VALUE@131..159
                  BLOCK_SEQ@131..159
                    BLOCK_SEQ_ENTRY@131..159
                      DASH@131..132 "-"
                      WHITESPACE@132..133 " "
                      BLOCK_MAP@133..159
                        BLOCK_MAP_ENTRY@133..142
                          MAP_KEY@133..137
                            SCALAR@133..137
                              PLAIN@133..137 "name"
                          COLON@137..138 ":"
                          WHITESPACE@138..139 " "
                          MAP_VALUE@139..142
                            SCALAR@139..142
                              PLAIN@139..142 "POD"
                        NEWLINE@142..143 "\n"
                        WHITESPACE@143..147 "    "
                        BLOCK_MAP_ENTRY@147..159
                          MAP_KEY@147..151
                            SCALAR@147..151
                              PLAIN@147..151 "type"
                          COLON@151..152 ":"
                          WHITESPACE@152..153 " "
                          MAP_VALUE@153..159
                            SCALAR@153..159
                              PLAIN@153..159 "string"
          NEWLINE@159..160 "\n"
    "#]],
    );
}

#[test]
fn block_mapping() {
    check(
        "a: b\nc: d\n",
        expect![[r#"
        ROOT@0..10
          DOCUMENT@0..9
            BLOCK_MAP@0..9
              BLOCK_MAP_ENTRY@0..4
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..4
                  SCALAR@3..4
                    PLAIN@3..4 "b"
              NEWLINE@4..5 "\n"
              BLOCK_MAP_ENTRY@5..9
                MAP_KEY@5..6
                  SCALAR@5..6
                    PLAIN@5..6 "c"
                COLON@6..7 ":"
                WHITESPACE@7..8 " "
                MAP_VALUE@8..9
                  SCALAR@8..9
                    PLAIN@8..9 "d"
          NEWLINE@9..10 "\n"
    "#]],
    );
}

#[test]
fn nested_mapping_and_sequence_at_key_indentation() {
    check(
        "k:\n  x: 1\nseq:\n- a\n- b\nz: 2\n",
        expect![[r#"
        ROOT@0..28
          DOCUMENT@0..27
            BLOCK_MAP@0..27
              BLOCK_MAP_ENTRY@0..9
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "k"
                COLON@1..2 ":"
                NEWLINE@2..3 "\n"
                WHITESPACE@3..5 "  "
                MAP_VALUE@5..9
                  BLOCK_MAP@5..9
                    BLOCK_MAP_ENTRY@5..9
                      MAP_KEY@5..6
                        SCALAR@5..6
                          PLAIN@5..6 "x"
                      COLON@6..7 ":"
                      WHITESPACE@7..8 " "
                      MAP_VALUE@8..9
                        SCALAR@8..9
                          PLAIN@8..9 "1"
              NEWLINE@9..10 "\n"
              BLOCK_MAP_ENTRY@10..22
                MAP_KEY@10..13
                  SCALAR@10..13
                    PLAIN@10..13 "seq"
                COLON@13..14 ":"
                NEWLINE@14..15 "\n"
                MAP_VALUE@15..22
                  BLOCK_SEQ@15..22
                    BLOCK_SEQ_ENTRY@15..18
                      DASH@15..16 "-"
                      WHITESPACE@16..17 " "
                      SCALAR@17..18
                        PLAIN@17..18 "a"
                    NEWLINE@18..19 "\n"
                    BLOCK_SEQ_ENTRY@19..22
                      DASH@19..20 "-"
                      WHITESPACE@20..21 " "
                      SCALAR@21..22
                        PLAIN@21..22 "b"
              NEWLINE@22..23 "\n"
              BLOCK_MAP_ENTRY@23..27
                MAP_KEY@23..24
                  SCALAR@23..24
                    PLAIN@23..24 "z"
                COLON@24..25 ":"
                WHITESPACE@25..26 " "
                MAP_VALUE@26..27
                  SCALAR@26..27
                    PLAIN@26..27 "2"
          NEWLINE@27..28 "\n"
    "#]],
    );
}

#[test]
fn compact_sequence_of_mappings() {
    check(
        "- a: b\n  c: d\n- - e\n",
        expect![[r#"
        ROOT@0..20
          DOCUMENT@0..19
            BLOCK_SEQ@0..19
              BLOCK_SEQ_ENTRY@0..13
                DASH@0..1 "-"
                WHITESPACE@1..2 " "
                BLOCK_MAP@2..13
                  BLOCK_MAP_ENTRY@2..6
                    MAP_KEY@2..3
                      SCALAR@2..3
                        PLAIN@2..3 "a"
                    COLON@3..4 ":"
                    WHITESPACE@4..5 " "
                    MAP_VALUE@5..6
                      SCALAR@5..6
                        PLAIN@5..6 "b"
                  NEWLINE@6..7 "\n"
                  WHITESPACE@7..9 "  "
                  BLOCK_MAP_ENTRY@9..13
                    MAP_KEY@9..10
                      SCALAR@9..10
                        PLAIN@9..10 "c"
                    COLON@10..11 ":"
                    WHITESPACE@11..12 " "
                    MAP_VALUE@12..13
                      SCALAR@12..13
                        PLAIN@12..13 "d"
              NEWLINE@13..14 "\n"
              BLOCK_SEQ_ENTRY@14..19
                DASH@14..15 "-"
                WHITESPACE@15..16 " "
                BLOCK_SEQ@16..19
                  BLOCK_SEQ_ENTRY@16..19
                    DASH@16..17 "-"
                    WHITESPACE@17..18 " "
                    SCALAR@18..19
                      PLAIN@18..19 "e"
          NEWLINE@19..20 "\n"
    "#]],
    );
}

#[test]
fn explicit_key() {
    check(
        "? a\n: b\n? [c]\n",
        expect![[r#"
        ROOT@0..14
          DOCUMENT@0..13
            BLOCK_MAP@0..13
              BLOCK_MAP_ENTRY@0..7
                MAP_KEY@0..3
                  QUESTION@0..1 "?"
                  WHITESPACE@1..2 " "
                  SCALAR@2..3
                    PLAIN@2..3 "a"
                NEWLINE@3..4 "\n"
                COLON@4..5 ":"
                WHITESPACE@5..6 " "
                MAP_VALUE@6..7
                  SCALAR@6..7
                    PLAIN@6..7 "b"
              NEWLINE@7..8 "\n"
              BLOCK_MAP_ENTRY@8..13
                MAP_KEY@8..13
                  QUESTION@8..9 "?"
                  WHITESPACE@9..10 " "
                  FLOW_SEQ@10..13
                    L_BRACKET@10..11 "["
                    SCALAR@11..12
                      PLAIN@11..12 "c"
                    R_BRACKET@12..13 "]"
          NEWLINE@13..14 "\n"
    "#]],
    );
}

#[test]
fn flow_collections() {
    check(
        "{a: [1, 2], b: {c: d}, e}\n",
        expect![[r#"
        ROOT@0..26
          DOCUMENT@0..25
            FLOW_MAP@0..25
              L_BRACE@0..1 "{"
              FLOW_MAP_ENTRY@1..10
                MAP_KEY@1..2
                  SCALAR@1..2
                    PLAIN@1..2 "a"
                COLON@2..3 ":"
                WHITESPACE@3..4 " "
                MAP_VALUE@4..10
                  FLOW_SEQ@4..10
                    L_BRACKET@4..5 "["
                    SCALAR@5..6
                      PLAIN@5..6 "1"
                    COMMA@6..7 ","
                    WHITESPACE@7..8 " "
                    SCALAR@8..9
                      PLAIN@8..9 "2"
                    R_BRACKET@9..10 "]"
              COMMA@10..11 ","
              WHITESPACE@11..12 " "
              FLOW_MAP_ENTRY@12..21
                MAP_KEY@12..13
                  SCALAR@12..13
                    PLAIN@12..13 "b"
                COLON@13..14 ":"
                WHITESPACE@14..15 " "
                MAP_VALUE@15..21
                  FLOW_MAP@15..21
                    L_BRACE@15..16 "{"
                    FLOW_MAP_ENTRY@16..20
                      MAP_KEY@16..17
                        SCALAR@16..17
                          PLAIN@16..17 "c"
                      COLON@17..18 ":"
                      WHITESPACE@18..19 " "
                      MAP_VALUE@19..20
                        SCALAR@19..20
                          PLAIN@19..20 "d"
                    R_BRACE@20..21 "}"
              COMMA@21..22 ","
              WHITESPACE@22..23 " "
              FLOW_MAP_ENTRY@23..24
                MAP_KEY@23..24
                  SCALAR@23..24
                    PLAIN@23..24 "e"
              R_BRACE@24..25 "}"
          NEWLINE@25..26 "\n"
    "#]],
    );
}

#[test]
fn flow_pairs_and_multi_line_flow() {
    check(
        "[a: b, c,\n  ? d : e,\n]\n",
        expect![[r#"
        ROOT@0..23
          DOCUMENT@0..22
            FLOW_SEQ@0..22
              L_BRACKET@0..1 "["
              FLOW_PAIR@1..5
                MAP_KEY@1..2
                  SCALAR@1..2
                    PLAIN@1..2 "a"
                COLON@2..3 ":"
                WHITESPACE@3..4 " "
                MAP_VALUE@4..5
                  SCALAR@4..5
                    PLAIN@4..5 "b"
              COMMA@5..6 ","
              WHITESPACE@6..7 " "
              SCALAR@7..8
                PLAIN@7..8 "c"
              COMMA@8..9 ","
              NEWLINE@9..10 "\n"
              WHITESPACE@10..12 "  "
              FLOW_PAIR@12..19
                MAP_KEY@12..15
                  QUESTION@12..13 "?"
                  WHITESPACE@13..14 " "
                  SCALAR@14..15
                    PLAIN@14..15 "d"
                WHITESPACE@15..16 " "
                COLON@16..17 ":"
                WHITESPACE@17..18 " "
                MAP_VALUE@18..19
                  SCALAR@18..19
                    PLAIN@18..19 "e"
              COMMA@19..20 ","
              NEWLINE@20..21 "\n"
              R_BRACKET@21..22 "]"
          NEWLINE@22..23 "\n"
    "#]],
    );
}

#[test]
fn quoted_and_multi_line_plain_scalars() {
    check(
        "- 'it''s'\n- \"a\\nb\n  c\"\n- plain\n  multi line\n",
        expect![[r#"
        ROOT@0..44
          DOCUMENT@0..43
            BLOCK_SEQ@0..43
              BLOCK_SEQ_ENTRY@0..9
                DASH@0..1 "-"
                WHITESPACE@1..2 " "
                SCALAR@2..9
                  SINGLE_QUOTED@2..9 "'it''s'"
              NEWLINE@9..10 "\n"
              BLOCK_SEQ_ENTRY@10..22
                DASH@10..11 "-"
                WHITESPACE@11..12 " "
                SCALAR@12..22
                  DOUBLE_QUOTED@12..22 "\"a\\nb\n  c\""
              NEWLINE@22..23 "\n"
              BLOCK_SEQ_ENTRY@23..43
                DASH@23..24 "-"
                WHITESPACE@24..25 " "
                SCALAR@25..43
                  PLAIN@25..43 "plain\n  multi line"
          NEWLINE@43..44 "\n"
    "#]],
    );
}

#[test]
fn block_scalars() {
    check(
        "a: |\n  x\n  y\n\nb: >-\n  z\nc: |2+\n",
        expect![[r#"
        ROOT@0..31
          DOCUMENT@0..31
            BLOCK_MAP@0..31
              BLOCK_MAP_ENTRY@0..14
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..14
                  SCALAR@3..14
                    BLOCK_HEADER@3..4 "|"
                    NEWLINE@4..5 "\n"
                    BLOCK_TEXT@5..14 "  x\n  y\n\n"
              BLOCK_MAP_ENTRY@14..24
                MAP_KEY@14..15
                  SCALAR@14..15
                    PLAIN@14..15 "b"
                COLON@15..16 ":"
                WHITESPACE@16..17 " "
                MAP_VALUE@17..24
                  SCALAR@17..24
                    BLOCK_HEADER@17..19 ">-"
                    NEWLINE@19..20 "\n"
                    BLOCK_TEXT@20..24 "  z\n"
              BLOCK_MAP_ENTRY@24..31
                MAP_KEY@24..25
                  SCALAR@24..25
                    PLAIN@24..25 "c"
                COLON@25..26 ":"
                WHITESPACE@26..27 " "
                MAP_VALUE@27..31
                  SCALAR@27..31
                    BLOCK_HEADER@27..30 "|2+"
                    NEWLINE@30..31 "\n"
    "#]],
    );
}

#[test]
fn block_scalar_with_indentation_indicator() {
    check(
        "- |1\n  x\n- >\n\n   y\n",
        expect![[r#"
        ROOT@0..19
          DOCUMENT@0..19
            BLOCK_SEQ@0..19
              BLOCK_SEQ_ENTRY@0..9
                DASH@0..1 "-"
                WHITESPACE@1..2 " "
                SCALAR@2..9
                  BLOCK_HEADER@2..4 "|1"
                  NEWLINE@4..5 "\n"
                  BLOCK_TEXT@5..9 "  x\n"
              BLOCK_SEQ_ENTRY@9..19
                DASH@9..10 "-"
                WHITESPACE@10..11 " "
                SCALAR@11..19
                  BLOCK_HEADER@11..12 ">"
                  NEWLINE@12..13 "\n"
                  BLOCK_TEXT@13..19 "\n   y\n"
    "#]],
    );
}

#[test]
fn comments_everywhere() {
    check(
        "# head\na: # after key\n  b # after value\n# between\nc: [d, # in flow\n  e]\n",
        expect![[r##"
        ROOT@0..72
          DOCUMENT@0..71
            COMMENT@0..6 "# head"
            NEWLINE@6..7 "\n"
            BLOCK_MAP@7..71
              BLOCK_MAP_ENTRY@7..25
                MAP_KEY@7..8
                  SCALAR@7..8
                    PLAIN@7..8 "a"
                COLON@8..9 ":"
                WHITESPACE@9..10 " "
                COMMENT@10..21 "# after key"
                NEWLINE@21..22 "\n"
                WHITESPACE@22..24 "  "
                MAP_VALUE@24..25
                  SCALAR@24..25
                    PLAIN@24..25 "b"
              WHITESPACE@25..26 " "
              COMMENT@26..39 "# after value"
              NEWLINE@39..40 "\n"
              COMMENT@40..49 "# between"
              NEWLINE@49..50 "\n"
              BLOCK_MAP_ENTRY@50..71
                MAP_KEY@50..51
                  SCALAR@50..51
                    PLAIN@50..51 "c"
                COLON@51..52 ":"
                WHITESPACE@52..53 " "
                MAP_VALUE@53..71
                  FLOW_SEQ@53..71
                    L_BRACKET@53..54 "["
                    SCALAR@54..55
                      PLAIN@54..55 "d"
                    COMMA@55..56 ","
                    WHITESPACE@56..57 " "
                    COMMENT@57..66 "# in flow"
                    NEWLINE@66..67 "\n"
                    WHITESPACE@67..69 "  "
                    SCALAR@69..70
                      PLAIN@69..70 "e"
                    R_BRACKET@70..71 "]"
          NEWLINE@71..72 "\n"
    "##]],
    );
}

#[test]
fn properties_and_aliases() {
    check(
        "a: &x !!str v\nb: *x\nc: &m\n  d: !local e\nf: !<tag:x> ! g\n",
        expect![[r#"
        ROOT@0..56
          DOCUMENT@0..55
            BLOCK_MAP@0..55
              BLOCK_MAP_ENTRY@0..13
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..13
                  SCALAR@3..13
                    ANCHOR@3..5 "&x"
                    WHITESPACE@5..6 " "
                    TAG@6..11 "!!str"
                    WHITESPACE@11..12 " "
                    PLAIN@12..13 "v"
              NEWLINE@13..14 "\n"
              BLOCK_MAP_ENTRY@14..19
                MAP_KEY@14..15
                  SCALAR@14..15
                    PLAIN@14..15 "b"
                COLON@15..16 ":"
                WHITESPACE@16..17 " "
                MAP_VALUE@17..19
                  ALIAS_NODE@17..19
                    ALIAS@17..19 "*x"
              NEWLINE@19..20 "\n"
              BLOCK_MAP_ENTRY@20..39
                MAP_KEY@20..21
                  SCALAR@20..21
                    PLAIN@20..21 "c"
                COLON@21..22 ":"
                WHITESPACE@22..23 " "
                MAP_VALUE@23..39
                  BLOCK_MAP@23..39
                    ANCHOR@23..25 "&m"
                    NEWLINE@25..26 "\n"
                    WHITESPACE@26..28 "  "
                    BLOCK_MAP_ENTRY@28..39
                      MAP_KEY@28..29
                        SCALAR@28..29
                          PLAIN@28..29 "d"
                      COLON@29..30 ":"
                      WHITESPACE@30..31 " "
                      MAP_VALUE@31..39
                        SCALAR@31..39
                          TAG@31..37 "!local"
                          WHITESPACE@37..38 " "
                          PLAIN@38..39 "e"
              NEWLINE@39..40 "\n"
              BLOCK_MAP_ENTRY@40..55
                MAP_KEY@40..41
                  SCALAR@40..41
                    PLAIN@40..41 "f"
                COLON@41..42 ":"
                WHITESPACE@42..43 " "
                MAP_VALUE@43..55
                  SCALAR@43..55
                    TAG@43..51 "!<tag:x>"
                    WHITESPACE@51..52 " "
                    TAG@52..53 "!"
                    WHITESPACE@53..54 " "
                    PLAIN@54..55 "g"
          NEWLINE@55..56 "\n"
    "#]],
    );
}

#[test]
fn documents_and_directives() {
    check(
        "%YAML 1.2\n%TAG !e! tag:example.com,2000:\n--- !e!x\na\n...\n---\nb: c\n",
        expect![[r#"
        ROOT@0..65
          DOCUMENT@0..55
            DIRECTIVE@0..9 "%YAML 1.2"
            NEWLINE@9..10 "\n"
            DIRECTIVE@10..40 "%TAG !e! tag:example.com,2000:"
            NEWLINE@40..41 "\n"
            DOC_START@41..44 "---"
            WHITESPACE@44..45 " "
            SCALAR@45..51
              TAG@45..49 "!e!x"
              NEWLINE@49..50 "\n"
              PLAIN@50..51 "a"
            NEWLINE@51..52 "\n"
            DOC_END@52..55 "..."
          DOCUMENT@55..64
            NEWLINE@55..56 "\n"
            DOC_START@56..59 "---"
            NEWLINE@59..60 "\n"
            BLOCK_MAP@60..64
              BLOCK_MAP_ENTRY@60..64
                MAP_KEY@60..61
                  SCALAR@60..61
                    PLAIN@60..61 "b"
                COLON@61..62 ":"
                WHITESPACE@62..63 " "
                MAP_VALUE@63..64
                  SCALAR@63..64
                    PLAIN@63..64 "c"
          NEWLINE@64..65 "\n"
    "#]],
    );
}

#[test]
fn byte_order_mark() {
    check(
        "\u{feff}a: b\n",
        expect![[r#"
        ROOT@0..8
          DOCUMENT@0..7
            BOM@0..3 "\u{feff}"
            BLOCK_MAP@3..7
              BLOCK_MAP_ENTRY@3..7
                MAP_KEY@3..4
                  SCALAR@3..4
                    PLAIN@3..4 "a"
                COLON@4..5 ":"
                WHITESPACE@5..6 " "
                MAP_VALUE@6..7
                  SCALAR@6..7
                    PLAIN@6..7 "b"
          NEWLINE@7..8 "\n"
    "#]],
    );
}

#[test]
fn unclosed_quote_recovers_at_next_key() {
    check_errors(
        "m:\n  a: 'foo\n  b: c\nd: e\n",
        expect![[r#"
        8..9 PB005 unclosed quote (help: add a closing `'` at the end of the value)
        ROOT@0..25
          DOCUMENT@0..24
            BLOCK_MAP@0..24
              BLOCK_MAP_ENTRY@0..19
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "m"
                COLON@1..2 ":"
                NEWLINE@2..3 "\n"
                WHITESPACE@3..5 "  "
                MAP_VALUE@5..19
                  BLOCK_MAP@5..19
                    BLOCK_MAP_ENTRY@5..12
                      MAP_KEY@5..6
                        SCALAR@5..6
                          PLAIN@5..6 "a"
                      COLON@6..7 ":"
                      WHITESPACE@7..8 " "
                      MAP_VALUE@8..12
                        SCALAR@8..12
                          SINGLE_QUOTED@8..12 "'foo"
                    NEWLINE@12..13 "\n"
                    WHITESPACE@13..15 "  "
                    BLOCK_MAP_ENTRY@15..19
                      MAP_KEY@15..16
                        SCALAR@15..16
                          PLAIN@15..16 "b"
                      COLON@16..17 ":"
                      WHITESPACE@17..18 " "
                      MAP_VALUE@18..19
                        SCALAR@18..19
                          PLAIN@18..19 "c"
              NEWLINE@19..20 "\n"
              BLOCK_MAP_ENTRY@20..24
                MAP_KEY@20..21
                  SCALAR@20..21
                    PLAIN@20..21 "d"
                COLON@21..22 ":"
                WHITESPACE@22..23 " "
                MAP_VALUE@23..24
                  SCALAR@23..24
                    PLAIN@23..24 "e"
          NEWLINE@24..25 "\n"
    "#]],
    );
}

#[test]
fn unclosed_double_quote_at_end() {
    check_errors(
        "a: \"foo\n",
        expect![[r#"
        3..4 PB005 unclosed quote (help: add a closing `"` at the end of the value)
        ROOT@0..8
          DOCUMENT@0..8
            BLOCK_MAP@0..8
              BLOCK_MAP_ENTRY@0..8
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..8
                  SCALAR@3..8
                    DOUBLE_QUOTED@3..8 "\"foo\n"
    "#]],
    );
}

#[test]
fn unclosed_flow_sequence_recovers_at_next_key() {
    check_errors(
        "a: [1, 2\nb: c\n",
        expect![[r#"
        3..4 PB007 unclosed `[` (help: add `]` after the last entry)
        ROOT@0..14
          DOCUMENT@0..13
            BLOCK_MAP@0..13
              BLOCK_MAP_ENTRY@0..8
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..8
                  FLOW_SEQ@3..8
                    L_BRACKET@3..4 "["
                    SCALAR@4..5
                      PLAIN@4..5 "1"
                    COMMA@5..6 ","
                    WHITESPACE@6..7 " "
                    SCALAR@7..8
                      PLAIN@7..8 "2"
              NEWLINE@8..9 "\n"
              BLOCK_MAP_ENTRY@9..13
                MAP_KEY@9..10
                  SCALAR@9..10
                    PLAIN@9..10 "b"
                COLON@10..11 ":"
                WHITESPACE@11..12 " "
                MAP_VALUE@12..13
                  SCALAR@12..13
                    PLAIN@12..13 "c"
          NEWLINE@13..14 "\n"
    "#]],
    );
}

#[test]
fn unclosed_flow_mapping_recovers_at_next_key() {
    check_errors(
        "x:\n  a: {b: 1,\n  c: 2\n",
        expect![[r#"
        8..9 PB007 unclosed `{` (help: add `}` after the last entry)
        ROOT@0..22
          DOCUMENT@0..21
            BLOCK_MAP@0..21
              BLOCK_MAP_ENTRY@0..21
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "x"
                COLON@1..2 ":"
                NEWLINE@2..3 "\n"
                WHITESPACE@3..5 "  "
                MAP_VALUE@5..21
                  BLOCK_MAP@5..21
                    BLOCK_MAP_ENTRY@5..14
                      MAP_KEY@5..6
                        SCALAR@5..6
                          PLAIN@5..6 "a"
                      COLON@6..7 ":"
                      WHITESPACE@7..8 " "
                      MAP_VALUE@8..14
                        FLOW_MAP@8..14
                          L_BRACE@8..9 "{"
                          FLOW_MAP_ENTRY@9..13
                            MAP_KEY@9..10
                              SCALAR@9..10
                                PLAIN@9..10 "b"
                            COLON@10..11 ":"
                            WHITESPACE@11..12 " "
                            MAP_VALUE@12..13
                              SCALAR@12..13
                                PLAIN@12..13 "1"
                          COMMA@13..14 ","
                    NEWLINE@14..15 "\n"
                    WHITESPACE@15..17 "  "
                    BLOCK_MAP_ENTRY@17..21
                      MAP_KEY@17..18
                        SCALAR@17..18
                          PLAIN@17..18 "c"
                      COLON@18..19 ":"
                      WHITESPACE@19..20 " "
                      MAP_VALUE@20..21
                        SCALAR@20..21
                          PLAIN@20..21 "2"
          NEWLINE@21..22 "\n"
    "#]],
    );
}

#[test]
fn tab_indentation() {
    check_errors(
        "a:\n\tb: c\n",
        expect![[r#"
        3..4 PB003 tab used for indentation (help: indent with spaces only)
        ROOT@0..9
          DOCUMENT@0..8
            BLOCK_MAP@0..8
              BLOCK_MAP_ENTRY@0..8
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                NEWLINE@2..3 "\n"
                WHITESPACE@3..4 "\t"
                MAP_VALUE@4..8
                  BLOCK_MAP@4..8
                    BLOCK_MAP_ENTRY@4..8
                      MAP_KEY@4..5
                        SCALAR@4..5
                          PLAIN@4..5 "b"
                      COLON@5..6 ":"
                      WHITESPACE@6..7 " "
                      MAP_VALUE@7..8
                        SCALAR@7..8
                          PLAIN@7..8 "c"
          NEWLINE@8..9 "\n"
    "#]],
    );
}

#[test]
fn line_indented_more_than_siblings() {
    check_errors(
        "metadata:\n  name: redis\n   description: x\nkind: Step\n",
        expect![[r#"
        27..39 PB004 line indented more than the keys above (help: indent it by 2 spaces like its siblings, or put it under a key)
        ROOT@0..53
          DOCUMENT@0..52
            BLOCK_MAP@0..52
              BLOCK_MAP_ENTRY@0..41
                MAP_KEY@0..8
                  SCALAR@0..8
                    PLAIN@0..8 "metadata"
                COLON@8..9 ":"
                NEWLINE@9..10 "\n"
                WHITESPACE@10..12 "  "
                MAP_VALUE@12..41
                  BLOCK_MAP@12..41
                    BLOCK_MAP_ENTRY@12..23
                      MAP_KEY@12..16
                        SCALAR@12..16
                          PLAIN@12..16 "name"
                      COLON@16..17 ":"
                      WHITESPACE@17..18 " "
                      MAP_VALUE@18..23
                        SCALAR@18..23
                          PLAIN@18..23 "redis"
                    NEWLINE@23..24 "\n"
                    WHITESPACE@24..27 "   "
                    BLOCK_MAP_ENTRY@27..41
                      MAP_KEY@27..38
                        SCALAR@27..38
                          PLAIN@27..38 "description"
                      COLON@38..39 ":"
                      WHITESPACE@39..40 " "
                      MAP_VALUE@40..41
                        SCALAR@40..41
                          PLAIN@40..41 "x"
              NEWLINE@41..42 "\n"
              BLOCK_MAP_ENTRY@42..52
                MAP_KEY@42..46
                  SCALAR@42..46
                    PLAIN@42..46 "kind"
                COLON@46..47 ":"
                WHITESPACE@47..48 " "
                MAP_VALUE@48..52
                  SCALAR@48..52
                    PLAIN@48..52 "Step"
          NEWLINE@52..53 "\n"
    "#]],
    );
}

#[test]
fn key_line_without_colon() {
    check_errors(
        "a: b\nfoo\nc: d\n",
        expect![[r#"
        5..8 PB001 missing `:` after a key (help: write `foo: <value>`, or indent the line if it continues the value above)
        ROOT@0..14
          DOCUMENT@0..13
            BLOCK_MAP@0..13
              BLOCK_MAP_ENTRY@0..4
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..4
                  SCALAR@3..4
                    PLAIN@3..4 "b"
              NEWLINE@4..5 "\n"
              BLOCK_MAP_ENTRY@5..8
                MAP_KEY@5..8
                  SCALAR@5..8
                    PLAIN@5..8 "foo"
              NEWLINE@8..9 "\n"
              BLOCK_MAP_ENTRY@9..13
                MAP_KEY@9..10
                  SCALAR@9..10
                    PLAIN@9..10 "c"
                COLON@10..11 ":"
                WHITESPACE@11..12 " "
                MAP_VALUE@12..13
                  SCALAR@12..13
                    PLAIN@12..13 "d"
          NEWLINE@13..14 "\n"
    "#]],
    );
}

#[test]
fn stray_closing_brackets() {
    check_errors(
        "a: b\n]\nc: }\n",
        expect![[r#"
        5..6 PB001 unexpected `]` (help: remove it, or quote the value)
        10..11 PB001 unexpected `}` (help: remove it, or quote the value)
        ROOT@0..12
          DOCUMENT@0..11
            BLOCK_MAP@0..11
              BLOCK_MAP_ENTRY@0..4
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..4
                  SCALAR@3..4
                    PLAIN@3..4 "b"
              NEWLINE@4..5 "\n"
              BLOCK_MAP_ENTRY@5..6
                MAP_KEY@5..6
                  ERROR@5..6
                    INVALID@5..6 "]"
              NEWLINE@6..7 "\n"
              BLOCK_MAP_ENTRY@7..11
                MAP_KEY@7..8
                  SCALAR@7..8
                    PLAIN@7..8 "c"
                COLON@8..9 ":"
                WHITESPACE@9..10 " "
                MAP_VALUE@10..11
                  ERROR@10..11
                    INVALID@10..11 "}"
          NEWLINE@11..12 "\n"
    "#]],
    );
}

#[test]
fn mismatched_bracket() {
    check_errors(
        "env: { REDIS_IP: \"10.0.0.1\" ]\nnext: 1\n",
        expect![[r#"
        28..29 PB001 expected `}`, found `]` (help: close it with `}`)
        ROOT@0..38
          DOCUMENT@0..37
            BLOCK_MAP@0..37
              BLOCK_MAP_ENTRY@0..29
                MAP_KEY@0..3
                  SCALAR@0..3
                    PLAIN@0..3 "env"
                COLON@3..4 ":"
                WHITESPACE@4..5 " "
                MAP_VALUE@5..29
                  FLOW_MAP@5..29
                    L_BRACE@5..6 "{"
                    WHITESPACE@6..7 " "
                    FLOW_MAP_ENTRY@7..27
                      MAP_KEY@7..15
                        SCALAR@7..15
                          PLAIN@7..15 "REDIS_IP"
                      COLON@15..16 ":"
                      WHITESPACE@16..17 " "
                      MAP_VALUE@17..27
                        SCALAR@17..27
                          DOUBLE_QUOTED@17..27 "\"10.0.0.1\""
                    WHITESPACE@27..28 " "
                    R_BRACKET@28..29 "]"
              NEWLINE@29..30 "\n"
              BLOCK_MAP_ENTRY@30..37
                MAP_KEY@30..34
                  SCALAR@30..34
                    PLAIN@30..34 "next"
                COLON@34..35 ":"
                WHITESPACE@35..36 " "
                MAP_VALUE@36..37
                  SCALAR@36..37
                    PLAIN@36..37 "1"
          NEWLINE@37..38 "\n"
    "#]],
    );
}

#[test]
fn sequence_after_mapping() {
    check_errors(
        "a: b\n- c\n",
        expect![[r#"
        5..6 PB001 unexpected content after the document's root node (help: indent it under a key, or start a new document with `---`)
        ROOT@0..9
          DOCUMENT@0..8
            BLOCK_MAP@0..4
              BLOCK_MAP_ENTRY@0..4
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..4
                  SCALAR@3..4
                    PLAIN@3..4 "b"
            NEWLINE@4..5 "\n"
            ERROR@5..8
              BLOCK_SEQ@5..8
                BLOCK_SEQ_ENTRY@5..8
                  DASH@5..6 "-"
                  WHITESPACE@6..7 " "
                  SCALAR@7..8
                    PLAIN@7..8 "c"
          NEWLINE@8..9 "\n"
    "#]],
    );
}

#[test]
fn text_after_quoted_value() {
    check_errors(
        "a: \"b\" c\nd: e\n",
        expect![[r#"
        7..8 PB001 unexpected text after the value (help: quote the whole value, or move this text to its own line)
        ROOT@0..14
          DOCUMENT@0..13
            BLOCK_MAP@0..13
              BLOCK_MAP_ENTRY@0..8
                MAP_KEY@0..1
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                COLON@1..2 ":"
                WHITESPACE@2..3 " "
                MAP_VALUE@3..6
                  SCALAR@3..6
                    DOUBLE_QUOTED@3..6 "\"b\""
                WHITESPACE@6..7 " "
                INVALID@7..8 "c"
              NEWLINE@8..9 "\n"
              BLOCK_MAP_ENTRY@9..13
                MAP_KEY@9..10
                  SCALAR@9..10
                    PLAIN@9..10 "d"
                COLON@10..11 ":"
                WHITESPACE@11..12 " "
                MAP_VALUE@12..13
                  SCALAR@12..13
                    PLAIN@12..13 "e"
          NEWLINE@13..14 "\n"
    "#]],
    );
}
