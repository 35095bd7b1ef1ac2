//! A service in front of tower-lsp-server's that answers `textDocument/completion` itself,
//! so that the answer can use LSP 3.17's `CompletionList.itemDefaults` and
//! `CompletionItem.textEditText`.
//!
//! The protocol types of tower-lsp-server 0.23 (ls-types 0.0.6) have neither field, and its
//! router sends `textDocument/completion` only to the `LanguageServer` trait's method, whose
//! answer must be one of those types (a method registered under the same name is ignored).
//! Yet a list of hundreds of items that all replace the same range spends most of its bytes
//! repeating that range, and most of the request's time converting and writing them. So this
//! service takes the request before the router: it decodes the parameters, answers through
//! the backend like every other request (same snapshot, cancellation and panic handling), and
//! passes every other message, unchanged, to the service it wraps. The list itself is written
//! by [`crate::handlers::completion_json`], in the compact form only for a client that
//! declares it takes it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tower::Service;
use tower_lsp_server::ExitedError;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_lsp_server::ls_types::CompletionParams;

use crate::server::Backend;

const COMPLETION: &str = "textDocument/completion";

/// The wrapped service and a handle to its backend.
pub(crate) struct CompletionLayer<S> {
    inner: S,
    backend: Backend,
}

impl<S> CompletionLayer<S> {
    pub(crate) fn new(inner: S, backend: Backend) -> CompletionLayer<S> {
        CompletionLayer { inner, backend }
    }
}

type Answer = Result<Option<Response>, ExitedError>;

impl<S> Service<Request> for CompletionLayer<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = Pin<Box<dyn Future<Output = Answer> + Send>>;

    /// The wrapped service's readiness: it holds every message back while `initialize` is
    /// being answered, and refuses them once the client has exited.
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // After `shutdown`, the wrapped service answers (with the protocol's refusal).
        if request.method() != COMPLETION || request.id().is_none() || self.backend.is_shut_down() {
            return Box::pin(self.inner.call(request));
        }
        let backend = self.backend.clone();
        let (_, id, params) = request.into_parts();
        Box::pin(async move {
            let Some(id) = id else {
                return Ok(None);
            };
            let params = params.and_then(|p| serde_json::from_value::<CompletionParams>(p).ok());
            let body = match params {
                Some(params) => backend.completion_json(params).await,
                None => Err(Error::invalid_params(
                    "textDocument/completion: the parameters are not CompletionParams",
                )),
            };
            Ok(Some(Response::from_parts(id, body)))
        })
    }
}
