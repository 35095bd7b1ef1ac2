//! Finding the configuration and the files of a playbook repository, and reading them.
//!
//! [`load_workspace`] is what `playbook check PATH...` and the language server call
//! ([`load_stdin_workspace_in`] for `playbook check --stdin-filename NAME`, whose text is
//! the one named file):
//!
//! 1. The configuration is the first `playbook.toml` found walking up from the first checked
//!    path ([`find_config`]). Its folder is the project's root; without one, the root is the
//!    current directory when the first checked path is in it (and it is not `/`), else that
//!    path's folder, and the configuration is [`Config::default`].
//! 2. The checked paths are walked: every `.yaml`/`.yml` file under a folder, recursively,
//!    and every file named explicitly (whatever its name: the user asked for it). Hidden files
//!    are walked, `.git` folders are not. `.gitignore`, `.git/info/exclude`, the global git
//!    ignore file and `.ignore` files are honoured **even outside a git repository**
//!    (`require_git(false)`, like `rg --no-require-git`): a playbook folder copied out of its
//!    repository, or not yet `git init`-ed, is walked the same way. The `exclude` globs of the
//!    configuration are matched against paths relative to the root; a matching folder is not
//!    entered. Neither applies to a file named explicitly (the user asked for it), but an
//!    excluded file stays somebody else's code ([`SourceFile::foreign`]).
//! 3. Checked paths are checked in the context of their project: unless a checked folder
//!    covers the root (`playbook check` at the root), the rest of the root is walked the same
//!    way, once, leaving out the checked folders. A file found only this way has the origin
//!    [`Origin::Context`]: a trigger named alone finds its playbook there, and a playbook
//!    checked alone is compared with the others for a duplicate name; its own problems are
//!    not reported. Problems walking it (an unreadable folder) are not the user's here.
//! 4. The folder of every `[[library]]` (`<root>/<path>`) is walked for `manifest.yaml` and
//!    `manifest.yml` files, even where it is not under a checked path or is excluded: the
//!    manifests are needed to check the playbooks. A file found only this way has the origin
//!    [`Origin::Library`]: it is loaded for lookups, and its own problems are not reported.
//!    A library folder that does not exist is reported once on the configuration (PB903,
//!    with the absolute folder looked for), and marked [`Library::missing`].
//! 5. The files are read and classified in parallel (rayon). A file that is not a playbook
//!    file ([`is_playbook_file`]: CI workflows, Ansible, Kubernetes manifests) is skipped,
//!    even when named, and kept in [`Workspace::skipped`] so that a named one can be
//!    reported as skipped. A file that cannot be read is kept, with its [`ReadError`], and
//!    the walk goes on.
//!
//! Paths: every file has an absolute path (made absolute lexically, without resolving
//! symbolic links) and a display path, relative to the current directory when the file is
//! under it and absolute otherwise: a file named twice, relative and absolute, or named and
//! found by a walk, is one file. Library folders use the same display namespace, so the
//! core can join a library folder and an image path and find the file among the others.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;
use playbook_diagnostics::{Diagnostic, LineIndex};
use playbook_hir::is_playbook_file;

use crate::codes::INVALID_SETTING;
use crate::config::{CONFIG_FILE_NAME, Config, LibraryConfig, exclude_glob, parse_config};

/// The largest file playbook reads: byte offsets are `u32`.
const MAX_FILE_SIZE: u64 = u32::MAX as u64;

/// Everything the checker needs from disk: the configuration and the files.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Workspace {
    /// The absolute folder `exclude` globs and library paths are relative to.
    pub root: PathBuf,
    /// The `playbook.toml` in use, if one was found.
    pub config_file: Option<ConfigFile>,
    /// The settings in use (the default ones without a `playbook.toml`).
    pub config: Config,
    /// The playbook files (and unreadable files), sorted by display path (by its bytes), each once.
    pub files: Vec<SourceFile>,
    /// YAML files that were found but are not playbook files, sorted by display path.
    pub skipped: Vec<SkippedFile>,
    /// The step libraries, in the order of the configuration.
    pub libraries: Vec<Library>,
}

