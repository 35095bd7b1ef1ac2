//! The language server: protocol handlers that keep an [`AnalysisHost`] in sync with the
//! client's open documents and publish diagnostics after every change.
//!
//! Each handler does its work in a plain function over [`State`] (no protocol I/O, so it can
//! be tested directly) and then sends what that function returned. The work runs inside
//! [`guard`], which turns a panic in a check into an error logged to the client
//! (`window/logMessage`), so that the server goes on.
//!
//! # Ordering
//!
//! Edits must be applied, and their diagnostics published, in the order the client sent them.
//! tower-lsp-server 0.23 reads messages one at a time (`Server::serve` in its
//! `src/transport.rs`), creates each handler's future in arrival order and runs them through
//! `buffer_unordered(4)`: up to four handler futures run concurrently, and although they are
//! first polled in arrival order (the FIFO ready queue of `FuturesUnordered`), a handler that
//! awaits can be overtaken by the next one. So arrival order alone is not enough. Every
//! handler here therefore takes the state lock as the very first thing it does, in its first
//! poll, and holds it until its diagnostics are sent; tokio's `Mutex` is fair (waiters are
//! served first-come, first-served), so handlers run, and publish, strictly in arrival order.
//! The test `rapid_edits_keep_their_order` in `tests/stdio.rs` checks this with 500 edits
//! sent without waiting.

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use playbook_db::AnalysisHost;
use playbook_diagnostics::LineIndex;
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    self as proto, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, InitializeParams, InitializeResult,
    InitializedParams, LSPAny, LSPObject, MessageType, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentIdentifier, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use tower_lsp_server::{Client, LanguageServer};

use crate::position::{self, Encoding};
use crate::to_proto::{self, FileText};

/// The custom request that returns the server's copy of a document's text (params `{uri}`,
/// result `{text}`), used by tests to check that incremental edits were applied exactly.
pub const DEBUG_TEXT_METHOD: &str = "playbook/debugText";

/// The language server's backend, given to tower-lsp-server.
pub(crate) struct Backend {
    client: Client,
    state: Mutex<State>,
    shut_down: Arc<AtomicBool>,
}

/// Everything the server knows: the analysis host and the open documents.
#[derive(Default)]
pub(crate) struct State {
    host: AnalysisHost,
    /// The workspace folder given at `initialize`, loaded at `initialized`.
    root: Option<PathBuf>,
    /// What of the loaded project says whether a file opened later is somebody else's code
    /// (excluded, or in a library folder outside the project).
    scope: Option<playbook_workspace::ProjectScope>,
    /// The open documents, by key (see [`document_key`]).
    documents: HashMap<String, Document>,
    encoding: Encoding,
}

/// What the server keeps about an open document besides its text (which is in the host).
struct Document {
    uri: Uri,
    version: i32,
}

/// One `textDocument/publishDiagnostics` to send.
pub(crate) struct Publish {
    uri: Uri,
    diagnostics: Vec<proto::Diagnostic>,
    version: Option<i32>,
}

/// What a handler asks to be sent once its work is done.
#[derive(Default)]
pub(crate) struct Outcome {
    publish: Vec<Publish>,
    log: Vec<(MessageType, String)>,
}

impl Backend {
    pub(crate) fn new(client: Client, shut_down: Arc<AtomicBool>) -> Backend {
        Backend {
            client,
            state: Mutex::new(State::default()),
            shut_down,
        }
    }

    /// Runs `work` on the state (see the module documentation for the ordering) and sends
    /// what it asks for, or logs the panic it raised.
    async fn update(&self, method: &str, work: impl FnOnce(&mut State) -> Outcome) {
        let mut state = self.state.lock().await;
        match guard(method, || work(&mut state)) {
            Ok(outcome) => self.send(outcome).await,
            Err(message) => self.client.log_message(MessageType::ERROR, message).await,
        }
        drop(state);
    }

    async fn send(&self, outcome: Outcome) {
        for (kind, message) in outcome.log {
            self.client.log_message(kind, message).await;
        }
        for publish in outcome.publish {
            self.client
                .publish_diagnostics(publish.uri, publish.diagnostics, publish.version)
                .await;
        }
    }

