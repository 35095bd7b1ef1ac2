//! A minimal LSP client for the tests: `Content-Length` framing, requests and notifications,
//! waiting (with a timeout, so that a broken server fails the test instead of hanging) for a
//! given message; plus the client side of an editor: a copy of the text that applies edits
//! the way an editor does, pseudo-random edits, and the diagnostics the server should publish.

// Each test file uses a different part of this module.
#![allow(dead_code)]
// Test helpers: unwrapping is how they fail a test.
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::time::Duration;

use playbook_db::AnalysisHost;
use playbook_diagnostics::LineIndex;
use playbook_lsp::SessionEnd;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream, ReadHalf, WriteHalf};
use tokio::task::JoinHandle;

/// A playbook with a template error (an `if` block never closed by `{{ end }}`, line 8) and a
/// YAML error (a double-quoted scalar never closed, line 12), with multi-byte text before both.
pub const BROKEN_PLAYBOOK: &str = "apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: restart-redis
  description: Redémarre Redis 😀
steps:
  - name: us-docker.pkg.dev/stackpulse/public/redis/info
    id: check
    when: \"{{ if .a }}\"
  - name: us-docker.pkg.dev/stackpulse/public/redis/restart
    id: fix
    env:
      MESSAGE: \"unclosed
";

/// How long to wait for any one message before declaring the server broken.
pub const TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Framing.

// The framing shared with the other protocol tests (each test uses a part of it).
#[allow(unused_imports)]
pub use playbook_test_support::lsp::{
    Frames, frame, is_diagnostics_for, is_response_to, notification, request,
};

pub fn did_open(uri: &str, version: i64, text: &str) -> Value {
    notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}}),
    )
}

pub fn did_change(uri: &str, version: i64, edits: &[Edit]) -> Value {
    let changes: Vec<Value> = edits.iter().map(Edit::to_json).collect();
    notification(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    )
}

// ---------------------------------------------------------------------------------------------
// An in-process client, over tokio duplex pipes.

/// A client connected to a server running in this process.
pub struct Client {
    writer: WriteHalf<DuplexStream>,
    reader: ReadHalf<DuplexStream>,
    frames: Frames,
    /// Messages read while waiting for another one, not yet taken.
    pending: VecDeque<Value>,
    next_id: i64,
    server: JoinHandle<SessionEnd>,
}

impl Client {
    /// Starts a server on in-memory pipes.
    pub fn start() -> Client {
        // A large cap (not an allocation), so that a test that writes many messages before
        // reading never blocks the server on a full pipe.
        let (client_end, server_end) = tokio::io::duplex(1 << 26);
        let (server_read, server_write) = tokio::io::split(server_end);
        let server = tokio::spawn(playbook_lsp::serve(server_read, server_write));
        let (reader, writer) = tokio::io::split(client_end);
        Client {
            writer,
            reader,
            frames: Frames::default(),
            pending: VecDeque::new(),
            next_id: 0,
            server,
        }
    }

    /// Starts a server and initializes it with the given client capabilities; returns the
    /// client and the `initialize` result.
    pub async fn initialized(capabilities: Value) -> (Client, Value) {
        let mut client = Client::start();
        let response = client
            .request("initialize", json!({"capabilities": capabilities}))
            .await;
        client.notify("initialized", json!({})).await;
        (client, response["result"].clone())
    }

