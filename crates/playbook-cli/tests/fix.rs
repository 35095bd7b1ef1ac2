//! `playbook check --fix`: one fixture per code whose findings carry fixes (every code of
//! `playbook_db::registry::AUTOFIXES`), written to a folder and fixed on disk with `--fix`
//! and with `--fix --unsafe-fixes`; the snapshot shows the files the fixes changed and what
//! is left. Every run of [`check`] also asserts that
//! - a second `--fix` changes nothing (no file is written again);
//! - the fixes applied in rounds give what applying them one at a time gives, with the file
//!   checked again after each;
//! - the fixes are as safe as the catalogue says.
//!
//! The end-to-end tests at the end run the binary: exit codes, a file with nothing to fix
//! left untouched, standard input.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use expect_test::{Expect, expect};
use playbook_cli::check::{Format, Options, run_in};
use playbook_db::registry::{AUTOFIXES, FixSafety, autofix};
use playbook_diagnostics::Diagnostic;
use playbook_diagnostics::fix::{self, Applicability};
use playbook_test_support::{write_tree, yaml_files};

/// The project every fixture is in: a step library of one manifest,
/// `registry/steps/redis/info`, and a secret catalogue.
const PROJECT: &str = r#"//- playbook.toml
[secrets]
known = ["GITHUB_API_TOKEN"]

[[library]]
prefix = "registry/steps/"
path = "steps"
//- steps/redis/info/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis-info
envs:
  - name: REDIS_IP
    type: string
    required: true
  - name: REDIS_PORT
    type: string
    required: true
  - name: REDIS_PASSWORD
    type: string
outputs:
  - name: info
    type: json
    example: '{"Clients": {"connected_clients": "2"}}'
  - name: status
    type: string
  - name: infos
    type: string
"#;

/// A fresh folder for one run.
fn folder() -> common::TempDir {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    common::temp_dir(&format!("fix-{}", RUNS.fetch_add(1, Ordering::Relaxed)))
}

fn options(applicability: Applicability) -> Options {
    Options {
        paths: vec![PathBuf::from(".")],
        format: Format::Short,
        fix: true,
        unsafe_fixes: applicability == Applicability::Unsafe,
        ..Options::default()
    }
}

/// Runs `check --fix` (with `--unsafe-fixes` for [`Applicability::Unsafe`]) on the
/// fixture's files in a fresh folder, and renders the messages, the files that changed and
/// the report of what is left.
fn run_fix(fixture: &str, applicability: Applicability) -> String {
    let dir = folder();
    write_tree(&dir, &format!("{PROJECT}{fixture}"));
    let before = yaml_files(&dir);
    let expected = one_at_a_time(&dir, applicability);

    let outcome = run_in(&dir, &options(applicability));
    let after = yaml_files(&dir);
    let mut out = String::new();
    for line in outcome.stderr.iter().chain(&outcome.summary.fix_lines()) {
        out.push_str(line);
        out.push('\n');
    }
    for ((path, old), (_, new)) in before.iter().zip(&after) {
        if old != new {
            out.push_str(&format!("--- {path}\n{new}"));
        }
    }
    out.push_str(&outcome.stdout);
    out.push_str(&outcome.summary.line());
    out.push('\n');

    for (path, text) in &after {
        let one = expected.iter().find(|(p, _)| p == path).map(|(_, t)| t);
        assert_eq!(
            Some(text),
            one,
            "{path}: the rounds differ from one fix at a time"
        );
    }
    let again = run_in(&dir, &options(applicability));
    assert_eq!(yaml_files(&dir), after, "a second --fix changed files");
    assert_eq!(again.summary.fixed, Some((0, 0)));
    out
}

/// The files of the folder with the fixes applied one at a time: the first safe fix, else
/// the first fix that applies, then the file checked again, until no fix applies; file
/// after file, as `check --fix` takes them.
fn one_at_a_time(dir: &Path, applicability: Applicability) -> Vec<(String, String)> {
    let codes = playbook_cli::check::known_codes();
    let workspace = playbook_workspace::load_workspace_in(dir, &[PathBuf::from(".")], &codes)
        .unwrap_or_else(|e| panic!("{e}"));
    let checked: Vec<String> = workspace
        .checked_files()
        .map(|f| playbook_workspace::path_key(&f.path))
        .collect();
    let (mut host, _) =
        playbook_workspace::into_analysis_host(workspace, playbook_workspace::PathStyle::Display);
    for name in &checked {
        for _ in 0..fix::MAX_ROUNDS {
            let text = host.file_text(name).unwrap_or_default().to_owned();
            let diagnostics = host.diagnostics(name);
            check_safety(&diagnostics);
            let first = |applicability| {
                diagnostics
                    .iter()
                    .find_map(|d| fix::applicable(&text, d, applicability))
            };
            let Some(first) = first(Applicability::Safe).or_else(|| first(applicability)) else {
                break;
            };
            let mut edits = first.edits.clone();
            edits.sort_by_key(|e| e.range.start());
            host.set_file_text(name, fix::apply(&text, &edits));
        }
    }
    let mut files: Vec<(String, String)> = checked
        .iter()
        .map(|name| {
            let text = host.file_text(name).unwrap_or_default().to_owned();
            (name.trim_start_matches("./").to_owned(), text)
        })
        .collect();
    files.extend(untouched(dir, &checked));
    files
}

