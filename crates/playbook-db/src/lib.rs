//! The database of a playbook workspace: the texts of its files go in, diagnostics come out.
//! The command line (`playbook check`) and the language server (`playbook lsp`) both drive
//! an [`AnalysisHost`], so they run exactly the same checks.
//!
//! Files are named by a path string chosen by the caller (a relative path for the CLI, the
//! document URI's path for the server), with `/` separators. All positions are byte offsets.
//!
//! Inside is a salsa database ([`RootDatabase`]): its inputs are the files and the
//! [`Workspace`] (the set of files, the step [`Library`]s, the known secrets); everything
//! else is a tracked query ([`queries`], [`images`]), recomputed only when what it read has
//! changed. Editing one playbook re-checks that playbook alone; editing a step manifest
//! re-checks the playbooks that call it.
//!
//! ```
//! use playbook_db::{AnalysisHost, Library};
//!
//! let mut host = AnalysisHost::new();
//! host.set_libraries(vec![Library {
//!     prefix: "registry.example.com/playbook-steps/".into(),
//!     dir: "steps".into(),
//!     missing: false,
//! }]);
//! host.set_file_text(
//!     "steps/redis/info/manifest.yaml",
//!     "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: redis_info\n".into(),
//! );
//! host.set_file_text(
//!     "redis.yaml",
//!     "apiVersion: stackpulse.io/v1
//! kind: Playbook
//! metadata:
//!   name: redis-diagnostics
//! steps:
//!   - name: registry.example.com/playbook-steps/redis/infos:1.2
//! "
//!     .into(),
//! );
//! let diagnostics = host.diagnostics("redis.yaml");
//! assert_eq!(diagnostics[0].code.id, "PB501");
//! assert_eq!(
//!     diagnostics[0].label.as_deref(),
//!     Some("did you mean `registry.example.com/playbook-steps/redis/info`?")
//! );
//!
//! // Fix the call: the manifest now has a dependent, and the playbook is clean.
//! host.set_file_text(
//!     "redis.yaml",
//!     host.file_text("redis.yaml").unwrap().replace("infos", "info"),
//! );
//! assert!(host.diagnostics("redis.yaml").is_empty());
//! assert_eq!(host.dependents("steps/redis/info/manifest.yaml"), ["redis.yaml"]);
//! ```

mod db;
pub mod images;
pub mod queries;
pub mod registry;

use std::collections::BTreeMap;

use playbook_diagnostics::{Diagnostic, Severity};
use playbook_hir::Lowered;
use playbook_syntax::Parse;
use salsa::plumbing::{AsId as _, FromId as _};
use salsa::{Durability, Setter as _};

pub use db::{EventCallback, File, Image, Library, RootDatabase, Workspace};

/// The state of a workspace and the entry point of every query.
pub struct AnalysisHost {
    db: RootDatabase,
    /// Every file input ever created, by path. A removed file keeps its input (salsa inputs
    /// cannot be deleted), which is reused if the file comes back.
    inputs: BTreeMap<String, File>,
}

impl Default for AnalysisHost {
    fn default() -> AnalysisHost {
        AnalysisHost::new()
    }
}

impl AnalysisHost {
    /// An empty workspace: no files, no libraries, no known secrets.
    pub fn new() -> AnalysisHost {
        AnalysisHost {
            db: RootDatabase::new(None),
            inputs: BTreeMap::new(),
        }
    }

    /// An empty workspace whose database calls `on_event` on every salsa event. Tests use
    /// it to record which queries execute (`salsa::EventKind::WillExecute`); name the
    /// recorded keys with [`AnalysisHost::describe_query`].
    pub fn with_event_callback(on_event: EventCallback) -> AnalysisHost {
        AnalysisHost {
            db: RootDatabase::new(Some(on_event)),
            inputs: BTreeMap::new(),
        }
    }

    /// The database, for queries this API does not wrap.
    pub fn db(&self) -> &RootDatabase {
        &self.db
    }

    /// The input of a file of the workspace.
    pub fn file(&self, path: &str) -> Option<File> {
        self.workspace().files(&self.db).get(path).copied()
    }

