//! Incrementality: which queries re-execute after an edit, read from salsa's event log.
//!
//! The workspace has two manifests (M1, M2) in a library and three playbooks: A and B call
//! M1, C calls M2. Every test first checks every file, then makes one change, checks every
//! file again and compares the (query, file) pairs that executed.
//!
//! The tests marked "needs the YAML parser" lower real documents; the others hold with any
//! parser.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use playbook_db::{AnalysisHost, Library};

const M1: &str = "steps/m1/manifest.yaml";
const M2: &str = "steps/m2/manifest.yaml";
const A: &str = "playbooks/a.yaml";
const B: &str = "playbooks/b.yaml";
const C: &str = "playbooks/c.yaml";

fn manifest(name: &str, description: &str) -> String {
    format!(
        "apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: {name}
  description: {description}
envs:
  - name: HOST
    type: string
    required: true
outputs:
  - name: info
    type: json
"
    )
}

fn playbook(name: &str, description: &str, image: &str) -> String {
    format!(
        "apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: {name}
  description: {description}
steps:
  - name: {image}
    id: first
    env:
      HOST: localhost
"
    )
}

/// The log, even if a panicking test poisoned it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A host over the five-file workspace, recording every query execution.
struct Fixture {
    host: AnalysisHost,
    log: Arc<Mutex<Vec<salsa::DatabaseKeyIndex>>>,
}

impl Fixture {
    fn new() -> Fixture {
        let log: Arc<Mutex<Vec<salsa::DatabaseKeyIndex>>> = Arc::default();
        let mut host = AnalysisHost::with_event_callback(Box::new({
            let log = log.clone();
            move |event| {
                if let salsa::EventKind::WillExecute { database_key } = event.kind {
                    lock(&log).push(database_key);
                }
            }
        }));
        host.set_libraries(vec![Library {
            prefix: "reg.io/steps/".into(),
            dir: "steps".into(),
            missing: false,
        }]);
        host.set_file_text(M1, manifest("m1", "First step"));
        host.set_file_text(M2, manifest("m2", "Second step"));
        host.set_file_text(A, playbook("a", "Calls m1", "reg.io/steps/m1"));
        host.set_file_text(B, playbook("b", "Calls m1 too", "reg.io/steps/m1:1.2"));
        host.set_file_text(C, playbook("c", "Calls m2", "reg.io/steps/m2"));
        let fixture = Fixture { host, log };
        fixture.check_all();
        fixture.executed();
        fixture
    }

    /// Computes the diagnostics of every file.
    fn check_all(&self) {
        for path in self.host.files() {
            self.host.diagnostics(path);
        }
    }

    /// The (query, subject) pairs executed since the last call, sorted.
    fn executed(&self) -> Vec<(String, String)> {
        let keys: Vec<salsa::DatabaseKeyIndex> = std::mem::take(&mut *lock(&self.log));
        let mut out: Vec<(String, String)> = keys
            .into_iter()
            .map(|k| self.host.describe_query(k))
            .collect();
        out.sort();
        out
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = expected
        .iter()
        .map(|(q, f)| ((*q).to_owned(), (*f).to_owned()))
        .collect();
    out.sort();
    out
}

#[test]
fn checking_one_file_indexes_every_manifest_once() {
    let log: Arc<Mutex<Vec<salsa::DatabaseKeyIndex>>> = Arc::default();
    let mut host = AnalysisHost::with_event_callback(Box::new({
        let log = log.clone();
        move |event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind {
                lock(&log).push(database_key);
            }
        }
    }));
    host.set_file_text(A, playbook("a", "Calls m1", "reg.io/steps/m1"));
    host.set_file_text(B, playbook("b", "Calls m1", "reg.io/steps/m1"));
    host.diagnostics(A);
    host.diagnostics(A);
    let mut executed: Vec<(String, String)> =
        lock(&log).iter().map(|k| host.describe_query(*k)).collect();
    executed.sort();
    // Checking A reads every file once, to index the manifests and the playbook names; the
    // second call reuses every memo, and B is never checked.
    assert_eq!(
        executed,
        pairs(&[
            ("file_syntax", A),
            ("manifest_decls", A),
            ("file_refs", A),
            ("check_file", A),
            ("file_syntax", B),
            ("manifest_decls", B),
            ("file_refs", B),
            ("manifest_index", "workspace"),
            ("settled_manifest_decls", "workspace"),
            ("playbook_index", "workspace"),
            ("settled_refs", "workspace"),
            ("open_files", "workspace"),
            ("resolve_image", "reg.io/steps/m1"),
        ])
    );
}

