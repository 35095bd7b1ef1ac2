//! Writing a file that `playbook fmt` or `playbook check --fix` changed: atomically, with its
//! permissions, and never over a change made since it was read; and writing an output file
//! (`playbook graph -o FILE`) atomically.

use std::io::{self, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A number that makes each temporary file name of this process unique.
static TEMPORARY: AtomicUsize = AtomicUsize::new(0);

/// Replaces the file at `path` with `text` atomically: the text is written to a new file
/// beside the target (beside the file a symbolic link points to, which stays a link), given
/// the target's permissions, and renamed over it. Readers (or a crash) see the old text or
/// the new one, never a part; on failure the target is untouched and the temporary file
/// removed. `read` is the text the file was read with: if it changed since (an editor saved
/// it meanwhile), nothing is written and the error says so.
///
/// Not synced to the disk: the rename makes the change all or nothing for every reader, and
/// a sync per file would take most of the time of formatting or fixing many files (`rustfmt`
/// and `ruff` do not sync either).
pub fn write_atomic(path: &Path, read: &str, text: &str) -> io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    if std::fs::read(&target)? != read.as_bytes() {
        return Err(io::Error::other(
            "it changed since it was read; nothing was written",
        ));
    }
    let permissions = std::fs::metadata(&target)?.permissions();
    replace(&target, text, Some(permissions))
}

/// Writes `text` to `path` atomically, whether or not the file exists (an output file such
/// as `playbook graph -o FILE` writes): the text goes to a new file beside the target, which
/// is renamed over it; an existing file keeps its permissions (a symbolic link stays a link
/// and the file it points to gets the text). Readers see the old text or the new one, never
/// a part.
pub fn write_output_atomic(path: &Path, text: &str) -> io::Result<()> {
    match std::fs::canonicalize(path) {
        Ok(target) => {
            let permissions = std::fs::metadata(&target)?.permissions();
            replace(&target, text, Some(permissions))
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            let name = path
                .file_name()
                .ok_or_else(|| io::Error::other("the path names no file"))?;
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => std::fs::canonicalize(dir)?,
                _ => std::env::current_dir()?,
            };
            replace(&dir.join(name), text, None)
        }
        Err(error) => Err(error),
    }
}

/// Writes `text` to a new temporary file beside `target` (given `permissions`, if any) and
/// renames it over `target`; on failure the temporary file is removed.
fn replace(target: &Path, text: &str, permissions: Option<std::fs::Permissions>) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let mut attempts = 0;
    let (temporary, mut file) = loop {
        let n = TEMPORARY.fetch_add(1, Ordering::Relaxed);
        let candidate = dir.join(format!(
            ".{name}.playbook-fmt-{}-{n}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => break (candidate, file),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => {
                attempts += 1;
            }
            Err(error) => return Err(error),
        }
    };
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .and_then(|()| match permissions {
            Some(permissions) => std::fs::set_permissions(&temporary, permissions),
            None => Ok(()),
        })
        .and_then(|()| {
            drop(file);
            std::fs::rename(&temporary, target)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_keeps_permissions_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("playbook-fmt-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.yaml");
        std::fs::write(&path, "a:    1\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&path, "a:    1\n", "a: 1\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 1\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["p.yaml"]);
        assert!(write_atomic(&dir.join("missing.yaml"), "", "x").is_err());
        // A symbolic link stays a link; the file it points to gets the text.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("p.yaml", dir.join("link.yaml")).unwrap();
            write_atomic(&dir.join("link.yaml"), "a: 1\n", "b: 2\n").unwrap();
            assert!(
                dir.join("link.yaml")
                    .symlink_metadata()
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(std::fs::read_to_string(&path).unwrap(), "b: 2\n");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

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
        write_atomic(&path, "a: 1\n", "a: 2\n").unwrap_or_else(|e| panic!("{e}"));
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
        let stale = write_atomic(&path, "a: 1\n", "a: 3\n");
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

    #[test]
    fn an_output_file_is_created_or_replaced_whole() {
        let dir = std::env::temp_dir().join(format!("playbook-out-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("graph.mmd");
        write_output_atomic(&path, "one\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("one\n")
        );
        write_output_atomic(&path, "two\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("two\n")
        );
        assert!(write_output_atomic(&dir.join("missing/graph.mmd"), "x").is_err());
        let left: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(left, ["graph.mmd"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