/// The YAML files of the folder that are not checked (nothing fixes them), as they are.
fn untouched(dir: &Path, checked: &[String]) -> Vec<(String, String)> {
    yaml_files(dir)
        .into_iter()
        .filter(|(path, _)| !checked.iter().any(|c| c.trim_start_matches("./") == path))
        .collect()
}

/// Every fix is as safe as the catalogue says its code's fixes are.
fn check_safety(diagnostics: &[Diagnostic]) {
    for d in diagnostics.iter().filter(|d| !d.fixes.is_empty()) {
        let entry = autofix(d.code)
            .unwrap_or_else(|| panic!("{} has fixes: add it to AUTOFIXES", d.code.id));
        for f in &d.fixes {
            match entry.safety {
                FixSafety::Safe => assert!(f.safe, "{}: `{}` is unsafe", d.code.id, f.title),
                FixSafety::Unsafe => assert!(!f.safe, "{}: `{}` is safe", d.code.id, f.title),
                FixSafety::Mixed => {}
            }
        }
    }
}

/// The data-driven check of this file: the fixture fixed with `--fix`, then with
/// `--fix --unsafe-fixes` (or "the same" when that changes nothing more).
fn check(fixture: &str, expect: Expect) {
    let safe = run_fix(fixture, Applicability::Safe);
    let all = run_fix(fixture, Applicability::Unsafe);
    let mut out = format!("== check --fix\n{safe}");
    if all == safe {
        out.push_str("== check --fix --unsafe-fixes: the same\n");
    } else {
        out.push_str(&format!("== check --fix --unsafe-fixes\n{all}"));
    }
    expect.assert_eq(&out);
}

const PB002: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
  description: use allContainers: true
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: a "quoted": b
      REDIS_PORT: "1"
"#;

#[test]
fn pb002_a_value_with_a_colon_is_quoted() {
    check(
        PB002,
        expect![[r#"
        == check --fix
        fixed 2 problems in 1 file
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
          description: "use allContainers: true"
        steps:
          - name: registry/steps/redis/info
            env:
              REDIS_IP: 'a "quoted": b'
              REDIS_PORT: "1"
        checked 2 files: no problems found
        == check --fix --unsafe-fixes: the same
    "#]],
    );
}

const PB110: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ toJSON $.event.Host }}"
      REDIS_PORT: "{{ uper $.event.Port }} {{ printt $.event.Port }}"
"#;

#[test]
fn pb110_an_unknown_function_is_replaced() {
    check(
        PB110,
        expect![[r#"
            == check --fix
            fixed 2 problems in 1 file
            1 problem fixable with `--fix --unsafe-fixes`
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ toJson $.event.Host }}"
                  REDIS_PORT: "{{ upper $.event.Port }} {{ printt $.event.Port }}"
            playbook.yaml:9:48: error[PB110] unknown function `printt`
            checked 2 files: 1 error
            == check --fix --unsafe-fixes
            fixed 3 problems in 1 file
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ toJson $.event.Host }}"
                  REDIS_PORT: "{{ upper $.event.Port }} {{ print $.event.Port }}"
            checked 2 files: no problems found
        "#]],
    );
}

const PB201_PB209_PB212: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbok
metadata:
  name: q
---
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: Token
    type: secrt
steps:
  - name: registry/steps/redis/info
    envs:
      REDIS_IP: "{{ secret $.params.Token }}"
      REDIS_PORT: "1"
"#;

#[test]
fn pb201_pb209_pb212_words_of_the_format_need_unsafe_fixes() {
    check(
        PB201_PB209_PB212,
        expect![[r#"
            == check --fix
            nothing to fix
            3 problems fixable with `--fix --unsafe-fixes`
            playbook.yaml:2:7: error[PB212] unknown kind `Playbok`
            playbook.yaml:11:11: hint[PB302] parameter `Token` is never used
            playbook.yaml:12:11: error[PB209] unknown parameter type `secrt`
            playbook.yaml:15:5: error[PB201] unknown key `envs` in a step
            checked 2 files: 3 errors, 1 hint
            == check --fix --unsafe-fixes
            fixed 3 problems in 1 file
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: q
            ---
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: Token
                type: secret
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ secret $.params.Token }}"
                  REDIS_PORT: "1"
            checked 2 files: no problems found
        "#]],
    );
}

