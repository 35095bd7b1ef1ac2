//! End-to-end tests of `playbook render`: the dry run of the examples, parameters and
//! events given on the command line, JSON output, and the refusals (an unknown parameter, a
//! file that is not a playbook, an event that is not JSON, a file with syntax errors).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{run_in, stderr, stdout, temp_dir, write};
use expect_test::expect;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const PLAYBOOK: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: greet
parameters:
  - name: Who
    type: var
    default: world
  - name: Loud
    type: var
    default: "no"
steps:
  - name: example.com/steps/echo
    id: hello
    env:
      TEXT: "hello {{ $.params.Who }} from {{ $.event.source }}"
  - name: example.com/steps/echo
    when: '{{ eq $.params.Loud "yes" }}'
    env:
      TEXT: "{{ upper $.params.Who }}!"
  - foreach:
      in:
        range: [1, 2]
      key: i
      value: n
      steps:
        - name: example.com/steps/echo
          args: ["{{ .n }}"]
"#;

#[test]
fn prints_each_step_with_its_decision_and_inputs() {
    let dir = temp_dir("render-human");
    write(&dir, "greet.yaml", PLAYBOOK.as_bytes());
    write(&dir, "event.json", br#"{"source": "pagerduty"}"#);
    let output = run_in(
        &dir,
        &[
            "render",
            "greet.yaml",
            "--param",
            "Loud=yes",
            "--event",
            "event.json",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    expect![[r#"
        playbook `greet` (greet.yaml)
        parameters:
          Who   "world"  default
          Loud  "yes"  given
        steps:
          run  hello example.com/steps/echo  (line 13)
               env TEXT = "hello world from pagerduty"
               outputs: none known (no manifest example)
          run  (no id) example.com/steps/echo  (line 17)
               when = "true"
               env TEXT = "WORLD!"
               outputs: none known (no manifest example)
          foreach over 2 items  (line 21)
            [0] key = 0, value = 1
            run  (no id) example.com/steps/echo  (line 27)
                 args[0] = "1"
                 outputs: none known (no manifest example)
            [1] key = 1, value = 2
            run  (no id) example.com/steps/echo  (line 27)
                 args[0] = "2"
                 outputs: none known (no manifest example)
        run done: 4 steps run, 0 skipped
    "#]]
    .assert_eq(&stdout(&output));
}

#[test]
fn json_output_holds_every_event() {
    let dir = temp_dir("render-json");
    write(&dir, "greet.yaml", PLAYBOOK.as_bytes());
    let output = run_in(&dir, &["render", "greet.yaml", "--format", "json"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let playbook = &json["playbooks"][0];
    assert_eq!(playbook["name"], "greet");
    assert_eq!(playbook["failed"], serde_json::Value::Null);
    let kinds: Vec<&str> = playbook["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "step",
            "step",
            "foreach",
            "iteration",
            "step",
            "iteration",
            "step"
        ]
    );
    let first = &playbook["events"][0];
    assert_eq!(first["env"]["TEXT"]["value"], "hello world from <no value>");
    assert_eq!(first["env"]["TEXT"]["line"], 16);
    assert_eq!(playbook["events"][1]["runs"], false);
    assert_eq!(playbook["events"][1]["when"]["value"], "false");
}

#[test]
fn a_failing_template_ends_the_run_with_go_s_error_and_exit_1() {
    let dir = temp_dir("render-fails");
    let broken = PLAYBOOK.replace("{{ upper $.params.Who }}!", "{{ index $.params.Who 9 }}");
    write(&dir, "greet.yaml", broken.as_bytes());
    let output = run_in(&dir, &["render", "greet.yaml", "-p", "Loud=yes"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let out = stdout(&output);
    assert!(
        out.contains("failed: error calling index: index out of range: 9  (line 20)"),
        "{out}"
    );
    assert!(out.ends_with("run failed: 2 steps run, 0 skipped, then a template failed\n"));
}

#[test]
fn refusals_are_usage_errors_with_a_clear_message() {
    let dir = temp_dir("render-refusals");
    write(&dir, "greet.yaml", PLAYBOOK.as_bytes());
    write(&dir, "other.yaml", b"kind: Deployment\nspec: {}\n");
    write(&dir, "bad.json", b"{\"source\": ");
    write(
        &dir,
        "broken.yaml",
        b"kind: Playbook\nmetadata:\n  name: x\nsteps: [\n",
    );
    let cases: [(&[&str], u8, &str); 5] = [
        (
            &["render", "greet.yaml", "--param", "Woh=x"],
            2,
            "error: playbook `greet` has no parameter `Woh`; did you mean `Who`?\n",
        ),
        (
            &["render", "other.yaml"],
            2,
            "error: `other.yaml` is not a playbook file (it has no `kind: Playbook` document)\n",
        ),
        (
            &["render", "greet.yaml", "--event", "bad.json"],
            2,
            "error: the event `bad.json` is not JSON: EOF while parsing a value at line 1 column 11\n",
        ),
        (
            &["render", "greet.yaml", "--playbook", "nope"],
            2,
            "error: `greet.yaml` has no playbook `nope`; it has greet\n",
        ),
        (
            &["render", "broken.yaml"],
            1,
            "error: `broken.yaml` has syntax errors: fix them (see `playbook check`) before rendering it\n",
        ),
    ];
    for (args, code, message) in cases {
        let output = run_in(&dir, args, b"");
        assert_eq!(output.status.code(), Some(i32::from(code)), "{args:?}");
        assert_eq!(stderr(&output), message, "{args:?}");
    }
}

/// Every example playbook renders, with its defaults and the example library's examples,
/// without a template failing.
#[test]
fn every_example_renders() {
    let examples = root().join("playbooks");
    let mut names: Vec<String> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let output = run_in(&examples, &["render", &name], b"");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}:\n{}{}",
            stdout(&output),
            stderr(&output)
        );
        assert!(stdout(&output).contains("run done:"), "{name}");
    }
}