    fn workspace(&self) -> Workspace {
        Workspace::get(&self.db)
    }

    /// Adds a file or replaces its text. Setting the text a file already has changes
    /// nothing, so no query is invalidated.
    ///
    /// The text of a file an editor has open ([`AnalysisHost::set_open`]) may change again
    /// at any moment; that of any other file, rarely (see [`AnalysisHost::set_file_texts`]).
    pub fn set_file_text(&mut self, path: &str, text: String) {
        let open = self.file(path).is_some_and(|file| *file.open(&self.db));
        let durability = if open {
            Durability::LOW
        } else {
            Durability::MEDIUM
        };
        self.set_texts([(path.to_owned(), text)], durability);
    }

    /// Adds many files or replaces their texts, as [`AnalysisHost::set_file_text`] does for
    /// one, changing the set of files once (loading a workspace of thousands of files).
    ///
    /// Files set this way are taken to change rarely (files read from disk, as opposed to
    /// the document being typed in an editor): salsa then knows that an edit of an open
    /// document cannot have changed what was derived from them alone, and the indexes over
    /// the whole workspace (of manifests, of playbook names, of who calls what), which read
    /// the files no editor has open through queries of their own ([`queries::open_files`]),
    /// are re-validated after each keystroke without walking every file's queries.
    pub fn set_file_texts(&mut self, files: impl IntoIterator<Item = (String, String)>) {
        self.set_texts(files, Durability::MEDIUM);
    }

    fn set_texts(
        &mut self,
        files: impl IntoIterator<Item = (String, String)>,
        durability: Durability,
    ) {
        let mut added: Vec<(String, File)> = Vec::new();
        for (path, text) in files {
            match self.inputs.get(&path) {
                Some(file) => {
                    let file = *file;
                    if file.text(&self.db) != &text {
                        file.set_text(&mut self.db)
                            .with_durability(durability)
                            .to(text);
                    }
                    added.push((path, file));
                }
                None => {
                    let file = File::builder(path.clone(), text)
                        .durability(durability)
                        .new(&self.db);
                    self.inputs.insert(path.clone(), file);
                    added.push((path, file));
                }
            }
        }
        let known = self.workspace().files(&self.db);
        if added
            .iter()
            .all(|(path, file)| known.get(path) == Some(file))
        {
            return;
        }
        self.update_files(|files| {
            if files.is_empty() {
                // Loading a workspace: collecting sorts the list (already sorted when the
                // files come from a walk) and builds the map in one pass, where inserting
                // searches the tree for each of thousands of paths. A repeated path keeps
                // its last file, as inserting would.
                *files = added.into_iter().collect();
            } else {
                files.extend(added);
            }
        });
    }

    /// Forgets a file.
    pub fn remove_file(&mut self, path: &str) {
        if self.file(path).is_some() {
            self.update_files(|files| {
                files.remove(path);
            });
        }
    }

    /// Changes the set of files without copying it.
    fn update_files(&mut self, change: impl FnOnce(&mut BTreeMap<String, File>)) {
        let workspace = self.workspace();
        // The set of files changes rarely (a file created or deleted), not as a document is
        // typed: see `set_file_texts`.
        let mut files = workspace
            .set_files(&mut self.db)
            .with_durability(Durability::MEDIUM)
            .to(BTreeMap::new());
        change(&mut files);
        workspace
            .set_files(&mut self.db)
            .with_durability(Durability::MEDIUM)
            .to(files);
    }