const PB301: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: RedisIp
    type: var
  - name: Pot
    type: var
  - name: Pat
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIP }}"
      REDIS_PORT: "{{ $.params.Pxt }} {{ $.params.Pot }} {{ $.params.Pat }}"
      REDIS_PASSWORD: "{{ $.params.Password }} {{ $.params.User }} {{ $.params.Password }}"
"#;

#[test]
fn pb301_an_unknown_parameter_is_replaced_or_declared() {
    check(
        PB301,
        expect![[r#"
            == check --fix
            fixed 1 problem in 1 file
            4 problems fixable with `--fix --unsafe-fixes`
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pot
                type: var
              - name: Pat
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.RedisIp }}"
                  REDIS_PORT: "{{ $.params.Pxt }} {{ $.params.Pot }} {{ $.params.Pat }}"
                  REDIS_PASSWORD: "{{ $.params.Password }} {{ $.params.User }} {{ $.params.Password }}"
            playbook.yaml:16:32: error[PB301] unknown parameter `Pxt`
            playbook.yaml:17:36: error[PB301] unknown parameter `Password`
            playbook.yaml:17:60: error[PB301] unknown parameter `User`
            playbook.yaml:17:80: error[PB301] unknown parameter `Password`
            checked 2 files: 4 errors
            == check --fix --unsafe-fixes
            fixed 5 problems in 1 file
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pot
                type: var
              - name: Pat
                type: var
              - name: Password
                type: var
              - name: User
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.RedisIp }}"
                  REDIS_PORT: "{{ $.params.Pot }} {{ $.params.Pot }} {{ $.params.Pat }}"
                  REDIS_PASSWORD: "{{ $.params.Password }} {{ $.params.User }} {{ $.params.Password }}"
            checked 2 files: no problems found
        "#]],
    );
}

const PB303: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: Pass
    type: secret
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: a
      REDIS_PORT: "1"
      REDIS_PASSWORD: "{{ $.params.Pass }} {{ printf \"%s\" $.params.Pass }}"
"#;

#[test]
fn pb303_a_secret_parameter_is_read_with_secret() {
    check(
        PB303,
        expect![[r#"
        == check --fix
        fixed 2 problems in 1 file
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
        parameters:
          - name: Pass
            type: secret
        steps:
          - name: registry/steps/redis/info
            env:
              REDIS_IP: a
              REDIS_PORT: "1"
              REDIS_PASSWORD: "{{ secret $.params.Pass }} {{ printf \"%s\" (secret $.params.Pass) }}"
        checked 2 files: no problems found
        == check --fix --unsafe-fixes: the same
    "#]],
    );
}

const PB306: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: a
      REDIS_PORT: "1"
      REDIS_PASSWORD: '{{ secret "GITHUB_TOKEN" }}'
"#;

#[test]
fn pb306_an_unknown_secret_needs_unsafe_fixes() {
    check(
        PB306,
        expect![[r#"
        == check --fix
        nothing to fix
        1 problem fixable with `--fix --unsafe-fixes`
        playbook.yaml:10:34: error[PB306] unknown secret `GITHUB_TOKEN`
        checked 2 files: 1 error
        == check --fix --unsafe-fixes
        fixed 1 problem in 1 file
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
        steps:
          - name: registry/steps/redis/info
            env:
              REDIS_IP: a
              REDIS_PORT: "1"
              REDIS_PASSWORD: '{{ secret "GITHUB_API_TOKEN" }}'
        checked 2 files: no problems found
    "#]],
    );
}

/// A name near two others (`redis-inf` for `redis-info` and `redis-infx`, `infoz` for
/// `info` and `infos`) is written only with `--unsafe-fixes`, the first of the two; in a
/// template with a syntax error nothing is.
const PB401_PB404_PB405: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    id: redis-info
    env:
      REDIS_IP: a
      REDIS_PORT: "1"
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.'redis-ifo'.info }} {{ $.'redis-info'.inf }}"
      REDIS_PORT: "{{ $.'redis-info'.info.Clients.connected_client }}"
      REDIS_PASSWORD: "{{ $.redis-inf.info }} {{ $.'redis-info'.inf }}"
  - name: registry/steps/redis/info
    id: redis-infx
    env:
      REDIS_IP: "{{ $.'redis-info'.infoz }}"
      REDIS_PORT: "1"
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.'redis-inf'.info }}"
      REDIS_PORT: "1"
