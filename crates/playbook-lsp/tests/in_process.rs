//! The server driven in-process through tokio duplex pipes: the handshake, document sync,
//! publishing and clearing diagnostics (of the edited file and of the files that depend on it),
//! position encodings, bad positions and the session end.

// Test helpers outside `#[test]` functions: unwrapping is how they fail a test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{
    BROKEN_PLAYBOOK, Client, Edit, Rng, Units, did_change, did_open, expected_diagnostics,
    expected_diagnostics_among,
};
use playbook_lsp::SessionEnd;
use serde_json::json;

const URI: &str = "file:///work/playbooks/restart%20redis.yaml";
const PATH: &str = "/work/playbooks/restart redis.yaml";

#[tokio::test]
async fn initialize_advertises_incremental_sync_and_utf16_by_default() {
    let (client, result) = Client::initialized(json!({})).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    let sync = &result["capabilities"]["textDocumentSync"];
    assert_eq!(sync["change"], 2, "incremental: {sync}");
    assert_eq!(sync["openClose"], true);
    assert_eq!(sync["save"]["includeText"], true);
    assert_eq!(result["serverInfo"]["name"], "playbook");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

/// Every editor feature is announced, with the completion and signature trigger characters,
/// both code action kinds, prepareRename, the semantic tokens legend (in the core's order) for
/// full and range requests, and workspace folders.
#[tokio::test]
async fn initialize_advertises_every_feature() {
    let (client, result) = Client::initialized(json!({})).await;
    let caps = &result["capabilities"];
    for provider in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "foldingRangeProvider",
        "selectionRangeProvider",
        "documentFormattingProvider",
        "documentRangeFormattingProvider",
    ] {
        assert_eq!(caps[provider], true, "{provider}: {caps}");
    }
    assert_eq!(
        caps["completionProvider"]["triggerCharacters"],
        json!([".", "$", " ", "/", "\""])
    );
    assert_eq!(
        caps["signatureHelpProvider"]["triggerCharacters"],
        json!([" ", "("])
    );
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.playbook"])
    );
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    let tokens = &caps["semanticTokensProvider"];
    assert_eq!(tokens["full"], true);
    assert_eq!(tokens["range"], true);
    let legend = &tokens["legend"];
    assert_eq!(
        legend["tokenTypes"].as_array().unwrap().len(),
        playbook_ide::TokenKind::ALL.len()
    );
    assert_eq!(
        legend["tokenModifiers"],
        json!(["declaration", "defaultLibrary", "unresolved"])
    );
    assert_eq!(caps["workspace"]["workspaceFolders"]["supported"], true);
    assert_eq!(
        caps["workspace"]["workspaceFolders"]["changeNotifications"],
        true
    );
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn utf8_is_chosen_when_the_client_offers_it() {
    let capabilities = json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}});
    let (client, result) = Client::initialized(capabilities).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn requests_before_initialize_are_refused() {
    let mut client = Client::start();
    let response = client
        .request(playbook_lsp::DEBUG_TEXT_METHOD, json!({"uri": URI}))
        .await;
    assert_eq!(response["error"]["code"], -32002, "{response}");
    assert_eq!(client.finish(false).await, SessionEnd::NotShutDown);
}

