//! `playbook graph`: every example playbook drawn as Mermaid and DOT (snapshots under
//! `tests/snapshots/graph/`), as SVG (well-formed XML), and valid for Graphviz's `dot` when it
//! is installed; then the binary end to end: `-o`, `--playbook`, a file with several
//! playbooks, and the errors (not a playbook, syntax errors, a folder, a missing file).

mod common;

use std::path::{Path, PathBuf};

use common::{run_in, stderr, stdout, temp_dir, write};
use playbook_cli::graph::{Format, Options, run_in as graph_in};

fn root() -> PathBuf {
    playbook_test_support::workspace_root()
}

/// The example playbooks, by file name.
fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("playbooks"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "examples: {names:?}");
    names
}

fn draw(name: &str, format: Format) -> String {
    let outcome = graph_in(
        &root().join("playbooks"),
        &Options {
            file: PathBuf::from(name),
            format,
            ..Options::default()
        },
    );
    assert_eq!(outcome.exit_code, 0, "{name}: {}", outcome.stderr);
    assert_eq!(outcome.stderr, "", "{name}");
    outcome.stdout
}

#[test]
fn every_example_as_mermaid() {
    for name in examples() {
        let text = draw(&name, Format::Mermaid);
        assert!(text.starts_with("flowchart TD\n"), "{name}");
        let stem = name.trim_end_matches(".yaml");
        expect_test::expect_file![format!("snapshots/graph/{stem}.mmd")].assert_eq(&text);
    }
}

#[test]
fn every_example_as_dot() {
    for name in examples() {
        let text = draw(&name, Format::Dot);
        let stem = name.trim_end_matches(".yaml");
        expect_test::expect_file![format!("snapshots/graph/{stem}.dot")].assert_eq(&text);
    }
}