impl Workspace {
    /// The files whose problems are reported (not those loaded only as library manifests).
    pub fn checked_files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(|f| f.origin == Origin::Checked)
    }

    /// Whether files are the project's own or somebody else's code, for files found later.
    pub fn scope(&self) -> ProjectScope {
        ProjectScope::new(&self.root, &self.config)
    }

    /// The libraries as `(prefix, folder)` pairs, the folder in the display namespace of
    /// [`SourceFile::path`]: what the core needs to find the manifest of an image.
    pub fn library_dirs(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.libraries
            .iter()
            .map(|l| (l.prefix.as_str(), l.dir.as_path()))
    }
}

/// The configuration file in use, with the problems found in it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConfigFile {
    /// The display path.
    pub path: PathBuf,
    pub abs_path: PathBuf,
    pub text: String,
    /// Problems in the file (including library folders that do not exist), sorted by
    /// position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a file is part of the workspace.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Origin {
    /// Found under a checked path: its problems are reported.
    Checked,
    /// Found only in a library folder (or excluded but in a library folder): loaded so that
    /// playbooks can be checked against it; its own problems are not reported.
    Library,
    /// Found elsewhere in the project of the checked paths (the folder of `playbook.toml`):
    /// loaded for what other files need of it (the playbook a trigger names, the names a
    /// playbook must not share); its own problems are not reported.
    Context,
}

/// One file to check, or one that could not be read.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SourceFile {
    /// The display path.
    pub path: PathBuf,
    pub abs_path: PathBuf,
    pub origin: Origin,
    /// Whether the file is somebody else's code: found only in a library folder, or excluded
    /// by `exclude` (and named explicitly). Its step manifests report no defects.
    pub foreign: bool,
    /// The text, or why it could not be read.
    pub text: Result<String, ReadError>,
}

/// A YAML file that is not a playbook file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SkippedFile {
    /// The display path.
    pub path: PathBuf,
    pub origin: Origin,
    /// Named on the command line (or standard input): the user asked for it, and is told
    /// why it was not checked.
    pub explicit: bool,
}

/// A step library: images starting with `prefix` have their manifest under `dir`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Library {
    pub prefix: String,
    /// The folder, in the display namespace of [`SourceFile::path`].
    pub dir: PathBuf,
    pub abs_dir: PathBuf,
    /// The folder does not exist (reported once, on the configuration).
    pub missing: bool,
}

/// Why a file could not be read.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ReadError {
    /// The file or folder does not exist.
    NotFound,
    /// The file is not UTF-8. `line` and `column` (1-based, the column in characters) are
    /// those of the first invalid byte, at byte `offset`.
    NotUtf8 { line: u32, column: u32, offset: u64 },
    /// The file is larger than 4 GiB.
    TooLarge { size: u64 },
    /// Any other I/O error (permission denied, a symbolic link loop, ...), as the system
    /// describes it.
    Io(String),
}

