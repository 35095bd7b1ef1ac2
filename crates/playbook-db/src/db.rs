//! The salsa database and its inputs: one [`File`] per file of the workspace (its path and
//! text, and whether it is somebody else's code) and the [`Workspace`] singleton (the set
//! of files, the step libraries and which of them are missing, the known secrets).
//! Everything else is derived from these by the tracked queries in [`crate::queries`] and
//! [`crate::images`].

use std::collections::BTreeMap;

use playbook_diagnostics::Severity;

/// The database every query runs against. It is `Send`, so an
/// [`AnalysisHost`](crate::AnalysisHost) can live in a `Mutex`.
#[salsa::db]
#[derive(Clone)]
pub struct RootDatabase {
    storage: salsa::Storage<Self>,
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

/// The callback salsa calls on every event (query execution, memo validation, ...).
pub type EventCallback = Box<dyn Fn(salsa::Event) + Send + Sync + 'static>;

impl RootDatabase {
    /// An empty database with its [`Workspace`] created. `on_event`, when given, is called on
    /// every salsa event: tests use it to log which queries execute.
    pub fn new(on_event: Option<EventCallback>) -> RootDatabase {
        let db = RootDatabase {
            storage: salsa::Storage::new(on_event),
        };
        Workspace::new(&db, BTreeMap::new(), Vec::new(), None, Vec::new());
        db
    }
}

/// One file of the workspace. The path never changes; the text is set by
/// [`AnalysisHost::set_file_text`](crate::AnalysisHost::set_file_text).
#[salsa::input(debug)]
pub struct File {
    /// The path chosen by the caller, with `/` separators.
    #[returns(ref)]
    pub path: String,
    /// The full text of the file.
    #[returns(ref)]
    pub text: String,
    /// Whether the file is somebody else's code: loaded only from a library folder, or
    /// excluded by the configuration. Its step manifests do not report their defects
    /// (`PB520`); set by [`AnalysisHost::set_foreign`](crate::AnalysisHost::set_foreign).
    #[default]
    pub foreign: bool,
    /// Whether an editor has the file open: its syntax tree is then kept (the [`parse`]
    /// query), shared by the check's fixes and the editor features, rather than parsed
    /// again by each after every keystroke. Set by
    /// [`AnalysisHost::set_open`](crate::AnalysisHost::set_open).
    ///
    /// [`parse`]: crate::queries::parse
    #[default]
    pub open: bool,
}

/// The workspace: which files exist and how images map to step manifests. There is one per
/// database (a singleton input).
#[salsa::input(singleton, debug)]
pub struct Workspace {
    /// The files of the workspace, by path. Setting a file's text does not change this
    /// field: only adding or removing a file does.
    #[returns(ref)]
    pub files: BTreeMap<String, File>,
    /// The step libraries, in the order they were configured.
    #[returns(ref)]
    pub libraries: Vec<Library>,
    /// The names of the secrets known to exist, when the configuration lists them.
    #[returns(ref)]
    pub known_secrets: Option<Vec<String>>,
    /// Severity overrides from the configuration: a code's id and its new severity, `None`
    /// to turn the check off.
    #[returns(ref)]
    pub severity: Vec<(String, Option<Severity>)>,
}

/// A step library: the manifest at `<dir>/<rest>/manifest.yaml` is the interface of image
/// `<prefix><rest>`.
///
/// `dir` is a path in the same namespace as file paths (`playbooks/steps`); `prefix` is an
/// image prefix (`registry.example.com/playbook-steps/`), to which a `/` is added when it does
/// not end with one.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Library {
    /// The image prefix, such as `us-docker.pkg.dev/stackpulse/public/`.
    pub prefix: String,
    /// The folder holding the library's manifests, such as `steps`.
    pub dir: String,
    /// The folder does not exist (false by default): the configuration reports it once, and
    /// the calls of images under the prefix are not each reported unknown (PB501).
    pub missing: bool,
}

/// An image name without tag or digest, interned so that queries can be keyed by it.
#[salsa::interned(debug)]
pub struct Image<'db> {
    /// The image, as returned by [`crate::images::lookup_name`].
    #[returns(ref)]
    pub name: String,
}
