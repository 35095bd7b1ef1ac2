//! The editor requests driven in-process: every request type round-trips, for a rich client
//! (snippets, Markdown, links, hierarchical symbols, versioned edits) and for a client that
//! says nothing, with every position of every answer inside its document; a refused rename
//! is an error response carrying the refusal; a request about an unknown document gets an
//! empty answer; a request concurrent with edits is answered on its text or cancelled with
//! `ContentModified`, never answered from an older text.
//!
//! What the answers contain is tested with fixtures in `playbook-ide`; here the protocol is.

#![allow(clippy::unwrap_used)]

mod common;

use common::{
    Client, Edit, Rng, Units, assert_position_inside, assert_range_inside, decode_semantic_tokens,
    did_change, did_open, position_value, rich_capabilities,
};
use playbook_lsp::SessionEnd;
use serde_json::{Value, json};

const URI: &str = "file:///w/redis%20check.yaml";

/// A playbook with parameters, steps in a block, templates with functions, multi-byte text
/// and a CRLF line.
const PLAYBOOK: &str = "apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-check
  description: Vérifie Redis 😀\r
parameters:
  - name: RedisHost
    type: var
    description: The host.
  - name: 'redis-ip'
    type: var
steps:
  - name: registry.example.com/playbook-steps/redis/info
    id: info
    env:
      HOST: \"{{ $.params.RedisHost }} 😀 {{ index $.params \\\"redis-ip\\\" }}\"
      PORT: |
        {{ if .evicting }}
          {{ printf \"%s:%d\" $.params.RedisHost 6379 }}
        {{ end }}
  - block:
      - name: registry.example.com/playbook-steps/redis/info
        id: again
        when: \"{{ $.info.memory }}\"
";

/// The `(line, character)` in UTF-16 units of the first `needle` in `text`, plus `delta`
/// characters.
fn at(text: &str, needle: &str, delta: usize) -> Value {
    let offset = text.find(needle).unwrap();
    let offset = text[offset..]
        .char_indices()
        .nth(delta)
        .map_or(text.len(), |(i, _)| offset + i);
    let (line, character) = common::position_of(text, offset, Units::Utf16);
    json!({"line": line, "character": character})
}

fn doc_position(position: Value) -> Value {
    json!({"textDocument": {"uri": URI}, "position": position})
}

/// The result of a request that must succeed.
async fn ok(client: &mut Client, method: &str, params: Value) -> Value {
    let response = client.request(method, params).await;
    assert!(response.get("error").is_none(), "{method}: {response}");
    response["result"].clone()
}

/// Asserts that every location (or location link) of `locations` in the document is inside it.
fn assert_locations_inside(text: &str, locations: &Value) {
    for location in locations.as_array().cloned().unwrap_or_default() {
        if location["uri"] == URI {
            assert_range_inside(text, &location["range"], Units::Utf16);
        }
        if location["targetUri"] == URI {
            assert_range_inside(text, &location["targetRange"], Units::Utf16);
            assert_range_inside(text, &location["targetSelectionRange"], Units::Utf16);
        }
    }
}

/// Asserts that the edits of a workspace edit for the document are inside it.
fn assert_edit_inside(text: &str, edit: &Value) {
    if let Some(changes) = edit["changes"].as_object() {
        for edit in changes
            .get(URI)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert_range_inside(text, &edit["range"], Units::Utf16);
        }
    }
    for change in edit["documentChanges"].as_array().into_iter().flatten() {
        if change["textDocument"]["uri"] == URI {
            for edit in change["edits"].as_array().unwrap() {
                assert_range_inside(text, &edit["range"], Units::Utf16);
            }
        }
    }
}

/// Asserts a rename or prepareRename response: an answer inside the document, or a refusal
/// (`RequestFailed`, -32803) with a message.
fn assert_rename_answer(text: &str, response: &Value) {
    if let Some(error) = response.get("error") {
        assert_eq!(error["code"], -32803, "{response}");
        assert!(
            !error["message"].as_str().unwrap().trim().is_empty(),
            "{response}"
        );
    } else if let Some(range) = response["result"].get("range") {
        assert_range_inside(text, range, Units::Utf16);
    } else if !response["result"].is_null() {
        assert_edit_inside(text, &response["result"]);
    }
}

/// Every request type, at several positions, for a client with `capabilities`.
async fn every_request_round_trips(capabilities: Value) {
    let (mut client, _) = Client::initialized(capabilities).await;
    let text = PLAYBOOK;
    client.send(&did_open(URI, 1, text)).await;
    let published = client.diagnostics_for(URI).await;
    let diagnostics = published["diagnostics"].clone();
    let positions = [
        at(text, "$.params.RedisHost", 2),
        at(text, "$.params.RedisHost", 12),
        at(text, "index", 2),
        at(text, "printf", 7),
        at(text, "RedisHost\n", 0),
        at(text, "registry.example.com", 5),
        at(text, "$.info.memory", 3),
        at(text, "😀", 1),
        json!({"line": 0, "character": 0}),
        // Past the end: clamped.
        json!({"line": 999, "character": 999}),
    ];
    for position in &positions {
        let completion = ok(
            &mut client,
            "textDocument/completion",
            doc_position(position.clone()),
        )
        .await;
        let items = completion["items"].as_array().cloned().unwrap_or_default();
        for item in items {
            assert!(item["label"].is_string(), "{item}");
            if let Some(edit) = item.get("textEdit") {
                assert_range_inside(text, &edit["range"], Units::Utf16);
            }
        }

        let hover = ok(
            &mut client,
            "textDocument/hover",
            doc_position(position.clone()),
        )
        .await;
        if !hover.is_null() {
            assert!(hover["contents"]["value"].is_string(), "{hover}");
            assert_range_inside(text, &hover["range"], Units::Utf16);
        }

        let definition = ok(
            &mut client,
            "textDocument/definition",
            doc_position(position.clone()),
        )
        .await;
        assert_locations_inside(text, &definition);

        let mut params = doc_position(position.clone());
        params["context"] = json!({"includeDeclaration": true});
        let references = ok(&mut client, "textDocument/references", params).await;
        assert_locations_inside(text, &references);

        let highlights = ok(
            &mut client,
            "textDocument/documentHighlight",
            doc_position(position.clone()),
        )
        .await;
        for highlight in highlights.as_array().cloned().unwrap_or_default() {
            assert_range_inside(text, &highlight["range"], Units::Utf16);
        }

        let signature = ok(
            &mut client,
            "textDocument/signatureHelp",
            doc_position(position.clone()),
        )
        .await;
        if !signature.is_null() {
            assert!(!signature["signatures"].as_array().unwrap().is_empty());
        }

        let prepare = client
            .request("textDocument/prepareRename", doc_position(position.clone()))
            .await;
        assert_rename_answer(text, &prepare);
        let mut params = doc_position(position.clone());
        params["newName"] = json!("NewName");
        let rename = client.request("textDocument/rename", params).await;
        assert_rename_answer(text, &rename);
    }

    let document = json!({"textDocument": {"uri": URI}});
    let symbols = ok(&mut client, "textDocument/documentSymbol", document.clone()).await;
    assert!(symbols.is_array(), "{symbols}");
    for symbol in symbols.as_array().unwrap() {
        if let Some(range) = symbol.get("range") {
            assert_range_inside(text, range, Units::Utf16);
            assert_range_inside(text, &symbol["selectionRange"], Units::Utf16);
        } else {
            assert_range_inside(text, &symbol["location"]["range"], Units::Utf16);
        }
    }
    let workspace_symbols = ok(&mut client, "workspace/symbol", json!({"query": "redis"})).await;
    assert!(workspace_symbols.is_array(), "{workspace_symbols}");

    let tokens = ok(
        &mut client,
        "textDocument/semanticTokens/full",
        document.clone(),
    )
    .await;
    let full = decode_semantic_tokens(text, &tokens["data"], Units::Utf16);
    let mut params = document.clone();
    params["range"] =
        json!({"start": {"line": 14, "character": 0}, "end": {"line": 20, "character": 0}});
    let tokens = ok(&mut client, "textDocument/semanticTokens/range", params).await;
    let range = decode_semantic_tokens(text, &tokens["data"], Units::Utf16);
    assert!(range.len() <= full.len());

    let folds = ok(&mut client, "textDocument/foldingRange", document.clone()).await;
    let line_count = common::lines(text).len() as u64;
    for fold in folds.as_array().unwrap() {
        assert!(
            fold["startLine"].as_u64() < fold["endLine"].as_u64(),
            "{fold}"
        );
        assert!(fold["endLine"].as_u64().unwrap() < line_count, "{fold}");
    }

    let mut params = document.clone();
    params["positions"] = Value::Array(positions[..4].to_vec());
    let selections = ok(&mut client, "textDocument/selectionRange", params).await;
    let selections = selections.as_array().unwrap();
    assert_eq!(selections.len(), 4, "one answer per position");
    for (selection, position) in selections.iter().zip(&positions) {
        // Each range holds the position, and each parent holds its child.
        let mut current = selection;
        let mut inner = (position_value(position), position_value(position));
        loop {
            assert_range_inside(text, &current["range"], Units::Utf16);
            let start = position_value(&current["range"]["start"]);
            let end = position_value(&current["range"]["end"]);
            assert!(start <= inner.0 && inner.1 <= end, "{selection}");
            inner = (start, end);
            match current.get("parent") {
                Some(parent) if !parent.is_null() => current = parent,
                _ => break,
            }
        }
    }

    // Code actions: for the whole document with its diagnostics, then only the fix-all.
    let whole =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": line_count, "character": 0}});
    let mut params = document.clone();
    params["range"] = whole.clone();
    params["context"] = json!({"diagnostics": diagnostics});
    let actions = ok(&mut client, "textDocument/codeAction", params).await;
    for action in actions.as_array().unwrap() {
        let kind = action["kind"].as_str().unwrap();
        assert!(
            kind == "quickfix" || kind == "source.fixAll.playbook",
            "{action}"
        );
        for fixed in action["diagnostics"].as_array().into_iter().flatten() {
            assert!(diagnostics.as_array().unwrap().contains(fixed), "{action}");
        }
        assert_edit_inside(text, &action["edit"]);
    }
    let mut params = document.clone();
    params["range"] = whole;
    params["context"] = json!({"diagnostics": [], "only": ["source.fixAll"]});
    let actions = ok(&mut client, "textDocument/codeAction", params).await;
    for action in actions.as_array().unwrap() {
        assert_eq!(action["kind"], "source.fixAll.playbook", "{action}");
    }

    // The document is unchanged, and the server still runs.
    assert_eq!(client.server_text(URI).await, text);
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn every_request_round_trips_for_a_rich_client() {
    every_request_round_trips(rich_capabilities()).await;
}

#[tokio::test]
async fn every_request_round_trips_for_a_client_that_says_nothing() {
    every_request_round_trips(json!({})).await;
}

/// A client that resolves `documentation` (and `detail`) lazily, as VS Code does, gets items
/// without them, and `completionItem/resolve` gives them for the item shown; a client that
/// does not gets them inline.
#[tokio::test]
async fn completion_documentation_is_resolved_when_the_client_asks_for_it() {
    let lazy = |properties: Value| {
        let mut capabilities = rich_capabilities();
        capabilities["textDocument"]["completion"]["completionItem"]["resolveSupport"] =
            json!({ "properties": properties });
        capabilities
    };
    let position = doc_position(at(PLAYBOOK, "$.params.RedisHost", 9));
    for (capabilities, resolves, resolves_detail) in [
        (lazy(json!(["documentation"])), true, false),
        (lazy(json!(["documentation", "detail"])), true, true),
        (rich_capabilities(), false, false),
    ] {
        let (mut client, _) = Client::initialized(capabilities).await;
        client.send(&did_open(URI, 1, PLAYBOOK)).await;
        client.diagnostics_for(URI).await;
        let completion = ok(&mut client, "textDocument/completion", position.clone()).await;
        let items = completion["items"].as_array().cloned().unwrap_or_default();
        let item = items
            .iter()
            .find(|i| i["label"] == "RedisHost")
            .unwrap_or_else(|| panic!("no RedisHost in {completion}"))
            .clone();
        assert_eq!(item.get("documentation").is_none(), resolves, "{item}");
        assert_eq!(item.get("detail").is_none(), resolves_detail, "{item}");
        if resolves {
            // The item names its open document by a hash, not by its URI.
            assert!(!item["data"].to_string().contains(URI), "{item}");
            let resolved = ok(&mut client, "completionItem/resolve", item).await;
            let text = resolved["documentation"]["value"].as_str().unwrap_or("");
            assert!(text.contains("The host."), "{resolved}");
            let detail = resolved["detail"].as_str().unwrap_or("");
            assert_eq!(detail, "var", "{resolved}");
        }
        assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
    }
}

/// A rename the core refuses (a name that is not one, or a position on no name) is an error
/// response carrying the core's message, with LSP's `RequestFailed` code.
#[tokio::test]
async fn a_refused_rename_is_an_error_carrying_the_message() {
    let (mut client, _) = Client::initialized(rich_capabilities()).await;
    client.send(&did_open(URI, 1, PLAYBOOK)).await;
    client.diagnostics_for(URI).await;
    // On the `kind` key: nothing to rename.
    let on_no_name = doc_position(at(PLAYBOOK, "kind:", 1));
    for method in ["textDocument/prepareRename", "textDocument/rename"] {
        let mut params = on_no_name.clone();
        params["newName"] = json!("Other");
        let response = client.request(method, params).await;
        assert_eq!(response["error"]["code"], -32803, "{method}: {response}");
        let message = response["error"]["message"].as_str().unwrap();
        assert!(!message.trim().is_empty(), "{response}");
    }
    // A parameter renamed to something that is not a name.
    let mut params = doc_position(at(PLAYBOOK, "$.params.RedisHost", 10));
    params["newName"] = json!("not a name {{");
    let response = client.request("textDocument/rename", params).await;
    assert_eq!(response["error"]["code"], -32803, "{response}");
    assert!(response["error"]["message"].as_str().unwrap().len() > 3);
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

/// A request about a document the server does not have gets an empty answer.
#[tokio::test]
async fn requests_about_an_unknown_document_get_empty_answers() {
    let (mut client, _) = Client::initialized(rich_capabilities()).await;
    let unknown = "file:///nowhere/unknown.yaml";
    let position =
        json!({"textDocument": {"uri": unknown}, "position": {"line": 3, "character": 4}});
    let document = json!({"textDocument": {"uri": unknown}});
    for (method, params) in [
        ("textDocument/completion", position.clone()),
        ("textDocument/hover", position.clone()),
        ("textDocument/definition", position.clone()),
        ("textDocument/documentHighlight", position.clone()),
        ("textDocument/signatureHelp", position.clone()),
        ("textDocument/prepareRename", position.clone()),
        ("textDocument/documentSymbol", document.clone()),
        ("textDocument/semanticTokens/full", document.clone()),
        ("textDocument/foldingRange", document.clone()),
    ] {
        let response = client.request(method, params).await;
        assert_eq!(response["result"], Value::Null, "{method}: {response}");
    }
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

/// Requests sent between rapid edits, without waiting: each is answered on the text of the
/// edits sent before it (its semantic tokens and hover range lie in that text) or cancelled with
/// `ContentModified`; no other error, and the server's text is the client's at the end.
#[tokio::test]
async fn requests_between_edits_are_answered_on_their_text_or_cancelled() {
    let (mut client, _) = Client::initialized(json!({})).await;
    let mut text = PLAYBOOK.to_owned();
    client.send(&did_open(URI, 1, &text)).await;
    let mut rng = Rng::new(0xface);
    // The text each request was sent after.
    let mut asked: Vec<(i64, String)> = Vec::new();
    for version in 2..62 {
        let edit: Edit = common::random_edit(&mut rng, &text, Units::Utf16);
        edit.apply(&mut text, Units::Utf16);
        client.send(&did_change(URI, version, &[edit])).await;
        let id = client
            .send_request(
                "textDocument/semanticTokens/full",
                json!({"textDocument": {"uri": URI}}),
            )
            .await;
        asked.push((id, text.clone()));
        let offset = text
            .char_indices()
            .map(|(i, _)| i)
            .nth(rng.below(text.chars().count() + 1))
            .unwrap_or(text.len());
        let (line, character) = common::position_of(&text, offset, Units::Utf16);
        let id = client
            .send_request(
                "textDocument/hover",
                json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}}),
            )
            .await;
        asked.push((id, text.clone()));
    }
    let (mut answered, mut cancelled) = (0, 0);
    for (id, text_then) in &asked {
        let response = client.wait_for(|m| common::is_response_to(m, *id)).await;
        if let Some(error) = response.get("error") {
            assert_eq!(error["code"], -32801, "{response}");
            cancelled += 1;
        } else {
            let result = &response["result"];
            if let Some(data) = result.get("data") {
                decode_semantic_tokens(text_then, data, Units::Utf16);
            } else if !result.is_null() {
                assert_range_inside(text_then, &result["range"], Units::Utf16);
            }
            answered += 1;
        }
    }
    assert_eq!(answered + cancelled, asked.len());
    assert_eq!(client.server_text(URI).await, text);
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

/// Hover and completion at positions of a text with multi-byte characters, in UTF-8
/// columns: every range answered is inside the document in those units.
#[tokio::test]
async fn answers_use_the_negotiated_encoding() {
    let capabilities = json!({"general": {"positionEncodings": ["utf-8"]}});
    let (mut client, _) = Client::initialized(capabilities).await;
    client.send(&did_open(URI, 1, PLAYBOOK)).await;
    client.diagnostics_for(URI).await;
    let offset = PLAYBOOK.find("$.params.RedisHost").unwrap() + 4;
    let (line, character) = common::position_of(PLAYBOOK, offset, Units::Utf8);
    let params =
        json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
    let hover = ok(&mut client, "textDocument/hover", params.clone()).await;
    if !hover.is_null() {
        assert_range_inside(PLAYBOOK, &hover["range"], Units::Utf8);
    }
    let tokens = ok(
        &mut client,
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    decode_semantic_tokens(PLAYBOOK, &tokens["data"], Units::Utf8);
    let completion = ok(&mut client, "textDocument/completion", params).await;
    for item in completion["items"].as_array().cloned().unwrap_or_default() {
        if let Some(edit) = item.get("textEdit") {
            assert_position_inside(PLAYBOOK, &edit["range"]["start"], Units::Utf8);
        }
    }
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

/// Applies LSP text edits (UTF-16 positions, against the original text) the way a client
/// does: from the last to the first.
fn apply_text_edits(text: &str, edits: &Value) -> String {
    let mut edits: Vec<Edit> = edits
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| Edit {
            start: position_value(&e["range"]["start"]),
            end: position_value(&e["range"]["end"]),
            text: e["newText"].as_str().unwrap().to_owned(),
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_owned();
    for edit in &edits {
        edit.apply(&mut out, Units::Utf16);
    }
    out
}

/// `textDocument/formatting` gives the edits that make the document what `playbook fmt`
/// makes it (multi-byte text and a CRLF line included); a formatted document gets none, a
/// document with YAML syntax errors and YAML that is not a playbook get no answer; range
/// formatting changes the selected lines only.
#[tokio::test]
async fn formatting_is_what_playbook_fmt_does() {
    let untidy = "kind:   Playbook\nmetadata:\n    name: untidy   # a comment\n    description: é😀\r\nparameters:\n- name: Host\n  type: var\nsteps:\n  -   name: a/b\n      id: one\n      env:\n          HOST: '{{ $.params.Host }}'\n";
    let expected = playbook_fmt::format(untidy, &playbook_fmt::FormatOptions::default()).unwrap();
    assert_ne!(expected, untidy);
    let (mut client, _) = Client::initialized(rich_capabilities()).await;
    client.send(&did_open(URI, 1, untidy)).await;
    client.diagnostics_for(URI).await;
    let whole =
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 8, "insertSpaces": false}});
    let edits = ok(&mut client, "textDocument/formatting", whole.clone()).await;
    for edit in edits.as_array().unwrap() {
        assert_range_inside(untidy, &edit["range"], Units::Utf16);
    }
    // The project's style, not the client's tab size.
    assert_eq!(apply_text_edits(untidy, &edits), expected);

    // The `steps` lines only: `metadata` keeps its 4-space indentation.
    let mut range = whole.clone();
    range["range"] =
        json!({"start": {"line": 8, "character": 0}, "end": {"line": 11, "character": 0}});
    let edits = ok(&mut client, "textDocument/rangeFormatting", range).await;
    let partly = apply_text_edits(untidy, &edits);
    assert!(
        partly.contains("\n    name: untidy   # a comment"),
        "{partly}"
    );
    assert!(
        partly.contains("\n  - name: a/b\n    id: one\n"),
        "{partly}"
    );

    let end = |text: &str| (text.matches('\n').count() as u32, 0);
    let replace = |old: &str, new: &str| Edit {
        start: (0, 0),
        end: end(old),
        text: new.to_owned(),
    };
    client
        .send(&did_change(URI, 2, &[replace(untidy, &expected)]))
        .await;
    client.diagnostics_for(URI).await;
    let edits = ok(&mut client, "textDocument/formatting", whole.clone()).await;
    assert_eq!(edits, json!([]));

    let broken = "kind: Playbook\nmetadata: [unclosed\n";
    client
        .send(&did_change(URI, 3, &[replace(&expected, broken)]))
        .await;
    client.diagnostics_for(URI).await;
    assert_eq!(
        ok(&mut client, "textDocument/formatting", whole.clone()).await,
        Value::Null
    );

    let other = "file:///w/.github/workflows/ci.yaml";
    client
        .send(&did_open(other, 1, "on:   push\njobs:\n    build: {}\n"))
        .await;
    let mut params = whole;
    params["textDocument"]["uri"] = json!(other);
    assert_eq!(
        ok(&mut client, "textDocument/formatting", params).await,
        Value::Null
    );
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

/// A playbook whose templates render offline to known values.
const RENDERED: &str = "kind: Playbook
metadata:
  name: hints
parameters:
  - name: Host
    type: var
    default: dé.local
steps:
  - name: registry.example.com/steps/cmd
    args:
      - \"😀 {{ $.params.Host }}\"
      - '{{ len \"abc\" }}'
";

#[tokio::test]
async fn inlay_hints_follow_the_setting() {
    let mut client = Client::start();
    let init = client
        .request(
            "initialize",
            json!({
                "capabilities": {"workspace": {"inlayHint": {"refreshSupport": true}}},
                "initializationOptions": {"inlayHints": {"templateValues": true}},
            }),
        )
        .await;
    assert_eq!(
        init["result"]["capabilities"]["inlayHintProvider"],
        json!(true)
    );
    client.notify("initialized", json!({})).await;
    client.send(&did_open(URI, 1, RENDERED)).await;
    client.diagnostics_for(URI).await;
    let params = json!({
        "textDocument": {"uri": URI},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}},
    });
    let hints = ok(&mut client, "textDocument/inlayHint", params.clone()).await;
    let shown: Vec<(Value, Value)> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["position"].clone(), h["label"].clone()))
        .collect();
    // After the closing quotes, in UTF-16 columns: the 😀 is two units.
    assert_eq!(
        shown,
        vec![
            (
                json!({"line": 10, "character": 32}),
                json!("= \"😀 dé.local\"")
            ),
            (json!({"line": 11, "character": 25}), json!("= \"3\"")),
        ],
        "{hints}"
    );
    assert_eq!(hints[0]["paddingLeft"], json!(true));
    // The labels say it all: no tooltip repeats them.
    assert!(hints[0].get("tooltip").is_none(), "{hints}");

    // Turned off by the configuration: no hints, and the client is asked to refresh them.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"playbook": {"inlayHints": {"templateValues": false}}}}),
        )
        .await;
    let refresh = client
        .wait_for(|m| common::is_request(m, "workspace/inlayHint/refresh"))
        .await;
    client.respond(&refresh, Value::Null).await;
    let hints = ok(&mut client, "textDocument/inlayHint", params.clone()).await;
    assert_eq!(hints, json!([]));

    // An unrelated configuration changes nothing; turned on again, they are back.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"yaml": {"validate": true}}}),
        )
        .await;
    let hints = ok(&mut client, "textDocument/inlayHint", params.clone()).await;
    assert_eq!(hints, json!([]));
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"playbook": {"inlayHints": {"templateValues": true}}}}),
        )
        .await;
    let hints = ok(&mut client, "textDocument/inlayHint", params).await;
    assert_eq!(hints.as_array().unwrap().len(), 2, "{hints}");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