    pub async fn send(&mut self, message: &Value) {
        let write = async {
            self.writer.write_all(&frame(message)).await.unwrap();
            self.writer.flush().await.unwrap();
        };
        tokio::time::timeout(TIMEOUT, write)
            .await
            .expect("timed out writing to the server");
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&notification(method, params)).await;
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&request(id, method, params)).await;
        self.wait_for(|m| is_response_to(m, id)).await
    }

    /// Reads until a message satisfies `wanted` and returns it; the other messages stay
    /// available to later waits. Panics after [`TIMEOUT`] without such a message.
    pub async fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return self.pending.remove(i).unwrap();
        }
        let read = async {
            loop {
                while let Some(message) = self.frames.next_message() {
                    if wanted(&message) {
                        return message;
                    }
                    self.pending.push_back(message);
                }
                let mut buffer = [0u8; 8192];
                let n = self.reader.read(&mut buffer).await.unwrap();
                assert!(n > 0, "the server closed the connection");
                self.frames.push(&buffer[..n]);
            }
        };
        tokio::time::timeout(TIMEOUT, read)
            .await
            .expect("timed out waiting for a message from the server")
    }

    /// The parameters of the next `textDocument/publishDiagnostics` for `uri`.
    pub async fn diagnostics_for(&mut self, uri: &str) -> Value {
        let message = self.wait_for(|m| is_diagnostics_for(m, uri)).await;
        message["params"].clone()
    }

    /// The server's copy of a document's text (the `playbook/debugText` request).
    pub async fn server_text(&mut self, uri: &str) -> String {
        let response = self
            .request(playbook_lsp::DEBUG_TEXT_METHOD, json!({"uri": uri}))
            .await;
        response["result"]["text"]
            .as_str()
            .unwrap_or_else(|| panic!("no text in {response}"))
            .to_owned()
    }

    /// Sends `shutdown` (if asked) and `exit`, and returns how the server saw the session end.
    pub async fn finish(mut self, shutdown: bool) -> SessionEnd {
        if shutdown {
            let response = self.request("shutdown", Value::Null).await;
            assert_eq!(response["result"], Value::Null, "{response}");
        }
        self.notify("exit", Value::Null).await;
        tokio::time::timeout(TIMEOUT, self.server)
            .await
            .expect("the server did not stop after exit")
            .unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// The editor side: a copy of the text, edits, expected diagnostics.

/// The unit of LSP columns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Units {
    Utf16,
    Utf8,
}

fn units_of(ch: char, units: Units) -> u32 {
    match units {
        Units::Utf16 => ch.len_utf16() as u32,
        Units::Utf8 => ch.len_utf8() as u32,
    }
}

