//! Checker tests: multi-file fixtures with the expected diagnostics, one test per check.
//!
//! A fixture is a list of files, each introduced by a header line:
//! `//- manifest IMAGE` (a step manifest serving image IMAGE), `//- playbook` or `//- trigger`.
//! The output lists each diagnostic of the playbooks and triggers as
//! `file:line:col CODE severity message [label] (help)`.

use std::fmt::Write as _;

use expect_test::{Expect, expect};
use playbook_check::Workspace;
use playbook_diagnostics::LineIndex;
use playbook_hir::ir::{Item, Playbook, StepManifest};

struct Fixture {
    files: Vec<(String, String, Vec<Item>)>,
    images: Vec<(String, usize)>,
    secrets: Option<Vec<String>>,
}

impl Workspace for Fixture {
    fn manifest(&self, image: &str) -> Option<&StepManifest> {
        let image = image.split(['@', ':']).next().unwrap_or(image);
        let (_, file) = self.images.iter().find(|(i, _)| i == image)?;
        self.files[*file].2.iter().find_map(|i| match i {
            Item::Step(m) => Some(m),
            _ => None,
        })
    }

    fn known_secrets(&self) -> Option<&[String]> {
        self.secrets.as_deref()
    }

    fn playbook(&self, name: &str) -> Option<&Playbook> {
        self.files.iter().flat_map(|f| f.2.iter()).find_map(|i| match i {
            Item::Playbook(p) if p.name.as_ref().is_some_and(|n| n.value == name) => Some(p),
            _ => None,
        })
    }

    fn playbook_names(&self) -> Vec<String> {
        self.files
            .iter()
            .flat_map(|f| f.2.iter())
            .filter_map(|i| match i {
                Item::Playbook(p) => p.name.as_ref().map(|n| n.value.clone()),
                _ => None,
            })
            .collect()
    }
}

fn fixture(src: &str, secrets: Option<&[&str]>) -> Fixture {
    let mut files = Vec::new();
    let mut images = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut finish = |current: Option<(String, String)>, files: &mut Vec<(String, String, Vec<Item>)>| {
        if let Some((header, text)) = current {
            let parse = playbook_syntax::parse(&text);
            assert!(parse.errors().is_empty(), "{header}: syntax errors {:?}", parse.errors());
            let lowered = playbook_hir::lower(parse.tree());
            assert!(lowered.diagnostics.is_empty(), "{header}: lowering errors {:?}", lowered.diagnostics);
            files.push((header, text, lowered.file.items));
        }
    };
    for line in src.lines() {
        if let Some(header) = line.strip_prefix("//- ") {
            finish(current.take(), &mut files);
            if let Some(image) = header.strip_prefix("manifest ") {
                images.push((image.to_owned(), files.len()));
            }
            current = Some((header.to_owned(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    finish(current, &mut files);
    Fixture { files, images, secrets: secrets.map(|s| s.iter().map(|s| s.to_string()).collect()) }
}

fn render(fixture: &Fixture) -> String {
    let mut out = String::new();
    for (header, text, items) in &fixture.files {
        let index = LineIndex::new(text);
        for item in items {
            let diagnostics = match item {
                Item::Playbook(p) => playbook_check::check_playbook(p, fixture),
                Item::Trigger(t) => playbook_check::check_trigger(t, fixture),
                Item::Step(_) => continue,
            };
            for d in diagnostics {
                let lc = index.line_col(d.range.start());
                let _ = write!(out, "{header}:{}:{} {} {} {}", lc.line + 1, lc.col + 1, d.code.id, d.severity, d.message);
                if let Some(label) = &d.label {
                    let _ = write!(out, " [{label}]");
                }
                if let Some(help) = &d.help {
                    let _ = write!(out, " (help: {help})");
                }
                out.push('\n');
            }
        }
    }
    out
}

fn check(src: &str, expect: Expect) {
    expect.assert_eq(&render(&fixture(src, None)));
}

fn check_with_secrets(src: &str, secrets: &[&str], expect: Expect) {
    expect.assert_eq(&render(&fixture(src, Some(secrets))));
}

const REDIS_INFO: &str = r#"//- manifest lib/redis/info
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis_info
envs:
  - name: REDIS_IP
    type: string
    required: true
  - name: REDIS_PASSWORD
    type: string
  - name: VERBOSE
    type: bool
  - name: TIMEOUT
    type: int
outputs:
  - name: info
    type: json
    example: '{"Clients": {"connected_clients": "2"}, "Memory": {"used_memory_human": "900K"},}'
  - name: version
    type: string
  - name: items
    type: json
    example: '[{"name": "a", "size": 1}]'
"#;

const SLACK: &str = r#"//- manifest lib/slack/post
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: slack_post
envs:
  - name: TEXT
    type: string
    required: true
integrations: [slack]
"#;

fn with_library(playbook: &str) -> String {
    format!("{REDIS_INFO}{SLACK}//- playbook\n{playbook}")
}

#[test]
fn clean_playbook_has_no_diagnostics() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: RedisIp
    type: var
    default: "{{ $.event.Host }}"
  - name: RedisPassword
    type: secret
  - name: Slack
    type: integration
    options:
      integration_type: slack
  - name: runner
    type: spd
steps:
  - name: lib/redis/info:1.2
    id: redis-info
    runner: "{{ $.params.runner }}"
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
      REDIS_PASSWORD: "{{ secret $.params.RedisPassword }}"
      VERBOSE: "true"
      TIMEOUT: 30
  - name: lib/slack/post
    when: "{{ gt (len .info) 0 }}"
    envFrom:
      integrationRef: "{{ $.params.Slack }}"
    env:
      TEXT: "Clients: {{ $.'redis-info'.info.Clients.connected_clients }} {{ toJson .items }} {{ $.'redis-info'.items.[:].name }}"
  - foreach:
      in: redis-info.items
      value: item
      steps:
        - name: lib/slack/post
          env:
            TEXT: "{{ .item.name }} {{ range .items }}{{ .anything }}{{ end }} {{ $.metadata.executionUrl }}"
"#,
        ),
        expect![[r#""#]],
    );
}

#[test]
fn parameters() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: RedisIp
    type: var
    default: "{{ $.params.Other }}"
  - name: RedisPassword
    type: secret
  - name: Unused
    type: var
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIP }} {{ $.params.RedisIp }}"
      REDIS_PASSWORD: "{{ $.params.RedisPassword }} {{ secret $.params.RedisIp }} {{ $.params.RedisPassword | secret }}"
"#,
        ),
        expect![[r#""#]],
    );
}

#[test]
fn steps_and_outputs() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: lib/slack/post
    env:
      TEXT: "{{ $.'redis-info'.info }}"
  - name: lib/redis/info
    id: redis-info
    env:
      REDIS_IP: x
  - when: "{{ true }}"
    steps:
      - name: lib/redis/info
        id: maybe
        env:
          REDIS_IP: "{{ $.maybe.info }}"
  - name: lib/slack/post
    env:
      TEXT: "{{ $.maybe.info }} {{ $.'redis-info'.infos }} {{ $.'redis-info'.info.Clients.connected }} {{ $.'redis-info'.version.major }} {{ $.redis_info.info }} {{ $.'redis-info'.output }}"
"#,
        ),
        expect![[r#""#]],
    );
}

