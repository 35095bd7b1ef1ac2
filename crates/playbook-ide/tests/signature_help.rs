//! Signature help inside the function calls of templates.

mod common;

use expect_test::{Expect, expect};
use playbook_ide::signature_help;

/// Renders the signature help at the cursor: the label with the active parameter in
/// brackets, the parameters' ranges checked against the label, and the documentation.
fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let out = match signature_help(f.db(), file, offset) {
        None => "none\n".to_owned(),
        Some(help) => {
            let mut label = String::new();
            let mut last = 0usize;
            for (i, (start, end)) in help.parameters.iter().enumerate() {
                let (start, end) = (*start as usize, *end as usize);
                let word = help.label.get(start..end).expect("a range of the label");
                label.push_str(help.label.get(last..start).unwrap_or_default());
                if help.active_parameter == Some(i as u32) {
                    label.push_str(&format!("<{word}>"));
                } else {
                    label.push_str(word);
                }
                last = end;
            }
            label.push_str(help.label.get(last..).unwrap_or_default());
            format!(
                "{label}\n{}\n",
                help.documentation
                    .as_deref()
                    .unwrap_or("(no documentation)")
            )
        }
    };
    expect.assert_eq(&out);
}

/// A playbook whose step's `when` is `template` (the cursor in it).
fn when(template: &str) -> String {
    format!(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: a\n    when: {template}\n"
    )
}

