//! The cross-file checks, one module per check (its code, its documentation and its logic
//! side by side), and what they are given.

use playbook_diagnostics::Code;
use playbook_hir::ir::{StepCall, StepManifest};

use crate::db::{File, Image};

pub mod unknown_image;

/// Every code the checks of this crate report.
pub const ALL: &[&Code] = &[&unknown_image::UNKNOWN_IMAGE];

/// A step call with what its image resolved to.
pub struct StepCallContext<'a, 'db> {
    /// The call, as lowered.
    pub call: &'a StepCall,
    /// The called image, without tag or digest.
    pub image: Image<'db>,
    /// The file of the image's manifest, if one was found.
    pub manifest: Option<File>,
    /// The step manifest itself: the interface the inputs and outputs of the call are
    /// checked against.
    pub interface: Option<&'a StepManifest>,
}
