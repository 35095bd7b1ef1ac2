//! The language server: protocol handlers that keep an [`AnalysisHost`] in sync with the
//! client's documents and the workspace on disk, publish diagnostics after every change, and
//! answer requests from snapshots of the database.
//!
//! Each notification handler does its work in a plain function over [`State`] (no protocol
//! I/O, so it can be tested directly) and then sends what that function returned. The work
//! runs inside [`guard`], which turns a panic in a check into an error logged to the client
//! (`window/logMessage`), so that the server goes on.
//!
//! # Ordering
//!
//! Edits must be applied, and their diagnostics published, in the order the client sent them.
//! tower-lsp-server 0.23 reads messages one at a time (`Server::serve` in its
//! `src/transport.rs`), creates each handler's future in arrival order and runs them through
//! `buffer_unordered` (up to [`MAX_CONCURRENCY`] at once): although they are first polled in
//! arrival order (the FIFO ready queue of `FuturesUnordered`), a handler that awaits can be
//! overtaken by the next one. So arrival order alone is not enough. Every handler here
//! therefore takes the state lock as the very first thing it does, in its first poll;
//! notifications hold it until their diagnostics are sent. tokio's `Mutex` is fair (waiters
//! are served first-come, first-served), so edits run, and publish, strictly in arrival
//! order, and a request sees exactly the edits that arrived before it. The test
//! `rapid_edits_keep_their_order` in `playbook-cli`'s `tests/lsp_stdio.rs` checks this with
//! 500 edits sent without waiting.
//!
//! # Requests
//!
//! A request (completion, hover, ...: [`crate::handlers`]) holds the lock only to take a
//! [`Snapshot`]: a clone of the host's database (a second handle to the same salsa storage,
//! cheap) with the open documents' URIs and versions, and the state's generation (a counter
//! every change of the host bumps). It releases the lock, and computes its answer on the
//! snapshot with `tokio::task::spawn_blocking`, inside `catch_unwind`:
//!
//! - a panic becomes an `InternalError` response carrying the panic's message (also logged),
//!   never a dead server;
//! - an edit that arrives meanwhile sets an input of the database, and salsa's setter first
//!   cancels every other handle: the snapshot's work unwinds with [`salsa::Cancelled`] at its
//!   next query call (a snapshot waiting for a query that another, cancelled, snapshot was
//!   computing unwinds with `Cancelled::PropagatedPanic`), and the request is answered with
//!   `ContentModified` (-32801). The setter waits until every snapshot is dropped, so a
//!   snapshot is dropped on its blocking thread the moment its work ends, answered or
//!   cancelled: an edit waits at most until each running request's next query call;
//! - an answer computed before the edit reached the database, but not yet sent when it did,
//!   is not sent either: the generation changed, and the request gets `ContentModified`. A
//!   request is answered on the latest text or not at all, never from a stale snapshot.
//!
//! The transport's concurrency limit is raised to [`MAX_CONCURRENCY`] so that an edit
//! arriving behind slow requests is started (and cancels them) rather than queued behind them.

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use playbook_db::AnalysisHost;
use playbook_diagnostics::LineIndex;
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    self as proto, CodeActionParams, CodeActionResponse, CompletionParams,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, DocumentFormattingParams, DocumentHighlight,
    DocumentHighlightParams, DocumentRangeFormattingParams, DocumentSymbolParams,
    DocumentSymbolResponse, FoldingRange, FoldingRangeParams, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverParams, InitializeParams, InitializeResult,
    InitializedParams, InlayHint, InlayHintParams, LSPAny, LSPObject, Location, MessageType,
    PrepareRenameResponse, ReferenceParams, RenameParams, SelectionRange, SelectionRangeParams,
    SemanticTokensParams, SemanticTokensRangeParams, SemanticTokensRangeResult,
    SemanticTokensResult, SignatureHelp, SignatureHelpParams, TextDocumentIdentifier,
    TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};
use tower_lsp_server::{Client, LanguageServer};

#[cfg(test)]
use crate::capabilities::initialize_result;
use crate::capabilities::{ClientCaps, initialize_result_for};
use crate::handlers;
use crate::position::{self, Encoding};
use crate::settings::Settings;
use crate::snapshot::{Snapshot, uri_of_path};
use crate::sync::{self, WatchChange};
use crate::to_proto::{self, FileText};