/// The byte ranges of the lines of `text`, line breaks (`\n`, `\r\n`, `\r`) excluded.
/// Written independently of the server's conversion, as an editor would.
pub fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                out.push((start, i));
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                out.push((start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push((start, bytes.len()));
    out
}

/// The byte offset of a position that lies inside `text` on a character boundary.
pub fn offset_of(text: &str, line: u32, col: u32, units: Units) -> usize {
    let (start, end) = lines(text)[line as usize];
    let mut counted = 0;
    for (i, ch) in text[start..end].char_indices() {
        if counted == col {
            return start + i;
        }
        counted += units_of(ch, units);
    }
    assert_eq!(counted, col, "position inside a character or past the line");
    end
}

/// The position of a byte offset.
pub fn position_of(text: &str, offset: usize, units: Units) -> (u32, u32) {
    let lines = lines(text);
    let line = lines
        .iter()
        .rposition(|&(start, _)| start <= offset)
        .unwrap();
    let (start, end) = lines[line];
    let end = offset.min(end);
    let col = text[start..end].chars().map(|c| units_of(c, units)).sum();
    (line as u32, col)
}

/// One content change: replace `start..end` (positions) with `text`.
#[derive(Clone, Debug)]
pub struct Edit {
    pub start: (u32, u32),
    pub end: (u32, u32),
    pub text: String,
}

impl Edit {
    pub fn to_json(&self) -> Value {
        json!({
            "range": {
                "start": {"line": self.start.0, "character": self.start.1},
                "end": {"line": self.end.0, "character": self.end.1},
            },
            "text": self.text,
        })
    }

    /// Applies the edit to the client's copy.
    pub fn apply(&self, text: &mut String, units: Units) {
        let start = offset_of(text, self.start.0, self.start.1, units);
        let end = offset_of(text, self.end.0, self.end.1, units);
        text.replace_range(start..end, &self.text);
    }
}

/// A small deterministic pseudo-random generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A random position on a character boundary of `text`, as an editor would send.
fn random_position(rng: &mut Rng, text: &str, units: Units) -> (u32, u32) {
    let lines = lines(text);
    let line = rng.below(lines.len());
    let (start, end) = lines[line];
    let boundaries: Vec<usize> = text[start..end]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain([end])
        .collect();
    let offset = boundaries[rng.below(boundaries.len())];
    position_of(text, offset, units)
}

/// What the random edits insert: plain text, multi-byte characters, line breaks and bits of
/// YAML and template syntax.
const PIECES: &[&str] = &[
    "a", "key", "é", "😀", "\n", "\r\n", "\r", "{{ ", " }}", "\"", ": ", "- ", "  ", "ü😀é",
    "\n- x: ",
];

/// A random insertion (3 in 5) or deletion (2 in 5) in `text`.
pub fn random_edit(rng: &mut Rng, text: &str, units: Units) -> Edit {
    let a = random_position(rng, text, units);
    if rng.below(5) < 3 {
        let mut inserted = String::new();
        for _ in 0..=rng.below(3) {
            inserted.push_str(PIECES[rng.below(PIECES.len())]);
        }
        Edit {
            start: a,
            end: a,
            text: inserted,
        }
    } else {
        let b = random_position(rng, text, units);
        // Keep deletions short (the same or the next line) so the text keeps growing.
        let b = if b.0 > a.0 + 1 || b.0 + 1 < a.0 { a } else { b };
        Edit {
            start: a.min(b),
            end: a.max(b),
            text: String::new(),
        }
    }
}

/// The diagnostics the server should publish for `text` stored under `path` (with `uri`),
/// computed with the same [`AnalysisHost`] the server uses and converted independently.
pub fn expected_diagnostics(path: &str, uri: &str, text: &str, units: Units) -> Value {
    expected_diagnostics_among(&[(path, text)], path, uri, units)
}

/// The diagnostics the server should publish for `path` (with `uri`) when it knows `files`
/// (paths and texts, `path` among them).
pub fn expected_diagnostics_among(
    files: &[(&str, &str)],
    path: &str,
    uri: &str,
    units: Units,
) -> Value {
    let mut host = AnalysisHost::new();
    for (file, text) in files {
        host.set_file_text(file, (*text).to_owned());
    }
    let text = host.file_text(path).unwrap().to_owned();
    let text = text.as_str();
    let index = LineIndex::new(text);
    let position = |offset: u32| {
        let line = index.line_col(offset).line;
        let character = match units {
            Units::Utf16 => index.utf16_col(offset, text),
            Units::Utf8 => index.line_col(offset).col,
        };
        json!({"line": line, "character": character})
    };
    let range = |r: playbook_diagnostics::TextRange| json!({"start": position(r.start()), "end": position(r.end())});
    let diagnostics: Vec<Value> = host
        .diagnostics(path)
        .iter()
        .map(|d| {
            let mut value = json!({
                "range": range(d.range),
                "severity": match d.severity {
                    playbook_diagnostics::Severity::Error => 1,
                    playbook_diagnostics::Severity::Warning => 2,
                    playbook_diagnostics::Severity::Hint => 4,
                },
                "code": d.code.id,
                "source": "playbook",
                "message": playbook_lsp::to_proto::message(d),
            });
            let related: Vec<Value> = d
                .related
                .iter()
                .filter(|r| r.file.is_none())
                .map(|r| json!({"location": {"uri": uri, "range": range(r.range)}, "message": r.message}))
                .collect();
            if !related.is_empty() {
                value["relatedInformation"] = Value::Array(related);
            }
            value
        })
        .collect();
    Value::Array(diagnostics)
}

// ---------------------------------------------------------------------------------------------
// Requests: the client side of the editor features.

/// Whether `message` is a request from the server to the client for `method`.
pub fn is_request(message: &Value, method: &str) -> bool {
    message["method"] == method && message.get("id").is_some()
}

impl Client {
    /// Answers a request the server sent to the client.
    pub async fn respond(&mut self, request: &Value, result: Value) {
        let response = json!({"jsonrpc": "2.0", "id": request["id"].clone(), "result": result});
        self.send(&response).await;
    }

    /// Whether a message already read but not yet taken satisfies `wanted`.
    pub fn has_pending(&self, wanted: impl Fn(&Value) -> bool) -> bool {
        self.pending.iter().any(wanted)
    }

    /// Sends a request without waiting for its answer; returns its id.
    pub async fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&request(id, method, params)).await;
        id
    }
}

