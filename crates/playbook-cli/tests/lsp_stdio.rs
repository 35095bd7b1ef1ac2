//! End to end: the real binary (`playbook lsp`) over stdin/stdout, as an editor runs it. Initialize, open a
//! broken playbook, make 500 rapid incremental edits without waiting, then check that the
//! server's text equals the client's copy, that the last diagnostics published are those of
//! the final text, that diagnostics were published in edit order, and that the process exits
//! with 0 after shutdown and exit. And YAML that is not a playbook gets no diagnostics, and
//! editor requests sent between rapid edits are answered on their text or cancelled.
//!
//! The edits are pseudo-random from a fixed seed; `SEED=<n> cargo test -p playbook-cli --test
//! lsp_stdio` reruns them from another one. The client helpers are the language server's
//! own test helpers (crates/playbook-lsp/tests/common).

// Test helpers outside `#[test]` functions: unwrapping is how they fail a test.
#![allow(clippy::unwrap_used)]

#[path = "../../playbook-lsp/tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::{
    BROKEN_PLAYBOOK, Frames, Rng, TIMEOUT, Units, did_change, did_open, expected_diagnostics,
    frame, is_diagnostics_for, is_response_to, notification, request,
};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/playbook-lsp-e2e/broken%20playbook.yaml";
const PATH: &str = "/tmp/playbook-lsp-e2e/broken playbook.yaml";

/// The binary, its stdin, and the messages read from its stdout by a background thread.
struct Session {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Session {
    fn start() -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        // Reads all the time, so the server never blocks on a full pipe while we write.
        std::thread::spawn(move || {
            let mut frames = Frames::default();
            let mut buffer = [0u8; 1 << 16];
            loop {
                match stdout.read(&mut buffer) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => frames.push(&buffer[..n]),
                }
                while let Some(message) = frames.next_message() {
                    if sender.send(message).is_err() {
                        return;
                    }
                }
            }
        });
        Session {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn send(&mut self, message: &Value) {
        self.stdin.write_all(&frame(message)).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&request(id, method, params));
        id
    }

    /// Reads until a message satisfies `wanted`; returns it and the messages read before it.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> (Value, Vec<Value>) {
        let deadline = Instant::now() + TIMEOUT;
        let mut skipped = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.messages.recv_timeout(left).unwrap_or_else(|_| {
                let last: Vec<&Value> = skipped.iter().rev().take(3).collect();
                panic!(
                    "timed out waiting for a message from the server; {} other messages \
                         read, the last ones: {last:?}",
                    skipped.len()
                )
            });
            if wanted(&message) {
                return (message, skipped);
            }
            skipped.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> (Value, Vec<Value>) {
        let id = self.send_request(method, params);
        self.wait_for(|m| is_response_to(m, id))
    }