impl ReadError {
    fn from_io(error: &io::Error) -> ReadError {
        match error.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(error.to_string()),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file or folder"),
            ReadError::NotUtf8 { line, column, .. } => write!(
                f,
                "not a UTF-8 text file: invalid byte at line {line}, column {column}"
            ),
            ReadError::TooLarge { size } => write!(
                f,
                "file too large: {size} bytes, more than the 4 GiB playbook can read"
            ),
            ReadError::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ReadError {}

/// Why no workspace could be loaded at all. Problems with single files are not errors: they
/// are reported in [`SourceFile::text`].
#[derive(Debug)]
pub enum LoadError {
    /// The current directory is unknown (it was deleted, or is not accessible).
    CurrentDir(io::Error),
    /// The `playbook.toml` found could not be read: checking without it would give wrong
    /// results.
    Config { path: PathBuf, error: ReadError },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::CurrentDir(error) => {
                write!(f, "cannot read the current directory: {error}")
            }
            LoadError::Config { path, error } => {
                write!(f, "cannot read {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// The `playbook.toml` that applies to `start` (a file or a folder): the first one found in
/// its folder or the folders above it.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = if start.is_dir() {
        start
    } else {
        start.parent()?
    };
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// The root of a project without `playbook.toml`: the current directory when `first` (the
/// first checked path) is in it, else the folder `first` is (or is in), so that checking a
/// file outside the current directory does not walk the current directory for context. The
/// filesystem's root is never a project (a tool started from `/`, as some editors start
/// their linters, would walk the whole disk).
fn root_without_config(cwd: &Path, first: &Path) -> PathBuf {
    if first.starts_with(cwd) && cwd.parent().is_some() {
        cwd.to_path_buf()
    } else if first.is_dir() {
        first.to_path_buf()
    } else {
        first
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
    }
}

/// The PB903 of a library whose folder `abs_dir` does not exist: where it was looked for,
/// absolute, and how a relative `path` is read.
fn missing_library(library: &LibraryConfig, abs_dir: &Path, root: &Path) -> Diagnostic {
    let help = if Path::new(&library.path).is_absolute() {
        format!("create the folder {}, or correct `path`", abs_dir.display())
    } else {
        format!(
            "create the folder, or correct `path`: a relative path is read from the folder of playbook.toml, {}",
            root.display()
        )
    };
    Diagnostic::new(
        &INVALID_SETTING,
        library.path_range,
        format!("library folder `{}` not found", library.path),
    )
    .with_label(format!("no folder {}", abs_dir.display()))
    .with_help(help)
}

/// What of a project decides whether a file is somebody else's code: its root, its `exclude`
/// globs and its library folders. The language server keeps it to decide for a file opened
/// after the workspace was loaded, as the load decided for the files it found
/// ([`SourceFile::foreign`]).
#[derive(Clone, Debug)]
pub struct ProjectScope {
    root: PathBuf,
    exclude: Arc<GlobSet>,
    library_dirs: Vec<PathBuf>,
}

impl ProjectScope {
    fn new(root: &Path, config: &Config) -> ProjectScope {
        ProjectScope {
            root: root.to_path_buf(),
            exclude: Arc::new(exclude_set(&config.exclude)),
            library_dirs: config
                .libraries
                .iter()
                .map(|library| normalize(&root.join(&library.path)))
                .collect(),
        }
    }

    /// Whether the absolute path `abs_path` (or a folder above it, up to the root) matches an
    /// `exclude` glob.
    pub fn is_excluded(&self, abs_path: &Path) -> bool {
        let abs_path = normalize(abs_path);
        let Ok(relative) = abs_path.strip_prefix(&self.root) else {
            return false;
        };
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.exclude.is_match(p))
    }

    /// Whether the file at the absolute path `abs_path` is somebody else's code: excluded by
    /// `exclude`, or in a library folder outside the project's root.
    pub fn is_foreign(&self, abs_path: &Path) -> bool {
        let abs_path = normalize(abs_path);
        self.is_excluded(&abs_path)
            || (!abs_path.starts_with(&self.root)
                && self
                    .library_dirs
                    .iter()
                    .any(|dir| abs_path.starts_with(dir)))
    }
}

/// Loads the workspace of `paths` (the current directory when empty), relative to the current
/// directory. See the module documentation for what is found and how.
///
/// `known_codes` lists the `(id, name)` of every diagnostic code, which `[severity]` keys of
/// the configuration must name.
pub fn load_workspace(
    paths: &[PathBuf],
    known_codes: &[(&str, &str)],
) -> Result<Workspace, LoadError> {
    let cwd = std::env::current_dir().map_err(LoadError::CurrentDir)?;
    load_workspace_in(&cwd, paths, known_codes)
}

/// [`load_workspace`] with an explicit current directory `cwd` (absolute), which relative
/// `paths` and display paths are relative to. The language server passes its workspace folder.
pub fn load_workspace_in(
    cwd: &Path,
    paths: &[PathBuf],
    known_codes: &[(&str, &str)],
) -> Result<Workspace, LoadError> {
    load(cwd, paths, None, known_codes)
}

/// The workspace of a text read from standard input and checked as the file `name`
/// (relative to `cwd`, or absolute; it need not exist): the text is the one named file,
/// checked in the context of its project like a file named on the command line. A file of
/// that path on disk is replaced by the text.
pub fn load_stdin_workspace_in(
    cwd: &Path,
    name: &Path,
    text: String,
    known_codes: &[(&str, &str)],
) -> Result<Workspace, LoadError> {
    load(cwd, &[], Some((name, text)), known_codes)
}

fn load(
    cwd: &Path,
    paths: &[PathBuf],
    stdin: Option<(&Path, String)>,
    known_codes: &[(&str, &str)],
) -> Result<Workspace, LoadError> {
    let cwd = normalize(cwd);
    let stdin = stdin.map(|(name, text)| (normalize(&cwd.join(name)), text));
    let mut targets: Vec<PathBuf> = paths.iter().map(|p| normalize(&cwd.join(p))).collect();
    if targets.is_empty() && stdin.is_none() {
        targets.push(cwd.clone());
    }
    let first = match &stdin {
        Some((abs_path, _)) => abs_path.clone(),
        None => targets.first().cloned().unwrap_or_else(|| cwd.clone()),
    };

    let config_path = find_config(&first);
    let (root, config_file, config) = match config_path {
        Some(abs_path) => {
            let text = read_text(&abs_path).map_err(|error| LoadError::Config {
                path: display_path(&cwd, &abs_path),
                error,
            })?;
            let (config, diagnostics) = parse_config(&text, known_codes);
            let root = abs_path
                .parent()
                .map_or_else(|| cwd.clone(), Path::to_path_buf);
            let file = ConfigFile {
                path: display_path(&cwd, &abs_path),
                abs_path,
                text,
                diagnostics,
            };
            (root, Some(file), config)
        }
        None => (root_without_config(&cwd, &first), None, Config::default()),
    };

    let scope = ProjectScope::new(&root, &config);
    let exclude = Arc::clone(&scope.exclude);
    let library_dirs: Vec<(PathBuf, bool)> = config
        .libraries
        .iter()
        .map(|library| {
            let abs_dir = normalize(&root.join(&library.path));
            let exists = abs_dir.is_dir();
            (abs_dir, exists)
        })
        .collect();
    // The rest of the project is walked for context unless a checked folder already covers
    // it (`playbook check` at the root walks it once, as checked).
    let folders: Vec<PathBuf> = targets.iter().filter(|t| t.is_dir()).cloned().collect();
    let context = !folders.iter().any(|folder| root.starts_with(folder)) && root.is_dir();
    let read_files = std::sync::Mutex::new(Vec::new());
    let mut walk_errors = Vec::new();
    // The walks hand what they find to the thread pool in batches, so that reading the first
    // files overlaps walking the rest (walking is one thread's work).
    rayon::in_place_scope(|scope| {
        let (cwd, read_files) = (&cwd, &read_files);
        let mut read = |batch: Vec<Candidate>| {
            scope.spawn(move |_| {
                let done: Vec<ReadFile> = batch
                    .into_iter()
                    .map(|candidate| read_candidate(cwd, candidate))
                    .collect();
                if let Ok(mut read_files) = read_files.lock() {
                    read_files.extend(done);
                }
            });
        };
        let mut found = Found::new(&mut read);
        for target in &targets {
            walk_checked(target, &root, &exclude, &mut found);
        }
        if context {
            walk_context(&root, &exclude, &folders, &mut found);
        }
        for (abs_dir, _) in library_dirs.iter().filter(|(_, exists)| *exists) {
            walk_library(abs_dir, &mut found);
        }
        found.flush();
        walk_errors = found.errors;
    });
    let mut libraries = Vec::new();
    let mut missing_libraries = Vec::new();
    for (library, (abs_dir, exists)) in config.libraries.iter().zip(library_dirs) {
        if !exists {
            missing_libraries.push(missing_library(library, &abs_dir, &root));
        }
        libraries.push(Library {
            prefix: library.prefix.clone(),
            dir: display_path(&cwd, &abs_dir),
            abs_dir,
            missing: !exists,
        });
    }
    let config_file = config_file.map(|mut file| {
        file.diagnostics.extend(missing_libraries);
        file.diagnostics
            .sort_by_key(|d| (d.range.start(), d.range.end()));
        file
    });

    // A panic while reading surfaced when the scope ended: nothing can have poisoned the lock.
    let mut read_files = read_files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((abs_path, text)) = stdin {
        // The text of standard input stands for the file on disk, if there is one.
        read_files.retain(|file| path_bytes(&file.abs_path) != path_bytes(&abs_path));
        read_files.push(ReadFile {
            path: display_path(&cwd, &abs_path),
            playbook: is_playbook_file(&text),
            abs_path,
            origin: Origin::Checked,
            explicit: true,
            text: Ok(text),
        });
    }
    let mut files: Vec<SourceFile> = walk_errors
        .into_iter()
        .map(|(abs_path, error)| SourceFile {
            path: display_path(&cwd, &abs_path),
            abs_path,
            origin: Origin::Checked,
            foreign: false,
            text: Err(error),
        })
        .collect();
    files.reserve(read_files.len());
    let mut skipped = Vec::new();
    for file in merge_found(read_files) {
        if file.text.is_ok() && !file.playbook {
            skipped.push(SkippedFile {
                path: file.path,
                origin: file.origin,
                explicit: file.explicit,
            });
        } else {
            files.push(SourceFile {
                foreign: file.origin == Origin::Library
                    || (file.explicit && scope.is_excluded(&file.abs_path)),
                path: file.path,
                abs_path: file.abs_path,
                origin: file.origin,
                text: file.text,
            });
        }
    }
    // By the path's bytes, as the command line sorts its reports (comparing paths component
    // by component costs several times more, for thousands of files).
    files.sort_by(|a, b| path_bytes(&a.path).cmp(path_bytes(&b.path)));
    files.dedup_by(|a, b| path_bytes(&a.abs_path) == path_bytes(&b.abs_path));
    skipped.sort_by(|a, b| path_bytes(&a.path).cmp(path_bytes(&b.path)));

    Ok(Workspace {
        root,
        config_file,
        config,
        files,
        skipped,
        libraries,
    })
}

/// A file found by a walk.
struct Candidate {
    abs_path: PathBuf,
    origin: Origin,
    /// Named on the command line.
    explicit: bool,
}

/// How many found files are read as one task of the thread pool.
const READ_BATCH: usize = 64;

/// Where the walks put what they find: files go to `read` in batches of [`READ_BATCH`];
/// errors are kept.
struct Found<'r> {
    batch: Vec<Candidate>,
    read: &'r mut dyn FnMut(Vec<Candidate>),
    /// Absolute paths that could not be walked, and why.
    errors: Vec<(PathBuf, ReadError)>,
}

impl<'r> Found<'r> {
    fn new(read: &'r mut dyn FnMut(Vec<Candidate>)) -> Found<'r> {
        Found {
            batch: Vec::with_capacity(READ_BATCH),
            read,
            errors: Vec::new(),
        }
    }

    fn add(&mut self, abs_path: PathBuf, origin: Origin, explicit: bool) {
        self.batch.push(Candidate {
            abs_path,
            origin,
            explicit,
        });
        if self.batch.len() >= READ_BATCH {
            self.flush();
        }
    }

    /// Hands the files found since the last batch to `read`.
    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(READ_BATCH));
            (self.read)(batch);
        }
    }
}

