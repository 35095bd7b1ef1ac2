//! Document symbols (the outline of a file) and workspace symbols (playbooks, triggers and
//! manifests by name).

mod common;

use expect_test::{Expect, expect};
use playbook_ide::{Symbol, document_symbols, workspace_symbols};

/// The outline of the fixture's `playbook.yaml`, one symbol a line, indented by depth:
/// `Kind name (detail) range selection`.
fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let text = f.text("playbook.yaml");
    let symbols = document_symbols(f.db(), f.file("playbook.yaml"));
    let mut out = String::new();
    for symbol in &symbols {
        render(text, symbol, None, 0, &mut out);
    }
    expect.assert_eq(&out);
}

fn render(text: &str, symbol: &Symbol, parent: Option<&Symbol>, depth: usize, out: &mut String) {
    assert!(
        symbol.range.contains_range(symbol.selection),
        "selection outside the range: {symbol:?}"
    );
    assert!(
        symbol.range.end() as usize <= text.len(),
        "past the end: {symbol:?}"
    );
    if let Some(parent) = parent {
        assert!(
            parent.range.contains_range(symbol.range),
            "outside its parent: {symbol:?}"
        );
    }
    let detail = symbol
        .detail
        .as_ref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    let range = common::show_range(text, symbol.range);
    let range = range.split_once(' ').map_or(range.as_str(), |(r, _)| r);
    out.push_str(&format!(
        "{}{:?} {}{detail} {range} {}\n",
        "  ".repeat(depth),
        symbol.kind,
        symbol.name,
        common::show_range(text, symbol.selection),
    ));
    for child in &symbol.children {
        render(text, child, Some(symbol), depth + 1, out);
    }
}

