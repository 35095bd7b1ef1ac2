//! The requests: each one a plain function over a [`Snapshot`] that converts the client's
//! positions to byte offsets, asks [`playbook_ide`], and converts its answer back, in the
//! negotiated encoding and in the form the client's capabilities allow. They run on a
//! blocking thread (see [`crate::server`] for how, and for cancellation).
//!
//! A request about a document the server does not know (never opened, not in the workspace)
//! gets an empty answer (`null`), not an error: the client may ask before it sent the text.

use std::collections::HashMap;

use playbook_diagnostics::{TextRange, TextSize};
use playbook_ide::{
    CodeActionKind as IdeActionKind, CompletionDocs, SourceChange, Symbol, Tooltips,
};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    self as proto, CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionResponse, CompletionItem, CompletionList, CompletionParams, CompletionResponse,
    CompletionTextEdit, DocumentHighlight, DocumentHighlightParams, DocumentSymbol,
    DocumentSymbolParams, DocumentSymbolResponse, Documentation, FoldingRange, FoldingRangeParams,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, InlayHint,
    InlayHintLabel, InlayHintParams, InlayHintTooltip, InsertTextFormat, InsertTextMode, Location,
    LocationLink, OneOf, OptionalVersionedTextDocumentIdentifier, ParameterInformation,
    ParameterLabel, Position, PrepareRenameResponse, ReferenceParams, RenameParams, SelectionRange,
    SelectionRangeParams, SemanticTokens, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult, SignatureHelpParams, SignatureInformation,
    SymbolInformation, TextDocumentEdit, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use crate::capabilities::SOURCE_FIX_ALL_PLAYBOOK;
use crate::position::Encoding;
use crate::server::document_key;
use crate::snapshot::{Doc, Docs, Snapshot};
use crate::to_proto;

/// How deep a symbol tree is followed (the core's trees are shallow; this bounds recursion
/// whatever it returns).
const MAX_SYMBOL_DEPTH: usize = 64;

/// The code of an error response for a request that was valid but cannot be carried out
/// (a rename refused): LSP's `RequestFailed`.
pub(crate) const REQUEST_FAILED: i64 = -32803;

/// An error response carrying `message` (a refusal the user should read).
pub(crate) fn request_failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(REQUEST_FAILED),
        message: message.into(),
        data: None,
    }
}

/// The document of a request and the byte offset of its position.
fn doc_at<'s>(
    snap: &'s Snapshot,
    params: &TextDocumentPositionParams,
) -> Option<(Doc<'s>, TextSize)> {
    let uri = &params.text_document.uri;
    let doc = snap.doc(&document_key(uri), uri.clone())?;
    let offset = doc.offset(params.position, snap.encoding);
    Some((doc, offset))
}

/// The document of a request.
fn doc_of<'s>(snap: &'s Snapshot, uri: &Uri) -> Option<Doc<'s>> {
    snap.doc(&document_key(uri), uri.clone())
}

/// A completion list before it is written for the client: its items, and the `data` that
/// names, for `completionItem/resolve`, where they came from.
struct ItemList {
    items: Vec<CompletionItem>,
    data: Option<serde_json::Value>,
}

fn completion_list(snap: &Snapshot, params: &CompletionParams) -> Option<ItemList> {
    let position = params.text_document_position.position;
    let (doc, offset) = doc_at(snap, &params.text_document_position)?;
    let uri = &params.text_document_position.text_document.uri;
    // A client that resolves the documentation of the item it shows gets none in the list:
    // it is most of the list's size, and building it (an output's example pretty-printed)
    // most of its cost. Each item says where to find its documentation again.
    let lazy = snap.caps.lazy_documentation;
    let docs = if lazy {
        CompletionDocs::None
    } else {
        CompletionDocs::All
    };
    // So does its detail when the client resolves that too (a list of hundreds of steps
    // would otherwise carry hundreds of image names that only the selected one shows).
    let lazy_detail = snap.caps.lazy_detail;
    let data = (lazy || lazy_detail).then(|| serde_json::json!([offset, list_document(snap, uri)]));
    let mut last_range = None;
    let items = playbook_ide::completions_with(&snap.db, doc.file, offset, &docs)
        .into_iter()
        .map(|item| {
            // Most items replace the same range: converted once.
            let range = match last_range {
                Some((replace, range)) if replace == item.replace => range,
                _ => {
                    let range = doc.range(item.replace, snap.encoding);
                    last_range = Some((item.replace, range));
                    range
                }
            };
            let mut item = completion_item(snap, range, position, item);
            if lazy_detail {
                item.detail = None;
            }
            item
        })
        .collect();
    Some(ItemList { items, data })
}