/// A found file, read.
struct ReadFile {
    /// The display path.
    path: PathBuf,
    abs_path: PathBuf,
    origin: Origin,
    explicit: bool,
    text: Result<String, ReadError>,
    /// Whether the text is a playbook file's ([`is_playbook_file`]).
    playbook: bool,
}

fn read_candidate(cwd: &Path, candidate: Candidate) -> ReadFile {
    let text = read_text(&candidate.abs_path);
    ReadFile {
        path: display_path(cwd, &candidate.abs_path),
        playbook: text.as_ref().is_ok_and(|text| is_playbook_file(text)),
        abs_path: candidate.abs_path,
        origin: candidate.origin,
        explicit: candidate.explicit,
        text,
    }
}

/// Each file once, by the bytes of its absolute path (a file can be found by several walks).
/// A file both checked and in a library is checked; one named on the command line by any
/// walk is named.
fn merge_found(mut files: Vec<ReadFile>) -> Vec<ReadFile> {
    files.sort_unstable_by(|a, b| {
        path_bytes(&a.abs_path)
            .cmp(path_bytes(&b.abs_path))
            .then(a.origin.cmp(&b.origin))
    });
    // Keeps the first of equal paths, the one with the lowest origin.
    files.dedup_by(|later, kept| {
        let same = path_bytes(&later.abs_path) == path_bytes(&kept.abs_path);
        if same {
            kept.explicit |= later.explicit;
        }
        same
    });
    files
}