    /// The handler of [`DEBUG_TEXT_METHOD`].
    pub(crate) async fn debug_text(&self, params: TextDocumentIdentifier) -> Result<LSPAny> {
        let state = self.state.lock().await;
        let result = guard(DEBUG_TEXT_METHOD, || {
            let key = document_key(&params.uri);
            state.host.file_text(&key).map(|text| {
                let mut object = LSPObject::new();
                object.insert("text".to_owned(), LSPAny::String(text.to_owned()));
                LSPAny::Object(object)
            })
        });
        drop(state);
        match result {
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(Error::invalid_params(format!(
                "unknown document {}",
                params.uri.as_str()
            ))),
            Err(message) => {
                self.client
                    .log_message(MessageType::ERROR, message.clone())
                    .await;
                Err(internal_error(message))
            }
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let mut state = self.state.lock().await;
        let result = guard("initialize", || {
            let offered = params
                .capabilities
                .general
                .as_ref()
                .and_then(|general| general.position_encodings.as_deref());
            state.encoding = Encoding::negotiate(offered);
            state.root = workspace_root(&params);
            initialize_result(state.encoding)
        });
        drop(state);
        result.map_err(internal_error)
    }

    async fn initialized(&self, _: InitializedParams) {
        self.update("initialized", load_workspace).await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.update("textDocument/didOpen", |state| did_open(state, params))
            .await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.update("textDocument/didChange", |state| did_change(state, params))
            .await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.update("textDocument/didSave", |state| did_save(state, params))
            .await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.update("textDocument/didClose", |state| did_close(state, params))
            .await;
    }
}

/// The answer to `initialize`: incremental text sync (open, close, change, save with text)
/// and the negotiated position encoding.
pub(crate) fn initialize_result(encoding: Encoding) -> InitializeResult {
    let sync = TextDocumentSyncOptions {
        open_close: Some(true),
        change: Some(TextDocumentSyncKind::INCREMENTAL),
        will_save: None,
        will_save_wait_until: None,
        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
            include_text: Some(true),
        })),
    };
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(sync)),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "playbook".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
        ..InitializeResult::default()
    }
}

/// The name under which a document's text is given to the [`AnalysisHost`]: the file path of
/// a `file:` URI (with `/` separators, as the host wants them), the whole URI for any other
/// scheme (an unsaved buffer, for example).
pub fn document_key(uri: &Uri) -> String {
    let is_file = uri.scheme().as_str().eq_ignore_ascii_case("file");
    match uri.to_file_path() {
        Some(path) if is_file => {
            let path = path.to_string_lossy();
            if cfg!(windows) {
                path.replace('\\', "/")
            } else {
                path.into_owned()
            }
        }
        _ => uri.as_str().to_owned(),
    }
}

/// The workspace folder of the client: its first workspace folder, else its root URI.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    #[allow(deprecated)]
    let root_uri = params.root_uri.as_ref();
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri)
        .or(root_uri)
        .and_then(|uri| uri.to_file_path())
        .map(|path| path.into_owned())
}