/// `textDocument/completion` written as JSON, in LSP 3.17's compact form where the client
/// takes it: the range the items replace and their `data` said once, in the list's
/// `itemDefaults`, and each item's replacement text only where it is not its label
/// (`textEditText`). The protocol types in use have neither field, so this list is written
/// here (and sent by [`crate::completion_layer`]). Otherwise an ordinary `CompletionList`.
pub(crate) fn completion_json(
    snap: &Snapshot,
    params: CompletionParams,
) -> Result<serde_json::Value> {
    let list = if snap.caps.default_edit_range {
        match completion_list(snap, &params) {
            None => return Ok(serde_json::Value::Null),
            Some(list) => match with_item_defaults(list, snap.caps.default_data) {
                Ok(compact) => return Ok(compact),
                Err(list) => Some(list),
            },
        }
    } else {
        completion_list(snap, &params)
    };
    let response = list.map(|ItemList { mut items, data }| {
        for item in &mut items {
            item.data.clone_from(&data);
        }
        // Incomplete: the client asks again as the user types, rather than filtering this
        // list alone, since the core may have filtered it by what was typed (images, as
        // rust-analyzer does for everything).
        CompletionResponse::List(CompletionList {
            is_incomplete: true,
            items,
        })
    });
    serde_json::to_value(response).map_err(|e| crate::server::internal_error(e.to_string()))
}

/// The list with its common edit range (and `data`) in `itemDefaults`; the list back when an
/// item inserts without a text edit, which the default range would wrongly give one.
fn with_item_defaults(
    list: ItemList,
    default_data: bool,
) -> std::result::Result<serde_json::Value, ItemList> {
    let edit_range = |item: &CompletionItem| match &item.text_edit {
        Some(CompletionTextEdit::Edit(edit)) => Some(edit.range),
        _ => None,
    };
    let Some(range) = list.items.first().and_then(edit_range) else {
        return Err(list);
    };
    if list.items.iter().any(|item| edit_range(item).is_none()) {
        return Err(list);
    }
    let ItemList { items, data } = list;
    let items: Vec<serde_json::Value> = items
        .into_iter()
        .filter_map(|mut item| {
            let text = match item.text_edit.take() {
                Some(CompletionTextEdit::Edit(edit)) if edit.range == range => {
                    (edit.new_text != item.label).then_some(edit.new_text)
                }
                other => {
                    item.text_edit = other;
                    None
                }
            };
            if !default_data {
                item.data.clone_from(&data);
            }
            let mut value = serde_json::to_value(item).ok()?;
            if let (Some(text), Some(fields)) = (text, value.as_object_mut()) {
                fields.insert("textEditText".to_owned(), text.into());
            }
            Some(value)
        })
        .collect();
    let mut defaults = serde_json::Map::new();
    defaults.insert("editRange".to_owned(), serde_json::json!(range));
    if let (true, Some(data)) = (default_data, data) {
        defaults.insert("data".to_owned(), data);
    }
    Ok(serde_json::json!({
        "isIncomplete": true,
        "itemDefaults": defaults,
        "items": items,
    }))
}

