//! The playbook language server: errors as you type, for VS Code and any other client of the
//! Language Server Protocol. Started by `playbook lsp`, it talks JSON-RPC over stdin/stdout.
//!
//! What it does today: it keeps the client's open documents (synced incrementally) in an
//! [`AnalysisHost`](playbook_db::AnalysisHost), the same database `playbook check` uses, and
//! after every change publishes the diagnostics of the changed file and of the files that
//! depend on it. Positions are negotiated as UTF-16 (the protocol's default) or UTF-8 (when the
//! client offers it); see [`position`].
//!
//! This is the only crate that sees protocol types: the core speaks byte offsets, converted at
//! this boundary ([`position`], [`to_proto`]).
//!
//! Entry points: [`run_stdio`] for the command line, [`serve`] for any pair of async streams
//! (the tests use in-memory pipes).
//!
//! Not yet done: the server knows only the open documents. It does not load `playbook.toml`
//! (step libraries, known secrets) or the workspace's files from disk, so checks against step
//! manifests see only manifests that are open, and a closed file is forgotten (its
//! diagnostics cleared) even if it is on disk.

pub mod position;
mod server;
pub mod to_proto;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

pub use server::{DEBUG_TEXT_METHOD, document_key};

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
    Server::new(input, output, socket).serve(service).await;
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
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