/// Loads the workspace folder (its `playbook.toml`, step libraries and playbook files) into a
/// new host, so that open documents are checked against the whole workspace, as
/// `playbook check` checks them; and publishes the configuration's own problems.
pub(crate) fn load_workspace(state: &mut State) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(root) = state.root.clone() else {
        outcome.log.push((
            MessageType::INFO,
            "playbook language server ready (no workspace folder)".to_owned(),
        ));
        return outcome;
    };
    let codes: Vec<(&str, &str)> = playbook_db::registry::all()
        .iter()
        .map(|c| (c.id, c.name))
        .collect();
    match playbook_workspace::load_workspace_in(&root, std::slice::from_ref(&root), &codes) {
        Ok(workspace) => {
            let mut host = playbook_workspace::analysis_host(
                &workspace,
                playbook_workspace::PathStyle::Absolute,
            );
            let scope = workspace.scope();
            // Documents opened before the workspace was loaded keep the client's text.
            for key in state.documents.keys() {
                if let Some(text) = state.host.file_text(key) {
                    let known = host.file(key).is_some();
                    host.set_file_text(key, text.to_owned());
                    if !known {
                        host.set_foreign(key, scope.is_foreign(Path::new(key)));
                    }
                }
            }
            state.host = host;
            state.scope = Some(scope);
            outcome.log.push((
                MessageType::INFO,
                format!(
                    "playbook language server ready: {} files and {} step libraries in {}",
                    workspace.files.len(),
                    workspace.libraries.len(),
                    root.display()
                ),
            ));
            if let Some(config) = &workspace.config_file
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
                });
            }
            let open: Vec<String> = state.documents.keys().cloned().collect();
            for key in open {
                outcome.publish.extend(diagnostics_of(state, &key));
            }
        }
        Err(error) => outcome.log.push((
            MessageType::ERROR,
            format!("cannot load the workspace: {error}"),
        )),
    }
    outcome
}

pub(crate) fn did_open(state: &mut State, params: DidOpenTextDocumentParams) -> Outcome {
    let document = params.text_document;
    let key = document_key(&document.uri);
    let before = state.host.dependents(&key);
    let known = state.host.file(&key).is_some();
    state.host.set_file_text(&key, document.text);
    // A file the workspace did not load (new, or excluded) is somebody else's code if the
    // project says so; a loaded one keeps what the load said.
    if !known && let (Some(scope), Some(path)) = (&state.scope, document.uri.to_file_path()) {
        state.host.set_foreign(&key, scope.is_foreign(&path));
    }
    state.documents.insert(
        key.clone(),
        Document {
            uri: document.uri,
            version: document.version,
        },
    );
    republish(state, &key, before)
}

pub(crate) fn did_change(state: &mut State, params: DidChangeTextDocumentParams) -> Outcome {
    let key = document_key(&params.text_document.uri);
    let Some(document) = state.documents.get_mut(&key) else {
        return Outcome {
            publish: Vec::new(),
            log: vec![(
                MessageType::WARNING,
                format!(
                    "ignored a change to {}, which is not open",
                    params.text_document.uri.as_str()
                ),
            )],
        };
    };
    document.version = params.text_document.version;
    let mut text = state.host.file_text(&key).unwrap_or_default().to_owned();
    for change in &params.content_changes {
        position::apply_change(&mut text, change.range, &change.text, state.encoding);
    }
    let before = state.host.dependents(&key);
    state.host.set_file_text(&key, text);
    republish(state, &key, before)
}

pub(crate) fn did_save(state: &mut State, params: DidSaveTextDocumentParams) -> Outcome {
    let key = document_key(&params.text_document.uri);
    if !state.documents.contains_key(&key) {
        return Outcome::default();
    }
    let before = state.host.dependents(&key);
    // The saved text is the text the client has: take it, in case the two ever differed.
    if let Some(text) = params.text
        && state.host.file_text(&key) != Some(text.as_str())
    {
        state.host.set_file_text(&key, text);
    }
    republish(state, &key, before)
}

pub(crate) fn did_close(state: &mut State, params: DidCloseTextDocumentParams) -> Outcome {
    let uri = params.text_document.uri;
    let key = document_key(&uri);
    // The files that depended on this one must be checked again without it.
    let dependents = state.host.dependents(&key);
    state.documents.remove(&key);
    // A file of the workspace goes back to its text on disk (the client may close it without
    // saving); a file that is not on disk is forgotten.
    let on_disk = uri
        .to_file_path()
        .and_then(|path| playbook_workspace::read_text(&path).ok());
    match on_disk {
        Some(text) if state.root.is_some() => state.host.set_file_text(&key, text),
        _ => state.host.remove_file(&key),
    }
    let mut publish = vec![Publish {
        uri,
        diagnostics: Vec::new(),
        version: None,
    }];
    publish.extend(
        dependents
            .iter()
            .filter_map(|path| diagnostics_of(state, path)),
    );
    Outcome {
        publish,
        log: Vec::new(),
    }
}