/// One completion item: a text edit of the item's `replace` range (when it is on one line
/// and holds the cursor, as the protocol requires; else only the insert text), a snippet
/// only for a client that supports them (else the snippet's plain text).
fn completion_item(
    snap: &Snapshot,
    range: proto::Range,
    cursor: Position,
    item: playbook_ide::Completion,
) -> CompletionItem {
    let (insert, format) = if !item.snippet {
        (item.insert, InsertTextFormat::PLAIN_TEXT)
    } else if snap.caps.snippets {
        (item.insert, InsertTextFormat::SNIPPET)
    } else {
        (
            to_proto::strip_snippet(&item.insert),
            InsertTextFormat::PLAIN_TEXT,
        )
    };
    // The client filters the items by the text typed so far (the replace range up to the
    // cursor) against the filter text, the label by default. An item whose insertion does
    // not start with its label (a name written in quotes) is filtered by what it inserts.
    let plain = if format == InsertTextFormat::SNIPPET {
        to_proto::strip_snippet(&insert)
    } else {
        insert.clone()
    };
    let filter_text = (!plain.starts_with(&item.label) && !plain.trim().is_empty())
        .then(|| plain.trim().to_owned());
    let holds_cursor = range.start.line == range.end.line
        && range.start.line == cursor.line
        && range.start.character <= cursor.character
        && cursor.character <= range.end.character;
    // A key whose value is a mapping inserts lines already indented for the document: the
    // client must not indent them again.
    let insert_text_mode = insert.contains('\n').then_some(InsertTextMode::AS_IS);
    let (text_edit, insert_text) = if holds_cursor {
        (
            Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: insert,
            })),
            None,
        )
    } else {
        (None, Some(insert))
    };
    CompletionItem {
        label: item.label,
        kind: Some(to_proto::completion_kind(item.kind)),
        detail: item.detail,
        documentation: item.documentation.map(|text| {
            Documentation::MarkupContent(to_proto::markup(text, snap.caps.completion_markdown))
        }),
        sort_text: item.sort,
        filter_text,
        insert_text,
        // Plain text is the default: said only of snippets, as every item is sent each time.
        insert_text_format: (format == InsertTextFormat::SNIPPET).then_some(format),
        insert_text_mode,
        text_edit,
        ..CompletionItem::default()
    }
}

/// How a completion item's `data` names the list's document, for `completionItem/resolve`:
/// an open document by a 32-bit hash of its URI (a few bytes rather than the URI, on each of
/// hundreds of items), any other by its URI.
fn list_document(snap: &Snapshot, uri: &Uri) -> serde_json::Value {
    if snap.documents.values().any(|(open, _)| open == uri) {
        serde_json::Value::from(uri_hash(uri))
    } else {
        serde_json::Value::from(uri.as_str())
    }
}