#[test]
fn bare_root_outputs_and_loops() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: "{{ .output }}"
  - name: lib/slack/post
    env:
      TEXT: "{{ .info.Memory.used_memory_human }} {{ .infos }} {{ .output }}"
  - foreach:
      in: "{{ $.nothing }}"
      key: i
      steps:
        - name: lib/slack/post
          env:
            TEXT: "{{ .i }} {{ .value }} {{ .j }}"
"#,
        ),
        expect![[r#""#]],
    );
}

#[test]
fn functions() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: lib/slack/post
    env:
      TEXT: "{{ toJSON .x }} {{ eq 1 }} {{ len 1 2 }} {{ repeat \"3\" \"-\" }} {{ \"a\" | upper }} {{ \"a\" | eq }} {{ (len .x) | add1 }}"
"#,
        ),
        expect![[r#""#]],
    );
}

#[test]
fn modules() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: Chat
    type: integration
    options:
      integration_type: teams
  - name: Plain
    type: var
steps:
  - name: lib/redis/info
    runner: agent-7
    env:
      REDIS_HOST: x
      VERBOSE: "yes"
      TIMEOUT: ten
  - name: lib/slack/post
    runner: "{{ $.params.Plain }}"
    envFrom:
      integrationRef: "{{ $.params.Chat }}"
    env:
      TEXT: hi
  - name: lib/slack/post
    envFrom:
      integrationRef: "{{ $.params.Plain }}"
    env:
      TEXT: hi
  - name: lib/redis/info
    envFrom:
      integrationRef: slack
    env:
      REDIS_IP: x
"#,
        ),
        expect![[r#""#]],
    );
}

#[test]
fn secrets_catalogue() {
    check_with_secrets(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: x
      REDIS_PASSWORD: '{{ secret "REDIS_PASSWORD" }} {{ secret "REDIS_PASWORD" }}'
"#,
        ),
        &["REDIS_PASSWORD"],
        expect![[r#""#]],
    );
}

#[test]
fn triggers() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-diagnostics
parameters:
  - name: RedisIp
    type: var
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
//- trigger
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: redis-diagnostic
metadata:
  name: t1
//- trigger
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: redis-diagnostics
metadata:
  name: t2
scenarios:
  - name: Alert
    parameters:
      RedisIP: "{{ .Host }}"
      RedisIp: "{{ .Host }}"
//- trigger
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: ""
metadata:
  name: unbound
"#,
        ),
        expect![[r#""#]],
    );
}
