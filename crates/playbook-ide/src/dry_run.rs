//! A playbook run offline ([`playbook_eval::run`]) against the workspace: each step's
//! interface is the manifest the checker chooses for the call, so the examples its outputs
//! come from are those of the manifest the check judged the call against.

use playbook_db::File;
use playbook_db::queries::{WorkspaceView, lower};
use playbook_eval::run::{Inputs, Run, run_playbook};
use playbook_hir::ir::{Playbook, StepCall};

/// The playbooks of `file`, in order: what [`dry_run`] takes an index into.
pub fn playbooks(db: &dyn salsa::Database, file: File) -> Vec<&Playbook> {
    lower(db, file).file.playbooks().collect()
}

/// Runs the `index`th playbook of `file` with `inputs`; `None` when there is no such
/// playbook.
pub fn dry_run(db: &dyn salsa::Database, file: File, index: usize, inputs: &Inputs) -> Option<Run> {
    let playbook = lower(db, file).file.playbooks().nth(index)?;
    let view = WorkspaceView::for_file(db, file);
    let manifests = |call: &StepCall| {
        let candidates = playbook_check::Workspace::manifests(&view, &call.image.value);
        playbook_check::interface::select(&candidates, call)
    };
    Some(run_playbook(playbook, &manifests, inputs))
}