/// The document an item's `data` names ([`list_document`]).
fn document_of_list(snap: &Snapshot, data: &serde_json::Value) -> Option<Uri> {
    match data {
        serde_json::Value::Number(n) => {
            let hash = n.as_u64()?;
            snap.documents
                .values()
                .map(|(uri, _)| uri)
                .find(|uri| u64::from(uri_hash(uri)) == hash)
                .cloned()
        }
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// FNV-1a over the URI's text.
fn uri_hash(uri: &Uri) -> u32 {
    uri.as_str().bytes().fold(0x811c_9dc5, |hash: u32, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// `completionItem/resolve`: the documentation and detail of an item sent without them (see
/// `lazy_documentation` and `lazy_detail` in [`ClientCaps`](crate::capabilities::ClientCaps)),
/// found by completing again where the item came from. An item whose document has changed since, or that
/// completion no longer offers there, comes back as it is.
pub(crate) fn completion_resolve(
    snap: &Snapshot,
    mut item: CompletionItem,
) -> Result<CompletionItem> {
    let Some(data) = item.data.as_ref() else {
        return Ok(item);
    };
    let (Some(offset), Some(document)) = (
        data.get(0).and_then(|o| o.as_u64()),
        data.get(1).and_then(|d| document_of_list(snap, d)),
    ) else {
        return Ok(item);
    };
    let label = item.label.as_str();
    let (Some(doc), Ok(offset)) = (doc_of(snap, &document), TextSize::try_from(offset)) else {
        return Ok(item);
    };
    if offset as usize > doc.text.len() {
        return Ok(item);
    }
    let docs = CompletionDocs::Of(label.to_owned());
    let Some(found) = playbook_ide::completions_with(&snap.db, doc.file, offset, &docs)
        .into_iter()
        .find(|c| c.label == label)
    else {
        return Ok(item);
    };
    if item.detail.is_none() {
        item.detail = found.detail;
    }
    if let Some(text) = found.documentation {
        item.documentation = Some(Documentation::MarkupContent(to_proto::markup(
            text,
            snap.caps.completion_markdown,
        )));
    }
    Ok(item)
}

pub(crate) fn hover(snap: &Snapshot, params: HoverParams) -> Result<Option<Hover>> {
    let Some((doc, offset)) = doc_at(snap, &params.text_document_position_params) else {
        return Ok(None);
    };
    Ok(
        playbook_ide::hover(&snap.db, doc.file, offset).map(|hover| Hover {
            contents: HoverContents::Markup(to_proto::markup(
                hover.markdown,
                snap.caps.hover_markdown,
            )),
            range: Some(doc.range(hover.range, snap.encoding)),
        }),
    )
}

/// The offline value of each template in the range, when the setting turns them on.
pub(crate) fn inlay_hint(
    snap: &Snapshot,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>> {
    if !snap.settings.template_values {
        return Ok(Some(Vec::new()));
    }
    let Some(doc) = doc_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let range = doc.text_range(params.range, snap.encoding);
    // A client that resolves tooltips gets hints without them: a few are the kilobytes of a
    // step's raw output. Each such hint says where its tooltip is.
    let tooltips = if snap.caps.lazy_hint_tooltips {
        Tooltips::Later
    } else {
        Tooltips::Now
    };
    let hints = playbook_ide::inlay_hints_with(&snap.db, doc.file, range, tooltips);
    let document = list_document(snap, &params.text_document.uri);
    Ok(Some(
        hints
            .into_iter()
            .map(|hint| {
                let data = hint.later.map(|scalar| {
                    serde_json::json!([scalar.start(), scalar.end(), document.clone()])
                });
                let mut hint = to_proto::inlay_hint(
                    doc.text,
                    doc.index,
                    hint,
                    snap.encoding,
                    snap.caps.hover_markdown,
                );
                hint.data = data;
                hint
            })
            .collect(),
    ))
}

/// `inlayHint/resolve`: the tooltip of a hint sent without it (see `lazy_hint_tooltips` in
/// [`ClientCaps`](crate::capabilities::ClientCaps)), found by the range of its template in
/// its `data`: `[start, end, document]` (the document as a completion item names it). A hint
/// whose template is no longer there since an edit, or no longer has its label, comes back
/// as it is.
pub(crate) fn inlay_hint_resolve(snap: &Snapshot, mut hint: InlayHint) -> Result<InlayHint> {
    let Some(data) = hint.data.as_ref() else {
        return Ok(hint);
    };
    let offset = |i: usize| {
        data.get(i)
            .and_then(serde_json::Value::as_u64)
            .and_then(|o| TextSize::try_from(o).ok())
    };
    let (Some(start), Some(end), Some(document)) = (
        offset(0),
        offset(1),
        data.get(2).and_then(|d| document_of_list(snap, d)),
    ) else {
        return Ok(hint);
    };
    let Some(doc) = doc_of(snap, &document) else {
        return Ok(hint);
    };
    if start > end || end as usize > doc.text.len() {
        return Ok(hint);
    }
    let scalar = TextRange::new(start, end);
    let Some((label, tooltip)) = playbook_ide::inlay_hint_tooltip(&snap.db, doc.file, scalar)
    else {
        return Ok(hint);
    };
    if matches!(&hint.label, InlayHintLabel::String(l) if *l == label) {
        hint.tooltip = Some(InlayHintTooltip::MarkupContent(to_proto::markup(
            tooltip,
            snap.caps.hover_markdown,
        )));
    }
    Ok(hint)
}

pub(crate) fn goto_definition(
    snap: &Snapshot,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let Some((doc, offset)) = doc_at(snap, &params.text_document_position_params) else {
        return Ok(None);
    };
    let targets = playbook_ide::goto_definition(&snap.db, doc.file, offset);
    if targets.is_empty() {
        return Ok(None);
    }
    let mut docs = Docs::new(snap);
    let encoding = snap.encoding;
    if snap.caps.definition_links {
        let links: Vec<LocationLink> = targets
            .iter()
            .filter_map(|target| {
                let target_doc = docs.get(&target.path)?;
                // The protocol wants the selection inside the whole.
                let full = target.full.cover(target.focus);
                Some(LocationLink {
                    origin_selection_range: None,
                    target_uri: target_doc.uri.clone(),
                    target_range: target_doc.range(full, encoding),
                    target_selection_range: target_doc.range(target.focus, encoding),
                })
            })
            .collect();
        Ok(Some(GotoDefinitionResponse::Link(links)))
    } else {
        let locations: Vec<Location> = targets
            .iter()
            .filter_map(|target| docs.location(&target.path, target.focus))
            .collect();
        Ok(Some(GotoDefinitionResponse::Array(locations)))
    }
}

pub(crate) fn references(
    snap: &Snapshot,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>> {
    let Some((doc, offset)) = doc_at(snap, &params.text_document_position) else {
        return Ok(None);
    };
    let include_declaration = params.context.include_declaration;
    let Some(ranges) = playbook_ide::references(&snap.db, doc.file, offset, include_declaration)
    else {
        return Ok(None);
    };
    let mut docs = Docs::new(snap);
    Ok(Some(
        ranges
            .iter()
            .filter_map(|r| docs.location(&r.path, r.range))
            .collect(),
    ))
}

pub(crate) fn document_highlight(
    snap: &Snapshot,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let Some((doc, offset)) = doc_at(snap, &params.text_document_position_params) else {
        return Ok(None);
    };
    Ok(Some(
        playbook_ide::document_highlight(&snap.db, doc.file, offset)
            .into_iter()
            .map(|h| DocumentHighlight {
                range: doc.range(h.range, snap.encoding),
                kind: Some(to_proto::highlight_kind(h.kind)),
            })
            .collect(),
    ))
}

pub(crate) fn prepare_rename(
    snap: &Snapshot,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some((doc, offset)) = doc_at(snap, &params) else {
        return Ok(None);
    };
    match playbook_ide::prepare_rename(&snap.db, doc.file, offset) {
        Ok(target) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: doc.range(target.range, snap.encoding),
            placeholder: target.placeholder,
        })),
        Err(message) => Err(request_failed(message)),
    }
}

pub(crate) fn rename(snap: &Snapshot, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let Some((doc, offset)) = doc_at(snap, &params.text_document_position) else {
        return Ok(None);
    };
    match playbook_ide::rename(&snap.db, doc.file, offset, &params.new_name) {
        Ok(change) => workspace_edit(snap, &change)
            .map(Some)
            .map_err(request_failed),
        Err(message) => Err(request_failed(message)),
    }
}

/// The workspace edit of a change: `documentChanges` (each open document with its version,
/// so that the client refuses an edit of a document that changed since) when the client
/// supports them, else `changes`. `Err` names a file the snapshot does not have, since
/// leaving its edits out would apply half a change.
pub(crate) fn workspace_edit(
    snap: &Snapshot,
    change: &SourceChange,
) -> std::result::Result<WorkspaceEdit, String> {
    let mut docs = Docs::new(snap);
    let mut files: Vec<(Uri, Option<i32>, Vec<TextEdit>)> = Vec::new();
    for (path, edits) in &change.edits {
        if edits.is_empty() {
            continue;
        }
        let doc = docs
            .get(path)
            .ok_or_else(|| format!("cannot edit {path}: it is not in the workspace"))?;
        let text_edits = edits
            .iter()
            .map(|edit| TextEdit {
                range: doc.range(edit.range, snap.encoding),
                new_text: edit.text.clone(),
            })
            .collect();
        files.push((doc.uri.clone(), snap.version_of(path), text_edits));
    }
    if snap.caps.document_changes {
        let edits = files
            .into_iter()
            .map(|(uri, version, edits)| TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
            .collect();
        Ok(WorkspaceEdit {
            changes: None,
            document_changes: Some(proto::DocumentChanges::Edits(edits)),
            change_annotations: None,
        })
    } else {
        let changes: HashMap<Uri, Vec<TextEdit>> = files
            .into_iter()
            .map(|(uri, _, edits)| (uri, edits))
            .collect();
        Ok(WorkspaceEdit {
            changes: Some(changes),
            document_changes: None,
            change_annotations: None,
        })
    }
}

pub(crate) fn document_symbol(
    snap: &Snapshot,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let Some(doc) = doc_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let symbols = playbook_ide::document_symbols(&snap.db, doc.file);
    if snap.caps.hierarchical_symbols {
        Ok(Some(DocumentSymbolResponse::Nested(
            symbols
                .iter()
                .map(|s| document_symbol_tree(&doc, s, snap.encoding, 0))
                .collect(),
        )))
    } else {
        let mut flat = Vec::new();
        for symbol in &symbols {
            flatten_symbol(&doc, symbol, None, snap.encoding, 0, &mut flat);
        }
        Ok(Some(DocumentSymbolResponse::Flat(flat)))
    }
}

/// A symbol and its children. The range covers the selection, as the protocol requires
/// (VS Code drops the whole outline otherwise).
fn document_symbol_tree(
    doc: &Doc<'_>,
    symbol: &Symbol,
    encoding: Encoding,
    depth: usize,
) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = if depth < MAX_SYMBOL_DEPTH {
        symbol
            .children
            .iter()
            .map(|child| document_symbol_tree(doc, child, encoding, depth + 1))
            .collect()
    } else {
        Vec::new()
    };
    #[allow(deprecated)]
    DocumentSymbol {
        name: non_empty_name(&symbol.name),
        detail: symbol.detail.clone(),
        kind: to_proto::symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: doc.range(symbol.range.cover(symbol.selection), encoding),
        selection_range: doc.range(symbol.selection, encoding),
        children: (!children.is_empty()).then_some(children),
    }
}

/// A symbol and its descendants as flat symbol information, each naming its parent.
fn flatten_symbol(
    doc: &Doc<'_>,
    symbol: &Symbol,
    container: Option<&str>,
    encoding: Encoding,
    depth: usize,
    out: &mut Vec<SymbolInformation>,
) {
    #[allow(deprecated)]
    out.push(SymbolInformation {
        name: non_empty_name(&symbol.name),
        kind: to_proto::symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        location: Location {
            uri: doc.uri.clone(),
            range: doc.range(symbol.range, encoding),
        },
        container_name: container.map(str::to_owned),
    });
    if depth < MAX_SYMBOL_DEPTH {
        for child in &symbol.children {
            flatten_symbol(doc, child, Some(&symbol.name), encoding, depth + 1, out);
        }
    }
}

/// A symbol's name for the protocol, which refuses empty names (VS Code throws).
fn non_empty_name(name: &str) -> String {
    if name.trim().is_empty() {
        "(unnamed)".to_owned()
    } else {
        name.to_owned()
    }
}

pub(crate) fn workspace_symbol(
    snap: &Snapshot,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let mut docs = Docs::new(snap);
    #[allow(deprecated)]
    let symbols: Vec<SymbolInformation> = playbook_ide::workspace_symbols(&snap.db, &params.query)
        .into_iter()
        .filter_map(|symbol| {
            Some(SymbolInformation {
                location: docs.location(&symbol.path, symbol.range)?,
                name: non_empty_name(&symbol.name),
                kind: to_proto::symbol_kind(symbol.kind),
                tags: None,
                deprecated: None,
                container_name: symbol.container,
            })
        })
        .collect();
    Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
}

pub(crate) fn semantic_tokens_full(
    snap: &Snapshot,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let Some(doc) = doc_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let tokens = semantic_tokens(snap, &doc, None);
    Ok(Some(SemanticTokensResult::Tokens(tokens)))
}

pub(crate) fn semantic_tokens_range(
    snap: &Snapshot,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    let Some(doc) = doc_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let range = doc.text_range(params.range, snap.encoding);
    let tokens = semantic_tokens(snap, &doc, Some(range));
    Ok(Some(SemanticTokensRangeResult::Tokens(tokens)))
}

fn semantic_tokens(snap: &Snapshot, doc: &Doc<'_>, range: Option<TextRange>) -> SemanticTokens {
    let tokens = playbook_ide::semantic_tokens(&snap.db, doc.file, range);
    SemanticTokens {
        result_id: None,
        data: to_proto::semantic_tokens(doc.text, doc.index, &tokens, snap.encoding),
    }
}

pub(crate) fn code_action(
    snap: &Snapshot,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let Some(doc) = doc_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let range = doc.text_range(params.range, snap.encoding);
    let only = params.context.only.as_deref();
    let mut actions = Vec::new();
    for action in playbook_ide::code_actions(&snap.db, doc.file, range) {
        let kind = match action.kind {
            IdeActionKind::QuickFix => CodeActionKind::QUICKFIX,
            IdeActionKind::SourceFixAll => CodeActionKind::from(SOURCE_FIX_ALL_PLAYBOOK.to_owned()),
        };
        if let Some(only) = only
            && !only.iter().any(|wanted| kind_is_within(&kind, wanted))
        {
            continue;
        }
        // The context's diagnostics this action fixes: same code, same range.
        let diagnostics: Vec<proto::Diagnostic> = match action.diagnostic {
            Some((code, fixed)) => {
                let fixed = doc.range(fixed, snap.encoding);
                params
                    .context
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        d.range == fixed
                            && d.code == Some(proto::NumberOrString::String(code.to_owned()))
                    })
                    .cloned()
                    .collect()
            }
            None => Vec::new(),
        };
        let Ok(edit) = workspace_edit(snap, &action.edit) else {
            continue;
        };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: action.title,
            kind: Some(kind),
            diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
            edit: Some(edit),
            command: None,
            is_preferred: action.preferred.then_some(true),
            disabled: None,
            data: None,
        }));
    }
    Ok(Some(actions))
}

