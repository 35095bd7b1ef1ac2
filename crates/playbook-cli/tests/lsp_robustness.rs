//! Robustness, end to end (issue 9): the real binary (`playbook lsp`) over stdin/stdout goes
//! through 10,000 random edits of a playbook, interleaved with every editor request at random
//! places, and must survive all of it with answers that make sense.
//!
//! The workspace is a copy of the precision test's clean playbooks and triggers
//! (`tests/precision/clean`), with the real step library when the shared test data is there
//! (`PLAYBOOK_TEST_DATA`), in a folder whose name needs percent-encoding. The edited document
//! is `k8s-crashloop-logs.yaml` (a loop, folded and quoted scalars, a trigger in another file
//! that passes its parameters), given CRLF line endings and multi-byte text. The edits insert
//! and delete at random places (some near template syntax): plain and multi-byte text (`é`,
//! `日本`, emoji, a NUL), line breaks of the three kinds, template fragments (`{{ $.`, `}}`,
//! `{{ end }}`), YAML fragments (`: `, `- `, `|`, quotes), and pasted lines of the original.
//! They go 1 to 4 to a `didChange`, mixed with completion, hover, definition, references,
//! documentHighlight, prepareRename, rename, semanticTokens/full and /range, codeAction,
//! signatureHelp, documentSymbol, foldingRange, selectionRange, inlayHint (turned on),
//! formatting, rangeFormatting and workspace/symbol requests,
//! sent in batches without waiting for the answers (at most [`MAX_IN_FLIGHT`] unanswered).
//! Every [`SYNC_EVERY`] operations the client waits for everything, compares the server's
//! text with its own, and asks for the code actions of the diagnostics just published.
//!
//! What must hold:
//! - the server never dies, never logs an internal error, and its stderr never says
//!   "panicked";
//! - no error response, except a rename or prepareRename refused with a message and a
//!   request cancelled by a later edit (`ContentModified`, -32801); "method not found" is a
//!   failure;
//! - every position in every answer and in every published diagnostic lies inside the
//!   document it names, as it was when the request was sent (line < number of lines,
//!   character <= the line's length in the negotiated encoding); ranges do not end before
//!   they start; a document symbol's selection range lies inside its range; a selection
//!   range's parent contains it; semantic tokens decode to tokens inside their line, of a
//!   type of the legend;
//! - at the end the server's text (`playbook/debugText`) equals the client's, and the server
//!   exits with 0 after `shutdown` and `exit`.
//!
//! Seeded: the seed is printed; `PLAYBOOK_FUZZ_SEED=<n> cargo test -p playbook-cli --test
//! lsp_robustness -- --nocapture` replays a failure. `PLAYBOOK_FUZZ_EDITS=<n>` changes the
//! number of edits (for a longer local run; CI runs the default), and
//! `PLAYBOOK_FUZZ_ENCODING=utf-8` makes the client offer UTF-8 positions only (the default
//! is UTF-16, what VS Code speaks).

// Test code: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/lsp_client.rs"]
mod lsp_client;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use lsp_client::{
    LspProcess, Units, file_uri, line_lengths, line_ranges, position_json, tail, uri_path,
};
use playbook_test_support::XorShift;
use serde_json::{Value, json};

/// The number of edits of a run.
const EDITS: usize = 10_000;
/// The seed when `PLAYBOOK_FUZZ_SEED` is not set.
const DEFAULT_SEED: u64 = 0x0b5e_55ed_5eed;
/// Every this many edits, the document goes back to its original text in one edit.
const REVERT_EVERY: usize = 300;
/// Requests sent and not yet answered, at most.
const MAX_IN_FLIGHT: usize = 24;
/// Operations (edit notifications and requests) between two points where the client waits
/// for every answer.
const SYNC_EVERY: usize = 150;
/// The edited document, from the precision test's clean folder.
const EDITED: &str = "k8s-crashloop-logs.yaml";

/// ContentModified: the request was overtaken by an edit.
const CONTENT_MODIFIED: i64 = -32801;
const METHOD_NOT_FOUND: i64 = -32601;
const INTERNAL_ERROR: i64 = -32603;

/// What the random edits insert.
const PIECES: &[&str] = &[
    "a",
    "x1",
    "key",
    "é",
    "日本",
    "😀",
    "👩\u{200d}💻",
    "\u{0}",
    "\n",
    "\n",
    "\r\n",
    "\r\n",
    "\r",
    "{{ $.",
    "{{ $.",
    "{{ ",
    " }}",
    "}}",
    "{{- ",
    " -}}",
    "{{ end }}",
    "{{ if $.params.Namespace }}",
    "{{ range $.pods.items }}",
    "$.params.",
    "$.pods.",
    "$.'crash-logs'.",
    ".",
    ": ",
    ": ",
    "- ",
    "  ",
    "\t",
    "\"",
    "'",
    "\\",
    "#",
    "|",
    ">-\n",
    "(",
    ")",
    "secret ",
    "len ",
    "printf \"%s\" ",
    "env:\n",
    "  - name: ",
    "id: x",
    "Namespace",
];

/// Where requests and some edits are aimed: right after (or near) one of these.
const MARKERS: &[&str] = &[
    "{{", "$.", ".params.", "}}", "name:", "env:", "id:", "playbook", "(", "\"", ".pod.", "len ",
];