/// Client capabilities of a rich client (VS Code's kind): snippets, Markdown, location links,
/// hierarchical symbols, versioned workspace edits, parameter label offsets, dynamic file
/// watching with relative patterns.
pub fn rich_capabilities() -> Value {
    json!({
        "textDocument": {
            "completion": {"completionItem": {"snippetSupport": true, "documentationFormat": ["markdown", "plaintext"]}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "signatureHelp": {"signatureInformation": {"documentationFormat": ["markdown"], "parameterInformation": {"labelOffsetSupport": true}}},
            "definition": {"linkSupport": true},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}}
        },
        "workspace": {
            "workspaceEdit": {"documentChanges": true},
            "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true}
        }
    })
}

/// The length of each line of `text` in `units`.
pub fn line_lengths(text: &str, units: Units) -> Vec<u32> {
    lines(text)
        .iter()
        .map(|&(start, end)| text[start..end].chars().map(|c| units_of(c, units)).sum())
        .collect()
}

/// A JSON position as `(line, character)`.
pub fn position_value(position: &Value) -> (u32, u32) {
    let field = |name: &str| {
        position[name]
            .as_u64()
            .unwrap_or_else(|| panic!("no {name} in {position}")) as u32
    };
    (field("line"), field("character"))
}

/// Asserts that a JSON position lies inside `text` (on a line, at most at its end).
pub fn assert_position_inside(text: &str, position: &Value, units: Units) {
    let (line, character) = position_value(position);
    let lengths = line_lengths(text, units);
    let length = lengths
        .get(line as usize)
        .unwrap_or_else(|| panic!("line {line} past the end ({} lines)", lengths.len()));
    assert!(
        character <= *length,
        "character {character} past the end of line {line} ({length})"
    );
}

/// Asserts that a JSON range lies inside `text` and is not inverted.
pub fn assert_range_inside(text: &str, range: &Value, units: Units) {
    assert_position_inside(text, &range["start"], units);
    assert_position_inside(text, &range["end"], units);
    assert!(
        position_value(&range["start"]) <= position_value(&range["end"]),
        "inverted range {range}"
    );
}

/// Decodes semantic tokens (`data`) into absolute `(line, start, length, type, modifiers)`,
/// asserting that the data has five numbers per token and that every token lies on one line
/// of `text`, after the one before.
pub fn decode_semantic_tokens(text: &str, data: &Value, units: Units) -> Vec<[u32; 5]> {
    let numbers: Vec<u32> = data
        .as_array()
        .unwrap_or_else(|| panic!("no data: {data}"))
        .iter()
        .map(|n| n.as_u64().unwrap() as u32)
        .collect();
    assert_eq!(numbers.len() % 5, 0, "{data}");
    let lengths = line_lengths(text, units);
    let (mut line, mut start) = (0u32, 0u32);
    let mut tokens = Vec::new();
    for chunk in numbers.chunks(5) {
        if chunk[0] > 0 {
            line += chunk[0];
            start = chunk[1];
        } else {
            start += chunk[1];
        }
        let length = lengths
            .get(line as usize)
            .unwrap_or_else(|| panic!("token on line {line}, past the end"));
        assert!(chunk[2] > 0, "an empty token");
        assert!(
            start + chunk[2] <= *length,
            "token {start}+{} past the end of line {line} ({length})",
            chunk[2]
        );
        tokens.push([line, start, chunk[2], chunk[3], chunk[4]]);
    }
    tokens
}