fn exclude_set(patterns: &[String]) -> GlobSet {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        // Invalid globs were reported and left out by `parse_config`.
        if let Ok(glob) = exclude_glob(pattern) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

fn walker(path: &Path) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(path);
    builder.hidden(false).require_git(false).follow_links(false);
    builder
}

fn walk_checked(target: &Path, root: &Path, exclude: &Arc<GlobSet>, found: &mut Found) {
    walk_project(target, root, exclude, &[], Origin::Checked, found);
}

/// Walks the project `root` for context, leaving out the checked `folders` (walked already).
/// A folder that cannot be walked is not the user's concern here: it is passed over.
fn walk_context(root: &Path, exclude: &Arc<GlobSet>, folders: &[PathBuf], found: &mut Found) {
    walk_project(root, root, exclude, folders, Origin::Context, found);
}

/// Walks `start` for YAML files (and `start` itself, named, whatever its name when the origin
/// is [`Origin::Checked`]), honouring ignore files and the `exclude` globs (relative to
/// `root`), and not entering `.git` or the folders of `skip`.
fn walk_project(
    start: &Path,
    root: &Path,
    exclude: &Arc<GlobSet>,
    skip: &[PathBuf],
    origin: Origin,
    found: &mut Found,
) {
    let mut builder = walker(start);
    let exclude = Arc::clone(exclude);
    let root = root.to_path_buf();
    let skip = skip.to_vec();
    builder.filter_entry(move |entry| {
        if entry.file_name() == ".git" || skip.iter().any(|s| s == entry.path()) {
            return false;
        }
        match entry.path().strip_prefix(&root) {
            Ok(relative) => !exclude.is_match(relative),
            Err(_) => true,
        }
    });
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                let explicit = origin == Origin::Checked && entry.depth() == 0;
                if is_file(&entry) && (explicit || has_yaml_extension(entry.path())) {
                    found.add(walked_path(entry), origin, explicit);
                } else if explicit && !entry.path().is_dir() {
                    // A named pipe or a device: reading it could block forever.
                    found.errors.push((
                        normalize(entry.path()),
                        ReadError::Io("not a regular file or folder".to_owned()),
                    ));
                }
            }
            Err(error) if origin == Origin::Checked => record_walk_error(&error, start, found),
            Err(_) => {}
        }
    }
}