#[tokio::test]
async fn open_publishes_the_hosts_diagnostics_with_the_version() {
    let (mut client, _) = Client::initialized(json!({})).await;
    client.send(&did_open(URI, 7, BROKEN_PLAYBOOK)).await;
    let published = client.diagnostics_for(URI).await;
    assert_eq!(published["version"], 7);
    assert_eq!(
        published["diagnostics"],
        expected_diagnostics(PATH, URI, BROKEN_PLAYBOOK, Units::Utf16)
    );
    assert_eq!(client.server_text(URI).await, BROKEN_PLAYBOOK);
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn incremental_changes_apply_in_order_and_republish() {
    let (mut client, _) = Client::initialized(json!({})).await;
    client.send(&did_open(URI, 1, "a: é😀\nb: 2\n")).await;
    client.diagnostics_for(URI).await;
    // Two changes in one notification: the second is against the text after the first.
    let edits = [
        Edit {
            start: (0, 5),
            end: (0, 5),
            text: "x\n".to_owned(),
        },
        Edit {
            start: (1, 0),
            end: (2, 1),
            text: "c".to_owned(),
        },
    ];
    client.send(&did_change(URI, 2, &edits)).await;
    let published = client.diagnostics_for(URI).await;
    assert_eq!(published["version"], 2);
    assert_eq!(client.server_text(URI).await, "a: é😀x\nc: 2\n");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn a_full_change_replaces_the_text() {
    let (mut client, _) = Client::initialized(json!({})).await;
    client.send(&did_open(URI, 1, "a: 1\n")).await;
    client.diagnostics_for(URI).await;
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "b: 2\n"}]}),
        )
        .await;
    let published = client.diagnostics_for(URI).await;
    assert_eq!(published["version"], 2);
    assert_eq!(client.server_text(URI).await, "b: 2\n");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn bad_positions_are_clamped_and_the_server_goes_on() {
    let (mut client, _) = Client::initialized(json!({})).await;
    client.send(&did_open(URI, 1, "ab\r\ncd")).await;
    let far = Edit {
        start: (4_000_000_000, 4_000_000_000),
        end: (4_000_000_000, 4_000_000_000),
        text: "!".to_owned(),
    };
    let past_line_end = Edit {
        start: (0, 99),
        end: (0, 99),
        text: "?".to_owned(),
    };
    let inverted = Edit {
        start: (1, 1),
        end: (1, 0),
        text: String::new(),
    };
    client
        .send(&did_change(URI, 2, &[far, past_line_end, inverted]))
        .await;
    assert_eq!(client.server_text(URI).await, "ab?\r\nd!");
    // Not even a range inside a surrogate pair breaks anything.
    client.send(&did_open(URI, 3, "😀")).await;
    let inside = Edit {
        start: (0, 1),
        end: (0, 1),
        text: "x".to_owned(),
    };
    client.send(&did_change(URI, 4, &[inside])).await;
    assert_eq!(client.server_text(URI).await, "😀x");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn close_clears_the_diagnostics_and_forgets_the_text() {
    let (mut client, _) = Client::initialized(json!({})).await;
    client.send(&did_open(URI, 1, BROKEN_PLAYBOOK)).await;
    client.diagnostics_for(URI).await;
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let published = client.diagnostics_for(URI).await;
    assert_eq!(published["diagnostics"], json!([]));
    let response = client
        .request(playbook_lsp::DEBUG_TEXT_METHOD, json!({"uri": URI}))
        .await;
    assert_eq!(response["error"]["code"], -32602, "{response}");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn save_with_text_resyncs_and_republishes() {
    let (mut client, _) = Client::initialized(json!({})).await;
    client.send(&did_open(URI, 1, "a: 1\n")).await;
    client.diagnostics_for(URI).await;
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": URI}, "text": BROKEN_PLAYBOOK}),
        )
        .await;
    let published = client.diagnostics_for(URI).await;
    assert_eq!(
        published["diagnostics"],
        expected_diagnostics(PATH, URI, BROKEN_PLAYBOOK, Units::Utf16)
    );
    assert_eq!(client.server_text(URI).await, BROKEN_PLAYBOOK);
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn documents_with_other_schemes_are_kept_by_their_uri() {
    let (mut client, _) = Client::initialized(json!({})).await;
    let uri = "untitled:Untitled-1";
    client.send(&did_open(uri, 1, "k: v\n")).await;
    let published = client.diagnostics_for(uri).await;
    assert_eq!(published["uri"], uri);
    assert_eq!(client.server_text(uri).await, "k: v\n");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

#[tokio::test]
async fn exit_without_shutdown_is_not_a_clean_end() {
    let (client, _) = Client::initialized(json!({})).await;
    assert_eq!(client.finish(false).await, SessionEnd::NotShutDown);
}

/// Random edits in UTF-8 columns, as a client that negotiated `utf-8` sends them.
#[tokio::test]
async fn random_edits_in_utf8_columns_match_the_clients_copy() {
    let capabilities = json!({"general": {"positionEncodings": ["utf-8"]}});
    let (mut client, _) = Client::initialized(capabilities).await;
    let mut text = String::from("steps:\n  - run: é😀\n");
    client.send(&did_open(URI, 1, &text)).await;
    let mut rng = Rng::new(0x5eed);
    for version in 2..102 {
        let edit = common::random_edit(&mut rng, &text, Units::Utf8);
        edit.apply(&mut text, Units::Utf8);
        client.send(&did_change(URI, version, &[edit])).await;
    }
    assert_eq!(client.server_text(URI).await, text);
    let last = client
        .wait_for(|m| common::is_diagnostics_for(m, URI) && m["params"]["version"] == 101)
        .await;
    assert_eq!(
        last["params"]["diagnostics"],
        expected_diagnostics(PATH, URI, &text, Units::Utf8)
    );
    assert_ne!(text, "steps:\n  - run: é😀\n");
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}

const TRIGGER_URI: &str = "file:///w/t.yaml";
const TRIGGER_PATH: &str = "/w/t.yaml";
const PLAYBOOK_URI: &str = "file:///w/a.yaml";
const PLAYBOOK_PATH: &str = "/w/a.yaml";
const TRIGGER: &str = "apiVersion: stackpulse.io/v1\nkind: Trigger\nenabled: true\nplaybook: redis-check\nmetadata:\n  name: on-alert\n";

fn playbook_named(name: &str) -> String {
    format!(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: {name}\nsteps:\n  - name: reg.io/steps/redis/info\n"
    )
}

/// A trigger depends on the playbook it is bound to: it is checked again when the playbook
/// appears, when it is renamed (it depended on the playbook only before that change) and
/// when it is closed. Each wait below times out if the trigger is not republished. (Today no
/// check of the host reports an unbound trigger, so its diagnostics stay the same; they are
/// compared with the host's all the same.)
#[tokio::test]
async fn files_that_depend_on_a_changed_file_are_republished() {
    let (mut client, _) = Client::initialized(json!({})).await;
    client.send(&did_open(TRIGGER_URI, 1, TRIGGER)).await;
    let alone = client.diagnostics_for(TRIGGER_URI).await;
    let expected_alone = expected_diagnostics_among(
        &[(TRIGGER_PATH, TRIGGER)],
        TRIGGER_PATH,
        TRIGGER_URI,
        Units::Utf16,
    );
    assert_eq!(alone["diagnostics"], expected_alone);

    // The playbook appears: the trigger is republished, and is now bound.
    let bound_to = playbook_named("redis-check");
    client.send(&did_open(PLAYBOOK_URI, 1, &bound_to)).await;
    client.diagnostics_for(PLAYBOOK_URI).await;
    let bound = client.diagnostics_for(TRIGGER_URI).await;
    let files = [(TRIGGER_PATH, TRIGGER), (PLAYBOOK_PATH, bound_to.as_str())];
    let expected_bound =
        expected_diagnostics_among(&files, TRIGGER_PATH, TRIGGER_URI, Units::Utf16);
    assert_eq!(bound["diagnostics"], expected_bound);

    // Renamed: the trigger no longer depends on it, but was republished.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": PLAYBOOK_URI, "version": 2},
                   "contentChanges": [{"text": playbook_named("other")}]}),
        )
        .await;
    client.diagnostics_for(PLAYBOOK_URI).await;
    let unbound = client.diagnostics_for(TRIGGER_URI).await;
    assert_eq!(unbound["diagnostics"], expected_alone);

    // Named back, then closed: the trigger is republished without it.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": PLAYBOOK_URI, "version": 3},
                   "contentChanges": [{"text": bound_to}]}),
        )
        .await;
    client.diagnostics_for(PLAYBOOK_URI).await;
    assert_eq!(
        client.diagnostics_for(TRIGGER_URI).await["diagnostics"],
        expected_bound
    );
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": PLAYBOOK_URI}}),
        )
        .await;
    assert_eq!(
        client.diagnostics_for(PLAYBOOK_URI).await["diagnostics"],
        json!([])
    );
    assert_eq!(
        client.diagnostics_for(TRIGGER_URI).await["diagnostics"],
        expected_alone
    );
    assert_eq!(client.finish(true).await, SessionEnd::ShutDown);
}
