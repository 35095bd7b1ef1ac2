//! The playbook language server: errors as you type, completion, hover, navigation, rename,
//! symbols, semantic tokens and quick fixes, for VS Code and any other client of the Language
//! Server Protocol. Started by `playbook lsp`, it talks JSON-RPC over stdin/stdout.
//!
//! What it does: at `initialized` it loads the client's workspace folders as `playbook check`
//! loads a folder: the `playbook.toml` that applies (step libraries, known secrets,
//! severities, `exclude`), every playbook, trigger and manifest under them, and the manifests
//! of the library folders, into an [`AnalysisHost`](playbook_db::AnalysisHost), the same
//! database `playbook check` uses, and publishes the configuration's own problems. It then
//! keeps the client's open documents (synced incrementally) in that host, and after every
//! change publishes the diagnostics of the changed file and of the files that depend on it
//! (the playbooks that call an edited manifest, the triggers of an edited playbook). A
//! closed document goes back to its text on disk. Files changed on disk outside the editor
//! are seen through file watchers the server registers, and a changed `playbook.toml`
//! reloads the workspace (the `sync` module). Positions are negotiated as UTF-16 (the protocol's
//! default) or UTF-8 (when the client offers it); see [`position`].
//!
//! Requests (completion, hover, definition, references, highlights, rename, symbols,
//! semantic tokens, code actions, signature help, folding and selection ranges, inlay hints
//! when the client's settings turn them on: [`settings`]) are answered
//! by `playbook-ide` on a snapshot of the database, off the async runtime; a request
//! overtaken by an edit is cancelled (`ContentModified`), and a panic in one is an error
//! response (see the `server` module's documentation). What the server offers, and how
//! its answers follow the client's capabilities: [`capabilities`].
//!
//! Editors attach the server to every YAML file. A file that is not a playbook file (a
//! GitHub workflow, an Ansible playbook, a Kubernetes manifest) gets no diagnostics: the
//! database decides it as `playbook check` does. A manifest that is somebody else's code
//! (loaded only from a library folder, or excluded in `playbook.toml`) reports no manifest
//! defects, also when it is opened.
//!
//! This is the only crate that sees protocol types: the core speaks byte offsets, converted at
//! this boundary ([`position`], [`to_proto`]).
//!
//! Entry points: [`run_stdio`] for the command line, [`serve`] for any pair of async streams
//! (the tests use in-memory pipes).
//!
//! Limits: one configuration per server, the first workspace folder's (a folder with a
//! `playbook.toml` of its own is not loaded, and the client is told); formatting is not
//! offered yet.

pub mod capabilities;
mod completion_layer;
mod handlers;
pub mod position;
mod server;
pub mod settings;
mod snapshot;
mod sync;
pub mod to_proto;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

pub use server::{DEBUG_TEXT_METHOD, MAX_CONCURRENCY, document_key};

/// How a session ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SessionEnd {
    /// The client sent `shutdown` before `exit` (or before closing the stream): a clean end.
    ShutDown,
    /// The client sent `exit`, or closed the stream, without asking for `shutdown` first.
    NotShutDown,
}

impl SessionEnd {
    /// The process exit code the protocol asks for: 0 after `shutdown`, 1 otherwise.
    pub fn exit_code(self) -> ExitCode {
        match self {
            SessionEnd::ShutDown => ExitCode::SUCCESS,
            SessionEnd::NotShutDown => ExitCode::FAILURE,
        }
    }
}

/// Serves one client that writes to `input` and reads from `output`, until it sends `exit`
/// or closes `input`.
pub async fn serve<I, O>(input: I, output: O) -> SessionEnd
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shut_down = Arc::new(AtomicBool::new(false));
    let (service, socket) =
        LspService::build(|client| server::Backend::new(client, Arc::clone(&shut_down)))
            .custom_method(DEBUG_TEXT_METHOD, server::Backend::debug_text)
            .finish();
    let backend = service.inner().clone();
    let service = completion_layer::CompletionLayer::new(service, backend);
    Server::new(input, output, socket)
        .concurrency_level(MAX_CONCURRENCY)
        .serve(service)
        .await;
    if shut_down.load(Ordering::SeqCst) {
        SessionEnd::ShutDown
    } else {
        SessionEnd::NotShutDown
    }
}

/// Serves a client over this process's stdin and stdout (what `playbook lsp` does) and returns
/// the exit code the protocol asks for. Logs go to the client (`window/logMessage`) and to
/// stderr; nothing but protocol messages is written to stdout.
pub fn run_stdio() -> ExitCode {
    // Requests run on the blocking pool (see `server`): a few threads are enough, and each
    // thread that ever ran one keeps its allocator's pages, so an unbounded pool grows the
    // server's memory with the number of requests that once ran at the same time.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(4)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("playbook lsp: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let end = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Stdin is read by a blocking thread that may still wait for input the client will never
    // send; do not wait for it.
    runtime.shutdown_background();
    end.exit_code()
}
