//! Helpers for tests on real folder trees: a temporary tree built from a fixture, removed
//! when the test ends, and a one-line-per-file rendering of a loaded workspace.

#![allow(dead_code, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use playbook_diagnostics::LineIndex;
use playbook_workspace::{Origin, Workspace};

/// A folder under `std::env::temp_dir()`, unique to this process and test, removed on drop.
pub struct TempTree {
    pub root: PathBuf,
}

impl TempTree {
    /// Builds a tree from a fixture: `//- path` lines start a file, the lines after it are its
    /// text; `//- path/` makes an empty folder.
    pub fn new(name: &str, fixture: &str) -> TempTree {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!(
            "playbook-workspace-test-{name}-{}-{unique}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        playbook_test_support::write_tree(&root, fixture);
        TempTree { root }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The `(id, name)` of some diagnostic codes, for `[severity]`.
pub const CODES: &[(&str, &str)] = &[("PB101", "unused-parameter")];

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The workspace in lines: the root and configuration relative to `base`, the libraries,
/// the configuration's diagnostics, then every file found (kept or skipped: the rendering
/// does not depend on classification) with its origin and, for an unreadable file, why.
pub fn render(ws: &Workspace, base: &Path) -> String {
    let tmp = slash(base);
    let rel = |p: &Path| slash(p).replace(&tmp, "<tmp>");
    let mut out = String::new();
    writeln!(out, "root: {}", rel(&ws.root)).unwrap();
    if let Some(config) = &ws.config_file {
        writeln!(out, "config: {}", rel(&config.path)).unwrap();
        assert_eq!(config.abs_path.parent(), Some(ws.root.as_path()));
        let index = LineIndex::new(&config.text);
        for d in &config.diagnostics {
            let lc = index.line_col(d.range.start());
            write!(
                out,
                "  {}:{} {} {}",
                lc.line + 1,
                lc.col + 1,
                d.code.id,
                d.message
            )
            .unwrap();
            if let Some(label) = &d.label {
                write!(out, " [{}]", label.replace(&tmp, "<tmp>")).unwrap();
            }
            out.push('\n');
        }
    }
    for library in &ws.libraries {
        writeln!(out, "library: {} -> {}", library.prefix, rel(&library.dir)).unwrap();
    }
    let mut lines = Vec::new();
    for file in &ws.files {
        assert!(file.abs_path.is_absolute(), "{}", file.abs_path.display());
        let status = match &file.text {
            Ok(_) => String::new(),
            Err(e) => format!(": {e}"),
        };
        lines.push(format!(
            "{} {}{status}",
            origin(file.origin),
            rel(&file.path)
        ));
    }
    for file in &ws.skipped {
        lines.push(format!("{} {}", origin(file.origin), rel(&file.path)));
    }
    lines.sort_by(|a, b| {
        a.split_once(' ')
            .unwrap()
            .1
            .cmp(b.split_once(' ').unwrap().1)
    });
    for line in lines {
        writeln!(out, "{line}").unwrap();
    }
    out
}

fn origin(origin: Origin) -> &'static str {
    match origin {
        Origin::Checked => "checked",
        Origin::Library => "library",
        Origin::Context => "context",
    }
}

/// A minimal playbook file.
pub const PLAYBOOK: &str = "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\n";