"#;

#[test]
fn pb401_pb404_pb405_step_ids_outputs_and_fields() {
    check(
        PB401_PB404_PB405,
        expect![[r#"
            == check --fix
            fixed 2 problems in 1 file
            3 problems fixable with `--fix --unsafe-fixes`
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                id: redis-info
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.'redis-info'.info }} {{ $.'redis-info'.info }}"
                  REDIS_PORT: "{{ $.'redis-info'.info.Clients.connected_client }}"
                  REDIS_PASSWORD: "{{ $.redis-inf.info }} {{ $.'redis-info'.inf }}"
              - name: registry/steps/redis/info
                id: redis-infx
                env:
                  REDIS_IP: "{{ $.'redis-info'.infoz }}"
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.'redis-inf'.info }}"
                  REDIS_PORT: "1"
            playbook.yaml:14:51: warning[PB405] `redis-info.info.Clients` has no field `connected_client` in its example
            playbook.yaml:15:29: error[PB401] `redis` names no step, output or context
            playbook.yaml:15:34: error[PB101] unexpected character `-`
            playbook.yaml:15:65: warning[PB404] step `redis-info` has no output `inf`
            playbook.yaml:19:36: warning[PB404] step `redis-info` has no output `infoz`
            playbook.yaml:23:23: error[PB401] `redis-inf` names no step, output or context
            checked 2 files: 3 errors, 3 warnings
            == check --fix --unsafe-fixes
            fixed 5 problems in 1 file
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                id: redis-info
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.'redis-info'.info }} {{ $.'redis-info'.info }}"
                  REDIS_PORT: "{{ $.'redis-info'.info.Clients.connected_clients }}"
                  REDIS_PASSWORD: "{{ $.redis-inf.info }} {{ $.'redis-info'.inf }}"
              - name: registry/steps/redis/info
                id: redis-infx
                env:
                  REDIS_IP: "{{ $.'redis-info'.info }}"
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.'redis-info'.info }}"
                  REDIS_PORT: "1"
            playbook.yaml:15:29: error[PB401] `redis` names no step, output or context
            playbook.yaml:15:34: error[PB101] unexpected character `-`
            playbook.yaml:15:65: warning[PB404] step `redis-info` has no output `inf`
            checked 2 files: 2 errors, 1 warning
        "#]],
    );
}

const PB407_PB510: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.metadata.userEmial }}"
      REDIS_PORT: "1"
      SP_FORMATER: raw
"#;

