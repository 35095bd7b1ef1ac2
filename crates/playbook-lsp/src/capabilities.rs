//! What the server offers (`initialize`'s [`ServerCapabilities`]) and what of the client's
//! capabilities its answers depend on ([`ClientCaps`]).
//!
//! The server offers: incremental text sync (open, close, change, save with text), the
//! negotiated position encoding, completion, hover, definition, references, document
//! highlight, rename with prepareRename, document and workspace symbols, semantic tokens (full
//! and range), code actions (quick fixes and `source.fixAll.playbook`), signature help,
//! folding ranges, selection ranges, inlay hints (empty unless the setting
//! `playbook.inlayHints.templateValues` is on; resolved, for their tooltips, by a client that
//! can), and workspace folders with change notifications. File
//! watching is not a static capability: it is registered at `initialized` (see
//! [`crate::sync`]).

use playbook_ide::{TokenKind, TokenModifier};
use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CompletionOptions, FoldingRangeProviderCapability, HoverProviderCapability, InitializeResult,
    InlayHintOptions, InlayHintServerCapabilities, MarkupKind, OneOf, RenameOptions, SaveOptions,
    SelectionRangeProviderCapability, SemanticTokenModifier, SemanticTokenType,
    SemanticTokensFullOptions, SemanticTokensLegend, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, ServerInfo, SignatureHelpOptions,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, WorkDoneProgressOptions, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};

use crate::position::Encoding;

/// The characters after which the client asks for completion without the user asking:
/// `.` and `$` in template paths (`{{ $.`, `$.fetch_pods.`), a space after a YAML key
/// (`name: `, images) or at a template's command position (`{{ `, function names), `/` in
/// image names (`us-docker.pkg.dev/stackpulse/`), and `"` opening a quoted value.
pub const COMPLETION_TRIGGERS: [&str; 5] = [".", "$", " ", "/", "\""];

/// The characters after which the client asks for signature help: a space between a
/// function's arguments, and `(` opening a parenthesized call.
pub const SIGNATURE_TRIGGERS: [&str; 2] = [" ", "("];

/// The code action kind of "fix everything that can be fixed safely in this file".
pub const SOURCE_FIX_ALL_PLAYBOOK: &str = "source.fixAll.playbook";