/// The names a rename proposes: valid, clashing, invalid, needing quotes.
const NEW_NAMES: &[&str] = &[
    "Renamed",
    "renamed-name",
    "tail_lines_2",
    "Namespace",
    "runner",
    "1bad",
    "has space",
    "",
    "日本",
    "x",
];

/// The requests of the run, with their relative weights.
const METHODS: &[(&str, usize)] = &[
    ("textDocument/completion", 18),
    ("textDocument/hover", 10),
    ("textDocument/definition", 8),
    ("textDocument/references", 6),
    ("textDocument/documentHighlight", 6),
    ("textDocument/prepareRename", 5),
    ("textDocument/rename", 5),
    ("textDocument/semanticTokens/full", 4),
    ("textDocument/semanticTokens/range", 4),
    ("textDocument/codeAction", 7),
    ("textDocument/signatureHelp", 6),
    ("textDocument/documentSymbol", 3),
    ("textDocument/foldingRange", 3),
    ("textDocument/selectionRange", 3),
    ("textDocument/inlayHint", 4),
    ("textDocument/formatting", 3),
    ("textDocument/rangeFormatting", 3),
    ("workspace/symbol", 2),
];

#[test]
fn random_edits_and_requests_keep_the_server_sound() {
    let seed = std::env::var("PLAYBOOK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let edits = std::env::var("PLAYBOOK_FUZZ_EDITS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(EDITS);
    eprintln!(
        "lsp_robustness: PLAYBOOK_FUZZ_SEED={seed} ({edits} edits); rerun with \
         PLAYBOOK_FUZZ_SEED={seed} to replay"
    );
    let started = Instant::now();
    let dir = common::temp_dir("lsp fuzz é");
    let mut fuzz = Fuzz::start(&dir, seed);
    fuzz.run(edits);
    let report = fuzz.finish();
    eprintln!("{report}");
    eprintln!(
        "lsp_robustness: {edits} edits in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The workspace: the clean playbooks and triggers of the precision test, a `playbook.toml`
/// naming the real library (when present), and the edited document, with CRLF line endings
/// and multi-byte text. Returns the edited document's path and initial text.
fn write_workspace(dir: &Path) -> (PathBuf, String) {
    let clean = playbook_test_support::workspace_root().join("tests/precision/clean");
    for (path, text) in playbook_test_support::yaml_files(&clean) {
        common::write(dir, &path, text.as_bytes());
    }
    if let Some(library) = playbook_test_support::shared_data("corpus/stackpulse-steps") {
        common::write(
            dir,
            "playbook.toml",
            format!(
                "[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = {:?}\n",
                library.display().to_string()
            )
            .as_bytes(),
        );
    }
    let original = std::fs::read_to_string(clean.join(EDITED)).unwrap();
    let text = format!(
        "# Redémarre les pods 日本 😀: a header with multi-byte text.\n{}",
        original.replace(
            "description: Post logs and events of crash-looping pods.",
            "description: \"Post logs and events of crash-looping pods (é, 日本, 😀).\""
        )
    )
    .replace('\n', "\r\n");
    let path = common::write(dir, EDITED, text.as_bytes());
    (path, text)
}

/// The client's copy of the edited document.
struct Doc {
    text: String,
    units: Units,
    lines: Vec<(usize, usize)>,
    lengths: Rc<Vec<u32>>,
}

impl Doc {
    fn new(text: String, units: Units) -> Doc {
        let lines = line_ranges(&text);
        let lengths = Rc::new(
            lines
                .iter()
                .map(|&(start, end)| units_of(&text.as_bytes()[start..end], units))
                .collect(),
        );
        Doc {
            text,
            units,
            lines,
            lengths,
        }
    }

    /// The position of a byte offset on a character boundary.
    fn position(&self, offset: usize) -> (u32, u32) {
        let line = self
            .lines
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        let (start, end) = self.lines[line];
        let col = self.text[start..offset.min(end)]
            .chars()
            .map(|c| self.units.of_char(c))
            .sum();
        (line as u32, col)
    }

    /// The byte offset of a position inside the document, as an editor computes it.
    fn offset(&self, (line, col): (u32, u32)) -> usize {
        let (start, end) = self.lines[line as usize];
        let mut counted = 0;
        for (i, ch) in self.text[start..end].char_indices() {
            if counted >= col {
                return start + i;
            }
            counted += self.units.of_char(ch);
        }
        end
    }

    /// Replaces `start..end` (positions) with `text`, as the editor does.
    fn apply(&mut self, edit: &Edit) {
        let start = self.offset(edit.start);
        let end = self.offset(edit.end);
        self.text.replace_range(start..end, &edit.text);
        *self = Doc::new(std::mem::take(&mut self.text), self.units);
    }

    /// `offset` moved back to a character boundary that is not inside a CRLF pair.
    fn snap(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut offset = offset.min(bytes.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n') {
            offset -= 1;
        }
        offset
    }

    /// `offset` moved forward by `chars` characters (a CRLF pair counts as one).
    fn forward(&self, mut offset: usize, chars: usize) -> usize {
        let bytes = self.text.as_bytes();
        for _ in 0..chars {
            let Some(ch) = self.text[offset..].chars().next() else {
                break;
            };
            offset += ch.len_utf8();
            if ch == '\r' && bytes.get(offset) == Some(&b'\n') {
                offset += 1;
            }
        }
        offset
    }
}

/// The length of UTF-8 `bytes` in `units`: in UTF-16, a 4-byte character counts 2, any
/// other 1; in UTF-8, every byte counts.
fn units_of(bytes: &[u8], units: Units) -> u32 {
    match units {
        Units::Utf8 => bytes.len() as u32,
        Units::Utf16 => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0xBF => 0,
                0xF0..=0xFF => 2,
                _ => 1,
            })
            .sum(),
    }
}

/// One content change: replace `start..end` (positions) with `text`.
#[derive(Clone, Debug)]
struct Edit {
    start: (u32, u32),
    end: (u32, u32),
    text: String,
}

impl Edit {
    fn to_json(&self) -> Value {
        json!({
            "range": {"start": position_json(self.start), "end": position_json(self.end)},
            "text": self.text,
        })
    }
}

/// A request sent and not yet answered.
struct Sent {
    method: &'static str,
    version: i64,
    lengths: Rc<Vec<u32>>,
}

/// How the requests of one method were answered.
#[derive(Default)]
struct Tally {
    sent: usize,
    /// Answered with something (not null, not an empty list).
    answered: usize,
    /// Answered with null or an empty list.
    empty: usize,
    cancelled: usize,
    refused: usize,
}

struct Fuzz {
    server: LspProcess,
    rng: XorShift,
    seed: u64,
    uri: String,
    path: PathBuf,
    original: String,
    doc: Doc,
    version: i64,
    /// The line lengths of every version sent, for checking the diagnostics published for it.
    versions: HashMap<i64, Rc<Vec<u32>>>,
    in_flight: HashMap<i64, Sent>,
    /// Edits made so far, and the byte offset around which the next ones are made.
    edits: usize,
    focus: usize,
    /// Edits left in the current burst, and the text the burst started from.
    burst_left: usize,
    burst_start: String,
    /// The line lengths of other files named in answers, read from disk (`None`: unreadable).
    disk: HashMap<PathBuf, Option<Rc<Vec<u32>>>>,
    /// The diagnostics last published for the document, with their version.
    diagnostics: (i64, Vec<Value>),
    /// The number of diagnostics published for the document: in all, and at most at once.
    diagnostic_counts: (usize, usize),
    legend: usize,
    tallies: BTreeMap<&'static str, Tally>,
    notifications: usize,
    failures: Vec<String>,
}

impl Fuzz {
    fn start(dir: &Path, seed: u64) -> Fuzz {
        let (path, text) = write_workspace(dir);
        let mut server = LspProcess::spawn(Path::new(env!("CARGO_BIN_EXE_playbook")), dir);
        let result = server.initialize(Some(dir), client_capabilities());
        let capabilities = &result["capabilities"];
        let units = Units::of(&capabilities["positionEncoding"]);
        eprintln!("lsp_robustness: positions in {units:?}");
        let legend = capabilities["semanticTokensProvider"]["legend"]["tokenTypes"]
            .as_array()
            .map_or(0, Vec::len);
        let uri = file_uri(&path);
        // Inlay hints are off by default: on, they run the playbook after every edit.
        server.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"playbook": {"inlayHints": {"templateValues": true}}}}),
        );
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        let doc = Doc::new(text.clone(), units);
        let mut fuzz = Fuzz {
            server,
            rng: XorShift::from_seed(seed),
            seed,
            uri,
            path,
            burst_start: text.clone(),
            original: text,
            versions: HashMap::from([(1, Rc::clone(&doc.lengths))]),
            doc,
            version: 1,
            in_flight: HashMap::new(),
            edits: 0,
            focus: 0,
            burst_left: 0,
            disk: HashMap::new(),
            diagnostics: (0, Vec::new()),
            diagnostic_counts: (0, 0),
            legend,
            tallies: BTreeMap::new(),
            notifications: 0,
            failures: Vec::new(),
        };
        fuzz.sync();
        fuzz
    }

    fn run(&mut self, edits: usize) {
        let mut done = 0;
        let mut operations = 0;
        while done < edits {
            if self.rng.below(100) < 45 {
                let count = (1 + self.rng.below(4)).min(edits - done);
                self.send_edits(count);
                done += count;
            } else {
                let id = self.send_random_request();
                // A third of the requests are awaited, as when the person pauses and reads
                // the completion list: no edit overtakes them, so they are answered.
                if self.rng.below(3) == 0 {
                    while self.in_flight.contains_key(&id) {
                        self.pump(true);
                    }
                }
            }
            operations += 1;
            self.pump(false);
            while self.in_flight.len() >= MAX_IN_FLIGHT {
                self.pump(true);
            }
            if operations % SYNC_EVERY == 0 {
                self.sync();
                self.diagnostic_code_actions();
                self.check_text();
                assert!(
                    self.failures.len() < 50 && self.server.is_alive(),
                    "{}",
                    self.failure_report()
                );
            }
        }
        self.sync();
        self.diagnostic_code_actions();
    }

    /// Waits for every answer and for the diagnostics of the current version.
    fn sync(&mut self) {
        while !self.in_flight.is_empty() || self.diagnostics.0 < self.version {
            self.pump(true);
        }
    }

    /// Handles the messages already read (`block`: waits for at least one).
    fn pump(&mut self, block: bool) {
        let wait = if block {
            lsp_client::TIMEOUT
        } else {
            Duration::ZERO
        };
        let Some(message) = self.server.next_message(wait) else {
            if block {
                let alive = self.server.is_alive();
                panic!(
                    "no message from the server for {:?} (alive: {alive}), {} requests \
                     unanswered\n{}",
                    lsp_client::TIMEOUT,
                    self.in_flight.len(),
                    self.failure_report()
                );
            }
            return;
        };
        self.handle(message);
        while let Some(message) = self.server.next_message(Duration::ZERO) {
            self.handle(message);
        }
    }

    fn handle(&mut self, mut message: Value) {
        let method = message["method"].as_str().map(str::to_owned);
        match method.as_deref() {
            None => {
                let Some(id) = message["id"].as_i64() else {
                    return self.fail(format!("a response without a numeric id: {message}"));
                };
                match self.in_flight.remove(&id) {
                    Some(sent) => self.check_response(&sent, &message),
                    None => self.fail(format!("a response to no request: {message}")),
                }
            }
            Some("textDocument/publishDiagnostics") => {
                let params = &message["params"];
                let uri = params["uri"].as_str().unwrap_or_default();
                if uri_path(uri).as_deref() == Some(self.path.as_path()) {
                    let Some(version) = params["version"].as_i64() else {
                        return self.fail(format!("diagnostics without a version: {message}"));
                    };
                    let Some(lengths) = self.versions.get(&version).cloned() else {
                        return self
                            .fail(format!("diagnostics of a version never sent: {version}"));
                    };
                    let context = format!("diagnostics of version {version}");
                    self.walk(&params["diagnostics"], &lengths, None, &context);
                    if version < self.diagnostics.0 {
                        self.fail(format!(
                            "diagnostics of version {version} after those of {}",
                            self.diagnostics.0
                        ));
                    }
                    let list = match message["params"]["diagnostics"].take() {
                        Value::Array(list) => list,
                        _ => Vec::new(),
                    };
                    self.diagnostic_counts.0 += list.len();
                    self.diagnostic_counts.1 = self.diagnostic_counts.1.max(list.len());
                    self.diagnostics = (version, list);
                } else if let Some(lengths) = self.disk_lengths(uri) {
                    self.walk(
                        &params["diagnostics"],
                        &lengths,
                        None,
                        &format!("diagnostics of {uri}"),
                    );
                }
            }
            Some("window/logMessage" | "window/showMessage") => {
                let text = message["params"]["message"].as_str().unwrap_or_default();
                if message["params"]["type"] == 1 || text.contains("internal error") {
                    self.fail(format!("the server reported an error: {text}"));
                }
            }
            Some(_) => {}
        }
    }

    fn fail(&mut self, failure: String) {
        if self.failures.len() < 200 {
            self.failures.push(failure);
        }
    }

    fn failure_report(&self) -> String {
        let mut out = format!(
            "{} failures (seed {}, replay with PLAYBOOK_FUZZ_SEED={}), the first ones:\n",
            self.failures.len(),
            self.seed,
            self.seed
        );
        for failure in self.failures.iter().take(25) {
            out.push_str("- ");
            out.push_str(&lsp_client::tail(failure, 1500).replace('\n', "\n  "));
            out.push('\n');
        }
        out.push_str("server stderr (end):\n");
        out.push_str(tail(&self.server.stderr(), 3000));
        out
    }

    // -----------------------------------------------------------------------------------------
    // Edits.

    fn send_edits(&mut self, count: usize) {
        let mut changes = Vec::with_capacity(count);
        for _ in 0..count {
            let edit = self.random_edit();
            self.doc.apply(&edit);
            changes.push(edit.to_json());
        }
        self.version += 1;
        self.versions
            .insert(self.version, Rc::clone(&self.doc.lengths));
        self.notifications += 1;
        self.server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": changes,
            }),
        );
    }

    /// The next edit. Edits come in bursts of 2 to 20 around a focus, as a person types;
    /// nineteen bursts in twenty are then undone (one edit that puts back the text the burst
    /// started from, as an editor's undo sends it), so the document goes from clean to
    /// broken and back all the time. Every [`REVERT_EVERY`] edits the whole document is
    /// replaced by the original (a `git checkout`), one edit over the whole text.
    fn random_edit(&mut self) -> Edit {
        self.edits += 1;
        if self.edits.is_multiple_of(REVERT_EVERY) {
            let end = self.doc.position(self.doc.text.len());
            self.burst_left = 0;
            self.burst_start = self.original.clone();
            return Edit {
                start: (0, 0),
                end,
                text: self.original.clone(),
            };
        }
        if self.burst_left == 0 {
            self.burst_left = 2 + self.rng.below(19);
            self.focus = self.random_offset();
            if self.rng.below(20) < 19
                && self.doc.text != self.burst_start
                && let Some(undo) = self.undo()
            {
                return undo;
            }
            self.burst_start = self.doc.text.clone();
        }
        self.burst_left -= 1;
        let len = self.doc.text.len();
        let roll = self.rng.below(100);
        if len > 3 * self.original.len() {
            // Too long: delete whole lines.
            let first = self.rng.below(self.doc.lines.len());
            let last = (first + 1 + self.rng.below(10)).min(self.doc.lines.len() - 1);
            self.focus = self.doc.lines[first].0;
            return Edit {
                start: (first as u32, 0),
                end: (last as u32, 0),
                text: String::new(),
            };
        }
        if len < self.original.len() / 3 || roll < 4 {
            // Paste a few lines of the original at the start of a line.
            let lines = line_ranges(&self.original);
            let first = self.rng.below(lines.len());
            let last = (first + 1 + self.rng.below(6)).min(lines.len() - 1);
            let text = self.original[lines[first].0..lines[last].0].to_owned();
            let line = self.rng.below(self.doc.lines.len());
            self.focus = self.doc.lines[line].0 + text.len();
            return Edit {
                start: (line as u32, 0),
                end: (line as u32, 0),
                text,
            };
        }
        // Near the focus: moved back or ahead a few bytes.
        let back = self.rng.below(8);
        let ahead = self.rng.below(8);
        let at = self.doc.snap((self.focus + ahead).saturating_sub(back));
        if roll < 64 {
            let mut text = String::new();
            for _ in 0..=self.rng.below(2) {
                text.push_str(PIECES[self.rng.below(PIECES.len())]);
            }
            let position = self.doc.position(at);
            self.focus = at + text.len();
            return Edit {
                start: position,
                end: position,
                text,
            };
        }
        let end = self.doc.forward(at, 1 + self.rng.below(8));
        let text = if roll < 92 {
            String::new()
        } else {
            PIECES[self.rng.below(PIECES.len())].to_owned()
        };
        self.focus = at + text.len();
        Edit {
            start: self.doc.position(at),
            end: self.doc.position(end),
            text,
        }
    }

    /// The edit that turns the document back into `burst_start`: the smallest range that
    /// differs, replaced by the text it had (`None` if the texts are equal).
    fn undo(&mut self) -> Option<Edit> {
        let (now, then) = (self.doc.text.as_bytes(), self.burst_start.as_bytes());
        let mut prefix = now.iter().zip(then).take_while(|(a, b)| a == b).count();
        while !(self.doc.text.is_char_boundary(prefix) && self.burst_start.is_char_boundary(prefix))
        {
            prefix -= 1;
        }
        // A position cannot fall between the two bytes of a CRLF.
        if prefix > 0 && now[prefix - 1] == b'\r' && now.get(prefix) == Some(&b'\n') {
            prefix -= 1;
        }
        let room = now.len().min(then.len()) - prefix;
        let mut suffix = now
            .iter()
            .rev()
            .zip(then.iter().rev())
            .take(room)
            .take_while(|(a, b)| a == b)
            .count();
        // The suffix starts at the same bytes in both texts, so on a character boundary in
        // both if in one.
        while !self.doc.text.is_char_boundary(now.len() - suffix) {
            suffix -= 1;
        }
        let end = now.len() - suffix;
        if end > 0 && now[end - 1] == b'\r' && now.get(end) == Some(&b'\n') {
            suffix -= 1;
        }
        let (end, then_end) = (now.len() - suffix, then.len() - suffix);
        if prefix == end && prefix == then_end {
            return None;
        }
        let edit = Edit {
            start: self.doc.position(prefix),
            end: self.doc.position(end),
            text: self.burst_start[prefix..then_end].to_owned(),
        };
        Some(edit)
    }

    /// A random offset on a character boundary: anywhere, or near template or YAML syntax.
    fn random_offset(&mut self) -> usize {
        let len = self.doc.text.len();
        if self.rng.below(2) == 0 {
            let marker = MARKERS[self.rng.below(MARKERS.len())];
            let found: Vec<usize> = self
                .doc
                .text
                .match_indices(marker)
                .map(|(i, _)| i + marker.len())
                .collect();
            if !found.is_empty() {
                let at = found[self.rng.below(found.len())] + self.rng.below(6);
                return self.doc.snap(at.saturating_sub(2));
            }
        }
        self.doc.snap(self.rng.below(len + 1))
    }

    fn random_position(&mut self) -> Value {
        let offset = self.random_offset();
        position_json(self.doc.position(offset))
    }

    fn random_range(&mut self) -> Value {
        let a = self.random_offset();
        let b = if self.rng.below(3) == 0 {
            a
        } else {
            self.doc.snap(a + self.rng.below(200))
        };
        json!({
            "start": position_json(self.doc.position(a.min(b))),
            "end": position_json(self.doc.position(a.max(b))),
        })
    }

    // -----------------------------------------------------------------------------------------
    // Requests.

    fn send_random_request(&mut self) -> i64 {
        let total: usize = METHODS.iter().map(|(_, w)| w).sum();
        let mut pick = self.rng.below(total);
        let mut method = METHODS[0].0;
        for &(name, weight) in METHODS {
            if pick < weight {
                method = name;
                break;
            }
            pick -= weight;
        }
        let document = json!({"uri": self.uri});
        let params = match method {
            "textDocument/completion" => {
                let position = self.random_position();
                let context = match self.rng.below(3) {
                    0 => json!({"triggerKind": 1}),
                    1 => json!({"triggerKind": 2, "triggerCharacter": "."}),
                    _ => json!({"triggerKind": 3}),
                };
                json!({"textDocument": document, "position": position, "context": context})
            }
            "textDocument/references" => {
                let position = self.random_position();
                let include = self.rng.below(2) == 0;
                json!({"textDocument": document, "position": position,
                       "context": {"includeDeclaration": include}})
            }
            "textDocument/rename" => {
                let position = self.random_position();
                let name = NEW_NAMES[self.rng.below(NEW_NAMES.len())];
                json!({"textDocument": document, "position": position, "newName": name})
            }
            "textDocument/signatureHelp" => {
                let position = self.random_position();
                json!({"textDocument": document, "position": position,
                       "context": {"triggerKind": 1, "isRetrigger": false}})
            }
            "textDocument/semanticTokens/full"
            | "textDocument/documentSymbol"
            | "textDocument/foldingRange" => json!({"textDocument": document}),
            "textDocument/semanticTokens/range" | "textDocument/inlayHint" => {
                let range = self.random_range();
                json!({"textDocument": document, "range": range})
            }
            "textDocument/codeAction" => {
                let range = self.random_range();
                // As an editor does: the diagnostics of this version that touch the range.
                let diagnostics: Vec<Value> = if self.diagnostics.0 == self.version {
                    self.diagnostics
                        .1
                        .iter()
                        .filter(|d| overlaps(&d["range"], &range))
                        .cloned()
                        .collect()
                } else {
                    Vec::new()
                };
                let mut context =
                    json!({"diagnostics": diagnostics, "triggerKind": 1 + self.rng.below(2)});
                match self.rng.below(4) {
                    0 => context["only"] = json!(["quickfix"]),
                    1 => context["only"] = json!(["source.fixAll.playbook"]),
                    _ => {}
                }
                json!({"textDocument": document, "range": range, "context": context})
            }
            "textDocument/formatting" => {
                json!({"textDocument": document, "options": {"tabSize": 2, "insertSpaces": true}})
            }
            "textDocument/rangeFormatting" => {
                let range = self.random_range();
                json!({"textDocument": document, "range": range,
                       "options": {"tabSize": 4, "insertSpaces": true}})
            }
            "textDocument/selectionRange" => {
                let positions: Vec<Value> = (0..=self.rng.below(3))
                    .map(|_| self.random_position())
                    .collect();
                json!({"textDocument": document, "positions": positions})
            }
            "workspace/symbol" => {
                let queries = ["", "k8s", "re", "é", "crash", "trigger", "redis/info"];
                json!({"query": queries[self.rng.below(queries.len())]})
            }
            // hover, definition, documentHighlight, prepareRename.
            _ => {
                let position = self.random_position();
                json!({"textDocument": document, "position": position})
            }
        };
        self.send_request(method, params)
    }

    fn send_request(&mut self, method: &'static str, params: Value) -> i64 {
        let id = self.server.send_request(method, params);
        self.tallies.entry(method).or_default().sent += 1;
        self.in_flight.insert(
            id,
            Sent {
                method,
                version: self.version,
                lengths: Rc::clone(&self.doc.lengths),
            },
        );
        id
    }

    /// The code actions of each diagnostic just published (at most 4), as an editor asks for
    /// them when the cursor is on one; the client waits for each answer.
    fn diagnostic_code_actions(&mut self) {
        if self.diagnostics.0 != self.version {
            return;
        }
        let diagnostics = self.diagnostics.1.clone();
        for diagnostic in diagnostics.iter().take(4) {
            let params = json!({
                "textDocument": {"uri": self.uri},
                "range": diagnostic["range"],
                "context": {"diagnostics": [diagnostic], "triggerKind": 2},
            });
            self.send_request("textDocument/codeAction", params);
        }
        self.sync();
    }

    /// The server's text must be the client's.
    fn check_text(&mut self) {
        let response = self
            .server
            .request(playbook_lsp::DEBUG_TEXT_METHOD, json!({"uri": self.uri}));
        let server = response["result"]["text"].as_str();
        if server != Some(self.doc.text.as_str()) {
            panic!(
                "after version {} the server's text differs from the client's: {}\n{}",
                self.version,
                first_difference(server.unwrap_or_default(), &self.doc.text),
                self.failure_report()
            );
        }
    }

    /// Checks the last answers, the server's text and its end; returns the summary.
    fn finish(mut self) -> String {
        self.check_text();
        let stderr = self.server.stderr();
        if stderr.contains("panicked") {
            self.fail(format!("the server panicked:\n{}", tail(&stderr, 3000)));
        }
        for (method, tally) in &self.tallies {
            if tally.answered + tally.empty + tally.refused == 0 {
                self.failures.push(format!(
                    "{method}: none of {} requests was answered (all were cancelled)",
                    tally.sent
                ));
            }
        }
        let cpu = |seconds: Option<f64>| seconds.map_or("?".to_owned(), |s| format!("{s:.1} s"));
        let mut summary = format!(
            "lsp_robustness: seed {}, {} edit notifications, final text {} lines, {} bytes; \
             diagnostics published: {:.1} on average, {} at most; CPU time: server {}, \
             client {}\n{:<36} {:>6} {:>8} {:>6} {:>9} {:>7}\n",
            self.seed,
            self.notifications,
            self.doc.lines.len(),
            self.doc.text.len(),
            self.diagnostic_counts.0 as f64 / self.version.max(1) as f64,
            self.diagnostic_counts.1,
            cpu(lsp_client::cpu_seconds(self.server.pid())),
            cpu(lsp_client::cpu_seconds(std::process::id())),
            "method",
            "sent",
            "answered",
            "empty",
            "cancelled",
            "refused"
        );
        for (method, t) in &self.tallies {
            summary.push_str(&format!(
                "{method:<36} {:>6} {:>8} {:>6} {:>9} {:>7}\n",
                t.sent, t.answered, t.empty, t.cancelled, t.refused
            ));
        }
        assert!(
            self.failures.is_empty(),
            "{summary}{}",
            self.failure_report()
        );
        let Fuzz { server, .. } = self;
        assert_eq!(server.shutdown(), Some(0), "the server's exit code");
        summary
    }

    // -----------------------------------------------------------------------------------------
    // Checking answers.

    fn check_response(&mut self, sent: &Sent, response: &Value) {
        let context = format!("{} at version {}", sent.method, sent.version);
        let tally = self.tallies.entry(sent.method).or_default();
        if let Some(error) = response.get("error") {
            let code = error["code"].as_i64().unwrap_or_default();
            let message = error["message"].as_str().unwrap_or_default();
            let refusal = matches!(
                sent.method,
                "textDocument/rename" | "textDocument/prepareRename"
            ) && code != METHOD_NOT_FOUND
                && code != INTERNAL_ERROR
                && !message.trim().is_empty();
            if code == CONTENT_MODIFIED {
                tally.cancelled += 1;
            } else if refusal {
                tally.refused += 1;
            } else {
                self.fail(format!("{context}: error response {error}"));
            }
            return;
        }
        let result = &response["result"];
        if result.is_null() || result.as_array().is_some_and(Vec::is_empty) {
            tally.empty += 1;
        } else {
            tally.answered += 1;
        }
        match sent.method {
            "textDocument/semanticTokens/full" | "textDocument/semanticTokens/range" => {
                self.check_tokens(result, &sent.lengths, &context);
            }
            "textDocument/foldingRange" => self.check_folds(result, &sent.lengths, &context),
            _ => self.walk(result, &sent.lengths, None, &context),
        }
    }

    /// The line lengths of a file named by an answer, read from disk.
    fn disk_lengths(&mut self, uri: &str) -> Option<Rc<Vec<u32>>> {
        let Some(path) = uri_path(uri) else {
            self.fail(format!("an answer names a URI that is not a file: {uri}"));
            return None;
        };
        let units = self.doc.units;
        let entry = self.disk.entry(path.clone()).or_insert_with(|| {
            std::fs::read_to_string(&path)
                .ok()
                .map(|text| Rc::new(line_lengths(&text, units)))
        });
        let found = entry.clone();
        if found.is_none() {
            self.fail(format!("an answer names a file that cannot be read: {uri}"));
        }
        found
    }

    /// Checks every position of `value`: against `lengths` (the edited document as it was
    /// when the request was sent) or, under an object naming another file (`uri`,
    /// `targetUri`, a `changes` key, a `textDocument`), against that file.
    fn walk(&mut self, value: &Value, lengths: &Rc<Vec<u32>>, uri: Option<&str>, context: &str) {
        match value {
            Value::Array(items) => {
                for item in items {
                    self.walk(item, lengths, uri, context);
                }
            }
            Value::Object(object) => {
                if let (Some(line), Some(character)) = (
                    object.get("line").and_then(Value::as_u64),
                    object.get("character").and_then(Value::as_u64),
                ) && object.len() == 2
                {
                    return self.check_position(line, character, lengths, uri, context);
                }
                if let (Some(start), Some(end)) = (object.get("start"), object.get("end"))
                    && key(start) > key(end)
                {
                    self.fail(format!(
                        "{context}: a range that ends before it starts: {value}"
                    ));
                }
                if let (Some(range), Some(selection)) =
                    (object.get("range"), object.get("selectionRange"))
                    && !contains(range, selection)
                {
                    self.fail(format!(
                        "{context}: a symbol's selection range outside its range: {value}"
                    ));
                }
                if let (Some(range), Some(parent)) = (object.get("range"), object.get("parent"))
                    && !contains(&parent["range"], range)
                {
                    self.fail(format!(
                        "{context}: a selection range outside its parent: {value}"
                    ));
                }
                if let Some(target) = object.get("targetUri").and_then(Value::as_str) {
                    // A location link: the origin is in the requesting document.
                    for (name, field) in object {
                        let here = if name == "originSelectionRange" {
                            None
                        } else {
                            Some(target)
                        };
                        self.walk(field, lengths, here, context);
                    }
                    return;
                }
                let uri = object.get("uri").and_then(Value::as_str).or(uri);
                for (name, field) in object {
                    match (name.as_str(), field) {
                        ("changes", Value::Object(files)) => {
                            for (file, edits) in files {
                                self.walk(edits, lengths, Some(file), context);
                            }
                        }
                        ("edits", _) => {
                            let file = object["textDocument"]["uri"].as_str().or(uri);
                            self.walk(field, lengths, file, context);
                        }
                        _ => self.walk(field, lengths, uri, context),
                    }
                }
            }
            _ => {}
        }
    }

    fn check_position(
        &mut self,
        line: u64,
        character: u64,
        lengths: &Rc<Vec<u32>>,
        uri: Option<&str>,
        context: &str,
    ) {
        let lengths = match uri {
            Some(uri) if uri_path(uri).as_deref() != Some(self.path.as_path()) => {
                match self.disk_lengths(uri) {
                    Some(lengths) => lengths,
                    None => return,
                }
            }
            _ => Rc::clone(lengths),
        };
        let inside = usize::try_from(line)
            .ok()
            .and_then(|l| lengths.get(l))
            .is_some_and(|&len| character <= u64::from(len));
        if !inside {
            let line_length = usize::try_from(line).ok().and_then(|l| lengths.get(l));
            self.fail(format!(
                "{context}: position {line}:{character} outside {} ({} lines, that line's \
                 length {line_length:?})",
                uri.unwrap_or("the document"),
                lengths.len()
            ));
        }
    }

    /// Semantic tokens: relative triples decoded to tokens that lie inside their line and
    /// have a type of the legend.
    fn check_tokens(&mut self, result: &Value, lengths: &Rc<Vec<u32>>, context: &str) {
        if result.is_null() {
            return;
        }
        let Some(data) = result["data"].as_array() else {
            return self.fail(format!("{context}: semantic tokens without data: {result}"));
        };
        if data.len() % 5 != 0 {
            return self.fail(format!(
                "{context}: {} numbers, not a multiple of 5",
                data.len()
            ));
        }
        let (mut line, mut start) = (0u64, 0u64);
        for token in data.chunks(5) {
            let n: Vec<u64> = token
                .iter()
                .map(|v| v.as_u64().unwrap_or(u64::MAX))
                .collect();
            if n[0] > 0 {
                line += n[0];
                start = n[1];
            } else {
                start += n[1];
            }
            let end = start + n[2];
            let length = usize::try_from(line).ok().and_then(|l| lengths.get(l));
            if length.is_none_or(|&len| end > u64::from(len)) {
                return self.fail(format!(
                    "{context}: token {line}:{start}+{} outside its line (length {length:?}, \
                     {} lines)",
                    n[2],
                    lengths.len()
                ));
            }
            if n[3] >= self.legend as u64 {
                return self.fail(format!(
                    "{context}: token type {} not in the legend of {}",
                    n[3], self.legend
                ));
            }
        }
    }

    fn check_folds(&mut self, result: &Value, lengths: &Rc<Vec<u32>>, context: &str) {
        for fold in result.as_array().into_iter().flatten() {
            let start = fold["startLine"].as_u64().unwrap_or(u64::MAX);
            let end = fold["endLine"].as_u64().unwrap_or(u64::MAX);
            let count = lengths.len() as u64;
            if start > end || end >= count {
                self.fail(format!(
                    "{context}: fold {start}..{end} outside {count} lines: {fold}"
                ));
                continue;
            }
            for (line, field) in [(start, "startCharacter"), (end, "endCharacter")] {
                if let Some(character) = fold.get(field).and_then(Value::as_u64) {
                    self.check_position(line, character, lengths, None, context);
                }
            }
        }
    }
}