/// The diagnostics of `key` and of every file that depended on it before the change
/// (`before`) or depends on it after: the union of the two covers every file whose
/// diagnostics may have changed (see [`AnalysisHost::dependents`]). A trigger bound to a
/// playbook that was just renamed depended on it only before the change, for example.
fn republish(state: &State, key: &str, before: Vec<String>) -> Outcome {
    let mut dependents: BTreeSet<String> = before.into_iter().collect();
    dependents.extend(state.host.dependents(key));
    dependents.remove(key);
    let mut publish: Vec<Publish> = diagnostics_of(state, key).into_iter().collect();
    publish.extend(
        dependents
            .iter()
            .filter_map(|dependent| diagnostics_of(state, dependent)),
    );
    Outcome {
        publish,
        log: Vec::new(),
    }
}

/// The diagnostics of one file, ready to publish; `None` if the file has no URI (a relative
/// path that is not open, which cannot happen with the paths this server gives the host).
fn diagnostics_of(state: &State, key: &str) -> Option<Publish> {
    let document = state.documents.get(key);
    let uri = match document {
        Some(document) => document.uri.clone(),
        None => Uri::from_file_path(key)?,
    };
    let text = state.host.file_text(key).unwrap_or_default();
    let index = LineIndex::new(text);
    let file = FileText {
        uri: &uri,
        text,
        index: &index,
    };
    let other_file = |path: &str| {
        let text = state.host.file_text(path)?.to_owned();
        let uri = match state.documents.get(path) {
            Some(document) => document.uri.clone(),
            None => path.parse().ok().or_else(|| Uri::from_file_path(path))?,
        };
        Some((uri, text))
    };
    let diagnostics = to_proto::diagnostics(
        file,
        &state.host.diagnostics(key),
        state.encoding,
        other_file,
    );
    Some(Publish {
        version: document.map(|document| document.version),
        uri,
        diagnostics,
    })
}

/// Runs `work`, turning a panic into an error message naming `method`.
pub(crate) fn guard<T>(method: &str, work: impl FnOnce() -> T) -> std::result::Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        format!("internal error while handling {method}: {reason} (please report this bug)")
    })
}

