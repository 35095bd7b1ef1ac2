//! A blocking client of the real language server process (`playbook lsp` over stdin/stdout),
//! shared by the robustness test (`tests/lsp_robustness.rs`) and the LSP benchmark
//! (`benches/lsp.rs`, which includes this file by path).
//!
//! A background thread writes what the client sends, in order; another reads the server's
//! stdout all the time (so that neither side blocks on a full pipe while the client sends a
//! batch without waiting), splits it into messages, answers the
//! requests the server sends to the client (`client/registerCapability`,
//! `workspace/configuration`, ...) and hands every message to the client. Another thread
//! keeps the server's stderr, so a test can look for a panic message. Every wait has a
//! timeout, so a hung server fails the caller instead of hanging it.
//!
//! The text helpers (line ranges, positions in UTF-8 or UTF-16 units, file URIs) are
//! written independently of the server's own conversion, as an editor's would be.

// Each user of this module uses a different part of it.
#![allow(dead_code)]
// Test and benchmark helpers: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long to wait for any one message before declaring the server broken.
pub const TIMEOUT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------------
// Framing.

// The framing shared with the other protocol tests (each test uses a part of it).
#[allow(unused_imports)]
pub use playbook_test_support::lsp::{
    Frames, frame, is_diagnostics_for, is_response_to, notification, request,
};

// ---------------------------------------------------------------------------------------------
// The server process.

/// The `playbook lsp` process and the messages read from it.
pub struct LspProcess {
    child: Child,
    /// The messages to write to the server's stdin, written by a thread of their own, so
    /// that neither the client nor the reader thread ever blocks on a full pipe.
    outgoing: Sender<Vec<u8>>,
    messages: Receiver<Value>,
    /// Messages read while waiting for another one, not yet taken.
    pending: VecDeque<Value>,
    next_id: i64,
    stderr: Arc<Mutex<String>>,
}