/// Whether `text` is well-formed XML as far as elements go: every tag closed in order, no
/// stray `<` or `&` in text.
fn balanced(text: &str) -> Result<(), String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let between = &rest[..open];
        if between.contains('>') {
            return Err(format!("stray `>` before {:?}", &rest[open..]));
        }
        for (i, _) in between.match_indices('&') {
            let entity = &between[i..];
            let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| entity.starts_with(e));
            if !ok {
                return Err(format!("bare `&` in {between:?}"));
            }
        }
        let Some(close) = rest[open..].find('>') else {
            return Err("unclosed tag".to_owned());
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        if tag.contains('<') {
            return Err(format!("`<` inside tag {tag:?}"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(top) if top == name => {}
                top => return Err(format!("</{name}> closes {top:?}")),
            }
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or("");
            stack.push(name);
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed: {stack:?}"))
    }
}

#[test]
fn every_example_as_svg_is_well_formed() {
    for name in examples() {
        let text = draw(&name, Format::Svg);
        assert!(text.starts_with("<svg "), "{name}");
        assert!(text.trim_end().ends_with("</svg>"), "{name}");
        balanced(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Every step of the example is drawn, by id.
        let mermaid = draw(&name, Format::Mermaid);
        assert!(text.matches("<tspan").count() > 0, "{name}");
        let is_step = |l: &&str| {
            let l = l.trim_start();
            l.starts_with('s') && l[1..].starts_with(|c: char| c.is_ascii_digit())
        };
        for line in mermaid.lines().filter(is_step) {
            if let Some((_, label)) = line.split_once("[\"") {
                let id = label.split("<br/>").next().unwrap_or("");
                assert!(text.contains(&format!(">{id}<")), "{name}: {id} not drawn");
            }
        }
    }
}

#[test]
fn the_balance_check_finds_broken_xml() {
    assert!(balanced("<svg><g></g></svg>").is_ok());
    assert!(balanced("<svg><g></svg>").is_err());
    assert!(balanced("<svg>a & b</svg>").is_err());
    assert!(balanced("<svg><text>a < b</text></svg>").is_err());
}

/// Whether Graphviz's `dot` renders `text` to SVG without an error or a warning; `None`
/// when `dot` is not installed.
fn graphviz_accepts(text: &str) -> Option<Result<(), String>> {
    let found = std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: Graphviz's `dot` is not installed (apt-get install graphviz)");
        return None;
    }
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        stdin
            .write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let errors = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() || !errors.is_empty() {
        return Some(Err(errors));
    }
    if !String::from_utf8_lossy(&output.stdout).contains("<svg") {
        return Some(Err("no SVG".to_owned()));
    }
    Some(Ok(()))
}

#[test]
fn every_example_as_dot_is_read_by_graphviz() {
    for name in examples() {
        match graphviz_accepts(&draw(&name, Format::Dot)) {
            None => return,
            Some(result) => result.unwrap_or_else(|e| panic!("{name}: {e}")),
        }
    }
}

const LIBRARY: &str = r#"kind: Step
metadata:
  name: get
outputs:
  - name: items
    type: json
  - name: status
    type: string
"#;

const TWO_PLAYBOOKS: &str = r#"kind: Playbook
metadata:
  name: first
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    id: fetch
    when: "{{ false }}"
    env:
      HOST: "{{ $.params.Host }}"
  - name: registry/steps/get
    env:
      HOST: "{{ .items }}"
  - when: '{{ ne $.params.Host "<a & \"b\" #1 | `x` {c}>" }}'
    steps:
      - name: registry/steps/get
---
kind: Playbook
metadata:
  name: second
steps:
  - name: registry/steps/get
    id: only
"#;

fn project(test: &str) -> common::TempDir {
    let dir = temp_dir(test);
    write(
        &dir,
        "playbook.toml",
        b"[[library]]\nprefix = \"registry/steps/\"\npath = \"steps\"\n",
    );
    write(&dir, "steps/get/manifest.yaml", LIBRARY.as_bytes());
    write(&dir, "two.yaml", TWO_PLAYBOOKS.as_bytes());
    dir
}

#[test]
fn several_playbooks_are_groups_of_one_graph_or_one_is_chosen() {
    let dir = project("graph-several");
    let output = run_in(&dir, &["graph", "two.yaml"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    expect_test::expect![[r#"
        flowchart TD
          subgraph b0_playbook["playbook first"]
            b0_p0(["Host<br/>parameter (var)"])
            b0_s0["fetch<br/>registry/steps/get<br/>never runs: when is always false<br/>unused outputs: status"]
            b0_s1["(no id)<br/>registry/steps/get<br/>unused outputs: items, status"]
            subgraph b0_g0_group["block"]
              b0_g0{{"when: {{ ne $.params.Host #quot;#lt;a #amp; \#quot;b\#quot; #35;1 #124; #96;x#96; {c}#gt;#quot; }}"}}
              b0_s2["(no id)<br/>registry/steps/get<br/>unused outputs: items, status"]
            end
            b0_p0 -->|"Host"| b0_s0
            b0_s0 -.->|".items"| b0_s1
            b0_p0 -->|"Host"| b0_g0
          end
          subgraph b1_playbook["playbook second"]
            b1_s0["only<br/>registry/steps/get<br/>unused outputs: items, status"]
          end
          classDef param fill:#eef4fb,stroke:#4a72a8
          classDef never fill:#f2f2f2,stroke:#999999,stroke-dasharray:5 5,color:#777777
          classDef unused stroke:#b8860b,stroke-dasharray:3 3
          classDef undeclared fill:#fdecea,stroke:#c0392b
          class b0_p0 param
          class b0_s0 never
          class b0_s1,b0_s2,b1_s0 unused
    "#]]
    .assert_eq(&stdout(&output));

    let output = run_in(
        &dir,
        &[
            "graph",
            "two.yaml",
            "--playbook",
            "second",
            "--format",
            "dot",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    expect_test::expect![[r##"
        digraph "second" {
          rankdir=TB;
          node [fontname="Helvetica", fontsize=11];
          edge [fontname="Helvetica", fontsize=10];
          s0 [shape=box, label="only\nregistry/steps/get\nunused outputs: items, status", style=dashed, color="#b8860b"];
        }
    "##]]
    .assert_eq(&stdout(&output));

    // Both playbooks as clusters of one digraph, with the escaped condition, for Graphviz.
    let output = run_in(&dir, &["graph", "two.yaml", "--format", "dot"], b"");
    let dot = stdout(&output);
    assert!(
        dot.contains(r#"label="when: {{ ne $.params.Host \"<a & \\\"b\\\" #1 | `x` {c}>\" }}"]"#),
        "{dot}"
    );
    if let Some(result) = graphviz_accepts(&dot) {
        result.unwrap_or_else(|e| panic!("{e}\n{dot}"));
    }
    let svg = stdout(&run_in(
        &dir,
        &["graph", "two.yaml", "--format", "svg"],
        b"",
    ));
    balanced(&svg).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        svg.contains("&lt;a &amp; \\&quot;b\\&quot; #1 | `x` {c}&gt;"),
        "{svg}"
    );

    let output = run_in(&dir, &["graph", "two.yaml", "--playbook", "third"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `two.yaml` has no playbook named `third` (it has `first`, `second`)\n"
    );
}

#[test]
fn output_file_is_written_whole() {
    let dir = project("graph-output");
    for format in ["mermaid", "dot", "svg"] {
        let target = format!("out/graph.{format}");
        std::fs::create_dir_all(dir.join("out")).unwrap_or_else(|e| panic!("{e}"));
        let output = run_in(
            &dir,
            &["graph", "two.yaml", "--format", format, "-o", &target],
            b"",
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(stdout(&output), "");
        let written = std::fs::read_to_string(dir.join(&target)).unwrap_or_default();
        let shown = stdout(&run_in(
            &dir,
            &["graph", "two.yaml", "--format", format],
            b"",
        ));
        assert_eq!(written, shown, "{format}");
    }
    let output = run_in(&dir, &["graph", "two.yaml", "-o", "missing/graph.mmd"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: cannot write `missing/graph.mmd`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn what_is_not_a_playbook_is_a_usage_error() {
    let dir = project("graph-errors");
    write(&dir, "workflow.yaml", b"on: push\njobs: {}\n");
    let cases: [(&[&str], &str); 4] = [
        (
            &["graph", "workflow.yaml"],
            "error: `workflow.yaml` is not a playbook file",
        ),
        (
            &["graph", "steps/get/manifest.yaml"],
            "error: `steps/get/manifest.yaml` holds no playbook (it holds Step documents); `playbook graph` draws playbooks\n",
        ),
        (
            &["graph", "steps"],
            "error: `steps` is a folder; `playbook graph` draws one playbook file\n",
        ),
        (
            &["graph", "nope.yaml"],
            "error: `nope.yaml` does not exist\n",
        ),
    ];
    for (args, message) in cases {
        let output = run_in(&dir, args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
        assert!(
            stderr(&output).starts_with(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_file_with_syntax_errors_is_not_drawn() {
    let dir = project("graph-syntax");
    write(
        &dir,
        "broken.yaml",
        b"kind: Playbook\nmetadata:\n  name: broken\nsteps:\n  - name: registry/steps/get\n    env:\n      HOST: \"{{ .items \"\n",
    );
    let output = run_in(&dir, &["graph", "broken.yaml"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let errors = stderr(&output);
    assert!(errors.contains("broken.yaml:7:"), "{errors}");
    assert!(
        errors.ends_with("error: `broken.yaml` has syntax errors; fix them to draw its graph\n"),
        "{errors}"
    );
}

#[test]
fn help_shows_the_command() {
    let output = run_in(Path::new("."), &["graph", "--help"], b"");
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    for word in [
        "--format",
        "mermaid",
        "dot",
        "svg",
        "--output",
        "--playbook",
        "Exit codes",
    ] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
}

#[test]
fn the_readme_example_is_the_current_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap_or_default();
    let graph = draw("pod-crashloop-triage.yaml", Format::Mermaid);
    assert!(
        readme.contains(&format!("```mermaid\n{graph}```")),
        "update the README's `playbook graph` example to:\n{graph}"
    );
}
