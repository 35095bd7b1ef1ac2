//! Semantic tokens of the template parts of a file: one line per token, with its kind and
//! modifiers, at its source range.

mod common;

use expect_test::{Expect, expect};
use playbook_ide::{SemanticToken, TextRange, semantic_tokens};

fn render(text: &str, tokens: &[SemanticToken]) -> String {
    let mut out = String::new();
    for token in tokens {
        let modifiers: Vec<String> = token.modifiers.iter().map(|m| format!("{m:?}")).collect();
        out.push_str(&format!(
            "{} {:?}{}{}\n",
            common::show_range(text, token.range),
            token.kind,
            if modifiers.is_empty() { "" } else { " " },
            modifiers.join(",")
        ));
    }
    out
}

/// The tokens of the fixture's `playbook.yaml` (of those intersecting `$1..$2` when the
/// fixture marks them), checked for order and bounds.
fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let file = f.file("playbook.yaml");
    let text = f.text("playbook.yaml");
    let range = match f.markers.len() {
        0 => None,
        _ => Some(TextRange::new(f.marker(1).1, f.marker(2).1)),
    };
    let tokens = semantic_tokens(f.db(), file, range);
    assert_well_formed(text, &tokens);
    expect.assert_eq(&render(text, &tokens));
}

/// Sorted, not overlapping, not empty, inside the text, on character boundaries.
fn assert_well_formed(text: &str, tokens: &[SemanticToken]) {
    let mut end = 0;
    for token in tokens {
        let range = token.range;
        assert!(!range.is_empty(), "empty token {token:?}");
        assert!(
            range.start() >= end,
            "overlapping or unsorted token {token:?}"
        );
        assert!(
            range.end() as usize <= text.len(),
            "token past the end {token:?}"
        );
        assert!(
            text.is_char_boundary(range.start() as usize)
                && text.is_char_boundary(range.end() as usize),
            "token off a character boundary {token:?}"
        );
        end = range.end();
    }
}

const LIBRARY: &str = r#"
//- library registry/steps/ steps
//- steps/get/manifest.yaml
kind: Step
metadata:
  name: get
envs:
  - name: HOST
    type: string
outputs:
  - name: items
    type: json
    example: '{"pods": [{"name": "a"}]}'
  - name: status
    type: string
"#;