/// Whether code action kind `kind` is `wanted` or one of its sub-kinds (`source.fixAll.playbook`
/// is within `source` and `source.fixAll`).
fn kind_is_within(kind: &CodeActionKind, wanted: &CodeActionKind) -> bool {
    let (kind, wanted) = (kind.as_str(), wanted.as_str());
    wanted.is_empty()
        || kind == wanted
        || (kind.starts_with(wanted) && kind.as_bytes().get(wanted.len()) == Some(&b'.'))
}

pub(crate) fn signature_help(
    snap: &Snapshot,
    params: SignatureHelpParams,
) -> Result<Option<proto::SignatureHelp>> {
    let Some((doc, offset)) = doc_at(snap, &params.text_document_position_params) else {
        return Ok(None);
    };
    let Some(help) = playbook_ide::signature_help(&snap.db, doc.file, offset) else {
        return Ok(None);
    };
    let parameters: Vec<ParameterInformation> = help
        .parameters
        .iter()
        .filter_map(|&(start, end)| {
            let (start, end) = (start as usize, end as usize);
            let text = help.label.get(start..end)?;
            let label = if snap.caps.label_offsets {
                let units = |s: &str| -> u32 {
                    match snap.encoding {
                        Encoding::Utf16 => s.encode_utf16().count() as u32,
                        Encoding::Utf8 => s.len() as u32,
                    }
                };
                let before = help.label.get(..start)?;
                ParameterLabel::LabelOffsets([units(before), units(before) + units(text)])
            } else {
                ParameterLabel::Simple(text.to_owned())
            };
            Some(ParameterInformation {
                label,
                documentation: None,
            })
        })
        .collect();
    let active_parameter = help.active_parameter;
    Ok(Some(proto::SignatureHelp {
        signatures: vec![SignatureInformation {
            label: help.label,
            documentation: help.documentation.map(|text| {
                Documentation::MarkupContent(to_proto::markup(text, snap.caps.signature_markdown))
            }),
            parameters: Some(parameters),
            active_parameter,
        }],
        active_signature: Some(0),
        active_parameter,
    }))
}