impl LspProcess {
    /// Starts `binary lsp` in `cwd`.
    pub fn spawn(binary: &Path, cwd: &Path) -> LspProcess {
        let mut child = Command::new(binary)
            .arg("lsp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the playbook binary starts");
        let mut stdin = child.stdin.take().unwrap();
        let (outgoing, to_write) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            for bytes in to_write {
                if stdin
                    .write_all(&bytes)
                    .and_then(|()| stdin.flush())
                    .is_err()
                {
                    return;
                }
            }
        });
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr_pipe = child.stderr.take().unwrap();
        let (sender, messages) = mpsc::channel();
        let replies = outgoing.clone();
        std::thread::spawn(move || {
            let mut frames = Frames::default();
            let mut buffer = vec![0u8; 1 << 16];
            loop {
                match stdout.read(&mut buffer) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => frames.push(&buffer[..n]),
                }
                while let Some(message) = frames.next_message() {
                    if let (Some(method), Some(id)) =
                        (message["method"].as_str(), message.get("id"))
                    {
                        // A request of the server to the client: answered at once, as an
                        // editor that has nothing to configure would.
                        let result = if method == "workspace/configuration" {
                            let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                            Value::Array(vec![Value::Null; items])
                        } else {
                            Value::Null
                        };
                        let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
                        let _ = replies.send(frame(&reply));
                    }
                    if sender.send(message).is_err() {
                        return;
                    }
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let kept = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buffer = vec![0u8; 1 << 14];
            loop {
                match stderr_pipe.read(&mut buffer) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => kept
                        .lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buffer[..n])),
                }
            }
        });
        LspProcess {
            child,
            outgoing,
            messages,
            pending: VecDeque::new(),
            next_id: 0,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Whether the process is still running.
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The peak resident set size of the server so far (`VmHWM`), in KiB, where `/proc` has it.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.status_kib("VmHWM:")
    }

    /// The resident set size of the server now (`VmRSS`), in KiB, where `/proc` has it.
    pub fn rss_kib(&self) -> Option<u64> {
        self.status_kib("VmRSS:")
    }

    /// A field of `/proc/<pid>/status` counted in kB.
    fn status_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status.lines().find_map(|line| {
            let rest = line.strip_prefix(field)?;
            rest.trim().trim_end_matches("kB").trim().parse().ok()
        })
    }

    /// Queues `message` for the server (written in order by the writer thread).
    pub fn send(&self, message: &Value) {
        self.outgoing
            .send(frame(message))
            .expect("the writer thread runs");
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(&notification(method, params));
    }

    /// Sends a request without waiting for its response; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&request(id, method, params));
        id
    }

    /// The next message (a pending one first), or `None` after `timeout`.
    pub fn next_message(&mut self, timeout: Duration) -> Option<Value> {
        if let Some(message) = self.pending.pop_front() {
            return Some(message);
        }
        self.messages.recv_timeout(timeout).ok()
    }

    /// Reads until a message satisfies `wanted` and returns it; the other messages stay
    /// available to later reads. Panics after [`TIMEOUT`] without such a message.
    pub fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return self.pending.remove(i).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.pending.push_back(message),
                Err(error) => {
                    let alive = self.is_alive();
                    panic!(
                        "no awaited message from the server ({error:?}; server alive: {alive}); \
                         {} other messages pending; stderr:\n{}",
                        self.pending.len(),
                        tail(&self.stderr(), 4000)
                    )
                }
            }
        }
    }

    /// Drops the messages read so far that nobody took.
    pub fn clear_pending(&mut self) {
        self.pending.clear();
        while self.messages.try_recv().is_ok() {}
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_for(|m| is_response_to(m, id))
    }

    /// `initialize` (with the workspace folder `root`, if any, and the client `capabilities`)
    /// and `initialized`; returns the `initialize` result.
    pub fn initialize(&mut self, root: Option<&Path>, capabilities: Value) -> Value {
        let mut params = json!({"processId": std::process::id(), "capabilities": capabilities});
        if let Some(root) = root {
            let uri = file_uri(root);
            params["rootUri"] = json!(uri);
            params["workspaceFolders"] = json!([{"uri": uri, "name": "workspace"}]);
        }
        let response = self.request("initialize", params);
        assert!(response.get("error").is_none(), "initialize: {response}");
        self.notify("initialized", json!({}));
        response["result"].clone()
    }

    /// `shutdown` then `exit`; returns the exit code of the process.
    pub fn shutdown(mut self) -> Option<i32> {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "shutdown: {response}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit after shutdown and exit");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for LspProcess {
    fn drop(&mut self) {
        // A test that failed half-way leaves no server behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The CPU time (user and system) process `pid` has used so far, where `/proc` has it,
/// counted in the usual 100 clock ticks per second.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// The last `n` bytes of `text` (at a character boundary).
pub fn tail(text: &str, n: usize) -> &str {
    let mut start = text.len().saturating_sub(n);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

// ---------------------------------------------------------------------------------------------
// Text: lines, positions, URIs.

/// The unit of LSP columns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Units {
    Utf16,
    Utf8,
}

impl Units {
    /// The units of a negotiated `positionEncoding` (UTF-16, the protocol's default, unless
    /// the server chose `utf-8`).
    pub fn of(encoding: &Value) -> Units {
        if encoding == "utf-8" {
            Units::Utf8
        } else {
            Units::Utf16
        }
    }

    pub fn of_char(self, ch: char) -> u32 {
        match self {
            Units::Utf16 => ch.len_utf16() as u32,
            Units::Utf8 => ch.len_utf8() as u32,
        }
    }
}

/// The byte ranges of the lines of `text`, line breaks (`\n`, `\r\n`, `\r`) excluded.
pub fn line_ranges(text: &str) -> Vec<(usize, usize)> {
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

/// The length of every line of `text` in `units`.
pub fn line_lengths(text: &str, units: Units) -> Vec<u32> {
    line_ranges(text)
        .into_iter()
        .map(|(start, end)| text[start..end].chars().map(|c| units.of_char(c)).sum())
        .collect()
}

/// The byte offset of a position that lies inside `text` on a character boundary.
pub fn offset_of(text: &str, line: u32, col: u32, units: Units) -> usize {
    let (start, end) = line_ranges(text)[line as usize];
    let mut counted = 0;
    for (i, ch) in text[start..end].char_indices() {
        if counted == col {
            return start + i;
        }
        counted += units.of_char(ch);
    }
    assert_eq!(counted, col, "position inside a character or past the line");
    end
}

/// The position of a byte offset (an offset inside a line break counts as its line's end).
pub fn position_of(text: &str, offset: usize, units: Units) -> (u32, u32) {
    let lines = line_ranges(text);
    let line = lines
        .iter()
        .rposition(|&(start, _)| start <= offset)
        .unwrap();
    let (start, end) = lines[line];
    let end = offset.min(end);
    let col = text[start..end].chars().map(|c| units.of_char(c)).sum();
    (line as u32, col)
}

/// A position as the protocol writes it.
pub fn position_json((line, character): (u32, u32)) -> Value {
    json!({"line": line, "character": character})
}

/// The `file:` URI of an absolute path, every byte outside the unreserved set and `/`
/// percent-encoded.
pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(byte as char);
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

/// The path of a `file:` URI, percent-decoded; `None` for another scheme.
pub fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = rest.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}