#[test]
fn the_argument_under_the_cursor_is_active() {
    check(
        &when(r#"'{{ printf "%s$0" $.params.x }}'"#),
        expect![[r#"
            printf <FORMAT> ARGS...
            The arguments formatted by FORMAT, as by Go's fmt.Sprintf.
        "#]],
    );
    check(
        &when(r#"'{{ printf "%s" $.par$0ams.x }}'"#),
        expect![[r#"
            printf FORMAT <ARGS...>
            The arguments formatted by FORMAT, as by Go's fmt.Sprintf.
        "#]],
    );
    check(
        &when(r#"'{{ index $.params "a"$0 }}'"#),
        expect![[r#"
            index COLLECTION <KEYS...>
            The element of a list or map at the given keys.
        "#]],
    );
}

#[test]
fn the_argument_being_typed_is_the_next_one() {
    // After the name and a blank: the first argument.
    check(
        &when(r#"'{{ eq $0}}'"#),
        expect![[r#"
            eq <ARG1> ARG2...
            Whether ARG1 equals ARG2 (or any of the later arguments).
        "#]],
    );
    // After the first argument and a blank: the second.
    check(
        &when(r#"'{{ eq $.params.x $0}}'"#),
        expect![[r#"
            eq ARG1 <ARG2...>
            Whether ARG1 equals ARG2 (or any of the later arguments).
        "#]],
    );
    // Past the last parameter of a function that takes no more: the last one stays shown.
    check(
        &when(r#"'{{ len $.a $.b $0}}'"#),
        expect![[r#"
            len <COLLECTION>
            The length of a string, list or map.
        "#]],
    );
}

#[test]
fn nested_calls_answer_for_the_innermost() {
    check(
        &when(r#"'{{ printf "%s" (index $.params "a$0") }}'"#),
        expect![[r#"
            index COLLECTION <KEYS...>
            The element of a list or map at the given keys.
        "#]],
    );
    // After the parenthesis: the outer call again.
    check(
        &when(r#"'{{ and (eq $.a 1) $0 }}'"#),
        expect![[r#"
            and ARG1 <ARG2...>
            The first empty argument, or the last one.
        "#]],
    );
    // On the name of the inner call: it is an argument of the outer one.
    check(
        &when(r#"'{{ not (e$0q $.a 1) }}'"#),
        expect![[r#"
            not <ARG>
            Whether the argument is empty (false, 0, nil, empty).
        "#]],
    );
}

#[test]
fn the_piped_value_is_the_last_argument() {
    check(
        &when(r#"'{{ $.params.x | default "none$0" }}'"#),
        expect![[r#"
            default <DEFAULT> VALUE
            VALUE, or DEFAULT when VALUE is empty.
        "#]],
    );
    // On the piped value itself.
    check(
        &when(r#"'{{ $.params$0.x | default "none" }}'"#),
        expect![[r#"
            default DEFAULT <VALUE>
            VALUE, or DEFAULT when VALUE is empty.
        "#]],
    );
    // The command before the pipe is a call: the cursor is in its arguments.
    check(
        &when(r#"'{{ printf "%s" $.x$0 | quote }}'"#),
        expect![[r#"
            printf FORMAT <ARGS...>
            The arguments formatted by FORMAT, as by Go's fmt.Sprintf.
        "#]],
    );
}

#[test]
fn broken_templates_still_answer() {
    // An unclosed `{{` at the end of the file.
    check(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: a\n    when: '{{ printf \"%s\" $0",
        expect![[r#"
            printf FORMAT <ARGS...>
            The arguments formatted by FORMAT, as by Go's fmt.Sprintf.
        "#]],
    );
    // An unclosed `{{` inside a plain scalar, with text after.
    check(
        &when(r#"a {{ index $.params $0"#),
        expect![[r#"
            index COLLECTION <KEYS...>
            The element of a list or map at the given keys.
        "#]],
    );
    // A pipe with nothing after it.
    check(
        &when(r#"'{{ eq 1 $0 | }}'"#),
        expect![[r#"
            eq ARG1 <ARG2...>
            Whether ARG1 equals ARG2 (or any of the later arguments).
        "#]],
    );
}

#[test]
fn quoted_and_block_scalars_are_read_as_decoded() {
    // Double-quoted, with escaped quotes before the cursor.
    check(
        &when(r#""{{ printf \"%s\" \"a\" $0}}""#),
        expect![[r#"
            printf FORMAT <ARGS...>
            The arguments formatted by FORMAT, as by Go's fmt.Sprintf.
        "#]],
    );
    // Single-quoted, with a doubled quote.
    check(
        &when(r#"'{{ eq "it''s" $0}}'"#),
        expect![[r#"
            eq ARG1 <ARG2...>
            Whether ARG1 equals ARG2 (or any of the later arguments).
        "#]],
    );
    // A block scalar, the call over two lines.
    check(
        &when("|\n      {{ printf \"%s\"\n         $0$.x }}"),
        expect![[r#"
            printf FORMAT <ARGS...>
            The arguments formatted by FORMAT, as by Go's fmt.Sprintf.
        "#]],
    );
    // Multi-byte text before the call.
    check(
        &when(r#""é😀 {{ contains \"é\" $0}}""#),
        expect![[r#"
            contains SUBSTRING <STRING>
            Whether STRING contains SUBSTRING.
        "#]],
    );
}

#[test]
fn nothing_outside_a_known_functions_arguments() {
    // An unknown function.
    check(&when(r#"'{{ toJSON $0$.x }}'"#), expect!["none\n"]);
    // In literal text, outside any action.
    check(&when(r#"'a$0b {{ len $.x }}'"#), expect!["none\n"]);
    // A path command, no call.
    check(&when(r#"'{{ $.par$0ams.x }}'"#), expect!["none\n"]);
    // A function that takes no argument.
    check(
        &when(r#"'{{ now $0}}'"#),
        expect![[r#"
            now
            The current time.
        "#]],
    );
    // Outside any scalar, at the start and the end of the file.
    check(&format!("$0{}", when("'{{ len $.x }}'")), expect!["none\n"]);
    check(&format!("{}$0", when("'{{ len $.x }}'")), expect!["none\n"]);
}

#[test]
fn crlf_files_and_blanks_after_a_plain_scalar() {
    check(
        "apiVersion: stackpulse.io/v1\r\nkind: Playbook\r\nmetadata:\r\n  name: p\r\nsteps:\r\n  - name: a\r\n    when: \"{{ hasPrefix \\\"a\\\" $0}}\"\r\n",
        expect![[r#"
            hasPrefix PREFIX <STRING>
            Whether STRING starts with PREFIX.
        "#]],
    );
    // The blanks typed after a plain scalar are not part of it, but are where the next
    // argument goes.
    check(
        "apiVersion: stackpulse.io/v1\r\nkind: Playbook\r\nmetadata:\r\n  name: p\r\nsteps:\r\n  - name: a\r\n    when: x {{ hasPrefix \"a\"  $0\r\n",
        expect![[r#"
            hasPrefix PREFIX <STRING>
            Whether STRING starts with PREFIX.
        "#]],
    );
}

/// Every offset of texts cut at many places (broken YAML, unclosed templates) answers
/// without panicking, with parameter ranges inside the label.
#[test]
fn any_text_and_offset_answers_without_panicking() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbooks");
    let mut texts = vec![
        when(r#""é😀 {{ printf \"%s\" (index $.params \"a\") | quote }} {{ eq 1 "#),
        when("|\r\n      {{ printf \"%s\"\r\n         $.x | default (len $.y) }}"),
    ];
    if let Ok(text) = std::fs::read_to_string(examples.join("redis-diagnostics.yaml")) {
        texts.push(text);
    }
    for text in texts {
        let mut f = common::fixture("kind: Playbook\n");
        // About a hundred cuts and a hundred offsets in each, whatever the text's length.
        let step = (text.len() / 100).max(1);
        for cut in (0..=text.len()).step_by(step).chain([text.len()]) {
            let Some(prefix) = text.get(..cut) else {
                continue;
            };
            f.host.set_file_text("playbook.yaml", prefix.to_owned());
            let file = f.file("playbook.yaml");
            let offsets = (0..=prefix.len() as u32)
                .step_by(step)
                .chain([prefix.len() as u32]);
            for offset in offsets {
                if let Some(help) = signature_help(f.db(), file, offset) {
                    for (start, end) in &help.parameters {
                        assert!(start < end && *end as usize <= help.label.len());
                    }
                    if let Some(active) = help.active_parameter {
                        assert!((active as usize) < help.parameters.len());
                    }
                }
            }
        }
    }
}