/// A playbook with a value too long for its hint's label.
const LONG_VALUE: &str = "kind: Playbook
metadata:
  name: hints
steps:
  - name: registry.example.com/steps/cmd
    args:
      - '{{ repeat 30 \"ab\" }}'
      - '{{ len \"abc\" }}'
";

#[tokio::test]
async fn inlay_hint_tooltips_are_resolved_for_a_client_that_resolves_them() {
    let (mut client, init) = Client::initialized(json!({
        "textDocument": {"inlayHint": {"resolveSupport": {"properties": ["tooltip"]}}},
    }))
    .await;
    assert_eq!(
        init["capabilities"]["inlayHintProvider"],
        json!({"resolveProvider": true})
    );
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"playbook": {"inlayHints": {"templateValues": true}}}}),
        )
        .await;
    client.send(&did_open(URI, 1, LONG_VALUE)).await;
    client.diagnostics_for(URI).await;
    let params = json!({
        "textDocument": {"uri": URI},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}},
    });
    let hints = ok(&mut client, "textDocument/inlayHint", params).await;
    // No tooltip is sent; the hint whose label is cut says where to find its own.
    assert!(hints[0].get("tooltip").is_none(), "{hints}");
    assert!(hints[0].get("data").is_some(), "{hints}");
    assert!(hints[1].get("data").is_none(), "{hints}");
    let resolved = ok(&mut client, "inlayHint/resolve", hints[0].clone()).await;
    let tooltip = resolved["tooltip"]["value"].as_str().unwrap_or_default();
    assert!(tooltip.contains(&"ab".repeat(30)), "{resolved}");
    assert_eq!(resolved["label"], hints[0]["label"]);

    // After an edit of its template, the old hint comes back as it was.
    client
        .send(&did_change(
            URI,
            2,
            &[Edit {
                start: (6, 19),
                end: (6, 21),
                text: "300".to_owned(),
            }],
        ))
        .await;
    client.diagnostics_for(URI).await;
    let stale = ok(&mut client, "inlayHint/resolve", hints[0].clone()).await;
    assert_eq!(stale, hints[0]);
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn inlay_hints_are_off_by_default() {
    let (mut client, init) = Client::initialized(json!({})).await;
    assert_eq!(init["capabilities"]["inlayHintProvider"], json!(true));
    client.send(&did_open(URI, 1, RENDERED)).await;
    client.diagnostics_for(URI).await;
    let params = json!({
        "textDocument": {"uri": URI},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}},
    });
    let hints = ok(&mut client, "textDocument/inlayHint", params).await;
    assert_eq!(hints, json!([]));
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

