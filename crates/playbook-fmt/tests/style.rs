//! The layout, rule by rule: each test formats an input and compares with a snapshot (`·`
//! stands for a trailing space, `⏎` for a `\r`, so that both are visible), and checks that
//! the output formats to itself.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use expect_test::{Expect, expect};
use playbook_diagnostics::TextRange;
use playbook_fmt::{FormatError, FormatOptions, format, format_edits, format_range_edits};

fn show(text: &str) -> String {
    text.replace(" \n", "·\n").replace('\r', "⏎")
}

fn check_with(options: FormatOptions, input: &str, expect: Expect) {
    let formatted = format(input, &options).unwrap_or_else(|e| panic!("{e}: {input}"));
    expect.assert_eq(&show(&formatted));
    assert_eq!(
        format(&formatted, &options).unwrap(),
        formatted,
        "not idempotent"
    );
}

fn check(input: &str, expect: Expect) {
    check_with(FormatOptions::default(), input, expect);
}

#[test]
fn spaces_after_indicators_and_none_at_line_ends() {
    check(
        "a:     1   \nb   :  2\nc:\n-   x\n-\ty\nd:   # note   \n  - z\n",
        expect![[r#"
            a: 1
            b: 2
            c:
              - x
              - y
            d: # note
              - z
        "#]],
    );
}

#[test]
fn flow_collections() {
    check(
        "a: [ x ,y,  z , ]\nb: { k:  1,\"q\":2 ,  }\nc: [ ]\nd: { }\ne: [a: 1, [b,c], {d: e}]\n",
        expect![[r#"
            a: [x, y, z]
            b: {k: 1, "q": 2}
            c: []
            d: {}
            e: [a: 1, [b, c], {d: e}]
        "#]],
    );
}

#[test]
fn indentation_is_two_spaces_and_sequences_are_indented() {
    check(
        "metadata:\n    name: x\n    labels:\n        team: sre\nsteps:\n- name: a\n  env:\n      A: 1\n- - nested\n  - list\n-\n    k: v\n",
        expect![[r#"
            metadata:
              name: x
              labels:
                team: sre
            steps:
              - name: a
                env:
                  A: 1
              - - nested
                - list
              -
                k: v
        "#]],
    );
}

#[test]
fn four_spaces_and_sequences_at_the_key() {
    let options = FormatOptions {
        indent: 4,
        indent_sequences: false,
    };
    check_with(
        options,
        "metadata:\n  name: x\nsteps:\n  - name: a\n    env:\n      A: 1\n    args:\n      - x\n",
        expect![[r#"
            metadata:
                name: x
            steps:
            - name: a
              env:
                  A: 1
              args:
              - x
        "#]],
    );
}

#[test]
fn values_on_the_next_line() {
    check(
        "a:\n      value\nb: !!str\n        tagged\nc: &anchor\n     k: v\nd:\n    &seq\n    - x\n",
        expect![[r#"
            a:
              value
            b: !!str
              tagged
            c: &anchor
              k: v
            d:
              &seq
              - x
        "#]],
    );
}

#[test]
fn blank_lines() {
    check(
        "\n\n# header\n\n\n\na: 1\n\n\n\nb: 2\nsteps:\n  - a: 1\n\n  - b: 2\n\n\n",
        expect![[r#"
            # header

            a: 1

            b: 2
            steps:
              - a: 1

              - b: 2
        "#]],
    );
}

#[test]
fn comments_own_line_and_trailing() {
    check(
        "# top\nsteps:   # the steps\n      # before the first\n    - a: 1      # one\n        # before b, deep\n      b: 2\n# before the second, at the left edge\n    - c: 3\n  # before d\nd: 4\n",
        expect![[r#"
            # top
            steps: # the steps
              # before the first
              - a: 1 # one
                # before b, deep
                b: 2
              # before the second, at the left edge
              - c: 3
            # before d
            d: 4
        "#]],
    );
}

#[test]
fn comments_at_the_end_of_a_document_stay_with_what_they_follow() {
    check(
        "steps:\n    - a: 1\n    # - b: 2\n    #   id: x\n---\nc: 3\n   # after everything\n",
        expect![[r#"
            steps:
              - a: 1
              # - b: 2
              #   id: x
            ---
            c: 3
            # after everything
        "#]],
    );
}

#[test]
fn documents_and_directives() {
    check(
        "%YAML 1.2\n---   # first\na:   1\n...\n---\n- x\n---   text\n--- |\n  block\n",
        expect![[r#"
            %YAML 1.2
            --- # first
            a: 1
            ...
            ---
            - x
            --- text
            --- |
              block
        "#]],
    );
}

#[test]
fn line_endings_byte_order_mark_and_final_line_break() {
    check(
        "a:    1\r\nb:\r\n    - x\r\n\r\n\r\n",
        expect![[r#"
            a: 1⏎
            b:⏎
              - x⏎
        "#]],
    );
    check("\u{feff}a:    1", expect!["\u{feff}a: 1\n"]);
    check("", expect![""]);
    check("\n\n  \n", expect![""]);
    check(
        "# only a comment",
        expect![[r#"
        # only a comment
    "#]],
    );
}

#[test]
fn plain_and_quoted_scalars_keep_their_text() {
    check(
        "a:    plain text   # c\nb:  'single ''quoted'''\nc: \"double \\\" {{ $.x }}\"\nwhen: '{{   ne $.params.X  \"\" }}'\nd: -1\ne: ~\n",
        expect![[r#"
            a: plain text # c
            b: 'single ''quoted'''
            c: "double \" {{ $.x }}"
            when: '{{   ne $.params.X  "" }}'
            d: -1
            e: ~
        "#]],
    );
}

#[test]
fn multi_line_plain_and_quoted_scalars_are_re_indented() {
    check(
        "top:\n    description: a long   \n            plain text  \n\n             with a paragraph\n    quoted: \"first   \n        second \\\n      third\"\n    single: 'one\n       two'\n",
        expect![[r#"
            top:
              description: a long
                plain text

                with a paragraph
              quoted: "first
                second \
                third"
              single: 'one
                two'
        "#]],
    );
}

#[test]
fn escaped_trailing_space_in_double_quotes_is_kept() {
    check(
        "a: \"x\\ \n   y\"\n",
        expect![[r#"
            a: "x\·
              y"
        "#]],
    );
}

#[test]
fn block_scalars_move_as_a_whole() {
    check(
        "run:    |\n        echo start\n          indented\n\n        echo end\n\n\n\nfolded: >-\n     a\n     b\n\n      more\nnext: 1\n",
        expect![[r#"
            run: |
              echo start
                indented

              echo end

            folded: >-
              a
              b

               more
            next: 1
        "#]],
    );
}

#[test]
fn block_scalars_with_indicators_and_keep_chomping() {
    check(
        "steps:\n- run: |2\n      two spaces kept\n     one\n  keep: |+\n     kept\n\n\nend: 1\n",
        expect![[r#"
            steps:
              - run: |2
                    two spaces kept
                   one
                keep: |+
                  kept


            end: 1
        "#]],
    );
}

#[test]
fn a_block_scalar_at_the_end_keeps_its_missing_line_break() {
    // With clip or keep chomping a final line break would change the value.
    check("a: |\n    text", expect!["a: |\n  text"]);
    check("a: |+\n    text", expect!["a: |+\n  text"]);
    // With strip chomping it does not.
    check("a: |-\n    text", expect!["a: |-\n  text\n"]);
    // Trailing empty lines that are not part of the value go.
    check("a: >\n    text\n\n\n", expect!["a: >\n  text\n"]);
    check("a: |+\n    text\n\n\n", expect!["a: |+\n  text\n\n\n"]);
}

#[test]
fn aliases_anchors_and_tags() {
    check(
        "base: &b   {x: 1}\nuse:   *b\n*b   : aliased key\n!!str  tagged: &a   !local  v\nempty: !!null\n",
        expect![[r#"
            base: &b {x: 1}
            use: *b
            *b : aliased key
            !!str tagged: &a !local v
            empty: !!null
        "#]],
    );
}

#[test]
fn explicit_keys_are_kept_and_move_with_their_mapping() {
    check(
        "outer:\n      ? complex\n        key\n      :   value\n      plain:   1\n",
        expect![[r#"
            outer:
              ? complex
                key
              :   value
              plain: 1
        "#]],
    );
}

#[test]
fn multi_line_flow_collections_are_kept_and_move_with_their_line() {
    check(
        "steps:\n    - args: [one,\n             two,   \n             three]\n      env: {A: 1,\n        B: 2}\n",
        expect![[r#"
            steps:
              - args: [one,
                       two,
                       three]
                env: {A: 1,
                  B: 2}
        "#]],
    );
}

#[test]
fn syntax_errors_are_not_formatted() {
    let Err(FormatError::Syntax(errors)) = format("a: [1, 2\nb: 3\n", &FormatOptions::default())
    else {
        panic!("formatted a text with a syntax error");
    };
    assert!(!errors.is_empty());
    assert_eq!(format_edits("a: \"x\n", &FormatOptions::default()), None);
}

#[test]
fn edits_for_the_language_server() {
    let options = FormatOptions::default();
    let text = "a:    1\nb:\n    c: 2\nd: [x,y]\n";
    let edits = format_edits(text, &options).unwrap();
    let shown: Vec<(std::ops::Range<usize>, &str)> = edits
        .iter()
        .map(|e| (e.range.as_usize(), e.text.as_str()))
        .collect();
    assert_eq!(shown, [(3..6, ""), (13..15, ""), (26..26, " ")]);
    assert_eq!(format_edits("a: 1\n", &options), Some(vec![]));
    // A range over the first line gets the first edit only.
    let first = format_range_edits(text, TextRange::new(0, 7), &options).unwrap();
    assert_eq!(first, edits[..1]);
    // Re-indenting one of two siblings would break the mapping: all edits are returned.
    let siblings = "a:\n    b: 1\n\n    c: 2\n";
    let all = format_edits(siblings, &options).unwrap();
    assert_eq!(all.len(), 2);
    let range = TextRange::new(3, 8);
    assert_eq!(format_range_edits(siblings, range, &options).unwrap(), all);
}
