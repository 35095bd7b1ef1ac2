//! Where the files of a playbook repository come from: the `playbook.toml` configuration
//! ([`config`]) and the discovery and reading of the files to check ([`discover`]).
//!
//! This is I/O at the edge of the tool: the command line and the language server call it;
//! the core (parsing, checking) never reads files.
//!
//! - [`parse_config`] (pure) turns the text of a `playbook.toml` into a [`Config`] and
//!   located diagnostics (`PB901`-`PB903`, in [`codes`]).
//! - [`find_config`] finds the `playbook.toml` that applies to a path.
//! - [`load_workspace`] / [`load_workspace_in`] (and [`load_stdin_workspace_in`] for
//!   standard input) find and parse the configuration, walk the checked paths, the rest of
//!   their project (for context) and the library folders, and read and classify the files in
//!   parallel, giving a [`Workspace`]. Problems with single files are kept in the workspace
//!   ([`ReadError`]); only an unreadable configuration stops the load ([`LoadError`]).
//! - [`is_playbook_file`] (from `playbook-hir`, where the database asks it too) says whether
//!   a YAML text is a playbook file (a document with a playbook `kind`).
//! - [`ProjectScope`] says whether a file is somebody else's code (excluded, or in a
//!   library folder outside the project), for a file the language server opens later.

pub mod codes;
pub mod config;
pub mod discover;

pub use config::{
    CONFIG_FILE_NAME, Config, FormatConfig, Level, LibraryConfig, SeverityOverride, closest,
    parse_config,
};
pub use discover::{
    ConfigFile, Library, LoadError, Origin, ProjectScope, ReadError, SkippedFile, SourceFile,
    Workspace, find_config, load_stdin_workspace_in, load_workspace, load_workspace_in, read_text,
};
pub use playbook_hir::{PLAYBOOK_KINDS, is_playbook_file};

mod host;
pub use host::{PathStyle, analysis_host, into_analysis_host, path_key};