/// What of the client's capabilities the answers depend on. Everything defaults to the
/// protocol's least: a client that says nothing gets plain text insertions, `Location`s, flat
/// symbols and `changes` workspace edits.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ClientCaps {
    /// `textDocument.completion.completionItem.snippetSupport`.
    pub snippets: bool,
    /// Markdown is among `textDocument.completion.completionItem.documentationFormat`.
    pub completion_markdown: bool,
    /// `documentation` is among `textDocument.completion.completionItem.resolveSupport`:
    /// completion items go without it, and `completionItem/resolve` adds it to the one shown.
    pub lazy_documentation: bool,
    /// `detail` is among the same `resolveSupport` properties: items go without their detail
    /// too (a client shows it only for the selected item, which it resolves).
    pub lazy_detail: bool,
    /// `editRange` is among `textDocument.completion.completionList.itemDefaults` (LSP 3.17):
    /// a completion list states the range its items replace once, not on each item.
    pub default_edit_range: bool,
    /// `data` is among the same item defaults: the list states once where its items'
    /// documentation is found again (`completionItem/resolve`).
    pub default_data: bool,
    /// Markdown is among `textDocument.hover.contentFormat`.
    pub hover_markdown: bool,
    /// Markdown is among `textDocument.signatureHelp.signatureInformation.documentationFormat`.
    pub signature_markdown: bool,
    /// `textDocument.signatureHelp.signatureInformation.parameterInformation.labelOffsetSupport`.
    pub label_offsets: bool,
    /// `textDocument.definition.linkSupport`.
    pub definition_links: bool,
    /// `textDocument.documentSymbol.hierarchicalDocumentSymbolSupport`.
    pub hierarchical_symbols: bool,
    /// `workspace.workspaceEdit.documentChanges`.
    pub document_changes: bool,
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`.
    pub watch_files: bool,
    /// `workspace.didChangeWatchedFiles.relativePatternSupport`.
    pub relative_patterns: bool,
    /// `workspace.inlayHint.refreshSupport`: the server asks for the hints again when the
    /// setting that turns them on changes.
    pub inlay_hint_refresh: bool,
    /// `tooltip` is among `textDocument.inlayHint.resolveSupport.properties`: hints go
    /// without their tooltips (a step's raw output runs to kilobytes), and
    /// `inlayHint/resolve` adds the tooltip of the one shown.
    pub lazy_hint_tooltips: bool,
}

impl ClientCaps {
    /// The capabilities that matter, read from the client's.
    pub fn from_client(caps: &ClientCapabilities) -> ClientCaps {
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        let has_markdown = |formats: Option<&Vec<MarkupKind>>| {
            formats.is_some_and(|f| f.contains(&MarkupKind::Markdown))
        };
        let item = text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref());
        let item_defaults = text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_list.as_ref())
            .and_then(|l| l.item_defaults.as_ref());
        let has_default = |name: &str| item_defaults.is_some_and(|d| d.iter().any(|p| p == name));
        let signature = text
            .and_then(|t| t.signature_help.as_ref())
            .and_then(|s| s.signature_information.as_ref());
        let watched = workspace.and_then(|w| w.did_change_watched_files.as_ref());
        ClientCaps {
            snippets: item.and_then(|i| i.snippet_support).unwrap_or(false),
            completion_markdown: has_markdown(item.and_then(|i| i.documentation_format.as_ref())),
            lazy_documentation: item
                .and_then(|i| i.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "documentation")),
            lazy_detail: item
                .and_then(|i| i.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "detail")),
            default_edit_range: has_default("editRange"),
            default_data: has_default("data"),
            hover_markdown: has_markdown(
                text.and_then(|t| t.hover.as_ref())
                    .and_then(|h| h.content_format.as_ref()),
            ),
            signature_markdown: has_markdown(
                signature.and_then(|s| s.documentation_format.as_ref()),
            ),
            label_offsets: signature
                .and_then(|s| s.parameter_information.as_ref())
                .and_then(|p| p.label_offset_support)
                .unwrap_or(false),
            definition_links: text
                .and_then(|t| t.definition.as_ref())
                .and_then(|d| d.link_support)
                .unwrap_or(false),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
                .unwrap_or(false),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            watch_files: watched
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            relative_patterns: watched
                .and_then(|w| w.relative_pattern_support)
                .unwrap_or(false),
            inlay_hint_refresh: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|h| h.refresh_support)
                .unwrap_or(false),
            lazy_hint_tooltips: text
                .and_then(|t| t.inlay_hint.as_ref())
                .and_then(|h| h.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "tooltip")),
        }
    }
}

/// The protocol's name of each token kind, in the order of [`TokenKind::ALL`] (the legend).
/// Standard names, so that every theme colors them: a step id is a `namespace` (its outputs
/// are read through it); an output and a JSON field are both `property`.
pub fn token_type(kind: TokenKind) -> SemanticTokenType {
    match kind {
        TokenKind::Function => SemanticTokenType::FUNCTION,
        TokenKind::Parameter => SemanticTokenType::PARAMETER,
        TokenKind::Step => SemanticTokenType::NAMESPACE,
        TokenKind::Output | TokenKind::Property => SemanticTokenType::PROPERTY,
        TokenKind::Keyword => SemanticTokenType::KEYWORD,
        TokenKind::Variable => SemanticTokenType::VARIABLE,
        TokenKind::String => SemanticTokenType::STRING,
        TokenKind::Number => SemanticTokenType::NUMBER,
        TokenKind::Operator => SemanticTokenType::OPERATOR,
    }
}

/// The protocol's name of each token modifier, in the order of [`TokenModifier::ALL`].
/// `unresolved` is ours (a name the check could not resolve); themes that do not know it
/// ignore it.
pub fn token_modifier(modifier: TokenModifier) -> SemanticTokenModifier {
    match modifier {
        TokenModifier::Declaration => SemanticTokenModifier::DECLARATION,
        TokenModifier::DefaultLibrary => SemanticTokenModifier::DEFAULT_LIBRARY,
        TokenModifier::Unresolved => SemanticTokenModifier::new("unresolved"),
    }
}

/// The semantic tokens legend: token types and modifiers in the core's order.
pub fn semantic_tokens_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TokenKind::ALL.iter().map(|k| token_type(*k)).collect(),
        token_modifiers: TokenModifier::ALL
            .iter()
            .map(|m| token_modifier(*m))
            .collect(),
    }
}

/// The answer to `initialize`: everything the server offers (see the module documentation)
/// and the negotiated position encoding.
/// What the server offers a client with capabilities `caps`: [`initialize_result`], and
/// `inlayHint/resolve` to a client that resolves the tooltips of hints.
pub fn initialize_result_for(encoding: Encoding, caps: &ClientCaps) -> InitializeResult {
    let mut result = initialize_result(encoding);
    if caps.lazy_hint_tooltips {
        result.capabilities.inlay_hint_provider = Some(OneOf::Right(
            InlayHintServerCapabilities::Options(InlayHintOptions {
                work_done_progress_options: WorkDoneProgressOptions::default(),
                resolve_provider: Some(true),
            }),
        ));
    }
    result
}

pub fn initialize_result(encoding: Encoding) -> InitializeResult {
    let sync = TextDocumentSyncOptions {
        open_close: Some(true),
        change: Some(TextDocumentSyncKind::INCREMENTAL),
        will_save: None,
        will_save_wait_until: None,
        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
            include_text: Some(true),
        })),
    };
    let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(sync)),
            completion_provider: Some(CompletionOptions {
                resolve_provider: Some(true),
                trigger_characters: Some(strings(&COMPLETION_TRIGGERS)),
                ..CompletionOptions::default()
            }),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            signature_help_provider: Some(SignatureHelpOptions {
                trigger_characters: Some(strings(&SIGNATURE_TRIGGERS)),
                retrigger_characters: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            }),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_highlight_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::from(SOURCE_FIX_ALL_PLAYBOOK.to_owned()),
                ]),
                work_done_progress_options: WorkDoneProgressOptions::default(),
                resolve_provider: Some(false),
            })),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            document_formatting_provider: Some(OneOf::Left(true)),
            document_range_formatting_provider: Some(OneOf::Left(true)),
            selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
            inlay_hint_provider: Some(OneOf::Left(true)),
            semantic_tokens_provider: Some(
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                    legend: semantic_tokens_legend(),
                    range: Some(true),
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                }),
            ),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "playbook".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
        ..InitializeResult::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_follows_the_cores_order() {
        let legend = semantic_tokens_legend();
        assert_eq!(legend.token_types.len(), TokenKind::ALL.len());
        assert_eq!(legend.token_modifiers.len(), TokenModifier::ALL.len());
        for (i, kind) in TokenKind::ALL.iter().enumerate() {
            assert_eq!(legend.token_types[i], token_type(*kind));
        }
    }

    #[test]
    fn a_silent_client_gets_the_least() {
        let caps = ClientCaps::from_client(&ClientCapabilities::default());
        assert_eq!(caps, ClientCaps::default());
    }

    #[test]
    fn client_capabilities_are_read() {
        let json = serde_json::json!({
            "textDocument": {
                "completion": {"completionItem": {"snippetSupport": true, "documentationFormat": ["markdown"]}},
                "hover": {"contentFormat": ["plaintext", "markdown"]},
                "definition": {"linkSupport": true},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": true}
            },
            "workspace": {
                "workspaceEdit": {"documentChanges": true},
                "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true}
            }
        });
        let client: ClientCapabilities = serde_json::from_value(json).expect("capabilities");
        let caps = ClientCaps::from_client(&client);
        assert!(caps.snippets && caps.completion_markdown && caps.hover_markdown);
        assert!(!caps.signature_markdown);
        assert!(caps.definition_links && caps.hierarchical_symbols && caps.document_changes);
        assert!(caps.watch_files && caps.relative_patterns);
    }
}
