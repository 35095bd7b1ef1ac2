//! Keeping the host in sync with the workspace on disk: loading the workspace folders, file
//! watching, and workspace folder changes.
//!
//! - At `initialized` (and on every reload) [`load_workspace`] loads the workspace folders as
//!   `playbook check` loads a folder: the `playbook.toml` that applies to the first folder
//!   (step libraries, known secrets, severities, `exclude`), every playbook, trigger and
//!   manifest under the folders, and the manifests of the library folders. Every folder is
//!   loaded whose configuration is the first folder's (the same `playbook.toml`, or none for
//!   all): a host has one configuration, so a folder with a `playbook.toml` of its own is not
//!   loaded, and the client is told so (open it in a window of its own).
//! - When the client can register file watchers dynamically
//!   (`workspace.didChangeWatchedFiles.dynamicRegistration`), the server registers watchers
//!   for `**/*.{yaml,yml}` and `**/playbook.toml` (the client matches them in every workspace
//!   folder), and, when the client supports relative patterns, for the library folders and
//!   the `playbook.toml` outside the workspace folders.
//! - On `workspace/didChangeWatchedFiles` ([`did_change_watched_files`]), a YAML file
//!   created, changed or deleted outside the editor (a `git checkout`, a manifest pulled by
//!   another tool) is read from disk into the host (deleted: removed from it), unless it is
//!   open in the editor, whose text wins. A new file is loaded as the load would have found
//!   it: a playbook file under a workspace folder and not excluded, or a manifest in a
//!   library folder. Then the diagnostics of the files that depend on the changed ones (the
//!   open documents among them) are published again, and so are those of changed files whose
//!   diagnostics the client shows. A change of the `playbook.toml` in use, or of one that
//!   would apply to a workspace folder, reloads the workspace: configuration, libraries and
//!   files.
//!
//! Not done: a file created on disk is loaded even when `.gitignore` would have hidden it
//! from the load.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use playbook_db::AnalysisHost;
use playbook_diagnostics::LineIndex;
use playbook_workspace::CONFIG_FILE_NAME;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidChangeWorkspaceFoldersParams, FileChangeType, FileSystemWatcher, GlobPattern, MessageType,
    OneOf, Registration, RelativePattern, Unregistration, Uri,
};

use crate::server::{Outcome, Publish, State, diagnostics_of, document_key};
use crate::to_proto::{self, FileText};

/// The method whose notifications the watchers ask for.
const WATCHED_FILES_METHOD: &str = "workspace/didChangeWatchedFiles";

/// A change of the file watchers registered with the client.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct WatchChange {
    /// The registration this one replaces, to unregister first.
    pub(crate) unregister: Option<String>,
    pub(crate) id: String,
    pub(crate) watchers: Vec<FileSystemWatcher>,
}

/// Loads the workspace folders (see the module documentation) into a new host, so that open
/// documents are checked against the whole workspace, as `playbook check` checks them; and
/// publishes the configuration's own problems and the diagnostics of the open documents (and
/// of the files whose diagnostics the client shows).
pub(crate) fn load_workspace(state: &mut State) -> Outcome {
    let mut outcome = Outcome::default();
    let loaded = match state.roots.first().cloned() {
        Some(first) => match load_folders(state, &first, &mut outcome) {
            Some(workspace) => Some(workspace),
            // The host stays as it was.
            None => return outcome,
        },
        None => {
            outcome.log.push((
                MessageType::INFO,
                "playbook language server ready (no workspace folder)".to_owned(),
            ));
            None
        }
    };
    state.touch();
    let mut host = match &loaded {
        Some(workspace) => {
            playbook_workspace::analysis_host(workspace, playbook_workspace::PathStyle::Absolute)
        }
        None => AnalysisHost::new(),
    };
    let scope = loaded.as_ref().map(playbook_workspace::Workspace::scope);
    // Open documents keep the client's text.
    for key in state.documents.keys() {
        if let Some(text) = state.host.file_text(key) {
            let known = host.file(key).is_some();
            host.set_file_text(key, text.to_owned());
            host.set_open(key, true);
            if !known && let Some(scope) = &scope {
                host.set_foreign(key, scope.is_foreign(Path::new(key)));
            }
        }
    }
    state.host = host;
    state.scope = scope;
    state.format = loaded
        .as_ref()
        .map(|workspace| workspace.config.format)
        .unwrap_or_default();
    state.library_dirs = loaded.as_ref().map_or_else(Vec::new, |workspace| {
        workspace
            .libraries
            .iter()
            .map(|library| library.abs_dir.clone())
            .collect()
    });
    let config_file = loaded.as_ref().and_then(|w| w.config_file.as_ref());
    let old_config = std::mem::replace(
        &mut state.config_file,
        config_file.map(|c| c.abs_path.clone()),
    );
    // A configuration no longer in use shows nothing.
    if let Some(old) = old_config
        && Some(&old) != state.config_file.as_ref()
        && let Some(uri) = Uri::from_file_path(&old)
    {
        outcome.publish.push(Publish {
            uri,
            diagnostics: Vec::new(),
            version: None,
            key: None,
        });
    }
    if let Some(config) = config_file
        && let Some(uri) = Uri::from_file_path(&config.abs_path)
    {
        let index = LineIndex::new(&config.text);
        let file = FileText {
            uri: &uri,
            text: &config.text,
            index: &index,
        };
        let diagnostics =
            to_proto::diagnostics(file, &config.diagnostics, state.encoding, |_| None);
        outcome.publish.push(Publish {
            uri,
            diagnostics,
            version: None,
            key: None,
        });
    }
    let mut keys: BTreeSet<String> = state.documents.keys().cloned().collect();
    keys.extend(state.shown.iter().cloned());
    for key in keys {
        outcome.publish.extend(diagnostics_of(state, &key));
    }
    outcome.watch = watch_change(state);
    outcome
}

