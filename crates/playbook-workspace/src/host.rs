//! From a loaded [`Workspace`] to an [`AnalysisHost`]: the step libraries (and which are
//! missing), the secret catalogue, the severity overrides and the text of every readable
//! file (and which are somebody else's code). The command line and the language server
//! both start this way, so they check the same workspace the same way.

use std::path::Path;

use playbook_db::{AnalysisHost, Library};

use crate::{SourceFile, Workspace};

/// How files are named in the host.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PathStyle {
    /// By display path (relative to the current directory where possible), as the command
    /// line reports them.
    Display,
    /// By absolute path, as the language server names documents.
    Absolute,
}

/// A path as the database names files: with `/` separators.
pub fn path_key(path: &Path) -> String {
    match path.to_str() {
        Some(path) if !path.contains('\\') => path.to_owned(),
        _ => path.to_string_lossy().replace('\\', "/"),
    }
}

/// A new analysis host holding the workspace: its libraries, secret catalogue, severity
/// overrides, and a copy of every file that could be read, named in `style`.
pub fn analysis_host(workspace: &Workspace, style: PathStyle) -> AnalysisHost {
    let mut host = settings_host(workspace, style);
    host.set_file_texts(workspace.files.iter().filter_map(|file| {
        let text = file.text.as_ref().ok()?;
        Some((path_key(file_path(file, style)), text.clone()))
    }));
    mark_foreign(&mut host, &workspace.files, style);
    host
}

/// Like [`analysis_host`], but the texts of the files move into the host instead of being
/// copied: for a one-shot run (`playbook check`) that no longer needs the workspace's files,
/// which are returned without their texts (an unreadable file keeps its error).
pub fn into_analysis_host(
    workspace: Workspace,
    style: PathStyle,
) -> (AnalysisHost, Vec<SourceFile>) {
    let mut host = settings_host(&workspace, style);
    let mut files = workspace.files;
    host.set_file_texts(files.iter_mut().filter_map(|file| {
        let key = path_key(file_path(file, style));
        let text = file.text.as_mut().ok()?;
        Some((key, std::mem::take(text)))
    }));
    mark_foreign(&mut host, &files, style);
    (host, files)
}

/// Tells the host which files are somebody else's code ([`SourceFile::foreign`]).
fn mark_foreign(host: &mut AnalysisHost, files: &[SourceFile], style: PathStyle) {
    for file in files.iter().filter(|file| file.foreign) {
        host.set_foreign(&path_key(file_path(file, style)), true);
    }
}

fn file_path(file: &SourceFile, style: PathStyle) -> &Path {
    match style {
        PathStyle::Display => &file.path,
        PathStyle::Absolute => &file.abs_path,
    }
}

/// A host with the workspace's settings and no files yet.
fn settings_host(workspace: &Workspace, style: PathStyle) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_libraries(
        workspace
            .libraries
            .iter()
            .map(|library| Library {
                prefix: library.prefix.clone(),
                dir: path_key(match style {
                    PathStyle::Display => &library.dir,
                    PathStyle::Absolute => &library.abs_dir,
                }),
                missing: library.missing,
            })
            .collect(),
    );
    host.set_known_secrets(workspace.config.known_secrets.clone());
    host.set_severity(
        workspace
            .config
            .severity
            .iter()
            .map(|o| (o.code.clone(), o.level.severity()))
            .collect(),
    );
    host
}
