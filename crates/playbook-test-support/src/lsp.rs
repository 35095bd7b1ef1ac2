//! The language server protocol's framing and messages as the tests of the server write and
//! read them: `Content-Length` frames, requests, notifications, and what a message is.

#![allow(clippy::expect_used)]

use serde_json::{Value, json};

/// One message with its `Content-Length` header.
pub fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Splits a byte stream into messages.
#[derive(Default)]
pub struct Frames {
    buffer: Vec<u8>,
}

impl Frames {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete message, if the buffer holds one.
    pub fn next_message(&mut self) -> Option<Value> {
        let header_end = self.buffer.windows(4).position(|w| w == b"\r\n\r\n")?;
        let header = std::str::from_utf8(&self.buffer[..header_end]).expect("ASCII header");
        let length: usize = header
            .split("\r\n")
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.trim()
                    .eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().expect("a numeric Content-Length"))
            })
            .expect("a Content-Length header");
        let body_start = header_end + 4;
        if self.buffer.len() < body_start + length {
            return None;
        }
        let message = serde_json::from_slice(&self.buffer[body_start..body_start + length])
            .expect("a JSON body");
        self.buffer.drain(..body_start + length);
        Some(message)
    }
}

pub fn request(id: i64, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

pub fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

pub fn is_response_to(message: &Value, id: i64) -> bool {
    message.get("method").is_none() && message["id"] == json!(id)
}

/// Whether `message` publishes diagnostics for `uri`.
pub fn is_diagnostics_for(message: &Value, uri: &str) -> bool {
    message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri
}