/// The custom request that returns the server's copy of a document's text (params `{uri}`,
/// result `{text}`), used by tests to check that incremental edits were applied exactly.
pub const DEBUG_TEXT_METHOD: &str = "playbook/debugText";

/// How many messages the transport handles at once (tower-lsp-server's default is 4).
pub const MAX_CONCURRENCY: usize = 16;

/// The language server's backend, given to tower-lsp-server. A clone is a second handle to
/// the same state (for [`crate::completion_layer`]).
#[derive(Clone)]
pub(crate) struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    shut_down: Arc<AtomicBool>,
}

/// Everything the server knows: the analysis host and the open documents.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) host: AnalysisHost,
    /// The workspace folders given at `initialize` (and changed since), the first one
    /// first; loaded at `initialized`.
    pub(crate) roots: Vec<PathBuf>,
    /// What of the loaded project says whether a file opened later is somebody else's code
    /// (excluded, or in a library folder outside the project).
    pub(crate) scope: Option<playbook_workspace::ProjectScope>,
    /// The loaded `playbook.toml`, whose change reloads the workspace, and the step library
    /// folders, whose files the server keeps in sync with the disk.
    pub(crate) config_file: Option<PathBuf>,
    pub(crate) library_dirs: Vec<PathBuf>,
    /// The `[format]` settings of the loaded `playbook.toml`.
    pub(crate) format: playbook_workspace::FormatConfig,
    /// The client's settings (`initializationOptions`, `workspace/didChangeConfiguration`).
    pub(crate) settings: Settings,
    /// The open documents, by key (see [`document_key`]).
    pub(crate) documents: HashMap<String, Document>,
    /// Files that are not open and whose last published diagnostics were not empty: they
    /// are published again (or cleared) when they change on disk or the workspace reloads.
    pub(crate) shown: BTreeSet<String>,
    pub(crate) encoding: Encoding,
    pub(crate) caps: ClientCaps,
    /// Bumped by every change of the host: a request whose snapshot is older is not answered.
    pub(crate) generation: Arc<AtomicU64>,
    /// The file watchers registered with the client, and their registration id.
    pub(crate) watching: Option<(String, Vec<proto::FileSystemWatcher>)>,
}

/// What the server keeps about an open document besides its text (which is in the host).
pub(crate) struct Document {
    pub(crate) uri: Uri,
    pub(crate) version: i32,
}

/// One `textDocument/publishDiagnostics` to send.
pub(crate) struct Publish {
    pub(crate) uri: Uri,
    pub(crate) diagnostics: Vec<proto::Diagnostic>,
    pub(crate) version: Option<i32>,
    /// The file's key in the host, for a file of the workspace.
    pub(crate) key: Option<String>,
}

/// What a handler asks to be sent once its work is done.
#[derive(Default)]
pub(crate) struct Outcome {
    pub(crate) publish: Vec<Publish>,
    pub(crate) log: Vec<(MessageType, String)>,
    /// File watchers to register (and the registration they replace).
    pub(crate) watch: Option<WatchChange>,
    /// A file whose dependents are to be checked and published once `publish` is sent,
    /// with the files that depended on it before the change: the edited file's own
    /// diagnostics do not wait for the others'.
    pub(crate) then_dependents: Option<(String, Vec<String>)>,
}

