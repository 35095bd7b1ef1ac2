//! Where the files of a playbook repository come from: the `playbook.toml` configuration
//! ([`config`]) and the discovery and reading of the files to check ([`discover`]).
//!
//! This is I/O at the edge of the tool: the command line and the language server call it;
//! the core (parsing, checking) never reads files. [`parse_config`] is pure; [`find_config`]
//! and [`load_workspace`] read the file system.

pub mod codes;
pub mod config;
pub mod discover;

pub use config::{Config, Level, LibraryConfig, SeverityOverride, closest, parse_config};
pub use discover::{
    ConfigFile, Library, LoadError, Origin, ReadError, SkippedFile, SourceFile, Workspace,
    find_config, is_playbook_file, load_workspace, load_workspace_in, read_text,
};