    /// Sets the step libraries, which map image names to manifest files.
    pub fn set_libraries(&mut self, libraries: Vec<Library>) {
        let workspace = self.workspace();
        if workspace.libraries(&self.db) != &libraries {
            workspace
                .set_libraries(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(libraries);
        }
    }

    /// Says whether a file is somebody else's code (loaded only from a library folder, or
    /// excluded by the configuration): its step manifests then report no defects (`PB520`).
    /// A file not yet added is left alone.
    pub fn set_foreign(&mut self, path: &str, foreign: bool) {
        if let Some(file) = self.inputs.get(path).copied()
            && *file.foreign(&self.db) != foreign
        {
            file.set_foreign(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(foreign);
        }
    }

    /// Says whether an editor has a file open: an open file's syntax tree is kept between
    /// requests (see [`File::open`]), and its text may change at any moment (see
    /// [`AnalysisHost::set_file_text`]). A file not yet added is left alone.
    pub fn set_open(&mut self, path: &str, open: bool) {
        let Some(file) = self.inputs.get(path).copied() else {
            return;
        };
        if *file.open(&self.db) == open {
            return;
        }
        // Opening or closing a document is rare: what is derived from which files are open
        // is kept across keystrokes.
        file.set_open(&mut self.db)
            .with_durability(Durability::MEDIUM)
            .to(open);
        if !open {
            // The text typed while it was open now changes rarely again.
            let text = file.text(&self.db).clone();
            file.set_text(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(text);
        }
    }

    /// The step libraries.
    pub fn libraries(&self) -> &[Library] {
        self.workspace().libraries(&self.db)
    }

    /// Sets the names of the secrets known to exist (`None`: not known). Stored for the
    /// secret checks.
    pub fn set_known_secrets(&mut self, secrets: Option<Vec<String>>) {
        let workspace = self.workspace();
        if workspace.known_secrets(&self.db) != &secrets {
            workspace
                .set_known_secrets(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(secrets);
        }
    }

    /// Sets the severity overrides of the configuration (`[severity]` in `playbook.toml`):
    /// a code's id and its severity, `None` to turn the check off.
    pub fn set_severity(&mut self, overrides: Vec<(String, Option<Severity>)>) {
        let workspace = self.workspace();
        if workspace.severity(&self.db) != &overrides {
            workspace
                .set_severity(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(overrides);
        }
    }

    /// The names of the secrets known to exist, if configured.
    pub fn known_secrets(&self) -> Option<&[String]> {
        self.workspace().known_secrets(&self.db).as_deref()
    }

    /// The current text of a file.
    pub fn file_text(&self, path: &str) -> Option<&str> {
        Some(self.file(path)?.text(&self.db).as_str())
    }

    /// Every known file, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.workspace().files(&self.db).keys().map(String::as_str)
    }

    /// The diagnostics of one file, sorted by position, then code. Empty for an unknown
    /// file.
    pub fn diagnostics(&self, path: &str) -> Vec<Diagnostic> {
        match self.file(path) {
            Some(file) => queries::check_file(&self.db, file).clone(),
            None => Vec::new(),
        }
    }

    /// The diagnostics of many files, computed on every core: each thread checks its share
    /// of the files on its own handle to the same database (salsa shares the memos, and
    /// blocks a thread that needs a query another thread is computing). The result is in
    /// the order of `paths`, and the same as calling [`AnalysisHost::diagnostics`] on each.
    pub fn diagnostics_of_all(&self, paths: &[String]) -> Vec<Vec<Diagnostic>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(paths.len().max(1));
        if threads <= 1 {
            return paths.iter().map(|p| self.diagnostics(p)).collect();
        }
        // First every file of the workspace is parsed and lowered, in parallel (the trees are
        // dropped as soon as each file is lowered), and the cross-file indexes (images,
        // playbook names) are built: they read every file, and would otherwise be built by
        // the first check alone while the other threads wait for it.
        // What the indexes read of each file (its image declarations, its playbook names and
        // calls) is computed here too, so that building them is a quick merge.
        let every_file: Vec<File> = self.inputs.values().copied().collect();
        self.in_parallel(threads, &every_file, |db, file| {
            queries::lower(db, *file);
            images::manifest_decls(db, *file);
            queries::file_refs(db, *file);
        });
        // The two indexes each read every file: built side by side.
        let workspace = self.workspace();
        std::thread::scope(|scope| {
            let db = self.db.clone();
            let images = scope.spawn(move || {
                images::manifest_index(&db, workspace);
            });
            queries::playbook_index(&self.db);
            if let Err(panic) = images.join() {
                std::panic::resume_unwind(panic);
            }
        });
        let files: Vec<Option<File>> = paths.iter().map(|p| self.file(p)).collect();
        self.in_parallel(threads, &files, |db, file| match file {
            Some(file) => queries::check_file(db, *file).clone(),
            None => Vec::new(),
        })
    }

    /// `work` applied to every item on `threads` threads, each with its own handle to the
    /// database, in the order of `items`. Threads take the items in small batches from a
    /// shared cursor, so that one slowed down (by large files, or by the machine) does not
    /// leave the others idle at the end. A panic in `work` surfaces here, as it would
    /// without threads.
    fn in_parallel<T: Sync, R: Send>(
        &self,
        threads: usize,
        items: &[T],
        work: impl Fn(&RootDatabase, &T) -> R + Sync,
    ) -> Vec<R> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        const BATCH: usize = 16;
        let cursor = AtomicUsize::new(0);
        let done: Vec<Vec<(usize, Vec<R>)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let db = self.db.clone();
                    let (cursor, work) = (&cursor, &work);
                    scope.spawn(move || {
                        let mut done = Vec::new();
                        loop {
                            let start = cursor.fetch_add(BATCH, Ordering::Relaxed);
                            let end = items.len().min(start.saturating_add(BATCH));
                            match items.get(start..end) {
                                Some(batch) if !batch.is_empty() => done.push((
                                    start,
                                    batch.iter().map(|item| work(&db, item)).collect(),
                                )),
                                _ => break done,
                            }
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| match handle.join() {
                    Ok(done) => done,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        });
        let mut batches: Vec<(usize, Vec<R>)> = done.into_iter().flatten().collect();
        batches.sort_unstable_by_key(|(start, _)| *start);
        batches
            .into_iter()
            .flat_map(|(_, results)| results)
            .collect()
    }

    /// The syntax tree of a file, with its syntax errors.
    pub fn parse(&self, path: &str) -> Option<&Parse> {
        Some(queries::parse(&self.db, self.file(path)?))
    }

    /// The typed IR of a file, with the problems found while lowering it.
    pub fn lowered(&self, path: &str) -> Option<&Lowered> {
        Some(queries::lower(&self.db, self.file(path)?))
    }

    /// The paths of the manifest files that may describe a step image (a tag or digest is
    /// ignored), sorted: none for an unknown image, one as a rule, and every manifest that
    /// claims the image as its `metadata.imageName` when several do (a call's leading `args`
    /// then choose among them: [`playbook_check::interface::select`]).
    pub fn resolve_image(&self, image: &str) -> Vec<&str> {
        let Some(name) = images::lookup_name(image) else {
            return Vec::new();
        };
        images::resolve_image(&self.db, Image::new(&self.db, name))
            .iter()
            .map(|file| file.path(&self.db).as_str())
            .collect()
    }

    /// The files whose diagnostics depend on `path` (itself excluded), sorted: the playbooks
    /// with a step call whose image `path` describes (alone, or as one of the manifests
    /// claiming the image, since editing any of them may change which one a call uses), and
    /// the triggers bound to a playbook of `path`.
    ///
    /// The answer is for the current state: after a change, the union of the answers before
    /// and after it covers every file whose diagnostics may have changed.
    pub fn dependents(&self, path: &str) -> Vec<String> {
        match self.file(path) {
            Some(file) => queries::dependents(&self.db, file).clone(),
            None => Vec::new(),
        }
    }

    /// Names a query execution recorded from this host's events: the query's name and what
    /// it ran for (a file path, `workspace`, or an image name).
    pub fn describe_query(&self, key: salsa::DatabaseKeyIndex) -> (String, String) {
        use salsa::Database as _;
        let query = self
            .db
            .ingredient_debug_name(key.ingredient_index())
            .into_owned();
        let id = key.key_index();
        let subject = if let Some((path, _)) = self.inputs.iter().find(|(_, f)| f.as_id() == id) {
            path.clone()
        } else if self.workspace().as_id() == id
            || matches!(
                query.as_str(),
                "playbook_index" | "open_files" | "settled_refs" | "settled_callers"
            )
        {
            "workspace".to_owned()
        } else if query == "resolve_image" {
            Image::from_id(id).name(&self.db).clone()
        } else {
            format!("{id:?}")
        };
        (query, subject)
    }
}