#[test]
fn editing_a_playbook_re_executes_only_its_own_queries() {
    let mut f = Fixture::new();
    f.host
        .set_file_text(A, playbook("a", "Calls m1, edited", "reg.io/steps/m1"));
    f.check_all();
    let executed = f.executed();
    assert!(
        executed.iter().all(|(_, file)| file == A),
        "only A's queries re-execute: {executed:?}"
    );
    assert!(executed.contains(&("file_syntax".to_owned(), A.to_owned())));
    assert!(executed.contains(&("check_file".to_owned(), A.to_owned())));
}

#[test]
fn editing_a_manifest_re_parses_only_the_manifest() {
    let mut f = Fixture::new();
    f.host
        .set_file_text(M1, manifest("m1", "First step, edited"));
    f.check_all();
    let executed = f.executed();
    let parsed: Vec<&str> = executed
        .iter()
        .filter(|(q, _)| q == "file_syntax")
        .map(|(_, file)| file.as_str())
        .collect();
    assert_eq!(parsed, [M1]);
    assert!(
        !executed.iter().any(|(_, file)| file == C || file == M2),
        "nothing of C or M2 re-executes: {executed:?}"
    );
}

#[test]
fn setting_the_same_text_re_executes_nothing() {
    let mut f = Fixture::new();
    f.host
        .set_file_text(A, playbook("a", "Calls m1", "reg.io/steps/m1"));
    f.host.set_libraries(vec![Library {
        prefix: "reg.io/steps/".into(),
        dir: "steps".into(),
        missing: false,
    }]);
    f.check_all();
    assert_eq!(f.executed(), pairs(&[]));
}

#[test]
fn setting_many_files_at_once_re_executes_only_what_changed() {
    let mut f = Fixture::new();
    // The same texts, and A edited: in bulk, exactly as one by one.
    f.host.set_file_texts([
        (M1.to_owned(), manifest("m1", "First step")),
        (
            A.to_owned(),
            playbook("a", "Calls m1, edited", "reg.io/steps/m1"),
        ),
        (C.to_owned(), playbook("c", "Calls m2", "reg.io/steps/m2")),
    ]);
    f.check_all();
    assert_eq!(
        f.executed(),
        pairs(&[
            ("file_syntax", A),
            ("manifest_decls", A),
            ("file_refs", A),
            ("check_file", A),
        ])
    );
    // A new file joins the workspace.
    f.host.set_file_texts([(
        "playbooks/d.yaml".to_owned(),
        playbook("d", "Calls m2", "reg.io/steps/m2"),
    )]);
    assert_eq!(
        f.host.files().collect::<Vec<_>>(),
        [A, B, C, "playbooks/d.yaml", M1, M2]
    );
}

#[test]
fn a_removed_file_is_forgotten_and_can_come_back() {
    let mut f = Fixture::new();
    f.host.remove_file(C);
    assert_eq!(f.host.file_text(C), None);
    assert!(f.host.diagnostics(C).is_empty());
    assert_eq!(f.host.files().collect::<Vec<_>>(), [A, B, M1, M2]);
    f.host
        .set_file_text(C, playbook("c", "Calls m2", "reg.io/steps/m2"));
    assert_eq!(f.host.files().collect::<Vec<_>>(), [A, B, C, M1, M2]);
    f.check_all();
    let executed = f.executed();
    assert!(
        !executed.iter().any(|(q, _)| q == "file_syntax"),
        "C's input is reused with its text, so nothing is parsed again: {executed:?}"
    );
}

// The two tests below need the YAML parser: without it no document is lowered, no step
// call exists, and nothing of the manifests is read.

#[test]
fn editing_playbook_a_re_executes_exactly_a_s_syntax_and_check() {
    let mut f = Fixture::new();
    f.host
        .set_file_text(A, playbook("a", "Calls m1, edited", "reg.io/steps/m1"));
    f.check_all();
    assert_eq!(
        f.executed(),
        pairs(&[
            ("file_syntax", A),
            // Re-run to learn that A still declares no manifest: the index is then reused.
            ("manifest_decls", A),
            // Re-run to learn that A's playbook names are unchanged: the name index (for
            // triggers and duplicate names) is then reused.
            ("file_refs", A),
            ("check_file", A),
        ])
    );
}