/// Reads the workspace folders from disk (those whose configuration is the first folder's),
/// logging what it did; `None` when the configuration cannot be read.
fn load_folders(
    state: &State,
    first: &Path,
    outcome: &mut Outcome,
) -> Option<playbook_workspace::Workspace> {
    let config = playbook_workspace::find_config(first);
    let mut folders = vec![first.to_path_buf()];
    for root in state.roots.iter().skip(1) {
        let own = playbook_workspace::find_config(root);
        if own == config {
            folders.push(root.clone());
        } else {
            let own = own.map_or_else(|| "none".to_owned(), |p| p.display().to_string());
            outcome.log.push((
                MessageType::WARNING,
                format!(
                    "workspace folder {} is not loaded: its configuration ({own}) is not the \
                     first folder's, and one server checks with one configuration; open it in \
                     a window of its own",
                    root.display()
                ),
            ));
        }
    }
    let codes: Vec<(&str, &str)> = playbook_db::registry::all()
        .iter()
        .map(|c| (c.id, c.name))
        .collect();
    match playbook_workspace::load_workspace_in(first, &folders, &codes) {
        Ok(workspace) => {
            let folders: Vec<String> = folders.iter().map(|f| f.display().to_string()).collect();
            outcome.log.push((
                MessageType::INFO,
                format!(
                    "playbook language server ready: {} files and {} step libraries in {}",
                    workspace.files.len(),
                    workspace.libraries.len(),
                    folders.join(", ")
                ),
            ));
            Some(workspace)
        }
        Err(error) => {
            outcome.log.push((
                MessageType::ERROR,
                format!("cannot load the workspace: {error}"),
            ));
            None
        }
    }
}

/// The watchers the server wants: see the module documentation.
fn wanted_watchers(state: &State) -> Vec<FileSystemWatcher> {
    let string = |pattern: &str| FileSystemWatcher {
        glob_pattern: GlobPattern::String(pattern.to_owned()),
        kind: None,
    };
    let mut watchers = vec![string("**/*.{yaml,yml}"), string("**/playbook.toml")];
    if state.caps.relative_patterns {
        let outside = |path: &Path| !state.roots.iter().any(|root| path.starts_with(root));
        let relative = |base: &Path, pattern: &str| {
            Some(FileSystemWatcher {
                glob_pattern: GlobPattern::Relative(RelativePattern {
                    base_uri: OneOf::Right(Uri::from_file_path(base)?),
                    pattern: pattern.to_owned(),
                }),
                kind: None,
            })
        };
        for dir in state.library_dirs.iter().filter(|d| outside(d)) {
            watchers.extend(relative(dir, "**/manifest.{yaml,yml}"));
        }
        if let Some(config) = state.config_file.as_deref().filter(|c| outside(c))
            && let Some(dir) = config.parent()
        {
            watchers.extend(relative(dir, CONFIG_FILE_NAME));
        }
    }
    watchers
}

/// The registration to make so that the client watches what the server wants, if it
/// differs from the current one (and the client can register watchers).
fn watch_change(state: &mut State) -> Option<WatchChange> {
    if !state.caps.watch_files || state.roots.is_empty() {
        return None;
    }
    let watchers = wanted_watchers(state);
    if state
        .watching
        .as_ref()
        .is_some_and(|(_, current)| *current == watchers)
    {
        return None;
    }
    let unregister = state.watching.as_ref().map(|(id, _)| id.clone());
    let number = state.generation.load(std::sync::atomic::Ordering::SeqCst);
    let id = format!("playbook/watchedFiles/{number}");
    state.watching = Some((id.clone(), watchers.clone()));
    Some(WatchChange {
        unregister,
        id,
        watchers,
    })
}

