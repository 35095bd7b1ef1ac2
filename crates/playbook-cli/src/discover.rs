//! Finding the files `playbook check` reads: every `.yaml` and `.yml` file under the paths
//! given on the command line.
//!
//! Directories are walked without recursion (an explicit stack), in sorted order. Folders
//! named `.git`, `target` or `node_modules` and hidden folders (name starting with `.`) are
//! skipped, unless named on the command line. A path naming a file is taken whatever its
//! extension. Symbolic links to files are followed; symbolic links to folders are not,
//! so that a link cycle cannot make the walk endless.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::source::ReadError;

/// A file to check: where it is, and the name to report it under.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FoundFile {
    pub path: PathBuf,
    /// The path as given on the command line (joined with what the walk found), without a
    /// leading `./`.
    pub name: String,
}

/// The files under `paths`, in order (each argument's files sorted), each file once, and
/// the paths that could not be read.
pub fn discover(paths: &[PathBuf]) -> (Vec<FoundFile>, Vec<ReadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let mut found = Vec::new();
        match fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => walk(path, &mut found, &mut errors),
            Ok(_) => found.push(path.clone()),
            Err(error) => errors.push(ReadError::Io {
                path: display_name(path),
                error,
            }),
        }
        found.sort();
        for path in found {
            if seen.insert(normalize(&path)) {
                files.push(FoundFile {
                    name: display_name(&path),
                    path,
                });
            }
        }
    }
    (files, errors)
}

/// `path` without `.` components, so that `./a.yaml` and `a.yaml` are seen as one file.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| *c != Component::CurDir)
        .collect()
}

/// Pushes every YAML file below directory `root` onto `found`.
fn walk(root: &Path, found: &mut Vec<PathBuf>, errors: &mut Vec<ReadError>) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) => {
                errors.push(ReadError::Io {
                    path: display_name(&dir),
                    error,
                });
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    errors.push(ReadError::Io {
                        path: display_name(&dir),
                        error,
                    });
                    continue;
                }
            };
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                if !is_skipped_dir(&entry.file_name().to_string_lossy()) {
                    stack.push(path);
                }
            } else if is_yaml(&path)
                && (file_type.is_file() || fs::metadata(&path).is_ok_and(|m| m.is_file()))
            {
                found.push(path);
            }
        }
    }
}

/// Whether the walk skips a folder named `name`.
pub fn is_skipped_dir(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "target" | "node_modules")
}

/// Whether `path` has a YAML extension (`.yaml` or `.yml`, in any case).
pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// `path` as shown to the user: as given, without leading `./` components.
pub fn display_name(path: &Path) -> String {
    let mut components = path.components().peekable();
    while components.peek() == Some(&Component::CurDir) {
        components.next();
    }
    let rest: PathBuf = components.collect();
    if rest.as_os_str().is_empty() {
        path.display().to_string()
    } else {
        rest.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_tree(name: &str, files: &[&str]) -> PathBuf {
        let root = std::env::temp_dir().join(format!(
            "playbook-cli-discover-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&root);
        for file in files {
            let path = root.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "a: 1\n").unwrap();
        }
        root
    }

    #[test]
    fn walks_sorted_and_skips_ignored_folders() {
        let root = temp_tree(
            "walk",
            &[
                "b.yml",
                "a.yaml",
                "notes.txt",
                "sub/c.YAML",
                ".git/x.yaml",
                ".hidden/y.yaml",
                "target/z.yaml",
                "node_modules/w.yaml",
                "deep/er/d.yaml",
            ],
        );
        let (files, errors) = discover(std::slice::from_ref(&root));
        assert!(errors.is_empty());
        let names: Vec<_> = files
            .iter()
            .map(|f| f.path.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.yaml", "b.yml", "deep/er/d.yaml", "sub/c.YAML"]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_named_file_is_taken_whatever_its_extension_and_only_once() {
        let root = temp_tree("named", &["playbook.txt"]);
        let file = root.join("playbook.txt");
        let (files, errors) = discover(&[file.clone(), file.clone()]);
        assert!(errors.is_empty());
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, file);
        fs::remove_dir_all(&root).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_folders_are_not_followed_so_a_cycle_ends() {
        let root = temp_tree("cycle", &["sub/a.yaml", "b.yaml"]);
        std::os::unix::fs::symlink(&root, root.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("b.yaml"), root.join("sub/link.yml")).unwrap();
        let (files, errors) = discover(std::slice::from_ref(&root));
        assert!(errors.is_empty());
        let names: Vec<_> = files
            .iter()
            .map(|f| f.path.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["b.yaml", "sub/a.yaml", "sub/link.yml"]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_missing_path_is_an_error() {
        let (files, errors) = discover(&[PathBuf::from("./no-such-playbook-dir/x.yaml")]);
        assert!(files.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("cannot read `no-such-playbook-dir/x.yaml`: ")
        );
    }

    #[test]
    fn display_names_drop_the_leading_dot() {
        assert_eq!(display_name(Path::new("./a/b.yaml")), "a/b.yaml");
        assert_eq!(display_name(Path::new("a/./b.yaml")), "a/b.yaml");
        assert_eq!(display_name(Path::new(".")), ".");
        assert_eq!(display_name(Path::new("/abs/x.yml")), "/abs/x.yml");
    }
}