/// A position's `(line, character)`, for ordering.
fn key(position: &Value) -> (u64, u64) {
    (
        position["line"].as_u64().unwrap_or_default(),
        position["character"].as_u64().unwrap_or_default(),
    )
}

/// Whether two ranges share a position.
fn overlaps(a: &Value, b: &Value) -> bool {
    key(&a["start"]) <= key(&b["end"]) && key(&b["start"]) <= key(&a["end"])
}

/// Whether `outer` contains `inner` (both ranges).
fn contains(outer: &Value, inner: &Value) -> bool {
    key(&outer["start"]) <= key(&inner["start"]) && key(&inner["end"]) <= key(&outer["end"])
}

/// Where two texts first differ, with a little context.
fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let from = a.floor_char_boundary(at.saturating_sub(40));
    format!(
        "at byte {at} (lengths {} and {}): server {:?} vs client {:?}",
        a.len(),
        b.len(),
        &a[from..a.ceil_char_boundary((at + 40).min(a.len()))],
        &b[b.floor_char_boundary(from.min(b.len()))..b.ceil_char_boundary((at + 40).min(b.len()))]
    )
}

/// What an editor like VS Code tells the server it supports.
fn client_capabilities() -> Value {
    let encoding = match std::env::var("PLAYBOOK_FUZZ_ENCODING") {
        Ok(encoding) if encoding == "utf-8" => "utf-8",
        _ => "utf-16",
    };
    json!({
        "general": {"positionEncodings": [encoding]},
        "textDocument": {
            "synchronization": {"didSave": true},
            "completion": {
                "completionItem": {
                    "snippetSupport": true,
                    "insertReplaceSupport": true,
                    "labelDetailsSupport": true,
                    "documentationFormat": ["markdown", "plaintext"],
                },
                // LSP 3.17's item defaults: lists state their edit range once.
                "completionList": {"itemDefaults": [
                    "commitCharacters", "editRange", "insertTextFormat", "insertTextMode", "data",
                ]},
                "contextSupport": true,
            },
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "signatureHelp": {
                "signatureInformation": {
                    "documentationFormat": ["markdown", "plaintext"],
                    "parameterInformation": {"labelOffsetSupport": true},
                },
                "contextSupport": true,
            },
            "definition": {"linkSupport": true},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "codeAction": {
                "codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["", "quickfix", "refactor", "source", "source.fixAll"]},
                },
                "isPreferredSupport": true,
                "dataSupport": true,
            },
            "rename": {"prepareSupport": true},
            "foldingRange": {"lineFoldingOnly": false},
            "selectionRange": {},
            "semanticTokens": {
                "requests": {"range": true, "full": true},
                "tokenTypes": ["namespace", "type", "class", "enum", "interface", "struct",
                    "typeParameter", "parameter", "variable", "property", "enumMember", "event",
                    "function", "method", "macro", "keyword", "modifier", "comment", "string",
                    "number", "regexp", "operator", "decorator"],
                "tokenModifiers": ["declaration", "definition", "readonly", "static",
                    "deprecated", "abstract", "async", "modification", "documentation",
                    "defaultLibrary"],
                "formats": ["relative"],
                "multilineTokenSupport": false,
                "overlappingTokenSupport": false,
            },
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
        },
        "workspace": {
            "workspaceEdit": {"documentChanges": true},
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "symbol": {},
            "workspaceFolders": true,
            "configuration": true,
        },
    })
}