#[test]
fn editing_manifest_m1_re_checks_a_and_b_but_not_c() {
    let mut f = Fixture::new();
    f.host
        .set_file_text(M1, manifest("m1", "First step, edited"));
    f.check_all();
    assert_eq!(
        f.executed(),
        pairs(&[
            ("file_syntax", M1),
            ("manifest_decls", M1),
            ("file_refs", M1),
            ("check_file", M1),
            ("check_file", A),
            ("check_file", B),
        ])
    );
}

#[test]
fn adding_a_manifest_re_resolves_images_but_re_checks_no_playbook() {
    let mut f = Fixture::new();
    f.host
        .set_file_text("steps/m3/manifest.yaml", manifest("m3", "Third step"));
    f.check_all();
    assert_eq!(
        f.executed(),
        pairs(&[
            ("file_syntax", "steps/m3/manifest.yaml"),
            ("manifest_decls", "steps/m3/manifest.yaml"),
            ("file_refs", "steps/m3/manifest.yaml"),
            ("check_file", "steps/m3/manifest.yaml"),
            ("manifest_index", "workspace"),
            ("settled_manifest_decls", "workspace"),
            // A new file may declare playbooks: the names of the files no editor has open
            // are gathered again, and found equal, so the name index is kept; which files
            // are open is looked up again too.
            ("settled_refs", "workspace"),
            ("open_files", "workspace"),
            ("resolve_image", "reg.io/steps/m1"),
            ("resolve_image", "reg.io/steps/m2"),
        ])
    );
}

/// A step manifest that claims image `tools/cli` through `metadata.imageName`.
fn cli_manifest(name: &str, description: &str) -> String {
    manifest(name, description).replace("metadata:\n", "metadata:\n  imageName: tools/cli\n")
}

#[test]
fn editing_one_of_the_manifests_of_an_image_re_checks_only_the_playbooks_calling_it() {
    const ONE: &str = "vendor/one/manifest.yaml";
    const TWO: &str = "vendor/two/manifest.yaml";
    const D: &str = "playbooks/d.yaml";
    let mut f = Fixture::new();
    f.host
        .set_file_text(ONE, cli_manifest("one", "First claim"));
    f.host
        .set_file_text(TWO, cli_manifest("two", "Second claim"));
    f.host
        .set_file_text(D, playbook("d", "Calls the cli", "tools/cli:1.0"));
    // Both claims are candidates, and the playbook depends on each.
    assert_eq!(f.host.resolve_image("tools/cli"), [ONE, TWO]);
    assert_eq!(f.host.dependents(ONE), [D]);
    assert_eq!(f.host.dependents(TWO), [D]);
    f.check_all();
    f.executed();
    f.host
        .set_file_text(TWO, cli_manifest("two", "Second claim, edited"));
    f.check_all();
    assert_eq!(
        f.executed(),
        pairs(&[
            ("file_syntax", TWO),
            ("manifest_decls", TWO),
            ("file_refs", TWO),
            ("check_file", TWO),
            ("check_file", D),
        ])
    );
}

#[test]
fn the_host_can_be_shared_between_threads() {
    fn assert_send<T: Send>() {}
    fn assert_sync<T: Sync>() {}
    assert_send::<AnalysisHost>();
    assert_sync::<Mutex<AnalysisHost>>();
}

/// An open file is parsed once per edit, by the `parse` query, whose tree the check (here
/// for the fix that declares an unknown parameter) and the editor features share; a closed
/// file's tree is not kept, and asking for it parses it again.
#[test]
fn an_open_file_is_parsed_once_per_edit_and_its_tree_is_shared() {
    let mut f = Fixture::new();
    let unknown_parameter = playbook("a", "Reads {{ $.params.Nope }}", "reg.io/steps/m1")
        .replace("HOST: localhost", "HOST: \"{{ $.params.Nope }}\"");
    f.host.set_open(A, true);
    f.host.set_file_text(A, unknown_parameter.clone());
    let diagnostics = f.host.diagnostics(A);
    assert!(
        diagnostics
            .iter()
            .any(|d| d.fixes.iter().any(|fix| !fix.edits.is_empty())),
        "the unknown parameter has a fix laid out from the tree: {diagnostics:?}"
    );
    f.host.parse(A);
    let executed = f.executed();
    let parses = executed.iter().filter(|(q, _)| q == "parse").count();
    assert_eq!(parses, 1, "{executed:?}");
    assert!(executed.contains(&("file_syntax".to_owned(), A.to_owned())));

    // Closed: the tree goes with the lowering, and the editor's parse is a second one.
    f.host.set_open(A, false);
    f.host
        .set_file_text(A, unknown_parameter.replace("Nope", "Nope2"));
    f.host.diagnostics(A);
    f.executed();
    f.host.parse(A);
    assert_eq!(f.executed(), pairs(&[("parse", A)]));
}