fn internal_error(message: String) -> Error {
    Error {
        message: message.into(),
        ..Error::internal_error()
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::{
        TextDocumentContentChangeEvent, TextDocumentItem, VersionedTextDocumentIdentifier,
    };

    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    fn open(state: &mut State, uri_text: &str, text: &str) -> Outcome {
        did_open(
            state,
            DidOpenTextDocumentParams {
                text_document: TextDocumentItem {
                    uri: uri(uri_text),
                    language_id: "yaml".to_owned(),
                    version: 1,
                    text: text.to_owned(),
                },
            },
        )
    }

    fn change(
        state: &mut State,
        uri_text: &str,
        version: i32,
        edits: &[(u32, u32, u32, u32, &str)],
    ) {
        let content_changes = edits
            .iter()
            .map(|&(l0, c0, l1, c1, text)| TextDocumentContentChangeEvent {
                range: Some(proto::Range {
                    start: proto::Position::new(l0, c0),
                    end: proto::Position::new(l1, c1),
                }),
                range_length: None,
                text: text.to_owned(),
            })
            .collect();
        let outcome = did_change(
            state,
            DidChangeTextDocumentParams {
                text_document: VersionedTextDocumentIdentifier {
                    uri: uri(uri_text),
                    version,
                },
                content_changes,
            },
        );
        assert_eq!(outcome.publish.len(), 1);
        assert_eq!(outcome.publish[0].version, Some(version));
    }

    #[test]
    fn keys_are_file_paths_or_whole_uris() {
        assert_eq!(document_key(&uri("file:///w/a%20b.yaml")), "/w/a b.yaml");
        assert_eq!(document_key(&uri("FILE:///w/x.yaml")), "/w/x.yaml");
        assert_eq!(
            document_key(&uri("untitled:Untitled-1")),
            "untitled:Untitled-1"
        );
    }

    #[test]
    fn changes_in_one_notification_apply_in_order() {
        let mut state = State::default();
        let outcome = open(&mut state, "file:///w/a.yaml", "ab\ncd");
        assert_eq!(outcome.publish.len(), 1);
        assert_eq!(outcome.publish[0].uri, uri("file:///w/a.yaml"));
        // The second edit's range is against the text after the first edit.
        change(
            &mut state,
            "file:///w/a.yaml",
            2,
            &[(0, 0, 0, 0, "😀\n"), (1, 2, 1, 2, "é"), (9, 0, 9, 0, "!")],
        );
        assert_eq!(state.host.file_text("/w/a.yaml"), Some("😀\nabé\ncd!"));
    }

    #[test]
    fn changes_to_unopened_documents_are_ignored() {
        let mut state = State::default();
        let outcome = did_change(
            &mut state,
            DidChangeTextDocumentParams {
                text_document: VersionedTextDocumentIdentifier {
                    uri: uri("file:///w/a.yaml"),
                    version: 2,
                },
                content_changes: Vec::new(),
            },
        );
        assert!(outcome.publish.is_empty());
        assert_eq!(outcome.log.len(), 1);
        assert_eq!(state.host.files().count(), 0);
    }

    #[test]
    fn closing_forgets_and_clears() {
        let mut state = State::default();
        open(&mut state, "untitled:Untitled-1", "a: 1\n");
        let outcome = did_close(
            &mut state,
            DidCloseTextDocumentParams {
                text_document: TextDocumentIdentifier {
                    uri: uri("untitled:Untitled-1"),
                },
            },
        );
        assert_eq!(outcome.publish.len(), 1);
        assert!(outcome.publish[0].diagnostics.is_empty());
        assert_eq!(state.host.files().count(), 0);
        assert!(state.documents.is_empty());
    }

    #[test]
    fn saving_takes_the_saved_text() {
        let mut state = State::default();
        open(&mut state, "file:///w/a.yaml", "a: 1\n");
        let outcome = did_save(
            &mut state,
            DidSaveTextDocumentParams {
                text_document: TextDocumentIdentifier {
                    uri: uri("file:///w/a.yaml"),
                },
                text: Some("a: 2\n".to_owned()),
            },
        );
        assert_eq!(outcome.publish.len(), 1);
        assert_eq!(state.host.file_text("/w/a.yaml"), Some("a: 2\n"));
    }

    #[tokio::test]
    async fn a_panicking_handler_does_not_stop_the_server() {
        let (service, socket) =
            tower_lsp_server::LspService::new(|client| Backend::new(client, Arc::default()));
        // Nothing reads the client's messages: sending them fails, which must not matter.
        drop(socket);
        let backend = service.inner();
        backend.update("test/panic", |_| panic!("boom")).await;
        backend
            .update("textDocument/didOpen", |state| {
                open(state, "file:///w/a.yaml", "a: 1\n")
            })
            .await;
        let state = backend.state.lock().await;
        assert_eq!(state.host.file_text("/w/a.yaml"), Some("a: 1\n"));
    }

    #[test]
    fn guard_turns_a_panic_into_a_message() {
        assert_eq!(guard("m", || 7), Ok(7));
        let err = guard("textDocument/didChange", || -> u8 { panic!("boom {}", 1) });
        let message = err.unwrap_err();
        assert!(message.contains("textDocument/didChange"), "{message}");
        assert!(message.contains("boom 1"), "{message}");
    }

    #[test]
    fn initialize_advertises_incremental_sync_and_the_encoding() {
        let result = initialize_result(Encoding::Utf8);
        let caps = result.capabilities;
        assert_eq!(
            caps.position_encoding,
            Some(proto::PositionEncodingKind::UTF8)
        );
        let Some(TextDocumentSyncCapability::Options(sync)) = caps.text_document_sync else {
            panic!("expected sync options");
        };
        assert_eq!(sync.change, Some(TextDocumentSyncKind::INCREMENTAL));
        assert_eq!(sync.open_close, Some(true));
        assert!(sync.save.is_some());
    }
}