/// Asks the client to watch files (after unregistering the watchers this replaces). A client
/// that refuses is logged; the server then sees changes on disk only when a document closes.
pub(crate) async fn register_watchers(client: &Client, change: WatchChange) {
    if let Some(id) = change.unregister {
        let unregistration = Unregistration {
            id,
            method: WATCHED_FILES_METHOD.to_owned(),
        };
        // Failing to unregister leaves a duplicate watcher: harmless.
        let _ = client.unregister_capability(vec![unregistration]).await;
    }
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: change.watchers,
    };
    let registration = Registration {
        id: change.id,
        method: WATCHED_FILES_METHOD.to_owned(),
        register_options: serde_json::to_value(options).ok(),
    };
    if let Err(error) = client.register_capability(vec![registration]).await {
        client
            .log_message(
                MessageType::WARNING,
                format!(
                    "the client did not register file watching ({}): files changed outside \
                     the editor are seen when their document closes",
                    error.message
                ),
            )
            .await;
    }
}

/// Whether a file is YAML by its name.
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Whether a `playbook.toml` at `path` is, or could become, the configuration in use: the
/// loaded one, or one in a workspace folder or a folder above one.
fn affects_config(state: &State, path: &Path) -> bool {
    state.config_file.as_deref() == Some(path)
        || path
            .parent()
            .is_some_and(|dir| state.roots.iter().any(|root| root.starts_with(dir)))
}

/// Whether a file that the host does not have, found on disk at `path` with `text`, is one
/// the load would have found: a playbook file under a workspace folder and not excluded, or
/// a manifest in a library folder.
fn would_load(state: &State, path: &Path, text: &str) -> bool {
    let in_library = state.library_dirs.iter().any(|dir| path.starts_with(dir));
    let is_manifest = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "manifest.yaml" || n == "manifest.yml");
    let in_root = state.roots.iter().any(|root| path.starts_with(root));
    let excluded = state
        .scope
        .as_ref()
        .is_some_and(|scope| scope.is_excluded(path));
    ((in_root && !excluded) || (in_library && is_manifest))
        && playbook_workspace::is_playbook_file(text)
}

/// Applies files changed on disk: see the module documentation.
pub(crate) fn did_change_watched_files(
    state: &mut State,
    params: DidChangeWatchedFilesParams,
) -> Outcome {
    // The last event of each file wins (created then changed, changed then deleted).
    let mut latest: BTreeMap<String, (PathBuf, FileChangeType)> = BTreeMap::new();
    let mut reload = false;
    for event in params.changes {
        let Some(path) = event.uri.to_file_path().map(|p| p.into_owned()) else {
            continue;
        };
        if path.file_name().and_then(|n| n.to_str()) == Some(CONFIG_FILE_NAME) {
            reload |= affects_config(state, &path);
            continue;
        }
        let key = document_key(&event.uri);
        if !is_yaml(&path) || state.documents.contains_key(&key) {
            continue;
        }
        latest.insert(key, (path, event.typ));
    }
    if reload {
        // Every file is read again, with the new configuration.
        return load_workspace(state);
    }
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut added: Vec<(String, PathBuf)> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    for (key, (path, kind)) in latest {
        let known = state.host.file(&key).is_some();
        let text = if kind == FileChangeType::DELETED {
            None
        } else {
            playbook_workspace::read_text(&path).ok()
        };
        match (text, known) {
            (None, true) => removed.push(key),
            (None, false) => {}
            // A file the host has: its new text, if it changed.
            (Some(text), true) => {
                if state.host.file_text(&key) != Some(text.as_str()) {
                    texts.push((key, text));
                }
            }
            // A new file, if the load would have found it.
            (Some(text), false) => {
                if would_load(state, &path, &text) {
                    added.push((key.clone(), path));
                    texts.push((key, text));
                }
            }
        }
    }
    if texts.is_empty() && removed.is_empty() {
        return Outcome::default();
    }
    state.touch();
    let changed: Vec<String> = texts
        .iter()
        .map(|(key, _)| key.clone())
        .chain(removed.iter().cloned())
        .collect();
    let mut affected: BTreeSet<String> = BTreeSet::new();
    for key in &changed {
        affected.extend(state.host.dependents(key));
    }
    state.host.set_file_texts(texts);
    if let Some(scope) = &state.scope {
        for (key, path) in &added {
            state.host.set_foreign(key, scope.is_foreign(path));
        }
    }
    for key in &removed {
        state.host.remove_file(key);
    }
    for key in &changed {
        affected.extend(state.host.dependents(key));
        if state.shown.contains(key) {
            affected.insert(key.clone());
        }
    }
    let mut outcome = Outcome::default();
    for key in &affected {
        outcome.publish.extend(diagnostics_of(state, key));
    }
    outcome
}

/// Workspace folders added or removed: the workspace is loaded again with the new folders.
pub(crate) fn did_change_workspace_folders(
    state: &mut State,
    params: DidChangeWorkspaceFoldersParams,
) -> Outcome {
    let path_of = |uri: &Uri| uri.to_file_path().map(|p| p.into_owned());
    let removed: Vec<PathBuf> = params
        .event
        .removed
        .iter()
        .filter_map(|f| path_of(&f.uri))
        .collect();
    state.roots.retain(|root| !removed.contains(root));
    for folder in &params.event.added {
        if let Some(path) = path_of(&folder.uri)
            && !state.roots.contains(&path)
        {
            state.roots.push(path);
        }
    }
    load_workspace(state)
}