/// The edits that format a playbook file, or the part of it `range` touches, with the
/// `[format]` settings of `playbook.toml` (the client's tab size is not the project's
/// style): none for a file with YAML syntax errors, for other YAML, or when `[format]` could
/// not be read (`playbook fmt` refuses to run then).
pub(crate) fn formatting(
    snap: &Snapshot,
    uri: &Uri,
    range: Option<proto::Range>,
) -> Result<Option<Vec<TextEdit>>> {
    let Some(doc) = doc_of(snap, uri) else {
        return Ok(None);
    };
    if snap.format.invalid {
        return Ok(None);
    }
    let options = playbook_ide::FormatOptions {
        indent: snap.format.indent,
        indent_sequences: snap.format.indent_sequences,
    };
    let range = range.map(|r| doc.text_range(r, snap.encoding));
    let Some(edits) = playbook_ide::formatting(&snap.db, doc.file, range, &options) else {
        return Ok(None);
    };
    Ok(Some(
        edits
            .into_iter()
            .map(|edit| TextEdit {
                range: doc.range(edit.range, snap.encoding),
                new_text: edit.text,
            })
            .collect(),
    ))
}

pub(crate) fn folding_range(
    snap: &Snapshot,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    let Some(doc) = doc_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let folds = playbook_ide::folding_ranges(&snap.db, doc.file);
    Ok(Some(to_proto::folding_ranges(doc.index, &folds)))
}

