//! Where the files of a playbook repository come from: the `playbook.toml` configuration
//! ([`config`]) and the discovery and reading of the files to check ([`discover`]).
//!
//! This is I/O at the edge of the tool: the command line and the language server call it;
//! the core (parsing, checking) never reads files.
//!
//! - [`parse_config`] (pure) turns the text of a `playbook.toml` into a [`Config`] and
//!   located diagnostics (`PB901`-`PB903`, in [`codes`]).
//! - [`find_config`] finds the `playbook.toml` that applies to a path.
//! - [`load_workspace`] / [`load_workspace_in`] find and parse the configuration, walk the
//!   checked paths and the library folders, and read and classify the files in parallel,
//!   giving a [`Workspace`]. Problems with single files are kept in the workspace
//!   ([`ReadError`]); only an unreadable configuration stops the load ([`LoadError`]).
//! - [`is_playbook_file`] says whether a YAML text is a playbook file (a document with a
//!   playbook `kind`), which the language server can ask of an opened file.

pub mod codes;
pub mod config;
pub mod discover;

pub use config::{
    CONFIG_FILE_NAME, Config, Level, LibraryConfig, SeverityOverride, closest, parse_config,
};
pub use discover::{
    ConfigFile, Library, LoadError, Origin, PLAYBOOK_KINDS, ReadError, SkippedFile, SourceFile,
    Workspace, find_config, is_playbook_file, load_workspace, load_workspace_in, read_text,
};

mod host;
pub use host::{PathStyle, analysis_host, into_analysis_host, path_key};
