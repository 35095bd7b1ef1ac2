//! Test helpers shared by the crates' test suites.
//!
//! Tests that read real data (the step corpus, the YAML test suite) find it through
//! [`shared_data`]: the folder named by `PLAYBOOK_TEST_DATA`, default `../shared` relative to
//! the workspace root. Where it is missing (a user's fresh clone) the test says so and
//! passes; with `PLAYBOOK_REQUIRE_TEST_DATA=1` (set by `.ci/run`) a missing folder fails.

use std::path::{Path, PathBuf};

pub mod lsp;

/// The workspace root (the folder holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    // This crate lives at <root>/crates/playbook-test-support.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The folder `sub` of the shared test data (for example `"corpus/stackpulse-steps"` or
/// `"yaml-test-suite"`), or `None` if it is missing and not required, after printing why
/// the calling test is skipped.
///
/// # Panics
/// When the folder is missing and `PLAYBOOK_REQUIRE_TEST_DATA` is `1`.
pub fn shared_data(sub: &str) -> Option<PathBuf> {
    let base = std::env::var_os("PLAYBOOK_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"));
    let base = if base.is_absolute() {
        base
    } else {
        workspace_root().join(base)
    };
    let dir = base.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    let required = std::env::var("PLAYBOOK_REQUIRE_TEST_DATA").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "test data folder {} is missing and PLAYBOOK_REQUIRE_TEST_DATA=1; set PLAYBOOK_TEST_DATA to the folder holding corpus/ and yaml-test-suite/",
        dir.display()
    );
    eprintln!(
        "skipped: test data folder {} not found (set PLAYBOOK_TEST_DATA to run this test)",
        dir.display()
    );
    None
}

/// A diagnostic on one line, as the snapshot tests print them:
/// `line:col CODE severity message [label] (help: help)`, with a 1-based line and byte column.
pub fn diagnostic_line(text: &str, diagnostic: &playbook_diagnostics::Diagnostic) -> String {
    let index = playbook_diagnostics::LineIndex::new(text);
    let lc = index.line_col(diagnostic.range.start());
    let mut out = format!(
        "{}:{} {} {} {}",
        lc.line + 1,
        lc.col + 1,
        diagnostic.code.id,
        diagnostic.severity,
        diagnostic.message
    );
    if let Some(label) = &diagnostic.label {
        out.push_str(&format!(" [{label}]"));
    }
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!(" (help: {help})"));
    }
    out
}

/// Each diagnostic as a [`diagnostic_line`], one per line: how the snapshot tests print a
/// file's diagnostics.
pub fn diagnostic_lines(text: &str, diagnostics: &[playbook_diagnostics::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| diagnostic_line(text, d) + "\n")
        .collect()
}

/// Every `.yaml` and `.yml` file under `root`, as (its path relative to `root`, with `/`
/// separators; its text), sorted by path: how the tests and benchmarks read the step corpus.
///
/// # Panics
/// When a folder or file under `root` cannot be read: test data must be readable.
pub fn yaml_files(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read folder {}: {e}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("cannot read folder {}: {e}", dir.display()))
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                let relative: Vec<String> = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((relative.join("/"), text));
            }
        }
    }
    out.sort();
    out
}

/// Writes the files of `fixture` under the folder `root`: a `//- path` line starts a file,
/// the lines after it are its text; `//- path/` makes an empty folder.
///
/// # Panics
/// When a file or folder cannot be written.
pub fn write_tree(root: &Path, fixture: &str) {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(&path, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    };
    let mut current: Option<(&str, String)> = None;
    for line in fixture.lines() {
        if let Some(path) = line.strip_prefix("//- ") {
            if let Some((path, text)) = current.take() {
                write(path, &text);
            }
            if path.ends_with('/') {
                let dir = root.join(path);
                std::fs::create_dir_all(&dir)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
            } else {
                current = Some((path.trim(), String::new()));
            }
        } else if let Some((_, text)) = &mut current {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((path, text)) = current {
        write(path, &text);
    }
}

/// A small playbook project in the format of [`write_tree`]: a `playbook.toml` with a step
/// library (`steps`, whose manifest declares an input twice) and a vendored, excluded one
/// (`vendor/steps`, also defective), a playbook, a trigger bound to it, and a CI workflow.
pub const REDIS_PROJECT: &str = r#"//- playbook.toml
exclude = ["vendor/**"]

[[library]]
prefix = "registry.example.com/steps/"
path = "steps"
//- playbooks/redis-latency.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-latency
parameters:
  - name: Host
    type: var
steps:
  - name: registry.example.com/steps/redis/info
    id: info
    env:
      HOST: "{{ $.params.Host }}"
//- triggers/redis-alert.yaml
apiVersion: stackpulse.io/v1
kind: Trigger
enabled: true
playbook: redis-latency
metadata:
  name: redis-alert
scenarios:
  - name: high latency
    enabled: true
    parameters:
      Host: "{{ $.event.Host }}"
//- steps/redis/info/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis_info
envs:
  - name: HOST
    type: string
    required: true
  - name: HOST
    type: string
//- vendor/steps/slack/post/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: slack_post
envs:
  - name: CHANNEL
    type: string
  - name: CHANNEL
    type: string
//- .github/workflows/ci.yaml
name: ci
on: [push]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ github.sha }}
"#;

/// The YAML files of other tools that a playbook repository holds next to its playbooks
/// (`tests/fixtures/other-yaml`: a GitHub Actions workflow, an Ansible playbook, Kubernetes
/// manifests, a Helm chart, a docker-compose file), as [`yaml_files`] gives them: none is
/// a playbook file, and none may get a diagnostic.
pub fn other_yaml() -> Vec<(String, String)> {
    let files = yaml_files(&workspace_root().join("tests/fixtures/other-yaml"));
    assert!(files.len() >= 6, "tests/fixtures/other-yaml: {files:?}");
    files
}