#[test]
fn parameters_steps_outputs_and_functions() {
    check(
        &format!(
            r#"
kind: Playbook
metadata:
  name: tokens
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: "{{{{ $.params.Host | quote }}}}"
  - name: registry/steps/get
    env:
      HOST: "{{{{ $.fetch.items.pods }}}} {{{{ .status }}}} {{{{ $.params.Nope }}}} {{{{ nosuch 1 }}}}"
{LIBRARY}"#
        ),
        expect![[r#"
            11:14-11:16 "{{" Operator
            11:17-11:18 "$" Variable DefaultLibrary
            11:19-11:25 "params" Variable DefaultLibrary
            11:26-11:30 "Host" Parameter
            11:31-11:32 "|" Operator
            11:33-11:38 "quote" Function DefaultLibrary
            11:39-11:41 "}}" Operator
            14:14-14:16 "{{" Operator
            14:17-14:18 "$" Variable DefaultLibrary
            14:19-14:24 "fetch" Step
            14:25-14:30 "items" Output
            14:31-14:35 "pods" Property
            14:36-14:38 "}}" Operator
            14:39-14:41 "{{" Operator
            14:43-14:49 "status" Output
            14:50-14:52 "}}" Operator
            14:53-14:55 "{{" Operator
            14:56-14:57 "$" Variable DefaultLibrary
            14:58-14:64 "params" Variable DefaultLibrary
            14:65-14:69 "Nope" Parameter Unresolved
            14:70-14:72 "}}" Operator
            14:73-14:75 "{{" Operator
            14:76-14:82 "nosuch" Function Unresolved
            14:83-14:84 "1" Number
            14:85-14:87 "}}" Operator
        "#]],
    );
}

#[test]
fn keywords_variables_literals_and_trim_markers() {
    check(
        r#"
kind: Playbook
metadata:
  name: tokens
parameters:
  - name: Names
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: |
        {{- range $i, $n := $.params.Names -}}
        {{ if eq $i 0 }}first{{ else if not true }}{{ printf "%s=%d" $n 3 }}{{ else }}{{ nil }}{{ end }}
        {{- end }}{{/* a comment */}}{{ with $x := (len .items) }}{{ $x = 2 }}{{ break }}{{ end }}
"#,
        expect![[r#"
            11:9-11:12 "{{-" Operator
            11:13-11:18 "range" Keyword
            11:19-11:21 "$i" Variable Declaration
            11:21-11:22 "," Operator
            11:23-11:25 "$n" Variable Declaration
            11:26-11:28 ":=" Operator
            11:29-11:30 "$" Variable DefaultLibrary
            11:31-11:37 "params" Variable DefaultLibrary
            11:38-11:43 "Names" Parameter
            11:44-11:47 "-}}" Operator
            12:9-12:11 "{{" Operator
            12:12-12:14 "if" Keyword
            12:15-12:17 "eq" Function DefaultLibrary
            12:18-12:20 "$i" Variable
            12:21-12:22 "0" Number
            12:23-12:25 "}}" Operator
            12:30-12:32 "{{" Operator
            12:33-12:37 "else" Keyword
            12:38-12:40 "if" Keyword
            12:41-12:44 "not" Function DefaultLibrary
            12:45-12:49 "true" Keyword
            12:50-12:52 "}}" Operator
            12:52-12:54 "{{" Operator
            12:55-12:61 "printf" Function DefaultLibrary
            12:62-12:69 "\"%s=%d\"" String
            12:70-12:72 "$n" Variable
            12:73-12:74 "3" Number
            12:75-12:77 "}}" Operator
            12:77-12:79 "{{" Operator
            12:80-12:84 "else" Keyword
            12:85-12:87 "}}" Operator
            12:87-12:89 "{{" Operator
            12:90-12:93 "nil" Keyword
            12:94-12:96 "}}" Operator
            12:96-12:98 "{{" Operator
            12:99-12:102 "end" Keyword
            12:103-12:105 "}}" Operator
            13:9-13:12 "{{-" Operator
            13:13-13:16 "end" Keyword
            13:17-13:19 "}}" Operator
            13:19-13:21 "{{" Operator
            13:36-13:38 "}}" Operator
            13:38-13:40 "{{" Operator
            13:41-13:45 "with" Keyword
            13:46-13:48 "$x" Variable Declaration
            13:49-13:51 ":=" Operator
            13:52-13:53 "(" Operator
            13:53-13:56 "len" Function DefaultLibrary
            13:58-13:63 "items" Property
            13:63-13:64 ")" Operator
            13:65-13:67 "}}" Operator
            13:67-13:69 "{{" Operator
            13:70-13:72 "$x" Variable
            13:73-13:74 "=" Operator
            13:75-13:76 "2" Number
            13:77-13:79 "}}" Operator
            13:79-13:81 "{{" Operator
            13:82-13:87 "break" Keyword
            13:88-13:90 "}}" Operator
            13:90-13:92 "{{" Operator
            13:93-13:96 "end" Keyword
            13:97-13:99 "}}" Operator
        "#]],
    );
}

#[test]
fn names_inside_strings_and_quoted_segments() {
    check(
        r#"
kind: Playbook
metadata:
  name: tokens
parameters:
  - name: 'redis-ip'
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: '{{ index $.params "redis-ip" }} {{ $.params.''redis-ip'' }} {{ get "$.params.redis-ip" }}'
"#,
        expect![[r#"
            10:14-10:16 "{{" Operator
            10:17-10:22 "index" Function DefaultLibrary
            10:23-10:24 "$" Variable DefaultLibrary
            10:25-10:31 "params" Variable DefaultLibrary
            10:32-10:33 "\"" String
            10:33-10:41 "redis-ip" Parameter
            10:41-10:42 "\"" String
            10:43-10:45 "}}" Operator
            10:46-10:48 "{{" Operator
            10:49-10:50 "$" Variable DefaultLibrary
            10:51-10:57 "params" Variable DefaultLibrary
            10:58-10:70 "''redis-ip''" Parameter
            10:71-10:73 "}}" Operator
            10:74-10:76 "{{" Operator
            10:77-10:80 "get" Function DefaultLibrary
            10:81-10:84 "\"$." String
            10:84-10:90 "params" Variable DefaultLibrary
            10:90-10:91 "." String
            10:91-10:99 "redis-ip" Parameter
            10:99-10:100 "\"" String
            10:101-10:103 "}}" Operator
        "#]],
    );
}

#[test]
fn loop_variables_and_root_reads() {
    check(
        &format!(
            r#"
kind: Playbook
metadata:
  name: tokens
steps:
  - name: registry/steps/get
    id: fetch
  - foreach:
      in: "{{{{ $.fetch.items }}}}"
      key: i
      value: pod
      steps:
        - name: registry/steps/get
          env:
            HOST: "{{{{ $.pod.name }}}} {{{{ $.i }}}} {{{{ range .items }}}}{{{{ .name }}}}{{{{ end }}}}"
{LIBRARY}"#
        ),
        expect![[r#"
            8:12-8:14 "{{" Operator
            8:15-8:16 "$" Variable DefaultLibrary
            8:17-8:22 "fetch" Step
            8:23-8:28 "items" Output
            8:29-8:31 "}}" Operator
            14:20-14:22 "{{" Operator
            14:23-14:24 "$" Variable DefaultLibrary
            14:25-14:28 "pod" Variable
            14:29-14:33 "name" Property
            14:34-14:36 "}}" Operator
            14:37-14:39 "{{" Operator
            14:40-14:41 "$" Variable DefaultLibrary
            14:42-14:43 "i" Variable
            14:44-14:46 "}}" Operator
            14:47-14:49 "{{" Operator
            14:50-14:55 "range" Keyword
            14:57-14:62 "items" Output
            14:63-14:65 "}}" Operator
            14:65-14:67 "{{" Operator
            14:69-14:73 "name" Property
            14:74-14:76 "}}" Operator
            14:76-14:78 "{{" Operator
            14:79-14:82 "end" Keyword
            14:83-14:85 "}}" Operator
        "#]],
    );
}

#[test]
fn escapes_in_double_quoted_scalars() {
    // `\"` and `\t` are decoded before the template is parsed: the string's token covers
    // its escaped quotes, and the tab is white space between tokens.
    check(
        r#"
kind: Playbook
metadata:
  name: tokens
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ printf \"%s\" $.params.Host }}\t{{\t$.params.Host\u0020}}"
"#,
        expect![[r#"
            10:14-10:16 "{{" Operator
            10:17-10:23 "printf" Function DefaultLibrary
            10:24-10:30 "\\\"%s\\\"" String
            10:31-10:32 "$" Variable DefaultLibrary
            10:33-10:39 "params" Variable DefaultLibrary
            10:40-10:44 "Host" Parameter
            10:45-10:47 "}}" Operator
            10:49-10:51 "{{" Operator
            10:53-10:54 "$" Variable DefaultLibrary
            10:55-10:61 "params" Variable DefaultLibrary
            10:62-10:66 "Host" Parameter
            10:72-10:74 "}}" Operator
        "#]],
    );
}

#[test]
fn folded_block_scalar_spanning_lines() {
    // A string literal folded over two lines is one token spanning them.
    check(
        r#"
kind: Playbook
metadata:
  name: tokens
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: >-
        {{ printf "a
        b" $.params.Host
        }}
"#,
        expect![[r#"
            11:9-11:11 "{{" Operator
            11:12-11:18 "printf" Function DefaultLibrary
            11:19-12:11 "\"a\n        b\"" String
            12:12-12:13 "$" Variable DefaultLibrary
            12:14-12:20 "params" Variable DefaultLibrary
            12:21-12:25 "Host" Parameter
            13:9-13:11 "}}" Operator
        "#]],
    );
}

#[test]
fn multibyte_text_and_crlf() {
    check(
        "kind: Playbook\r\nmetadata:\r\n  name: tökens\r\nparameters:\r\n  - name: Hôst\r\n    type: var\r\nsteps:\r\n  - name: registry/steps/get\r\n    env:\r\n      HOST: \"é {{ $.params.Hôst }} ü {{ `ñ` | quote }}\"\r\n",
        expect![[r#"
            10:17-10:19 "{{" Operator
            10:20-10:21 "$" Variable DefaultLibrary
            10:22-10:28 "params" Variable DefaultLibrary
            10:29-10:34 "Hôst" Parameter
            10:35-10:37 "}}" Operator
            10:41-10:43 "{{" Operator
            10:44-10:48 "`ñ`" String
            10:49-10:50 "|" Operator
            10:51-10:56 "quote" Function DefaultLibrary
            10:57-10:59 "}}" Operator
        "#]],
    );
}

#[test]
fn broken_templates_and_yaml() {
    // An unclosed `{{` keeps its delimiter only; a broken action keeps what parsed.
    check(
        r#"
kind: Playbook
metadata:
  name: tokens
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      A: "{{ $.params.Host"
      B: "{{ $.params. }} {{ if }} {{ end }} {{ ) }}"
      C: [unclosed, "{{ $.params.Host }}"
"#,
        expect![[r#"
            10:11-10:13 "{{" Operator
            11:11-11:13 "{{" Operator
            11:14-11:15 "$" Variable DefaultLibrary
            11:16-11:22 "params" Variable DefaultLibrary
            11:24-11:26 "}}" Operator
            11:27-11:29 "{{" Operator
            11:30-11:32 "if" Keyword
            11:33-11:35 "}}" Operator
            11:36-11:38 "{{" Operator
            11:39-11:42 "end" Keyword
            11:43-11:45 "}}" Operator
            11:46-11:48 "{{" Operator
            11:49-11:50 ")" Operator
            11:51-11:53 "}}" Operator
            12:22-12:24 "{{" Operator
            12:25-12:26 "$" Variable DefaultLibrary
            12:27-12:33 "params" Variable DefaultLibrary
            12:34-12:38 "Host" Property
            12:39-12:41 "}}" Operator
        "#]],
    );
}

#[test]
fn several_documents() {
    // A trigger's templates and a parameter default are not checked as step values: their
    // context roots are still the context's.
    check(
        r#"
kind: Trigger
metadata:
  name: trigger
spec:
  playbook: tokens
  scenarios:
    - when: "{{ eq .event.labels.app \"web\" }}"
---
kind: Playbook
metadata:
  name: tokens
parameters:
  - name: Host
    type: var
    default: "{{ $.event.labels.host }}"
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Host }}"
"#,
        expect![[r#"
            7:14-7:16 "{{" Operator
            7:17-7:19 "eq" Function DefaultLibrary
            7:21-7:26 "event" Variable DefaultLibrary
            7:27-7:33 "labels" Property
            7:34-7:37 "app" Property
            7:38-7:45 "\\\"web\\\"" String
            7:46-7:48 "}}" Operator
            15:15-15:17 "{{" Operator
            15:18-15:19 "$" Variable DefaultLibrary
            15:20-15:25 "event" Variable DefaultLibrary
            15:26-15:32 "labels" Property
            15:33-15:37 "host" Property
            15:38-15:40 "}}" Operator
            19:14-19:16 "{{" Operator
            19:17-19:18 "$" Variable DefaultLibrary
            19:19-19:25 "params" Variable DefaultLibrary
            19:26-19:30 "Host" Parameter
            19:31-19:33 "}}" Operator
        "#]],
    );
}

#[test]
fn range_request() {
    check(
        r#"
kind: Playbook
metadata:
  name: tokens
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Host }} $1{{ $.params.Host }}$2 {{ $.params.Host }}"
      PORT: "{{ 1 }}"
"#,
        expect![[r#"
            10:34-10:36 "{{" Operator
            10:37-10:38 "$" Variable DefaultLibrary
            10:39-10:45 "params" Variable DefaultLibrary
            10:46-10:50 "Host" Parameter
            10:51-10:53 "}}" Operator
        "#]],
    );
}

#[test]
fn no_tokens() {
    check("//- playbook.yaml\n", expect![[r#""#]]);
    check("kind: Playbook\nsteps: []\n", expect![[r#""#]]);
    // Another program's templates (a Helm chart) are not ours.
    check(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"{{ .Values.a }}\"\n",
        expect![[r#""#]],
    );
}

/// Checks the tokens of every file of a workspace: well formed, and every delimiter,
/// keyword and operator token holding the text of one.
fn check_workspace(host: &playbook_db::AnalysisHost) -> usize {
    let mut count = 0;
    let paths: Vec<String> = host.files().map(str::to_owned).collect();
    for path in paths {
        let Some(file) = host.file(&path) else {
            continue;
        };
        let text = host.file_text(&path).unwrap_or("");
        let tokens = semantic_tokens(host.db(), file, None);
        assert_well_formed(text, &tokens);
        for token in &tokens {
            let slice = &text[token.range.start() as usize..token.range.end() as usize];
            if slice.contains('\\') {
                continue;
            }
            let fits = match token.kind {
                playbook_ide::TokenKind::Operator => [
                    "{{", "{{-", "}}", "-}}", "|", ":=", "=", "(", ")", "[", "]", ",", ":", "*",
                ]
                .contains(&slice),
                playbook_ide::TokenKind::Keyword => [
                    "if", "else", "end", "range", "with", "define", "template", "block", "break",
                    "continue", "true", "false", "nil",
                ]
                .contains(&slice),
                _ => !slice.trim().is_empty(),
            };
            assert!(fits, "{path}: {token:?} holds {slice:?}");
        }
        count += tokens.len();
    }
    count
}

#[test]
fn every_example_and_every_manifest_of_the_corpus() {
    let root = playbook_test_support::workspace_root().join("playbooks");
    let mut host = playbook_db::AnalysisHost::new();
    host.set_libraries(vec![playbook_db::Library {
        prefix: "registry.example.com/playbook-steps/".to_owned(),
        dir: "steps".to_owned(),
        missing: false,
    }]);
    let examples = playbook_test_support::yaml_files(&root);
    assert!(!examples.is_empty(), "no example under {}", root.display());
    host.set_file_texts(examples.clone());
    let count = check_workspace(&host);
    assert!(count > 500, "only {count} tokens in the examples");

    // Every prefix of every example playbook (a file being typed): still well formed.
    for (path, text) in examples.iter().filter(|(p, _)| !p.contains('/')) {
        // About 40 cuts a file, at odd strides so that they fall everywhere.
        let stride = (text.len() / 40).max(1) | 1;
        let mut cut = 0;
        while cut < text.len() {
            cut = (cut + stride).min(text.len());
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            host.set_file_text(path, text[..cut].to_owned());
            let file = host.file(path).expect("the file was just set");
            assert_well_formed(&text[..cut], &semantic_tokens(host.db(), file, None));
        }
        host.set_file_text(path, text.clone());
    }

    match playbook_test_support::shared_data("corpus/stackpulse-steps") {
        Some(dir) => {
            let mut host = playbook_db::AnalysisHost::new();
            host.set_file_texts(playbook_test_support::yaml_files(&dir));
            check_workspace(&host);
        }
        None => eprintln!("skipped the step corpus: the shared test data is missing"),
    }
}