pub(crate) fn selection_range(
    snap: &Snapshot,
    params: SelectionRangeParams,
) -> Result<Option<Vec<SelectionRange>>> {
    let Some(doc) = doc_of(snap, &params.text_document.uri) else {
        return Ok(None);
    };
    let offsets: Vec<TextSize> = params
        .positions
        .iter()
        .map(|p| doc.offset(*p, snap.encoding))
        .collect();
    let answers = playbook_ide::selection_ranges(&snap.db, doc.file, &offsets);
    let ranges = offsets
        .iter()
        .enumerate()
        .map(|(i, &offset)| {
            // One answer per position, whatever the core returned.
            let nested = answers
                .get(i)
                .map(|ranges| to_proto::nested_ranges(ranges))
                .unwrap_or_default();
            let mut selection: Option<SelectionRange> = None;
            for range in nested.iter().rev() {
                selection = Some(SelectionRange {
                    range: doc.range(*range, snap.encoding),
                    parent: selection.map(Box::new),
                });
            }
            selection.unwrap_or_else(|| SelectionRange {
                range: doc.range(TextRange::empty(offset), snap.encoding),
                parent: None,
            })
        })
        .collect();
    Ok(Some(ranges))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_action_kinds_nest() {
        let fix_all = CodeActionKind::from(SOURCE_FIX_ALL_PLAYBOOK.to_owned());
        assert!(kind_is_within(&fix_all, &CodeActionKind::SOURCE));
        assert!(kind_is_within(&fix_all, &CodeActionKind::SOURCE_FIX_ALL));
        assert!(kind_is_within(&fix_all, &fix_all));
        assert!(!kind_is_within(&fix_all, &CodeActionKind::QUICKFIX));
        assert!(!kind_is_within(
            &CodeActionKind::QUICKFIX,
            &CodeActionKind::SOURCE
        ));
        assert!(!kind_is_within(
            &CodeActionKind::from("sourcery".to_owned()),
            &CodeActionKind::SOURCE
        ));
    }
}