#[test]
fn playbook_outline_with_nested_blocks_and_loops() {
    check(
        r#"
kind: Playbook
metadata:
  name: outline
parameters:
  - name: Host
    type: var
  - name: Token
    type: secret
  - name: Untyped
steps:
  - name: registry.example.com/steps/kubectl/get-pods:1.2
    id: pods
  - name: registry.example.com/steps/slack/post@sha256:abc
  - when: "{{ and (gt (len $.pods.items) 0) (eq $.params.Host \"a-very-long-host-name\") }}"
    steps:
      - name: registry.example.com/steps/redis/info
        id: info
      - foreach:
          in: "{{ $.pods.items }}"
          value: pod
          steps:
            - name: registry.example.com/steps/redis/ping
  - foreach:
      in:
        range: [1, 3]
      key: n
      steps: []
  - steps:
      - name: registry.example.com/steps/x
"#,
        expect![[r#"
            Playbook outline 1:1-29:43 3:9-3:16 "outline"
              Parameter Host (var) 5:5-6:14 5:11-5:15 "Host"
              Parameter Token (secret) 7:5-8:17 7:11-7:16 "Token"
              Parameter Untyped 9:5-9:18 9:11-9:18 "Untyped"
              Step pods (registry.example.com/steps/kubectl/get-pods:1.2) 11:5-12:13 12:9-12:13 "pods"
              Step post (registry.example.com/steps/slack/post@sha256:abc) 13:5-13:59 13:11-13:59 "registry.example.com/steps/slack/post@sha256:abc"
              Block when {{ and (gt (len $.pods.items) 0) (eq $.… 14:5-22:58 14:11-14:93 "\"{{ and (gt (len $.pods.items) 0) (eq $.params.Host \\\"a-very-long-host-name\\\") }}\""
                Step info (registry.example.com/steps/redis/info) 16:9-17:17 17:13-17:17 "info"
                Loop foreach {{ $.pods.items }} (key, pod) 18:9-22:58 19:15-19:35 "\"{{ $.pods.items }}\""
                  Step ping (registry.example.com/steps/redis/ping) 22:15-22:58 22:21-22:58 "registry.example.com/steps/redis/ping"
              Loop foreach range [1, 3] (n, value) 23:5-27:16 25:17-25:21 "1, 3"
              Block block 28:5-29:43 28:5-28:5 ""
                Step x (registry.example.com/steps/x) 29:9-29:43 29:15-29:43 "registry.example.com/steps/x"
        "#]],
    );
}

#[test]
fn trigger_manifest_and_several_documents() {
    check(
        r#"
kind: Trigger
metadata:
  name: on-alert
playbook: outline
scenarios:
  - name: Web alerts
    when: "{{ eq .event.labels.app \"web\" }}"
  - when: "{{ true }}"
---
kind: Step
metadata:
  name: get-pods
  imageName: registry.example.com/steps/kubectl/get-pods
envs:
  - name: NAMESPACE
    type: string
    required: true
  - name: SELECTOR
    type: string
args:
  - name: verbose
outputs:
  - name: items
    type: json
---
kind: Playbook
metadata:
  description: no name
steps:
  - name: registry.example.com/steps/x
"#,
        expect![[r#"
            Trigger on-alert (outline) 1:1-8:23 3:9-3:17 "on-alert"
              Block Web alerts (when {{ eq .event.labels.app "web" }}) 6:5-7:47 6:11-6:21 "Web alerts"
              Block scenario 2 (when {{ true }}) 8:5-8:23 8:5-8:5 ""
            Manifest get-pods (registry.example.com/steps/kubectl/get-pods) 10:1-24:15 12:9-12:17 "get-pods"
              Input NAMESPACE (string, required) 15:5-17:19 15:11-15:20 "NAMESPACE"
              Input SELECTOR (string) 18:5-19:17 18:11-18:19 "SELECTOR"
              Input verbose 21:5-21:18 21:11-21:18 "verbose"
              Output items (json) 23:5-24:15 23:11-23:16 "items"
            Playbook playbook 26:1-30:39 26:1-26:1 ""
              Step x (registry.example.com/steps/x) 30:5-30:39 30:11-30:39 "registry.example.com/steps/x"
        "#]],
    );
}

#[test]
fn broken_files() {
    // A YAML syntax error and an unclosed `{{`: the outline shows what lowering recovered.
    check(
        r#"
kind: Playbook
metadata:
  name: broken
parameters:
  - name: Host
    type: var
steps:
  - name: registry.example.com/steps/a
    id: first
    env:
      A: "{{ $.params.Host"
  - name: registry.example.com/steps/b
    id: [second
  - id:
"#,
        expect![[r#"
            Playbook broken 1:1-14:8 3:9-3:15 "broken"
              Parameter Host (var) 5:5-6:14 5:11-5:15 "Host"
              Step first (registry.example.com/steps/a) 8:5-11:28 9:9-9:14 "first"
              Step b (registry.example.com/steps/b) 12:5-13:16 12:11-12:39 "registry.example.com/steps/b"
        "#]],
    );
    check("//- playbook.yaml\n", expect![[r#""#]]);
    check("just: text\n", expect![[r#""#]]);
}

#[test]
fn multibyte_names_and_crlf() {
    check(
        "kind: Playbook\r\nmetadata:\r\n  name: 'tôt ünïcode'\r\nparameters:\r\n  - name: \"Hôst\"\r\n    type: var\r\nsteps:\r\n  - name: registry.example.com/steps/ça\r\n",
        expect![[r#"
            Playbook tôt ünïcode 1:1-8:41 3:9-3:25 "'tôt ünïcode'"
              Parameter Hôst (var) 5:5-6:14 5:11-5:18 "\"Hôst\""
              Step ça (registry.example.com/steps/ça) 8:5-8:41 8:11-8:41 "registry.example.com/steps/ça"
        "#]],
    );
}

fn check_workspace(fixture: &str, query: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let mut out = String::new();
    for symbol in workspace_symbols(f.db(), query) {
        out.push_str(&format!(
            "{:?} {} {} in {}\n",
            symbol.kind,
            symbol.name,
            f.show(&symbol.path, symbol.range),
            symbol.container.as_deref().unwrap_or("-"),
        ));
    }
    expect.assert_eq(&out);
}

const WORKSPACE: &str = r#"
//- library registry.example.com/steps/ steps
//- playbooks/pod-crashloop-triage.yaml
kind: Playbook
metadata:
  name: pod-crashloop-triage
//- playbooks/redis-diagnostics.yaml
kind: Playbook
metadata:
  name: RedisDiagnostics
---
kind: Playbook
metadata:
  name: redis
//- triggers/pods.yaml
kind: Trigger
metadata:
  name: crashing-pods
playbook: pod-crashloop-triage
//- steps/kubectl/get-pods/manifest.yaml
kind: Step
metadata:
  name: get-pods
//- vendor/other/manifest.yaml
kind: Step
metadata:
  name: other-pods
  imageName: example.com/other
//- notes.yaml
kind: ConfigMap
metadata:
  name: pods
"#;

#[test]
fn workspace_symbols_by_fuzzy_name() {
    // Exact, then prefix, then substring (at a word start first), then scattered letters.
    check_workspace(
        WORKSPACE,
        "pods",
        expect![[r#"
            Manifest get-pods steps/kubectl/get-pods/manifest.yaml:3:9-3:17 "get-pods" in registry.example.com/steps/kubectl/get-pods
            Manifest other-pods vendor/other/manifest.yaml:3:9-3:19 "other-pods" in example.com/other
            Trigger crashing-pods triggers/pods.yaml:3:9-3:22 "crashing-pods" in triggers/pods.yaml
            Playbook pod-crashloop-triage playbooks/pod-crashloop-triage.yaml:3:9-3:29 "pod-crashloop-triage" in playbooks/pod-crashloop-triage.yaml
        "#]],
    );
    check_workspace(
        WORKSPACE,
        "REDIS",
        expect![[r#"
        Playbook redis playbooks/redis-diagnostics.yaml:7:9-7:14 "redis" in playbooks/redis-diagnostics.yaml
        Playbook RedisDiagnostics playbooks/redis-diagnostics.yaml:3:9-3:25 "RedisDiagnostics" in playbooks/redis-diagnostics.yaml
    "#]],
    );
    check_workspace(
        WORKSPACE,
        "rd",
        expect![[r#"
        Playbook RedisDiagnostics playbooks/redis-diagnostics.yaml:3:9-3:25 "RedisDiagnostics" in playbooks/redis-diagnostics.yaml
        Playbook redis playbooks/redis-diagnostics.yaml:7:9-7:14 "redis" in playbooks/redis-diagnostics.yaml
        Manifest other-pods vendor/other/manifest.yaml:3:9-3:19 "other-pods" in example.com/other
        Trigger crashing-pods triggers/pods.yaml:3:9-3:22 "crashing-pods" in triggers/pods.yaml
    "#]],
    );
    check_workspace(WORKSPACE, "zzz", expect![[r#""#]]);
}

#[test]
fn workspace_symbols_for_an_empty_query() {
    check_workspace(
        WORKSPACE,
        "",
        expect![[r#"
        Trigger crashing-pods triggers/pods.yaml:3:9-3:22 "crashing-pods" in triggers/pods.yaml
        Manifest get-pods steps/kubectl/get-pods/manifest.yaml:3:9-3:17 "get-pods" in registry.example.com/steps/kubectl/get-pods
        Manifest other-pods vendor/other/manifest.yaml:3:9-3:19 "other-pods" in example.com/other
        Playbook pod-crashloop-triage playbooks/pod-crashloop-triage.yaml:3:9-3:29 "pod-crashloop-triage" in playbooks/pod-crashloop-triage.yaml
        Playbook redis playbooks/redis-diagnostics.yaml:7:9-7:14 "redis" in playbooks/redis-diagnostics.yaml
        Playbook RedisDiagnostics playbooks/redis-diagnostics.yaml:3:9-3:25 "RedisDiagnostics" in playbooks/redis-diagnostics.yaml
    "#]],
    );
}

#[test]
fn workspace_symbols_are_capped() {
    let mut fixture = String::new();
    for i in 0..1200 {
        fixture.push_str(&format!(
            "//- p{i:04}.yaml\nkind: Playbook\nmetadata:\n  name: playbook-{i:04}\n"
        ));
    }
    let f = common::fixture(&fixture);
    let all = workspace_symbols(f.db(), "");
    assert_eq!(all.len(), playbook_ide::symbols::WORKSPACE_SYMBOL_LIMIT);
    let one = workspace_symbols(f.db(), "playbook-1199");
    assert_eq!(one.first().map(|s| s.name.as_str()), Some("playbook-1199"));
}
