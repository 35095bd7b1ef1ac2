//! Selection ranges: from the template part under the cursor (`$0`) out to the file, one
//! range a line, innermost first.

mod common;

use expect_test::{Expect, expect};
use playbook_ide::selection_ranges;

fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let text = f.text("playbook.yaml");
    let all = selection_ranges(f.db(), file, &[offset]);
    assert_eq!(all.len(), 1);
    let ranges = &all[0];
    let mut out = String::new();
    let mut previous: Option<playbook_ide::TextRange> = None;
    for range in ranges {
        assert!(
            range.contains_inclusive(offset),
            "does not hold the cursor: {range:?}"
        );
        assert!(
            range.end() as usize <= text.len(),
            "past the end: {range:?}"
        );
        if let Some(previous) = previous {
            assert!(
                range.contains_range(previous) && *range != previous,
                "not strictly larger than {previous:?}: {range:?}"
            );
        }
        previous = Some(*range);
        out.push_str(&common::show_range(text, *range));
        out.push('\n');
    }
    assert_eq!(
        ranges.last().copied(),
        Some(playbook_ide::TextRange::new(0, text.len() as u32)),
        "the last range is the whole file"
    );
    expect.assert_eq(&out);
}

const HEAD: &str =
    "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n";

#[test]
fn from_a_path_segment_out() {
    check(
        &format!(
            "{HEAD}  - name: registry/steps/get\n    env:\n      HOST: \"{{{{ if eq $.params.Ho$0st \\\"a\\\" }}}}x{{{{ end }}}}\"\n      PORT: 1\n"
        ),
        expect![[r#"
            10:32-10:36 "Host"
            10:23-10:36 "$.params.Host"
            10:20-10:42 "eq $.params.Host \\\"a\\\""
            10:17-10:42 "if eq $.params.Host \\\"a\\\""
            10:14-10:45 "{{ if eq $.params.Host \\\"a\\\" }}"
            10:14-10:55 "{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}"
            10:13-10:56 "\"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\""
            10:7-10:56 "HOST: \"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\""
            10:7-11:14 "HOST: \"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\"\n      PORT: 1"
            9:5-11:14 "env:\n      HOST: \"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\"\n      PORT: 1"
            8:5-11:14 "name: registry/steps/get\n    env:\n      HOST: \"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\"\n      PORT: 1"
            8:3-11:14 "- name: registry/steps/get\n    env:\n      HOST: \"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\"\n      PORT: 1"
            7:1-11:14 "steps:\n  - name: registry/steps/get\n    env:\n      HOST: \"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\"\n      PORT: 1"
            1:1-11:14 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: \"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\"\n      PORT: 1"
            1:1-12:1 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: \"{{ if eq $.params.Host \\\"a\\\" }}x{{ end }}\"\n      PORT: 1\n"
        "#]],
    );
}

#[test]
fn inside_parentheses_and_pipelines() {
    check(
        &format!(
            "{HEAD}  - name: registry/steps/get\n    env:\n      HOST: '{{{{ $x := (len $.params.Host | $0quote) }}}}'\n"
        ),
        expect![[r#"
            10:44-10:49 "quote"
            10:24-10:49 "len $.params.Host | quote"
            10:23-10:50 "(len $.params.Host | quote)"
            10:17-10:50 "$x := (len $.params.Host | quote)"
            10:14-10:53 "{{ $x := (len $.params.Host | quote) }}"
            10:13-10:54 "'{{ $x := (len $.params.Host | quote) }}'"
            10:7-10:54 "HOST: '{{ $x := (len $.params.Host | quote) }}'"
            9:5-10:54 "env:\n      HOST: '{{ $x := (len $.params.Host | quote) }}'"
            8:5-10:54 "name: registry/steps/get\n    env:\n      HOST: '{{ $x := (len $.params.Host | quote) }}'"
            8:3-10:54 "- name: registry/steps/get\n    env:\n      HOST: '{{ $x := (len $.params.Host | quote) }}'"
            7:1-10:54 "steps:\n  - name: registry/steps/get\n    env:\n      HOST: '{{ $x := (len $.params.Host | quote) }}'"
            1:1-10:54 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: '{{ $x := (len $.params.Host | quote) }}'"
            1:1-11:1 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: '{{ $x := (len $.params.Host | quote) }}'\n"
        "#]],
    );
}

#[test]
fn a_block_scalar_with_escapes_elsewhere() {
    check(
        &format!(
            "{HEAD}  - name: registry/steps/get\n    env:\n      HOST: >-\n        text {{{{ printf \"%s\"\n        $.params.Ho$0st }}}}\n"
        ),
        expect![[r#"
            12:18-12:22 "Host"
            12:9-12:22 "$.params.Host"
            11:17-12:22 "printf \"%s\"\n        $.params.Host"
            11:14-12:25 "{{ printf \"%s\"\n        $.params.Host }}"
            11:9-12:25 "text {{ printf \"%s\"\n        $.params.Host }}"
            10:13-12:25 ">-\n        text {{ printf \"%s\"\n        $.params.Host }}"
            10:7-12:25 "HOST: >-\n        text {{ printf \"%s\"\n        $.params.Host }}"
            9:5-12:25 "env:\n      HOST: >-\n        text {{ printf \"%s\"\n        $.params.Host }}"
            8:5-12:25 "name: registry/steps/get\n    env:\n      HOST: >-\n        text {{ printf \"%s\"\n        $.params.Host }}"
            8:3-12:25 "- name: registry/steps/get\n    env:\n      HOST: >-\n        text {{ printf \"%s\"\n        $.params.Host }}"
            7:1-12:25 "steps:\n  - name: registry/steps/get\n    env:\n      HOST: >-\n        text {{ printf \"%s\"\n        $.params.Host }}"
            1:1-12:25 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: >-\n        text {{ printf \"%s\"\n        $.params.Host }}"
            1:1-13:1 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: >-\n        text {{ printf \"%s\"\n        $.params.Host }}\n"
        "#]],
    );
    check(
        &format!(
            "{HEAD}  - name: registry/steps/get\n    env:\n      HOST: \"\\t{{{{ $.par$0ams.Host }}}}\"\n"
        ),
        expect![[r#"
            10:21-10:27 "params"
            10:19-10:32 "$.params.Host"
            10:16-10:35 "{{ $.params.Host }}"
            10:14-10:35 "\\t{{ $.params.Host }}"
            10:13-10:36 "\"\\t{{ $.params.Host }}\""
            10:7-10:36 "HOST: \"\\t{{ $.params.Host }}\""
            9:5-10:36 "env:\n      HOST: \"\\t{{ $.params.Host }}\""
            8:5-10:36 "name: registry/steps/get\n    env:\n      HOST: \"\\t{{ $.params.Host }}\""
            8:3-10:36 "- name: registry/steps/get\n    env:\n      HOST: \"\\t{{ $.params.Host }}\""
            7:1-10:36 "steps:\n  - name: registry/steps/get\n    env:\n      HOST: \"\\t{{ $.params.Host }}\""
            1:1-10:36 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: \"\\t{{ $.params.Host }}\""
            1:1-11:1 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: \"\\t{{ $.params.Host }}\"\n"
        "#]],
    );
}

#[test]
fn plain_yaml_keys_and_values() {
    check(
        &format!("{HEAD}  - name: registry/steps/g$0et\n    id: x\n"),
        expect![[r#"
        8:11-8:29 "registry/steps/get"
        8:5-8:29 "name: registry/steps/get"
        8:5-9:10 "name: registry/steps/get\n    id: x"
        8:3-9:10 "- name: registry/steps/get\n    id: x"
        7:1-9:10 "steps:\n  - name: registry/steps/get\n    id: x"
        1:1-9:10 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    id: x"
        1:1-10:1 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    id: x\n"
    "#]],
    );
    check(
        &format!("{HEAD}  - name: registry/steps/get\n    i$0d: x\n"),
        expect![[r#"
        9:5-9:7 "id"
        9:5-9:10 "id: x"
        8:5-9:10 "name: registry/steps/get\n    id: x"
        8:3-9:10 "- name: registry/steps/get\n    id: x"
        7:1-9:10 "steps:\n  - name: registry/steps/get\n    id: x"
        1:1-9:10 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    id: x"
        1:1-10:1 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    id: x\n"
    "#]],
    );
    // At the end of a value, the value wins over the line break after it.
    check(
        &format!("{HEAD}  - name: registry/steps/get\n    id: x$0\n"),
        expect![[r#"
        9:9-9:10 "x"
        9:5-9:10 "id: x"
        8:5-9:10 "name: registry/steps/get\n    id: x"
        8:3-9:10 "- name: registry/steps/get\n    id: x"
        7:1-9:10 "steps:\n  - name: registry/steps/get\n    id: x"
        1:1-9:10 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    id: x"
        1:1-10:1 "kind: Playbook\nmetadata:\n  name: sel\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: registry/steps/get\n    id: x\n"
    "#]],
    );
}

#[test]
fn edges() {
    check(
        "$0kind: Playbook\n",
        expect![[r#"
        1:1-1:5 "kind"
        1:1-1:15 "kind: Playbook"
        1:1-2:1 "kind: Playbook\n"
    "#]],
    );
    check(
        "kind: Playbook\n$0",
        expect![[r#"
        1:1-2:1 "kind: Playbook\n"
    "#]],
    );
    check(
        "//- playbook.yaml\n$0",
        expect![[r#"
        1:1-1:1 ""
    "#]],
    );
    // A YAML error, an unclosed `{{`, CRLF and multi-byte text.
    check(
        "kind: Playbook\r\nsteps:\r\n  - name: [oops\r\n    env:\r\n      É: \"ü {{ $.params.é$0\"\r\n",
        expect![[r#"
            5:27-5:29 "é"
            5:18-5:29 "$.params.é"
            5:15-5:29 "{{ $.params.é"
            5:12-5:29 "ü {{ $.params.é"
            5:11-5:30 "\"ü {{ $.params.é\""
            5:7-5:30 "É: \"ü {{ $.params.é\""
            4:5-5:30 "env:\r\n      É: \"ü {{ $.params.é\""
            3:5-5:30 "name: [oops\r\n    env:\r\n      É: \"ü {{ $.params.é\""
            3:3-5:30 "- name: [oops\r\n    env:\r\n      É: \"ü {{ $.params.é\""
            2:1-5:30 "steps:\r\n  - name: [oops\r\n    env:\r\n      É: \"ü {{ $.params.é\""
            1:1-5:30 "kind: Playbook\r\nsteps:\r\n  - name: [oops\r\n    env:\r\n      É: \"ü {{ $.params.é\""
            1:1-6:1 "kind: Playbook\r\nsteps:\r\n  - name: [oops\r\n    env:\r\n      É: \"ü {{ $.params.é\"\r\n"
        "#]],
    );
    check(
        "a: b\n---\nc: [d, e$0]\n",
        expect![[r#"
        3:8-3:9 "e"
        3:4-3:10 "[d, e]"
        3:1-3:10 "c: [d, e]"
        2:1-3:10 "---\nc: [d, e]"
        1:1-4:1 "a: b\n---\nc: [d, e]\n"
    "#]],
    );
}

#[test]
fn several_offsets_and_past_the_end() {
    let f = common::fixture("a: b\n");
    let file = f.file("playbook.yaml");
    let all = selection_ranges(f.db(), file, &[0, 3, 999]);
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|ranges| !ranges.is_empty()));
}
