//! A playbook run offline ([`playbook_eval::run`]) against the workspace: each step's
//! interface is the manifest the checker chooses for the call, so the examples its outputs
//! come from are those of the manifest the check judged the call against.
//!
//! The run takes from the database what it already holds: the templates the file's parse
//! parsed ([`playbook_db::queries::FileTemplates`]), and what each image's calls get, the
//! outputs of its manifests' examples converted once per revision of the manifests' files
//! (`image_outputs`, [`manifest_examples`]) rather than at every run; and it says when the
//! library of steps has not changed since the last run (`library_generation`), so that a
//! run in pieces ([`run_again`]) takes a piece over without asking what its calls get.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use playbook_check::Workspace as _;
use playbook_db::images::{lookup_name, manifest_index};
use playbook_db::queries::{WorkspaceView, image_interfaces, lower};
use playbook_db::{File, Image};
use playbook_eval::Value;
use playbook_eval::run::{Inputs, Library, Pieces, Run, example_result, run_pieces, run_with};
use playbook_hir::ir::{Playbook, StepCall, StepManifest, Text};
use playbook_template::Template;

/// The playbooks of `file`, in order: what [`dry_run`] takes an index into.
pub fn playbooks(db: &dyn salsa::Database, file: File) -> Vec<&Playbook> {
    lower(db, file).file.playbooks().collect()
}

/// Runs the `index`th playbook of `file` with `inputs`; `None` when there is no such
/// playbook.
pub fn dry_run(db: &dyn salsa::Database, file: File, index: usize, inputs: &Inputs) -> Option<Run> {
    let playbook = lower(db, file).file.playbooks().nth(index)?;
    let library = DbLibrary::new(db, file);
    Some(run_with(playbook, &library, inputs))
}

/// [`dry_run`] in pieces ([`playbook_eval::run::run_pieces`]), taking over from `previous`
/// (the last run of the playbook) what an edit since left unchanged.
pub fn run_again(
    db: &dyn salsa::Database,
    file: File,
    index: usize,
    inputs: &Inputs,
    previous: Option<&Pieces>,
) -> Option<Pieces> {
    let playbook = lower(db, file).file.playbooks().nth(index)?;
    let library = DbLibrary::new(db, file);
    Some(run_pieces(playbook, &library, inputs, previous))
}

/// The workspace as a run sees it.
struct DbLibrary<'db> {
    db: &'db dyn salsa::Database,
    view: WorkspaceView<'db, 'db>,
    /// What a call of each image gets, when one manifest may describe it (the call does not
    /// choose), by the image as written: a playbook calls the same images again and again.
    outputs: RefCell<foldhash::HashMap<String, Value>>,
}

impl<'db> DbLibrary<'db> {
    fn new(db: &'db dyn salsa::Database, file: File) -> DbLibrary<'db> {
        DbLibrary {
            db,
            view: WorkspaceView::for_file(db, file),
            outputs: RefCell::default(),
        }
    }
}

impl Library for DbLibrary<'_> {
    fn outputs(&self, call: &StepCall) -> Value {
        let written = call.image.value.as_str();
        if let Some(outputs) = self.outputs.borrow().get(written) {
            return outputs.clone();
        }
        let Some(name) = lookup_name(written) else {
            return Value::Missing;
        };
        let image = Image::new(self.db, name);
        let outputs = image_outputs(self.db, image);
        if let [only] = outputs.as_slice() {
            self.outputs
                .borrow_mut()
                .insert(written.to_owned(), only.clone());
            return only.clone();
        }
        // Several manifests claim the image: the call's args choose, as for the check.
        let candidates = image_interfaces(self.db, image);
        let manifests: Vec<&StepManifest> = candidates.iter().map(|(_, m)| *m).collect();
        playbook_check::interface::select(&manifests, call)
            .and_then(|chosen| manifests.iter().position(|m| std::ptr::eq(*m, chosen)))
            .and_then(|i| outputs.get(i).cloned())
            .unwrap_or(Value::Missing)
    }

    fn template(&self, text: &Text) -> Option<&Template> {
        self.view.template(text)
    }

    fn generation(&self) -> Option<u64> {
        Some(*library_generation(
            self.db,
            playbook_db::Workspace::get(self.db),
        ))
    }
}

/// A new number each time anything [`DbLibrary::outputs`] reads may have changed: which
/// manifest files describe which images ([`manifest_index`]), and every manifest file
/// (through [`manifest_examples`], which reads it whole). Salsa runs this again only then, so
/// a run of an edited playbook knows the library is the one of its last run by one memo.
#[salsa::tracked(returns(ref))]
fn library_generation(db: &dyn salsa::Database, workspace: playbook_db::Workspace) -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    for file in manifest_index(db, workspace).files() {
        manifest_examples(db, file);
    }
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What a step gets when it runs, for each manifest that may describe `image` (in the
/// order of [`image_interfaces`]): [`example_result`] of it. Memoized until one of their
/// files changes, so that the runs of an edited playbook do not look its images up again.
#[salsa::tracked(returns(ref), no_eq)]
fn image_outputs<'db>(db: &'db dyn salsa::Database, image: Image<'db>) -> Vec<Value> {
    image_interfaces(db, image)
        .into_iter()
        .map(|(file, manifest)| {
            lower(db, file)
                .file
                .manifests()
                .position(|m| std::ptr::eq(m, manifest))
                .and_then(|i| manifest_examples(db, file).get(i).cloned())
                .unwrap_or_else(|| example_result(manifest))
        })
        .collect()
}

/// What each manifest of `file` gives a step that runs offline ([`example_result`]), in the
/// order of the file's manifests: converted from the examples' JSON once per revision of the
/// file, where every run of every playbook that calls the step would convert it again.
#[salsa::tracked(returns(ref), no_eq)]
pub fn manifest_examples(db: &dyn salsa::Database, file: File) -> Vec<Value> {
    lower(db, file)
        .file
        .manifests()
        .map(example_result)
        .collect()
}