/// The completion list as a client that takes LSP 3.17's item defaults reads it: each item
/// without a text edit replaces the default range with its `textEditText`, else its label,
/// and carries the default `data`.
fn expand_item_defaults(list: &Value) -> Value {
    let defaults = &list["itemDefaults"];
    let items: Vec<Value> = list["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut item| {
            let fields = item.as_object_mut().unwrap();
            let text = fields.remove("textEditText");
            if !fields.contains_key("textEdit") && defaults.get("editRange").is_some() {
                let new_text = text.unwrap_or_else(|| fields["label"].clone());
                fields.insert(
                    "textEdit".into(),
                    json!({"range": defaults["editRange"], "newText": new_text}),
                );
            }
            if let (false, Some(data)) = (fields.contains_key("data"), defaults.get("data")) {
                fields.insert("data".into(), data.clone());
            }
            item
        })
        .collect();
    json!({"isIncomplete": list["isIncomplete"], "items": items})
}

/// A client that declares `completionList.itemDefaults` (VS Code does) gets the range its
/// items replace, and their `data`, once per list instead of on each item; read as the
/// protocol says, the list is the same one, item for item, as the one a client without them
/// gets, at every position of the document. Resolving an item read that way still works.
#[tokio::test]
async fn item_defaults_say_the_same_list_in_fewer_bytes() {
    let lazy = |defaults: bool| {
        let mut capabilities = rich_capabilities();
        let completion = &mut capabilities["textDocument"]["completion"];
        completion["completionItem"]["resolveSupport"] =
            json!({ "properties": ["documentation", "detail"] });
        if defaults {
            completion["completionList"] = json!({"itemDefaults": [
                "commitCharacters", "editRange", "insertTextFormat", "insertTextMode", "data"
            ]});
        }
        capabilities
    };
    let (mut full, _) = Client::initialized(lazy(false)).await;
    let (mut compact, _) = Client::initialized(lazy(true)).await;
    for client in [&mut full, &mut compact] {
        client.send(&did_open(URI, 1, PLAYBOOK)).await;
        client.diagnostics_for(URI).await;
    }
    let (mut lists, mut shared, mut full_bytes, mut compact_bytes) = (0, 0, 0, 0);
    let mut resolved = false;
    for (line, text) in PLAYBOOK.split('\n').enumerate() {
        for character in 0..=text.encode_utf16().count() {
            let position = doc_position(json!({"line": line, "character": character}));
            let expected = ok(&mut full, "textDocument/completion", position.clone()).await;
            let got = ok(&mut compact, "textDocument/completion", position).await;
            if expected.is_null() {
                assert!(got.is_null(), "{line}:{character}: {got}");
                continue;
            }
            lists += usize::from(expected["items"] != json!([]));
            full_bytes += expected.to_string().len();
            compact_bytes += got.to_string().len();
            if got.get("itemDefaults").is_some() {
                shared += 1;
            } else {
                // Only an empty list goes without (every item here replaces a range).
                assert_eq!(got["items"], json!([]), "{line}:{character}: {got}");
            }
            let read = expand_item_defaults(&got);
            assert_eq!(read, expected, "{line}:{character}: {got}");
            let first = read["items"].get(0).cloned();
            if let (false, Some(item)) = (resolved, first) {
                let answer = ok(&mut compact, "completionItem/resolve", item.clone()).await;
                assert!(
                    answer.get("detail").is_some(),
                    "{item} resolved to {answer}"
                );
                resolved = true;
            }
        }
    }
    assert!(lists > 100 && shared == lists, "{shared} of {lists} lists");
    assert!(resolved);
    assert!(
        compact_bytes * 2 < full_bytes,
        "{compact_bytes} bytes with item defaults, {full_bytes} without"
    );
    for client in [full, compact] {
        assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
    }
}