    /// Waits for the process to end and returns its exit code.
    fn wait_exit(mut self) -> Option<i32> {
        drop(self.stdin);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                self.child.kill().unwrap();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn diagnostic_codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn rapid_edits_keep_their_order() {
    let mut session = Session::start();

    let (initialized, _) = session.request("initialize", json!({"capabilities": {}}));
    let capabilities = &initialized["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2);
    session.send(&notification("initialized", json!({})));

    // Open: the diagnostics published are exactly those the host computes.
    session.send(&did_open(URI, 1, BROKEN_PLAYBOOK));
    let (opened, _) = session.wait_for(|m| is_diagnostics_for(m, URI));
    assert_eq!(opened["params"]["version"], 1);
    assert_eq!(
        opened["params"]["diagnostics"],
        expected_diagnostics(PATH, URI, BROKEN_PLAYBOOK, Units::Utf16)
    );
    // The unclosed `if` block (PB104, on the template's line) and the unclosed quote (PB005).
    let codes = diagnostic_codes(&opened["params"]);
    assert!(codes.iter().any(|c| c == "PB104"), "{codes:?}");
    assert!(codes.iter().any(|c| c == "PB005"), "{codes:?}");
    let diagnostics = opened["params"]["diagnostics"].as_array().unwrap();
    let unclosed_if = diagnostics.iter().find(|d| d["code"] == "PB104").unwrap();
    assert_eq!(
        unclosed_if["range"],
        json!({"start": {"line": 8, "character": 11}, "end": {"line": 8, "character": 22}})
    );
    assert_eq!(unclosed_if["severity"], 1);
    assert_eq!(unclosed_if["source"], "playbook");
    let message = unclosed_if["message"].as_str().unwrap();
    assert!(message.contains("\nhelp: "), "{message}");

    // 500 edits in 1 to 3 changes per notification, sent without waiting.
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00c0_ffee);
    let mut rng = Rng::new(seed);
    let mut text = BROKEN_PLAYBOOK.to_owned();
    let mut version = 1;
    let mut edits = 0;
    while edits < 500 {
        let count = (1 + rng.below(3)).min(500 - edits);
        let mut changes = Vec::new();
        for _ in 0..count {
            let edit = common::random_edit(&mut rng, &text, Units::Utf16);
            edit.apply(&mut text, Units::Utf16);
            changes.push(edit);
        }
        edits += count;
        version += 1;
        session.send(&did_change(URI, version, &changes));
    }
    assert!(text.contains('😀') && text.contains('é') && text.lines().count() > 20);

    // The server's text is the client's copy.
    let (response, mut published) =
        session.request(playbook_lsp::DEBUG_TEXT_METHOD, json!({"uri": URI}));
    assert_eq!(response["result"]["text"].as_str(), Some(text.as_str()));

    // Diagnostics were published once per notification, in order, and the last ones are
    // those of the final text.
    // The last ones may have come before or after the response to `playbook/debugText`.
    let is_last = |m: &Value| is_diagnostics_for(m, URI) && m["params"]["version"] == version;
    if !published.iter().any(is_last) {
        let (last, rest) = session.wait_for(is_last);
        published.extend(rest);
        published.push(last);
    }
    let last = published.iter().rfind(|m| is_last(m)).unwrap().clone();
    let versions: Vec<i64> = published
        .iter()
        .filter(|m| is_diagnostics_for(m, URI))
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    let expected_versions: Vec<i64> = (2..=version).collect();
    assert_eq!(versions, expected_versions);
    assert_eq!(
        last["params"]["diagnostics"],
        expected_diagnostics(PATH, URI, &text, Units::Utf16)
    );

    // A clean end: shutdown, exit, exit code 0.
    let (shutdown, _) = session.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    session.send(&notification("exit", Value::Null));
    assert_eq!(session.wait_exit(), Some(0));
}

/// Editors attach the server to every YAML file: over the real binary, a GitHub workflow, an
/// Ansible playbook, Kubernetes and Helm files and a docker-compose file
/// (`tests/fixtures/other-yaml`) get an empty list of diagnostics, while a playbook opened in
/// the same session gets its own.
#[test]
fn yaml_that_is_not_a_playbook_gets_no_diagnostics() {
    let files = playbook_test_support::other_yaml();
    let mut session = Session::start();
    session.request("initialize", json!({"capabilities": {}}));
    session.send(&notification("initialized", json!({})));
    for (path, text) in &files {
        let uri = format!("file:///tmp/playbook-lsp-e2e/other/{path}");
        session.send(&did_open(&uri, 1, text));
        let (published, _) = session.wait_for(|m| is_diagnostics_for(m, &uri));
        assert_eq!(published["params"]["diagnostics"], json!([]), "{path}");
    }
    session.send(&did_open(URI, 1, BROKEN_PLAYBOOK));
    let (published, _) = session.wait_for(|m| is_diagnostics_for(m, URI));
    assert!(!diagnostic_codes(&published["params"]).is_empty());
    let (shutdown, _) = session.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    session.send(&notification("exit", Value::Null));
    assert_eq!(session.wait_exit(), Some(0));
}

#[test]
fn exit_without_shutdown_exits_with_1() {
    let mut session = Session::start();
    session.request("initialize", json!({"capabilities": {}}));
    session.send(&notification("exit", Value::Null));
    assert_eq!(session.wait_exit(), Some(1));
}

/// Over the real binary, editor requests sent between rapid edits without waiting (semantic
/// tokens, hover, completion, symbols, folding ranges, in turn): every one is answered, with
/// its positions inside the text of the edits sent before it, or cancelled with
/// `ContentModified` (-32801); no other error. Diagnostics are still published in edit
/// order, and the server's final text is the client's.
#[test]
fn requests_between_rapid_edits_are_answered_or_cancelled() {
    let mut session = Session::start();
    let (initialized, _) = session.request("initialize", json!({"capabilities": {}}));
    let capabilities = &initialized["result"]["capabilities"];
    for provider in [
        "completionProvider",
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "semanticTokensProvider",
        "codeActionProvider",
        "signatureHelpProvider",
    ] {
        assert!(
            !capabilities[provider].is_null(),
            "{provider}: {capabilities}"
        );
    }
    session.send(&notification("initialized", json!({})));
    session.send(&did_open(URI, 1, BROKEN_PLAYBOOK));

    let mut rng = Rng::new(0x0bad_cafe);
    let mut text = BROKEN_PLAYBOOK.to_owned();
    let mut asked: Vec<(i64, &str, String)> = Vec::new();
    let methods = [
        "textDocument/semanticTokens/full",
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
    ];
    for version in 2..202 {
        let edit = common::random_edit(&mut rng, &text, Units::Utf16);
        edit.apply(&mut text, Units::Utf16);
        session.send(&did_change(URI, version, &[edit]));
        let method = methods[version as usize % methods.len()];
        let offset = text
            .char_indices()
            .map(|(i, _)| i)
            .nth(rng.below(text.chars().count() + 1))
            .unwrap_or(text.len());
        let (line, character) = common::position_of(&text, offset, Units::Utf16);
        let params = json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
        let id = session.send_request(method, params);
        asked.push((id, method, text.clone()));
    }
    // Every message until each request is answered (in any order).
    let mut missing: Vec<i64> = asked.iter().map(|(id, _, _)| *id).collect();
    let mut published = Vec::new();
    while !missing.is_empty() {
        let (response, skipped) = session.wait_for(|m| {
            m.get("method").is_none() && missing.iter().any(|id| m["id"] == json!(id))
        });
        missing.retain(|id| response["id"] != json!(id));
        published.extend(skipped);
        published.push(response);
    }
    let (mut answered, mut cancelled) = (0, 0);
    for (id, method, text_then) in &asked {
        let response = published
            .iter()
            .find(|m| is_response_to(m, *id))
            .cloned()
            .unwrap();
        if let Some(error) = response.get("error") {
            assert_eq!(error["code"], -32801, "{method}: {response}");
            cancelled += 1;
            continue;
        }
        answered += 1;
        let result = &response["result"];
        match *method {
            "textDocument/semanticTokens/full" => {
                common::decode_semantic_tokens(text_then, &result["data"], Units::Utf16);
            }
            "textDocument/hover" if !result.is_null() => {
                common::assert_range_inside(text_then, &result["range"], Units::Utf16);
            }
            "textDocument/completion" => {
                for item in result["items"].as_array().cloned().unwrap_or_default() {
                    if let Some(edit) = item.get("textEdit") {
                        common::assert_range_inside(text_then, &edit["range"], Units::Utf16);
                    }
                }
            }
            "textDocument/foldingRange" => {
                let lines = common::lines(text_then).len() as u64;
                for fold in result.as_array().unwrap() {
                    assert!(fold["endLine"].as_u64().unwrap() < lines, "{fold}");
                }
            }
            _ => {}
        }
    }
    assert_eq!(answered + cancelled, asked.len());
    eprintln!("{answered} requests answered, {cancelled} cancelled by an edit");

    let (response, skipped) = session.request(playbook_lsp::DEBUG_TEXT_METHOD, json!({"uri": URI}));
    published.extend(skipped);
    assert_eq!(response["result"]["text"].as_str(), Some(text.as_str()));
    let versions: Vec<i64> = published
        .iter()
        .filter(|m| is_diagnostics_for(m, URI))
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");

    let (shutdown, _) = session.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    session.send(&notification("exit", Value::Null));
    assert_eq!(session.wait_exit(), Some(0));
}