impl State {
    /// Records that the host is about to change: requests computing on older snapshots are
    /// answered `ContentModified`.
    pub(crate) fn touch(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// A snapshot for a request, and the generation it was taken at.
    fn snapshot(&self) -> (Snapshot, u64) {
        let snapshot = Snapshot {
            db: self.host.db().clone(),
            encoding: self.encoding,
            caps: self.caps,
            format: self.format,
            settings: self.settings,
            documents: self
                .documents
                .iter()
                .map(|(key, d)| (key.clone(), (d.uri.clone(), d.version)))
                .collect(),
            roots: self.roots.clone(),
        };
        (snapshot, self.generation.load(Ordering::SeqCst))
    }

    /// The URI of a file of the host (see [`Snapshot::uri_of`]).
    pub(crate) fn uri_of(&self, path: &str) -> Option<Uri> {
        if let Some(document) = self.documents.get(path) {
            return Some(document.uri.clone());
        }
        uri_of_path(&HashMap::new(), &self.roots, path)
    }

    /// Remembers which files not open now show diagnostics (see [`State::shown`]).
    fn note_published(&mut self, outcome: &Outcome) {
        for publish in &outcome.publish {
            let Some(key) = &publish.key else { continue };
            if publish.diagnostics.is_empty() || self.documents.contains_key(key) {
                self.shown.remove(key);
            } else {
                self.shown.insert(key.clone());
            }
        }
    }
}

impl Backend {
    pub(crate) fn new(client: Client, shut_down: Arc<AtomicBool>) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::default())),
            shut_down,
        }
    }

    /// `textDocument/completion` as JSON (see [`handlers::completion_json`]), answered like
    /// every other request.
    pub(crate) async fn completion_json(
        &self,
        params: CompletionParams,
    ) -> Result<serde_json::Value> {
        self.request("textDocument/completion", |snap| {
            handlers::completion_json(snap, params)
        })
        .await
    }

    /// Whether the client asked the server to shut down.
    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::SeqCst)
    }

    /// Runs `work` on the state (see the module documentation for the ordering) and sends
    /// what it asks for, or logs the panic it raised.
    async fn update(&self, method: &str, work: impl FnOnce(&mut State) -> Outcome) {
        let mut state = self.state.lock().await;
        match guard(method, || work(&mut state)) {
            Ok(mut outcome) => {
                let then = outcome.then_dependents.take();
                state.note_published(&outcome);
                self.send(outcome).await;
                if let Some((key, before)) = then {
                    match guard(method, || publish_dependents(&state, &key, before)) {
                        Ok(outcome) => {
                            state.note_published(&outcome);
                            self.send(outcome).await;
                        }
                        Err(message) => self.client.log_message(MessageType::ERROR, message).await,
                    }
                }
            }
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
        if let Some(change) = outcome.watch {
            // Not awaited here: the client answers when it likes, and the state lock is held.
            let client = self.client.clone();
            tokio::spawn(async move { sync::register_watchers(&client, change).await });
        }
    }

    /// Answers a request from a snapshot: see "Requests" in the module documentation.
    pub(crate) async fn request<T, F>(&self, method: &'static str, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot) -> Result<T> + Send + 'static,
    {
        let (snapshot, generation, counter) = {
            let state = self.state.lock().await;
            let (snapshot, generation) = state.snapshot();
            (snapshot, generation, Arc::clone(&state.generation))
        };
        let task = tokio::task::spawn_blocking(move || {
            let answer = catch_unwind(AssertUnwindSafe(|| work(&snapshot)));
            // Now, on this thread: an edit waiting for the snapshots to go must not wait
            // for this task's result to be taken.
            drop(snapshot);
            answer
        });
        let answer = match task.await {
            Ok(Ok(answer)) => answer,
            Ok(Err(payload)) => {
                // A query cancelled by salsa; or, when an edit has begun, any unwinding that
                // reached this request through a query another snapshot was computing (salsa
                // propagates that thread's cancellation as `PropagatedPanic`).
                let edited = counter.load(Ordering::SeqCst) != generation;
                let cancelled = payload.downcast_ref::<salsa::Cancelled>();
                if cancelled
                    .is_some_and(|c| edited || !matches!(c, salsa::Cancelled::PropagatedPanic))
                {
                    return Err(content_modified(method));
                }
                let message = panic_message(method, payload.as_ref());
                self.client
                    .log_message(MessageType::ERROR, message.clone())
                    .await;
                return Err(internal_error(message));
            }
            Err(error) => {
                let message = format!("internal error while handling {method}: {error}");
                self.client
                    .log_message(MessageType::ERROR, message.clone())
                    .await;
                return Err(internal_error(message));
            }
        };
        if counter.load(Ordering::SeqCst) != generation {
            return Err(content_modified(method));
        }
        answer
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
            state.caps = ClientCaps::from_client(&params.capabilities);
            state.roots = workspace_roots(&params);
            if let Some(settings) = params
                .initialization_options
                .as_ref()
                .and_then(Settings::from_json)
            {
                state.settings = settings;
            }
            initialize_result_for(state.encoding, &state.caps)
        });
        drop(state);
        result.map_err(internal_error)
    }

    async fn initialized(&self, _: InitializedParams) {
        self.update("initialized", sync::load_workspace).await;
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

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.update("workspace/didChangeWatchedFiles", |state| {
            sync::did_change_watched_files(state, params)
        })
        .await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        self.update("workspace/didChangeWorkspaceFolders", |state| {
            sync::did_change_workspace_folders(state, params)
        })
        .await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let mut state = self.state.lock().await;
        let Some(settings) = Settings::from_json(&params.settings) else {
            return;
        };
        let changed = settings != state.settings;
        state.settings = settings;
        let refresh = changed && state.caps.inlay_hint_refresh;
        drop(state);
        if refresh {
            // Not awaited: the client answers when it likes.
            let client = self.client.clone();
            tokio::spawn(async move { client.inlay_hint_refresh().await });
        }
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.request("textDocument/inlayHint", |snap| {
            handlers::inlay_hint(snap, params)
        })
        .await
    }

    async fn inlay_hint_resolve(&self, hint: InlayHint) -> Result<InlayHint> {
        self.request("inlayHint/resolve", |snap| {
            handlers::inlay_hint_resolve(snap, hint)
        })
        .await
    }

    // `textDocument/completion` never reaches this trait: see `crate::completion_layer`.

    async fn completion_resolve(
        &self,
        item: proto::CompletionItem,
    ) -> Result<proto::CompletionItem> {
        self.request("completionItem/resolve", |snap| {
            handlers::completion_resolve(snap, item)
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.request("textDocument/hover", |snap| handlers::hover(snap, params))
            .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.request("textDocument/definition", |snap| {
            handlers::goto_definition(snap, params)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.request("textDocument/references", |snap| {
            handlers::references(snap, params)
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        self.request("textDocument/documentHighlight", |snap| {
            handlers::document_highlight(snap, params)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.request("textDocument/prepareRename", |snap| {
            handlers::prepare_rename(snap, params)
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.request("textDocument/rename", |snap| handlers::rename(snap, params))
            .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.request("textDocument/documentSymbol", |snap| {
            handlers::document_symbol(snap, params)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.request("workspace/symbol", |snap| {
            handlers::workspace_symbol(snap, params)
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.request("textDocument/semanticTokens/full", |snap| {
            handlers::semantic_tokens_full(snap, params)
        })
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        self.request("textDocument/semanticTokens/range", |snap| {
            handlers::semantic_tokens_range(snap, params)
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.request("textDocument/codeAction", |snap| {
            handlers::code_action(snap, params)
        })
        .await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        self.request("textDocument/signatureHelp", |snap| {
            handlers::signature_help(snap, params)
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.request("textDocument/formatting", move |snap| {
            handlers::formatting(snap, &params.text_document.uri, None)
        })
        .await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.request("textDocument/rangeFormatting", move |snap| {
            handlers::formatting(snap, &params.text_document.uri, Some(params.range))
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.request("textDocument/foldingRange", |snap| {
            handlers::folding_range(snap, params)
        })
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        self.request("textDocument/selectionRange", |snap| {
            handlers::selection_range(snap, params)
        })
        .await
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

/// The workspace folders of the client: its workspace folders, else its root URI; only
/// `file:` folders (the server reads them from disk).
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    #[allow(deprecated)]
    let root_uri = params.root_uri.as_ref();
    let uris: Vec<&Uri> = match &params.workspace_folders {
        Some(folders) if !folders.is_empty() => folders.iter().map(|f| &f.uri).collect(),
        _ => root_uri.into_iter().collect(),
    };
    let mut roots: Vec<PathBuf> = Vec::new();
    for uri in uris {
        if let Some(path) = uri.to_file_path()
            && !roots.iter().any(|root| root.as_path() == path.as_ref())
        {
            roots.push(path.into_owned());
        }
    }
    roots
}

pub(crate) fn did_open(state: &mut State, params: DidOpenTextDocumentParams) -> Outcome {
    state.touch();
    let document = params.text_document;
    let key = document_key(&document.uri);
    let before = state.host.dependents(&key);
    let known = state.host.file(&key).is_some();
    state.host.set_file_text(&key, document.text);
    // Its tree is kept while it is open: each keystroke then parses it once.
    state.host.set_open(&key, true);
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
            log: vec![(
                MessageType::WARNING,
                format!(
                    "ignored a change to {}, which is not open",
                    params.text_document.uri.as_str()
                ),
            )],
            ..Outcome::default()
        };
    };
    document.version = params.text_document.version;
    state.touch();
    let mut text = state.host.file_text(&key).unwrap_or_default().to_owned();
    for (i, change) in params.content_changes.iter().enumerate() {
        // The first change is against the text the database has, whose line index it
        // keeps (built for the diagnostics of the previous change).
        match (state.host.file(&key).filter(|_| i == 0), change.range) {
            (Some(file), Some(range)) => position::apply_change_indexed(
                &mut text,
                playbook_ide::line_index(state.host.db(), file),
                range,
                &change.text,
                state.encoding,
            ),
            _ => position::apply_change(&mut text, change.range, &change.text, state.encoding),
        }
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
        state.touch();
        state.host.set_file_text(&key, text);
    }
    republish(state, &key, before)
}

pub(crate) fn did_close(state: &mut State, params: DidCloseTextDocumentParams) -> Outcome {
    state.touch();
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
        Some(text) if !state.roots.is_empty() => {
            state.host.set_file_text(&key, text);
            state.host.set_open(&key, false);
        }
        _ => state.host.remove_file(&key),
    }
    let mut publish = vec![Publish {
        uri,
        diagnostics: Vec::new(),
        version: None,
        key: Some(key),
    }];
    publish.extend(
        dependents
            .iter()
            .filter_map(|path| diagnostics_of(state, path)),
    );
    Outcome {
        publish,
        ..Outcome::default()
    }
}

/// The diagnostics of `key`, then (once they are sent: [`Outcome::then_dependents`]) those
/// of every file that depended on it before the change (`before`) or depends on it after.
fn republish(state: &State, key: &str, before: Vec<String>) -> Outcome {
    Outcome {
        publish: diagnostics_of(state, key).into_iter().collect(),
        then_dependents: Some((key.to_owned(), before)),
        ..Outcome::default()
    }
}

/// The diagnostics of every file that depended on `key` before the change (`before`) or
/// depends on it after: the union of the two covers every file whose diagnostics may have
/// changed (see [`AnalysisHost::dependents`]). A trigger bound to a playbook that was just
/// renamed depended on it only before the change, for example.
fn publish_dependents(state: &State, key: &str, before: Vec<String>) -> Outcome {
    let mut dependents: BTreeSet<String> = before.into_iter().collect();
    dependents.extend(state.host.dependents(key));
    dependents.remove(key);
    Outcome {
        publish: dependents
            .iter()
            .filter_map(|dependent| diagnostics_of(state, dependent))
            .collect(),
        ..Outcome::default()
    }
}

/// The diagnostics of one file, ready to publish; `None` if the file has no URI (a relative
/// path that is not open, which cannot happen with the paths this server gives the host).
pub(crate) fn diagnostics_of(state: &State, key: &str) -> Option<Publish> {
    let document = state.documents.get(key);
    let uri = state.uri_of(key)?;
    let text = state.host.file_text(key).unwrap_or_default();
    let fresh;
    let index = match state.host.file(key) {
        // Memoized: the next edit and the requests on this text need it too.
        Some(file) => playbook_ide::line_index(state.host.db(), file),
        None => {
            fresh = LineIndex::new(text);
            &fresh
        }
    };
    let file = FileText {
        uri: &uri,
        text,
        index,
    };
    let other_file = |path: &str| {
        let text = state.host.file_text(path)?.to_owned();
        Some((state.uri_of(path)?, text))
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
        key: Some(key.to_owned()),
    })
}

/// Runs `work`, turning a panic into an error message naming `method`.
pub(crate) fn guard<T>(method: &str, work: impl FnOnce() -> T) -> std::result::Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| panic_message(method, payload.as_ref()))
}

/// The message of a panic raised while handling `method`.
fn panic_message(method: &str, payload: &(dyn std::any::Any + Send)) -> String {
    let reason = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("internal error while handling {method}: {reason} (please report this bug)")
}

pub(crate) fn internal_error(message: String) -> Error {
    Error {
        message: message.into(),
        ..Error::internal_error()
    }
}

/// The answer to a request overtaken by an edit.
fn content_modified(method: &str) -> Error {
    Error {
        message: format!("{method} was cancelled: the content changed").into(),
        ..Error::content_modified()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use tower_lsp_server::jsonrpc::ErrorCode;
    use tower_lsp_server::ls_types::{
        TextDocumentContentChangeEvent, TextDocumentItem, TextDocumentSyncCapability,
        TextDocumentSyncKind, VersionedTextDocumentIdentifier,
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

    /// A backend whose client messages go nowhere (sending them fails, which must not
    /// matter), with `/w/a.yaml` open.
    async fn backend_with_a_document() -> tower_lsp_server::LspService<Backend> {
        let (service, socket) =
            tower_lsp_server::LspService::new(|client| Backend::new(client, Arc::default()));
        drop(socket);
        service
            .inner()
            .update("textDocument/didOpen", |state| {
                open(state, "file:///w/a.yaml", "a: 1\n")
            })
            .await;
        service
    }

    fn edit_a(state: &mut State) -> Outcome {
        did_change(
            state,
            DidChangeTextDocumentParams {
                text_document: VersionedTextDocumentIdentifier {
                    uri: uri("file:///w/a.yaml"),
                    version: 2,
                },
                content_changes: vec![TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: "a: 2\n".to_owned(),
                }],
            },
        )
    }

    #[tokio::test]
    async fn a_panicking_request_is_an_error_response_and_the_server_goes_on() {
        let service = backend_with_a_document().await;
        let backend = service.inner();
        let error = backend
            .request("test/panic", |_| -> Result<()> { panic!("boom {}", 2) })
            .await
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::InternalError);
        assert!(error.message.contains("test/panic"), "{}", error.message);
        assert!(error.message.contains("boom 2"), "{}", error.message);
        // The next request is answered, and edits still apply.
        let answer = backend
            .request("test/ok", |snap| {
                Ok(playbook_ide::file(&snap.db, "/w/a.yaml").is_some())
            })
            .await;
        assert_eq!(answer, Ok(true));
        backend.update("textDocument/didChange", edit_a).await;
        let state = backend.state.lock().await;
        assert_eq!(state.host.file_text("/w/a.yaml"), Some("a: 2\n"));
    }

    /// An edit arriving while a request runs queries cancels it: the request is answered
    /// `ContentModified`, and the edit, which waits for the snapshot to go, is applied.
    #[tokio::test]
    async fn an_edit_cancels_a_running_request() {
        let service = backend_with_a_document().await;
        let backend = service.inner();
        let (started, running) = std::sync::mpsc::channel();
        let finished = Arc::new(AtomicBool::new(false));
        let finished_in_request = Arc::clone(&finished);
        let request = backend.request("test/slow", move |snap| {
            let file = playbook_ide::file(&snap.db, "/w/a.yaml").expect("the open document");
            let _ = started.send(());
            // Queries until cancelled; a bound so that a broken cancellation fails the test.
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                playbook_db::queries::parse(&snap.db, file);
                std::thread::sleep(Duration::from_millis(1));
            }
            finished_in_request.store(true, Ordering::SeqCst);
            Ok(())
        });
        let edit = async {
            running
                .recv_timeout(Duration::from_secs(60))
                .expect("the request started");
            backend.update("textDocument/didChange", edit_a).await;
        };
        let (answer, ()) = tokio::join!(request, edit);
        let error = answer.unwrap_err();
        assert_eq!(error.code, ErrorCode::ContentModified, "{}", error.message);
        // Cancelled by salsa, not merely answered late.
        assert!(!finished.load(Ordering::SeqCst));
        let text = backend
            .request("test/after", |snap| {
                let file = playbook_ide::file(&snap.db, "/w/a.yaml").expect("the document");
                Ok(file.text(&snap.db).clone())
            })
            .await;
        assert_eq!(text.as_deref(), Ok("a: 2\n"));
    }

    /// An answer computed before an edit reached the database, but not sent before the edit
    /// began, is not sent: the request is answered `ContentModified`.
    #[tokio::test]
    async fn an_answer_overtaken_by_an_edit_is_not_sent() {
        let service = backend_with_a_document().await;
        let backend = service.inner();
        let generation = Arc::clone(&backend.state.lock().await.generation);
        let before = generation.load(Ordering::SeqCst);
        let (started, running) = std::sync::mpsc::channel();
        let request = backend.request("test/stale", move |snap| {
            let file = playbook_ide::file(&snap.db, "/w/a.yaml").expect("the open document");
            let text = file.text(&snap.db).clone();
            let _ = started.send(());
            // Waits until the edit has begun (it then waits for this snapshot to go).
            let deadline = Instant::now() + Duration::from_secs(60);
            while generation.load(Ordering::SeqCst) == before && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
            Ok(text)
        });
        let edit = async {
            running
                .recv_timeout(Duration::from_secs(60))
                .expect("the request started");
            backend.update("textDocument/didChange", edit_a).await;
        };
        let (answer, ()) = tokio::join!(request, edit);
        let error = answer.unwrap_err();
        assert_eq!(error.code, ErrorCode::ContentModified, "{}", error.message);
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