/// How many memos salsa re-validates to check an open playbook after each of a few edits of
/// it, in a workspace with `others` more playbooks (calling M1) and the two manifests.
fn validations_per_edit(others: usize) -> Vec<usize> {
    let validated = Arc::new(Mutex::new(0_usize));
    let mut host = AnalysisHost::with_event_callback(Box::new({
        let validated = validated.clone();
        move |event| {
            if let salsa::EventKind::DidValidateMemoizedValue { .. } = event.kind {
                *lock(&validated) += 1;
            }
        }
    }));
    host.set_libraries(vec![Library {
        prefix: "reg.io/steps/".into(),
        dir: "steps".into(),
        missing: false,
    }]);
    let mut files = vec![
        (M1.to_owned(), manifest("m1", "First step")),
        (M2.to_owned(), manifest("m2", "Second step")),
    ];
    for i in 0..others {
        let name = format!("p{i}");
        files.push((
            format!("playbooks/{name}.yaml"),
            playbook(&name, "Calls m1", "reg.io/steps/m1"),
        ));
    }
    host.set_file_texts(files);
    host.set_file_text(A, playbook("a", "Calls m1", "reg.io/steps/m1"));
    host.set_open(A, true);
    for path in host.files().map(str::to_owned).collect::<Vec<_>>() {
        host.diagnostics(&path);
    }
    host.dependents(A);
    (0..3)
        .map(|i| {
            *lock(&validated) = 0;
            let text = playbook("a", &format!("Edit {i}"), "reg.io/steps/m2");
            host.set_file_text(A, text);
            host.diagnostics(A);
            host.dependents(A);
            *lock(&validated)
        })
        .collect()
}

/// A keystroke in an open document re-validates what the whole workspace's indexes (of
/// manifests, of playbook names, of dependents) derive from the other files in one step
/// (their texts change rarely: salsa's durability), not file by file: the work does not grow
/// with the workspace.
#[test]
fn an_edit_of_an_open_playbook_does_not_walk_the_workspace() {
    let small = validations_per_edit(10);
    let large = validations_per_edit(200);
    // The first edit lowers the durability of the text, which was read from disk: salsa
    // then walks everything once.
    assert!(large[0] > small[0], "{small:?} {large:?}");
    assert_eq!(small[1..], large[1..]);
    assert!(large[1..].iter().all(|&n| n < 30), "{large:?}");
}

/// The indexes read open files one by one and the others through the settled queries:
/// together they say what they said before either was open, in path order.
#[test]
fn open_files_are_in_the_indexes_in_path_order() {
    let mut f = Fixture::new();
    f.host.set_file_text(
        "playbooks/0.yaml",
        playbook("a", "Same name", "reg.io/steps/m2"),
    );
    f.host.set_file_text(
        "playbooks/z.yaml",
        playbook("a", "Same name", "reg.io/steps/m1"),
    );
    let before: Vec<_> = [M1, M2, A, B, C]
        .iter()
        .map(|path| (f.host.diagnostics(path), f.host.dependents(path)))
        .collect();
    for open in [A, M1, "playbooks/z.yaml"] {
        f.host.set_open(open, true);
        let now: Vec<_> = [M1, M2, A, B, C]
            .iter()
            .map(|path| (f.host.diagnostics(path), f.host.dependents(path)))
            .collect();
        assert_eq!(now, before, "with {open} open");
    }
    // A's name is also declared by 0.yaml, which comes first, and by z.yaml (PB603).
    let codes: Vec<_> = f.host.diagnostics(A).iter().map(|d| d.code.id).collect();
    assert!(codes.contains(&"PB603"), "{codes:?}");
    assert_eq!(f.host.dependents(M1), [A, B, "playbooks/z.yaml"]);
    // Edited while open, a playbook stops calling M1: no longer a dependent.
    f.host
        .set_file_text(A, playbook("a", "Now m2", "reg.io/steps/m2"));
    assert_eq!(f.host.dependents(M1), [B, "playbooks/z.yaml"]);
    assert_eq!(f.host.dependents(M2), ["playbooks/0.yaml", A, C]);
    f.host.set_open(A, false);
    assert_eq!(f.host.dependents(M2), ["playbooks/0.yaml", A, C]);
}