#[test]
fn pb407_pb510_context_fields_and_settings_need_unsafe_fixes() {
    check(
        PB407_PB510,
        expect![[r#"
        == check --fix
        nothing to fix
        2 problems fixable with `--fix --unsafe-fixes`
        playbook.yaml:8:32: error[PB407] `metadata` has no field `userEmial`
        playbook.yaml:10:7: warning[PB510] unknown platform setting `SP_FORMATER`
        checked 2 files: 1 error, 1 warning
        == check --fix --unsafe-fixes
        fixed 2 problems in 1 file
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
        steps:
          - name: registry/steps/redis/info
            env:
              REDIS_IP: "{{ $.metadata.userEmail }}"
              REDIS_PORT: "1"
              SP_FORMATTER: raw
        checked 2 files: no problems found
    "#]],
    );
}

const PB501_PB502: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/infos:1.2
    env:
      REDIS_IP: a
      REDIS_PORT: "1"
  - name: 'registry/steps/redis/inf'
    env:
      REDIS_IP: a
      REDIS_PORT: "1"
      HOST: b
  - name: registry/steps/redis/info
    env:
      REDIS_IPP: a
      REDIS_PORT: "1"
  - name: registry/steps/redis/info
    env:
      REDIS_IPP: a
      REDIS_IPQ: b
      REDIS_PORT: "1"
"#;

#[test]
fn pb501_pb502_images_and_inputs() {
    check(
        PB501_PB502,
        expect![[r#"
            == check --fix
            fixed 2 problems in 1 file
            4 problems fixable with `--fix --unsafe-fixes`
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info:1.2
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: 'registry/steps/redis/inf'
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
                  HOST: b
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: a
                  REDIS_IPQ: b
                  REDIS_PORT: "1"
            playbook.yaml:10:11: warning[PB501] image `registry/steps/redis/inf` is in no library
            playbook.yaml:19:11: error[PB503] missing required input `REDIS_IP`
            playbook.yaml:21:7: error[PB502] `REDIS_IPP` is not an input of `registry/steps/redis/info`
            playbook.yaml:22:7: error[PB502] `REDIS_IPQ` is not an input of `registry/steps/redis/info`
            checked 2 files: 3 errors, 1 warning
            == check --fix --unsafe-fixes
            fixed 4 problems in 1 file
            --- playbook.yaml
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info:1.2
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: 'registry/steps/redis/info'
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
                  HOST: b
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: a
                  REDIS_IPQ: b
                  REDIS_PORT: "1"
                  REDIS_IP: ""
            playbook.yaml:14:7: error[PB502] `HOST` is not an input of `registry/steps/redis/info`
            playbook.yaml:21:7: error[PB502] `REDIS_IPP` is not an input of `registry/steps/redis/info`
            playbook.yaml:22:7: error[PB502] `REDIS_IPQ` is not an input of `registry/steps/redis/info`
            checked 2 files: 3 errors
        "#]],
    );
}

const PB503: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    id: first
  - name: registry/steps/redis/info
    env:
      REDIS_PASSWORD: x # the password
  - name: registry/steps/redis/info
    env: {REDIS_IP: a}
"#;

#[test]
fn pb503_missing_inputs_are_added_with_unsafe_fixes() {
    check(
        PB503,
        expect![[r#"
        == check --fix
        nothing to fix
        5 problems fixable with `--fix --unsafe-fixes`
        playbook.yaml:6:11: error[PB503] missing required input `REDIS_IP`
        playbook.yaml:6:11: error[PB503] missing required input `REDIS_PORT`
        playbook.yaml:8:11: error[PB503] missing required input `REDIS_IP`
        playbook.yaml:8:11: error[PB503] missing required input `REDIS_PORT`
        playbook.yaml:11:11: error[PB503] missing required input `REDIS_PORT`
        checked 2 files: 5 errors
        == check --fix --unsafe-fixes
        fixed 5 problems in 1 file
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
        steps:
          - name: registry/steps/redis/info
            id: first
            env:
              REDIS_IP: ""
              REDIS_PORT: ""
          - name: registry/steps/redis/info
            env:
              REDIS_PASSWORD: x # the password
              REDIS_IP: ""
              REDIS_PORT: ""
          - name: registry/steps/redis/info
            env: {REDIS_IP: a, REDIS_PORT: ""}
        checked 2 files: no problems found
    "#]],
    );
}

const PB520: &str = r#"//- steps/redis/slow/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis-slow
descripton: the slow log
envs:
  - name: COUNT
    type: strng
"#;

#[test]
fn pb520_a_manifest_defect_needs_unsafe_fixes() {
    check(
        PB520,
        expect![[r#"
        == check --fix
        nothing to fix
        1 problem fixable with `--fix --unsafe-fixes`
        steps/redis/slow/manifest.yaml:5:1: warning[PB520] unknown key `descripton` in a step manifest
        steps/redis/slow/manifest.yaml:8:11: warning[PB520] unknown input type `strng`
        checked 2 files: 2 warnings
        == check --fix --unsafe-fixes
        fixed 1 problem in 1 file
        --- steps/redis/slow/manifest.yaml
        apiVersion: stackpulse.io/v1
        kind: Step
        metadata:
          name: redis-slow
        descripton: the slow log
        envs:
          - name: COUNT
            type: string
        steps/redis/slow/manifest.yaml:5:1: warning[PB520] unknown key `descripton` in a step manifest
        checked 2 files: 1 warning
    "#]],
    );
}

const PB601_PB602: &str = r#"//- trigger.yaml
apiVersion: stackpulse.io/v1
kind: Trigger
metadata:
  name: t
playbook: redis-diagnostic
---
apiVersion: stackpulse.io/v1
kind: Trigger
metadata:
  name: t2
playbook: redis-diagnostics
scenarios:
  - name: Alert
    parameters:
      'RedisIP': x
      Pxt: y
//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-diagnostics
parameters:
  - name: RedisIp
    type: var
  - name: Pot
    type: var
  - name: Pat
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
      REDIS_PORT: "{{ $.params.Pot }} {{ $.params.Pat }}"
"#;

#[test]
fn pb601_pb602_triggers() {
    check(
        PB601_PB602,
        expect![[r#"
            == check --fix
            fixed 1 problem in 1 file
            2 problems fixable with `--fix --unsafe-fixes`
            --- trigger.yaml
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t
            playbook: redis-diagnostic
            ---
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t2
            playbook: redis-diagnostics
            scenarios:
              - name: Alert
                parameters:
                  'RedisIp': x
                  Pxt: y
            trigger.yaml:5:11: error[PB601] no playbook is named `redis-diagnostic`
            trigger.yaml:16:7: error[PB602] playbook `redis-diagnostics` has no parameter `Pxt`
            checked 3 files: 2 errors
            == check --fix --unsafe-fixes
            fixed 3 problems in 1 file
            --- trigger.yaml
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t
            playbook: redis-diagnostics
            ---
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t2
            playbook: redis-diagnostics
            scenarios:
              - name: Alert
                parameters:
                  'RedisIp': x
                  Pot: y
            checked 3 files: no problems found
        "#]],
    );
}

const PB904: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  # playbook: ignore[unused-parameter]
  - name: Used
    type: var
  - name: Unused # playbook: ignore[PB301, unused-parameter]
    type: var
  - name: Other # playbook: ignore[unused-paramter]
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.params.Used }}"
      REDIS_PORT: "1"
"#;

#[test]
fn pb904_unused_suppressions_are_removed() {
    check(
        PB904,
        expect![[r#"
        == check --fix
        fixed 2 problems in 1 file
        1 problem fixable with `--fix --unsafe-fixes`
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
        parameters:
          - name: Used
            type: var
          - name: Unused # playbook: ignore[unused-parameter]
            type: var
          - name: Other # playbook: ignore[unused-paramter]
            type: var
        steps:
          - name: registry/steps/redis/info
            env:
              REDIS_IP: "{{ $.params.Used }}"
              REDIS_PORT: "1"
        playbook.yaml:10:11: hint[PB302] parameter `Other` is never used
        playbook.yaml:10:36: hint[PB904] `unused-paramter` is not a diagnostic code
        checked 2 files: 2 hints
        == check --fix --unsafe-fixes
        fixed 3 problems in 1 file
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
        parameters:
          - name: Used
            type: var
          - name: Unused # playbook: ignore[unused-parameter]
            type: var
          - name: Other # playbook: ignore[unused-parameter]
            type: var
        steps:
          - name: registry/steps/redis/info
            env:
              REDIS_IP: "{{ $.params.Used }}"
              REDIS_PORT: "1"
        checked 2 files: no problems found
    "#]],
    );
}

/// Fixes that overlap: the quotes around a value and a name inside it; the declarations of
/// two parameters at one place.
const OVERLAPPING: &str = r#"//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: RedisIp
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: host: {{ $.params.RedisIP }}
      REDIS_PORT: "{{ $.params.Port }} {{ $.params.Db }}"
"#;

#[test]
fn overlapping_fixes_are_applied_in_rounds() {
    check(
        OVERLAPPING,
        expect![[r#"
        == check --fix
        fixed 2 problems in 1 file
        2 problems fixable with `--fix --unsafe-fixes`
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
        parameters:
          - name: RedisIp
            type: var
        steps:
          - name: registry/steps/redis/info
            env:
              REDIS_IP: "host: {{ $.params.RedisIp }}"
              REDIS_PORT: "{{ $.params.Port }} {{ $.params.Db }}"
        playbook.yaml:12:32: error[PB301] unknown parameter `Port`
        playbook.yaml:12:52: error[PB301] unknown parameter `Db`
        checked 2 files: 2 errors
        == check --fix --unsafe-fixes
        fixed 4 problems in 1 file
        --- playbook.yaml
        apiVersion: stackpulse.io/v1
        kind: Playbook
        metadata:
          name: p
        parameters:
          - name: RedisIp
            type: var
          - name: Port
            type: var
          - name: Db
            type: var
        steps:
          - name: registry/steps/redis/info
            env:
              REDIS_IP: "host: {{ $.params.RedisIp }}"
              REDIS_PORT: "{{ $.params.Port }} {{ $.params.Db }}"
        checked 2 files: no problems found
    "#]],
    );
}

/// Every fixture of this file, for the tests over all of them.
const FIXTURES: &[&str] = &[
    PB002,
    PB110,
    PB201_PB209_PB212,
    PB301,
    PB303,
    PB306,
    PB401_PB404_PB405,
    PB407_PB510,
    PB501_PB502,
    PB503,
    PB520,
    PB601_PB602,
    PB904,
    OVERLAPPING,
];

/// The diagnostics of every checked file of a fixture, before any fix.
fn diagnostics_of(fixture: &str) -> Vec<Diagnostic> {
    let dir = folder();
    write_tree(&dir, &format!("{PROJECT}{fixture}"));
    let codes = playbook_cli::check::known_codes();
    let workspace = playbook_workspace::load_workspace_in(&dir, &[PathBuf::from(".")], &codes)
        .unwrap_or_else(|e| panic!("{e}"));
    let checked: Vec<String> = workspace
        .checked_files()
        .map(|f| playbook_workspace::path_key(&f.path))
        .collect();
    let (host, _) =
        playbook_workspace::into_analysis_host(workspace, playbook_workspace::PathStyle::Display);
    host.diagnostics_of_all(&checked)
        .into_iter()
        .flatten()
        .collect()
}

/// Every code of the catalogue of fixes has a fixture here that shows its fixes (a safe one
/// where the code has some); a safe fix where it has any.
#[test]
fn every_fixable_code_has_a_fixture() {
    let all: Vec<Diagnostic> = FIXTURES.iter().flat_map(|f| diagnostics_of(f)).collect();
    check_safety(&all);
    for entry in AUTOFIXES {
        let fixes: Vec<bool> = all
            .iter()
            .filter(|d| d.code == entry.code)
            .flat_map(|d| d.fixes.iter().map(|f| f.safe))
            .collect();
        assert!(!fixes.is_empty(), "no fixture fixes {}", entry.code.id);
        if entry.safety != FixSafety::Unsafe {
            assert!(
                fixes.contains(&true),
                "no fixture has a safe fix of {}",
                entry.code.id
            );
        }
        if entry.safety == FixSafety::Mixed {
            assert!(
                fixes.contains(&false),
                "no fixture has an unsafe fix of {}",
                entry.code.id
            );
        }
    }
}

/// The fixtures of every diagnostic code (`tests/fixtures/diagnostics`): their fixes are
/// as safe as the catalogue says, and `--fix` on them converges and is idempotent.
#[test]
fn the_diagnostic_fixtures_fix_cleanly() {
    let root = playbook_test_support::workspace_root().join("tests/fixtures/diagnostics");
    let mut fixed = 0;
    for entry in std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{e}")) {
        let source = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if !source.is_dir() {
            continue;
        }
        for applicability in [Applicability::Safe, Applicability::Unsafe] {
            let dir = folder();
            copy_dir(&source, &dir);
            let expected = one_at_a_time(&dir, applicability);
            let outcome = run_in(&dir, &options(applicability));
            let after = yaml_files(&dir);
            assert!(
                !outcome.stderr.iter().any(|l| l.starts_with("warning: `")),
                "{}: {:?}",
                source.display(),
                outcome.stderr
            );
            for (path, text) in &after {
                let one = expected.iter().find(|(p, _)| p == path).map(|(_, t)| t);
                assert_eq!(Some(text), one, "{}: {path}", source.display());
            }
            fixed += usize::from(outcome.summary.fixed.is_some_and(|(n, _)| n > 0));
            run_in(&dir, &options(applicability));
            assert_eq!(yaml_files(&dir), after, "{}", source.display());
        }
    }
    assert!(fixed >= 20, "{fixed}");
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap_or_else(|e| panic!("{e}"));
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// What the end-to-end tests need of a file to know it was not written: its text, and on
/// Unix its inode and modification time (a rename or a write would change them).
fn stamp(path: &Path) -> (String, Option<(u64, std::time::SystemTime)>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    let id = {
        use std::os::unix::fs::MetadataExt as _;
        meta.modified().ok().map(|m| (meta.ino(), m))
    };
    #[cfg(not(unix))]
    let id = meta.modified().ok().map(|m| (0, m));
    (text, id)
}

const BROKEN: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: broken
parameters:
  - name: RedisIp
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIP }}"
"#;

const CLEAN: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: clean
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: a
      REDIS_PORT: "1"
"#;

/// The binary on files on disk: `--fix` writes the safe fix, leaves the unsafe one and a
/// file with nothing to fix alone, and exits 1 while an error is left; `--fix
/// --unsafe-fixes` fixes the rest and exits 0; a second `--fix` writes nothing.
#[test]
fn the_binary_fixes_files_on_disk_and_exits_by_what_is_left() {
    let dir = folder();
    write_tree(&dir, PROJECT);
    let broken = common::write(&dir, "broken.yaml", BROKEN.as_bytes());
    let clean = common::write(&dir, "clean.yaml", CLEAN.as_bytes());
    let clean_before = stamp(&clean);
    // File times are coarse on some systems: a write within the same tick would not show.
    std::thread::sleep(std::time::Duration::from_millis(20));

    let output = common::run_in(&dir, &["check", "--fix", "--format", "short"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    assert_eq!(
        common::stdout(&output),
        "broken.yaml:9:11: error[PB503] missing required input `REDIS_PORT`\n"
    );
    assert_eq!(
        common::stderr(&output),
        "fixed 1 problem in 1 file\n1 problem fixable with `--fix --unsafe-fixes`\nchecked 3 files: 1 error\n"
    );
    assert_eq!(
        std::fs::read_to_string(&broken).ok(),
        Some(BROKEN.replace("RedisIP", "RedisIp"))
    );
    assert_eq!(
        stamp(&clean),
        clean_before,
        "a file with nothing to fix was written"
    );

    // `--unsafe-fixes` without `--fix` counts, and writes nothing.
    let broken_before = stamp(&broken);
    let output = common::run_in(&dir, &["check", "--unsafe-fixes"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(common::stderr(&output).contains("1 problem fixable with `--fix --unsafe-fixes`"));
    assert_eq!(stamp(&broken), broken_before);

    let output = common::run_in(&dir, &["check", "--fix", "--unsafe-fixes"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    assert_eq!(
        common::stderr(&output),
        "fixed 1 problem in 1 file\nchecked 3 files: no problems found\n"
    );
    let fixed = std::fs::read_to_string(&broken).unwrap_or_default();
    assert!(
        fixed.ends_with("      REDIS_IP: \"{{ $.params.RedisIp }}\"\n      REDIS_PORT: \"\"\n")
    );

    let broken_before = stamp(&broken);
    let output = common::run_in(&dir, &["check", "--fix", "--unsafe-fixes"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        common::stderr(&output),
        "nothing to fix\nchecked 3 files: no problems found\n"
    );
    assert_eq!(stamp(&broken), broken_before);
    assert_eq!(stamp(&clean), clean_before);
}

/// Standard input: the fixed text on standard output, the report on standard error, the
/// file on disk of that name untouched.
#[test]
fn the_binary_fixes_standard_input_to_standard_output() {
    let dir = folder();
    write_tree(&dir, PROJECT);
    let on_disk = common::write(&dir, "broken.yaml", b"kind: Playbook\n");
    let output = common::run_in(
        &dir,
        &[
            "check",
            "--fix",
            "--stdin-filename",
            "broken.yaml",
            "--format",
            "short",
        ],
        BROKEN.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        common::stdout(&output),
        BROKEN.replace("RedisIP", "RedisIp")
    );
    assert_eq!(
        common::stderr(&output),
        "broken.yaml:9:11: error[PB503] missing required input `REDIS_PORT`\nfixed 1 problem in 1 file\n1 problem fixable with `--fix --unsafe-fixes`\nchecked 1 file: 1 error\n"
    );
    assert_eq!(
        std::fs::read_to_string(&on_disk).ok().as_deref(),
        Some("kind: Playbook\n")
    );
    // Nothing to fix: the text comes back as it is.
    let output = common::run_in(
        &dir,
        &["check", "--fix", "--stdin-filename", "clean.yaml"],
        CLEAN.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(common::stdout(&output), CLEAN);
}

#[test]
fn the_help_documents_the_fix_options() {
    let help = common::stdout(&common::run(&["check", "--help"]));
    for word in ["--fix", "--unsafe-fixes"] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
}

/// Any text, here every file of every fixture cut at many places (broken YAML, unclosed
/// templates, half a key): fixing with every fix never panics and stops, and where it
/// stopped because nothing was left to fix, fixing again changes nothing.
#[test]
fn fixing_any_cut_of_the_fixtures_stops_and_is_idempotent() {
    let dir = folder();
    write_tree(&dir, PROJECT);
    let codes = playbook_cli::check::known_codes();
    let workspace = playbook_workspace::load_workspace_in(&dir, &[PathBuf::from(".")], &codes)
        .unwrap_or_else(|e| panic!("{e}"));
    let (mut host, _) =
        playbook_workspace::into_analysis_host(workspace, playbook_workspace::PathStyle::Display);
    let mut texts: Vec<String> = Vec::new();
    for fixture in FIXTURES {
        let files = folder();
        write_tree(&files, fixture);
        texts.extend(yaml_files(&files).into_iter().map(|(_, text)| text));
    }
    let name = vec!["cut.yaml".to_owned()];
    let (mut converged, mut fixed) = (0, 0);
    for text in &texts {
        let cuts = (0..text.len())
            .step_by(11)
            .chain([text.len()])
            .filter(|&i| text.is_char_boundary(i));
        for cut in cuts {
            host.set_file_text("cut.yaml", text[..cut].to_owned());
            let first = playbook_cli::fix::fix_files(&mut host, &name, Applicability::Unsafe);
            fixed += usize::from(!first.is_empty());
            if first.iter().all(|f| f.converged) {
                converged += 1;
                let again = playbook_cli::fix::fix_files(&mut host, &name, Applicability::Unsafe);
                assert!(
                    again.is_empty(),
                    "{:?} fixed again: {again:?}",
                    &text[..cut]
                );
            }
        }
    }
    // Every cut converged, and most had something to fix.
    assert!(converged >= 400 && fixed > 200, "{converged} {fixed}");
}