fn walk_library(dir: &Path, found: &mut Found) {
    let mut builder = walker(dir);
    builder.filter_entry(|entry| entry.file_name() != ".git");
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                let name = entry.file_name();
                if is_file(&entry) && (name == "manifest.yaml" || name == "manifest.yml") {
                    found.add(walked_path(entry), Origin::Library, false);
                }
            }
            Err(error) => record_walk_error(&error, dir, found),
        }
    }
}

/// The normal absolute path of a walked entry. The walks start from normal paths, and an
/// entry below the start is its folder's path joined with its name: normal already.
fn walked_path(entry: ignore::DirEntry) -> PathBuf {
    if entry.depth() == 0 {
        normalize(entry.path())
    } else {
        entry.into_path()
    }
}

fn is_file(entry: &ignore::DirEntry) -> bool {
    match entry.file_type() {
        Some(t) if t.is_file() => true,
        Some(t) if t.is_symlink() => entry.path().is_file(),
        _ => false,
    }
}

fn has_yaml_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Keeps an I/O error met while walking (a missing checked path, an unreadable folder) as a
/// file that could not be read. Errors in ignore files (a bad glob in a `.gitignore`) are
/// not about playbook files and are dropped.
fn record_walk_error(error: &ignore::Error, walked: &Path, found: &mut Found) {
    let Some(io_error) = error.io_error() else {
        return;
    };
    let abs_path = normalize(error_path(error).unwrap_or(walked));
    found.errors.push((abs_path, ReadError::from_io(io_error)));
}

