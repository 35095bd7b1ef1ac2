//! `playbook check --fix`: the diagnostics' fixes applied to the checked files (the safe
//! ones; with `--unsafe-fixes` the others too), in rounds of fixing and checking again
//! ([`playbook_diagnostics::fix::Rounds`], the code the editor's fix-all shares), and the
//! files that changed written atomically. The run then reports what is left.

use std::io::{self, Write as _};
use std::path::Path;

use playbook_db::AnalysisHost;
use playbook_diagnostics::Diagnostic;
use playbook_diagnostics::fix::{self, Applicability};

/// A checked file whose text the fixes changed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FileFix {
    /// The file's name in the database (its display path).
    pub name: String,
    /// The text before and after the fixes.
    pub original: String,
    pub text: String,
    /// How many diagnostics the fixes fixed.
    pub fixed: usize,
    /// Whether fixing stopped because no fix was left (see [`fix::Fixed::converged`]).
    pub converged: bool,
}

/// Fixes the files `names` of `host`, all together, round after round
/// ([`fix::Rounds`]): each round's new texts go into the host at once and are checked on
/// every core, so a workspace takes as many database changes as its most fixed file takes
/// rounds, not one per round of every file. A file sees the others as they are after each
/// round (a playbook that declares a parameter, for the trigger that sets it). Afterwards
/// each file's text in the host is its fixed text. Returns the files whose text changed,
/// in the order of `names`.
pub fn fix_files(
    host: &mut AnalysisHost,
    names: &[String],
    applicability: Applicability,
) -> Vec<FileFix> {
    let mut fixing: Vec<(&String, String, fix::Rounds)> = Vec::new();
    for name in names {
        let Some(original) = host.file_text(name).map(str::to_owned) else {
            continue;
        };
        let diagnostics = host.diagnostics(name);
        if fix::select(&original, &diagnostics, applicability)
            .fixes
            .is_empty()
        {
            continue;
        }
        let rounds = fix::Rounds::new(original.clone(), diagnostics, applicability);
        fixing.push((name, original, rounds));
    }
    loop {
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut waiting: Vec<usize> = Vec::new();
        for (i, (name, _, rounds)) in fixing.iter_mut().enumerate() {
            if let Some(text) = rounds.to_check() {
                texts.push(((*name).clone(), text.to_owned()));
                waiting.push(i);
            }
        }
        if texts.is_empty() {
            break;
        }
        let paths: Vec<String> = texts.iter().map(|(name, _)| name.clone()).collect();
        host.set_file_texts(texts);
        for (i, diagnostics) in waiting.into_iter().zip(host.diagnostics_of_all(&paths)) {
            if let Some((_, _, rounds)) = fixing.get_mut(i) {
                rounds.checked(diagnostics);
            }
        }
    }
    let mut changed = Vec::new();
    for (name, original, rounds) in fixing {
        let fixed = rounds.finish();
        if fixed.text == original {
            // Fixes that undid each other: the file is as it was.
            host.set_file_text(name, original);
            continue;
        }
        changed.push(FileFix {
            name: name.clone(),
            original,
            text: fixed.text,
            fixed: fixed.fixed,
            converged: fixed.converged,
        });
    }
    changed
}

/// How many of `diagnostics` (of `text`) have a fix that `applicability` applies.
pub fn fixable(text: &str, diagnostics: &[Diagnostic], applicability: Applicability) -> usize {
    diagnostics
        .iter()
        .filter(|d| fix::applicable(text, d, applicability).is_some())
        .count()
}

/// Writes `text` to the file at `path` atomically: into a new file beside it, with its
/// permissions, then renamed over it, so that a reader (or a crash) sees the old text or the
/// new one, never part of it. A symbolic link is followed: the file it names is replaced.
/// `expected` is the text the file was read with: if it changed since (an editor saved it
/// meanwhile), nothing is written and the error says so.
pub fn write_atomically(path: &Path, expected: &str, text: &str) -> io::Result<()> {
    let path = std::fs::canonicalize(path)?;
    if std::fs::read(&path)? != expected.as_bytes() {
        return Err(io::Error::other(
            "it changed since it was read; nothing was written",
        ));
    }
    let permissions = std::fs::metadata(&path)?.permissions();
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{file_name}.playbook-fix-{}.tmp",
        std::process::id()
    ));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        // Not synced to the disk: the rename makes the change all or nothing for every
        // reader, and a sync per file would take most of the time of fixing many files
        // (as formatters, `rustfmt` or `ruff`, do not sync either).
        drop(file);
        std::fs::set_permissions(&temp, permissions)?;
        std::fs::rename(&temp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_with_its_permissions_and_not_if_it_changed() {
        let dir = std::env::temp_dir().join(format!("playbook-fix-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("p.yaml");
        std::fs::write(&path, "a: 1\n").unwrap_or_else(|e| panic!("{e}"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        write_atomically(&path, "a: 1\n", "a: 2\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("a: 2\n")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o640));
        }
        let stale = write_atomically(&path, "a: 1\n", "a: 3\n");
        assert!(stale.is_err());
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("a: 2\n")
        );
        let left: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(left, ["p.yaml"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