/// The cases of a copy of the yaml-test-suite at `suite`, each once: `(id, folder)` for every
/// folder holding an `in.yaml` (`229Q`, or `2G84/00` for a case with several parts), sorted
/// by id. Symbolic links are not followed: the suite's `name/` and `tags/` folders hold links
/// to the cases under other names, which would otherwise read each case several times, under
/// ids that are no case's, and a link to a folder above would never end.
///
/// # Panics
/// When a folder under `suite` cannot be read: test data must be readable.
pub fn yaml_suite_cases(suite: &Path) -> Vec<(String, PathBuf)> {
    let mut cases = Vec::new();
    let mut stack: Vec<(String, PathBuf)> = vec![(String::new(), suite.to_path_buf())];
    while let Some((id, dir)) = stack.pop() {
        if dir.join("in.yaml").is_file() {
            cases.push((id, dir));
            continue;
        }
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read folder {}: {e}", dir.display()));
        for entry in entries {
            let entry =
                entry.unwrap_or_else(|e| panic!("cannot read folder {}: {e}", dir.display()));
            // The entry's own type: a link to a folder is a link, not a folder.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                let name = entry.file_name().to_string_lossy().into_owned();
                let sub = if id.is_empty() {
                    name
                } else {
                    format!("{id}/{name}")
                };
                stack.push((sub, entry.path()));
            }
        }
    }
    cases.sort();
    cases
}

/// A small deterministic random number generator (xorshift64) for generated test inputs:
/// the same seed gives the same inputs on every machine.
pub struct XorShift(u64);

impl Default for XorShift {
    fn default() -> XorShift {
        XorShift(0x9e37_79b9_7f4a_7c15)
    }
}

impl XorShift {
    /// A generator started from `seed` (a seed of 0, which xorshift cannot leave, is replaced
    /// by the default one), for tests that print their seed so that a failure replays.
    pub fn from_seed(seed: u64) -> XorShift {
        if seed == 0 {
            XorShift::default()
        } else {
            XorShift(seed)
        }
    }

    /// A number in `0..bound` (`bound` must not be 0).
    pub fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

/// One step call of a [`generated_playbook`]: the image after the registry prefix
/// `us-docker.pkg.dev/stackpulse/public/`, and its `env` entries (name, value).
pub struct GeneratedCall {
    pub image: String,
    pub env: Vec<(String, String)>,
}

/// Playbook number `i`, of the size and shape of real ones, for benchmarks: a commented
/// header, three parameters (`Target`, `Namespace`, the `runner`), then `calls`, each with
/// an id `step-K` and the runner; the last one runs only outside `kube-system`. `purpose`
/// names the benchmark in the description.
pub fn generated_playbook(i: usize, purpose: &str, calls: &[GeneratedCall]) -> String {
    use std::fmt::Write as _;
    let mut text = format!(
        "# Generated playbook {i}: enrich an alert and notify the on-call channel.\n\
         apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: generated-{i}\n  \
         description: Generated playbook {i} for the {purpose}.\nparameters:\n  \
         - name: Target\n    type: var\n    description: The host the alert is about.\n    \
         default: \"{{{{ $.event.Host }}}}\"\n  - name: Namespace\n    type: var\n    \
         description: The namespace to look in.\n    default: default\n  - name: runner\n    \
         type: spd\n    description: The agent that runs the steps.\nsteps:\n"
    );
    for (k, call) in calls.iter().enumerate() {
        let image = &call.image;
        let _ = write!(
            text,
            "  # Step {k}: {image}.\n  - name: us-docker.pkg.dev/stackpulse/public/{image}:latest\n    \
             id: step-{k}\n    runner: \"{{{{ $.params.runner }}}}\"\n"
        );
        if k + 1 == calls.len() {
            text.push_str("    when: \"{{ ne $.params.Namespace \\\"kube-system\\\" }}\"\n");
        }
        if !call.env.is_empty() {
            text.push_str("    env:\n");
            for (name, value) in &call.env {
                let _ = writeln!(text, "      {name}: \"{value}\"");
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the suite as a fresh clone has it: cases, a case in parts, and the `name/`
    /// and `tags/` folders of symbolic links to them (one of which points back up).
    #[cfg(unix)]
    #[test]
    fn suite_cases_are_read_once_without_following_links() {
        use std::os::unix::fs::symlink;
        let root = std::env::temp_dir().join(format!("playbook-yaml-suite-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let file = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap_or(&root)).expect("folder");
            std::fs::write(path, text).expect("file");
        };
        file("229Q/in.yaml", "- a\n");
        file("229Q/test.event", "+STR\n");
        file("2G84/00/in.yaml", "--- |0\n");
        file("2G84/00/error", "");
        file("2G84/01/in.yaml", "--- |1-");
        std::fs::create_dir_all(root.join("name")).expect("folder");
        std::fs::create_dir_all(root.join("tags/sequence")).expect("folder");
        symlink("../229Q", root.join("name/spec-example-2-1")).expect("link");
        symlink("../2G84", root.join("name/literal-modifers")).expect("link");
        symlink("../../229Q", root.join("tags/sequence/229Q")).expect("link");
        symlink("../..", root.join("tags/sequence/loop")).expect("link");

        let cases = yaml_suite_cases(&root);
        let ids: Vec<&str> = cases.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["229Q", "2G84/00", "2G84/01"]);
        assert!(cases.iter().all(|(id, dir)| dir == &root.join(id)));
        let _ = std::fs::remove_dir_all(&root);
    }
}