/// The path an error of the walk is about, if it names one.
fn error_path(mut error: &ignore::Error) -> Option<&Path> {
    // Errors nest a few levels at most; the bound keeps a malformed chain from looping.
    for _ in 0..16 {
        match error {
            ignore::Error::WithPath { path, .. } => return Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                error = err;
            }
            ignore::Error::Loop { child, .. } => return Some(child),
            _ => return None,
        }
    }
    None
}

/// Reads a file as UTF-8 text of at most 4 GiB.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    use std::io::Read as _;
    // One open, one `fstat` and the reads: the file is looked up by path once.
    let mut file = std::fs::File::open(path).map_err(|e| ReadError::from_io(&e))?;
    let size = file.metadata().map_err(|e| ReadError::from_io(&e))?.len();
    if size > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge { size });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    // Through `take`, the standard library does not ask the file for its size and position
    // again (a `statx` and an `lseek` per file: a fifth of the reading's system calls).
    (&mut file)
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::from_io(&e))?;
    // The file may have grown since it was measured.
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        let valid = error
            .as_bytes()
            .get(..valid_up_to)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        let index = LineIndex::new(valid);
        let end = valid.len() as u32;
        ReadError::NotUtf8 {
            line: index.line_col(end).line + 1,
            column: index.char_col(end, valid) + 1,
            offset: valid_up_to as u64,
        }
    })
}

/// `path` made lexically normal: no `.` components, and `..` removes the component before it.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out
}

fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// `abs_path` relative to `cwd` when it is under it (`.` for `cwd` itself), else `abs_path`.
fn display_path(cwd: &Path, abs_path: &Path) -> PathBuf {
    match abs_path.strip_prefix(cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => abs_path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_lexical() {
        let n = |p: &str| normalize(Path::new(p));
        assert_eq!(n("/a/./b/../c"), PathBuf::from("/a/c"));
        assert_eq!(n("/a/b/../../.."), PathBuf::from("/"));
        assert_eq!(n("a/../../b"), PathBuf::from("../b"));
        assert_eq!(n("../../b"), PathBuf::from("../../b"));
        assert_eq!(n("./"), PathBuf::from(""));
    }

    #[test]
    fn display_paths_are_relative_under_the_current_directory() {
        let cwd = Path::new("/repo/playbooks");
        let d = |p: &str| display_path(cwd, Path::new(p));
        assert_eq!(d("/repo/playbooks/a.yaml"), PathBuf::from("a.yaml"));
        assert_eq!(d("/repo/playbooks"), PathBuf::from("."));
        assert_eq!(d("/repo/steps/x"), PathBuf::from("/repo/steps/x"));
        // A sibling folder sharing a prefix of the name is not "under" it.
        assert_eq!(
            d("/repo/playbooks2/a.yaml"),
            PathBuf::from("/repo/playbooks2/a.yaml")
        );
    }

    #[test]
    fn without_config_the_root_is_the_current_folder_but_never_the_disk() {
        let root = |cwd: &str, first: &str| root_without_config(Path::new(cwd), Path::new(first));
        assert_eq!(root("/repo", "/repo/sub/a.yaml"), PathBuf::from("/repo"));
        assert_eq!(root("/repo", "/repo"), PathBuf::from("/repo"));
        // Outside the current folder, and from `/`: the path's own folder.
        assert_eq!(root("/repo", "/other/a.yaml"), PathBuf::from("/other"));
        assert_eq!(root("/", "/home/u/p/a.yaml"), PathBuf::from("/home/u/p"));
    }

    #[test]
    fn read_error_messages() {
        assert_eq!(ReadError::NotFound.to_string(), "no such file or folder");
        assert_eq!(
            ReadError::NotUtf8 {
                line: 3,
                column: 7,
                offset: 40
            }
            .to_string(),
            "not a UTF-8 text file: invalid byte at line 3, column 7"
        );
        assert_eq!(
            ReadError::TooLarge {
                size: 5_000_000_000
            }
            .to_string(),
            "file too large: 5000000000 bytes, more than the 4 GiB playbook can read"
        );
    }

    #[test]
    fn walk_errors_name_their_path() {
        let error = ignore::Error::WithDepth {
            depth: 2,
            err: Box::new(ignore::Error::WithPath {
                path: PathBuf::from("/a/b"),
                err: Box::new(ignore::Error::Io(io::Error::from(
                    io::ErrorKind::PermissionDenied,
                ))),
            }),
        };
        assert_eq!(error_path(&error), Some(Path::new("/a/b")));
        let mut read = |_: Vec<Candidate>| {};
        let mut found = Found::new(&mut read);
        record_walk_error(&error, Path::new("/a"), &mut found);
        let [(path, ReadError::Io(message))] = found.errors.as_slice() else {
            panic!("{:?}", found.errors)
        };
        assert_eq!(path, Path::new("/a/b"));
        assert!(message.contains("ermission denied"), "{message}");
        // Errors that are not I/O (a bad glob in a .gitignore) are not about playbook files.
        let glob = ignore::Error::Glob {
            glob: Some("[".to_owned()),
            err: "unclosed".to_owned(),
        };
        record_walk_error(&glob, Path::new("/a"), &mut found);
        assert_eq!(found.errors.len(), 1);
    }

    #[test]
    fn found_files_are_merged_checked_and_named_first() {
        let file = |path: &str, origin: Origin, explicit: bool| ReadFile {
            path: PathBuf::from(path),
            abs_path: PathBuf::from(path),
            origin,
            explicit,
            text: Ok(String::new()),
            playbook: false,
        };
        let merged = merge_found(vec![
            file("/a", Origin::Library, false),
            file("/b", Origin::Checked, false),
            file("/a", Origin::Checked, false),
            file("/c", Origin::Library, false),
            file("/b", Origin::Library, true),
        ]);
        let summary: Vec<(&Path, Origin, bool)> = merged
            .iter()
            .map(|f| (f.abs_path.as_path(), f.origin, f.explicit))
            .collect();
        assert_eq!(
            summary,
            [
                (Path::new("/a"), Origin::Checked, false),
                (Path::new("/b"), Origin::Checked, true),
                (Path::new("/c"), Origin::Library, false),
            ]
        );
    }

    #[test]
    fn found_files_go_to_reading_in_batches() {
        let mut batches = Vec::new();
        let mut read = |batch: Vec<Candidate>| batches.push(batch.len());
        let mut found = Found::new(&mut read);
        for i in 0..READ_BATCH * 2 + 3 {
            found.add(PathBuf::from(format!("/f{i}")), Origin::Checked, false);
        }
        found.flush();
        found.flush();
        assert_eq!(batches, [READ_BATCH, READ_BATCH, 3]);
    }
}
