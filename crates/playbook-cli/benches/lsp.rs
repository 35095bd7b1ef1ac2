//! The language server as an editor sees it: the release `playbook lsp` binary over stdio, in
//! a workspace of 1,000 generated playbooks (the `check` benchmark's, `common/mod.rs`) and
//! one 3,000-line playbook, against the real step library (`corpus/stackpulse-steps` in the
//! shared test data). Issue 9's targets: completion and hover p95 < 5 ms, edit → diagnostics
//! p95 < 10 ms, references and rename of a parameter < 50 ms, peak RSS < 150 MB.
//!
//! The big playbook declares 20 parameters and calls about 380 real steps; every required
//! input of every call reads a parameter, an earlier step's output or both. Each round times,
//! one after the other, from the request written to the answer read (so JSON and the pipe are
//! included, as in an editor):
//! - completion right after `{{ $.` and right after `$.params.` in a parameter read of the big
//!   playbook, at steps spread over the whole file (late steps see hundreds of earlier ones);
//! - hover over that parameter read;
//! - an incremental `didChange` of the big playbook (a character typed into, then removed from,
//!   a parameter read: the diagnostics go from clean to an unknown parameter and back) until
//!   its `publishDiagnostics` arrives; and, after the same kind of edit, a completion sent
//!   without waiting (what a person typing `$.` gets: it waits for the check of the edit);
//! - references and rename (computed, not applied) of `Target`, a parameter read in every file
//!   of the workspace: in the big playbook (hundreds of reads) and in a generated one;
//! - a hover over the parameter read right after the edit (a name's page: the check's alone);
//!   then inlay hints (the setting turned on) over the whole big playbook, twice: the first
//!   request after an edit that needs what templates render to runs the playbook offline
//!   again, the second is answered from that run;
//! - after another such edit, a hover on the text of a template near it (the literal
//!   `"kube-system"` in a step's `when`), whose page shows the template's offline value: the
//!   first request after the edit that needs the run.
//!
//! Then the server's peak RSS (`VmHWM`). The table gives p50/p95/max per operation, with the
//! size of the last answer (so an empty answer shows), the machine's core count and the
//! workspace load time.
//!
//! Run: `cargo bench -p playbook-cli --bench lsp`. `PLAYBOOK_BENCH_ROUNDS` (default 200) and
//! `PLAYBOOK_BENCH_N` (default 1,000 playbooks) change the run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[allow(dead_code)]
mod common;

use common::env_number;
#[path = "../tests/common/lsp_client.rs"]
mod lsp_client;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use lsp_client::{LspProcess, file_uri, is_diagnostics_for, is_response_to};
use serde_json::{Value, json};

/// The parameters the big playbook declares besides `Target`, `Namespace` and `runner`.
const PARAMETERS: usize = 20;
/// The big playbook has at least this many lines.
const BIG_LINES: usize = 3000;

fn main() {
    let rounds = env_number("PLAYBOOK_BENCH_ROUNDS", 200).max(1);
    let n = env_number("PLAYBOOK_BENCH_N", 1000);
    let Some(repo) = common::repo(n) else {
        println!("lsp: skipped, the shared test data was not found");
        return;
    };
    let corpus = playbook_test_support::shared_data("corpus/stackpulse-steps").unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp-bench");
    common::project_dir(&dir, &corpus);
    for (i, text) in repo.texts.iter().enumerate() {
        std::fs::write(dir.join(format!("generated-{i:05}.yaml")), text).unwrap();
    }
    let big = big_playbook(&corpus);
    let big_path = dir.join("big.yaml");
    std::fs::write(&big_path, &big.text).unwrap();
    let small_path = dir.join("generated-00000.yaml");
    let small_text = repo.texts[0].clone();

    let mut server = LspProcess::spawn(Path::new(env!("CARGO_BIN_EXE_playbook")), &dir);
    let started = Instant::now();
    server.initialize(
        Some(&dir),
        // What VS Code says of itself that changes the answers measured: snippets, Markdown,
        // documentation (and an inlay hint's tooltip) resolved for the item shown rather than
        // sent with every item, and LSP 3.17's completion item defaults (vscode-languageclient 9
        // declares these five).
        json!({
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "completion": {
                    "completionItem": {
                        "snippetSupport": true,
                        "documentationFormat": ["markdown", "plaintext"],
                        "resolveSupport": {"properties": ["documentation", "detail"]},
                    },
                    "completionList": {"itemDefaults": [
                        "commitCharacters", "editRange", "insertTextFormat", "insertTextMode", "data",
                    ]},
                },
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "inlayHint": {"resolveSupport": {"properties": [
                    "tooltip", "textEdits", "label.tooltip", "label.location", "label.command",
                ]}},
            },
        }),
    );
    let ready = server.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("ready"))
    });
    let load = started.elapsed();
    // Inlay hints are off by default.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"playbook": {"inlayHints": {"templateValues": true}}}}),
    );

    let big_uri = file_uri(&big_path);
    let small_uri = file_uri(&small_path);
    let started = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": big_uri, "languageId": "yaml", "version": 1, "text": big.text}}),
    );
    let opened = server.wait_for(|m| is_diagnostics_for(m, &big_uri));
    let open = started.elapsed();
    let problems = opened["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": small_uri, "languageId": "yaml", "version": 1, "text": small_text}}),
    );
    server.wait_for(|m| is_diagnostics_for(m, &small_uri));
    let small_target = find_read(&small_text, "$.params.Target").expect("a read of Target");
    let rss_open = server.peak_rss_kib();

    let mut rows: Vec<Row> = [
        "completion at `{{ $.`",
        "completion at `$.params.`",
        "hover over a parameter read",
        "edit -> publishDiagnostics",
        "edit, then completion at `$.`",
        "references of Target (big file)",
        "rename of Target (big file)",
        "references of Target (generated file)",
        "rename of Target (generated file)",
        "inlay hints, whole big file, after an edit",
        "inlay hints, whole big file, again",
        "hover over a parameter read after an edit",
        "hover on a template after an edit",
        "inlay hints, one screen, after an edit",
    ]
    .into_iter()
    .map(Row::new)
    .collect();

    let doc = |uri: &str, (line, character): (u32, u32)| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let mut version = 1;
    let warmup = 10;
    for round in 0..warmup + rounds {
        let measured = round >= warmup;
        let read = &big.reads[round % big.reads.len()];
        let (line, dollar) = (read.line, read.dollar);
        // `{{ $.params.P3 }}`: after `$.`, after `$.params.`, on `P3`.
        let at_root = (line, dollar + 2);
        let at_params = (line, dollar + 9);
        let on_name = (line, dollar + 10);

        time(
            &mut server,
            &mut rows[0],
            measured,
            "textDocument/completion",
            doc(&big_uri, at_root),
        );
        time(
            &mut server,
            &mut rows[1],
            measured,
            "textDocument/completion",
            doc(&big_uri, at_params),
        );
        time(
            &mut server,
            &mut rows[2],
            measured,
            "textDocument/hover",
            doc(&big_uri, on_name),
        );

        // Type a character after the parameter's name (an unknown parameter), then take it
        // back (clean again).
        let name_end = dollar + 9 + read.name_len;
        let change = |version: i32, text: &str, end: u32| {
            json!({
                "textDocument": {"uri": big_uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": line, "character": name_end},
                              "end": {"line": line, "character": end}},
                    "text": text,
                }],
            })
        };
        for (row, text, end) in [(3, "x", name_end), (4, "", name_end + 1)] {
            version += 1;
            let change = change(version, text, end);
            let v = version;
            let published =
                |m: &Value| is_diagnostics_for(m, &big_uri) && m["params"]["version"] == v;
            let started = Instant::now();
            server.notify("textDocument/didChange", change);
            if row == 3 {
                let message = server.wait_for(published);
                rows[row].record(measured, started.elapsed(), &message);
            } else {
                let id = server.send_request("textDocument/completion", doc(&big_uri, at_root));
                let response = server.wait_for(|m| is_response_to(m, id));
                rows[row].record(measured, started.elapsed(), &response);
                server.wait_for(published);
            }
        }

        // A hover on a name right after the edits: the check's page, without the run.
        time(
            &mut server,
            &mut rows[11],
            measured,
            "textDocument/hover",
            doc(&big_uri, on_name),
        );
        let whole = json!({
            "textDocument": {"uri": big_uri},
            "range": {"start": {"line": 0, "character": 0},
                      "end": {"line": big.text.lines().count() + 1, "character": 0}},
        });
        // The edits changed the file: the first request that needs the values of the
        // templates runs the playbook again; the second is answered from that run.
        for row in [9, 10] {
            time(
                &mut server,
                &mut rows[row],
                measured,
                "textDocument/inlayHint",
                whole.clone(),
            );
        }

        let references = |uri: &str, at| {
            let mut params = doc(uri, at);
            params["context"] = json!({"includeDeclaration": true});
            params
        };
        let rename = |uri: &str, at| {
            let mut params = doc(uri, at);
            params["newName"] = json!(if round % 2 == 0 { "TargetHost" } else { "Host" });
            params
        };
        let target = big.target;
        time(
            &mut server,
            &mut rows[5],
            measured,
            "textDocument/references",
            references(&big_uri, target),
        );
        time(
            &mut server,
            &mut rows[6],
            measured,
            "textDocument/rename",
            rename(&big_uri, target),
        );
        time(
            &mut server,
            &mut rows[7],
            measured,
            "textDocument/references",
            references(&small_uri, small_target),
        );
        time(
            &mut server,
            &mut rows[8],
            measured,
            "textDocument/rename",
            rename(&small_uri, small_target),
        );

        // The same edit again, then a hover on the text of a template of a step near it: its
        // page shows the template's value, the first request after the edit that needs it.
        for (text, end) in [("x", name_end), ("", name_end + 1)] {
            version += 1;
            let v = version;
            server.notify("textDocument/didChange", change(version, text, end));
            server.wait_for(|m| is_diagnostics_for(m, &big_uri) && m["params"]["version"] == v);
        }
        let literal = big
            .literals
            .iter()
            .min_by_key(|(l, _)| l.abs_diff(line))
            .copied()
            .expect("a `when` with a literal");
        time(
            &mut server,
            &mut rows[12],
            measured,
            "textDocument/hover",
            doc(&big_uri, literal),
        );

        // An editor asks for the hints of the lines it shows: one screen (60 lines) around
        // an edit, right after it, so the run is made again first.
        for (text, end) in [("x", name_end), ("", name_end + 1)] {
            version += 1;
            let v = version;
            server.notify("textDocument/didChange", change(version, text, end));
            server.wait_for(|m| is_diagnostics_for(m, &big_uri) && m["params"]["version"] == v);
        }
        let first = line.saturating_sub(30);
        let screen = json!({
            "textDocument": {"uri": big_uri},
            "range": {"start": {"line": first, "character": 0},
                      "end": {"line": first + 60, "character": 0}},
        });
        time(
            &mut server,
            &mut rows[13],
            measured,
            "textDocument/inlayHint",
            screen,
        );
    }
    let rss = server.peak_rss_kib();
    let rss_now = server.rss_kib();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    assert_eq!(server.shutdown(), Some(0));

    let mut out = String::new();
    let _ = writeln!(
        out,
        "playbook lsp over stdio: {} generated playbooks and a playbook of {} lines ({} steps, \
         {} diagnostics) against the real library; {cores} cores; {rounds} rounds",
        repo.texts.len(),
        big.text.lines().count(),
        big.steps,
        problems,
    );
    let _ = writeln!(
        out,
        "workspace load (initialized -> ready): {:.0} ms ({}); open the big playbook -> \
         diagnostics: {:.1} ms",
        ms(load),
        ready["params"]["message"].as_str().unwrap_or_default(),
        ms(open)
    );
    let _ = writeln!(
        out,
        "{:<40} {:>8} {:>8} {:>8}  last answer",
        "operation", "p50 ms", "p95 ms", "max ms"
    );
    for row in &rows {
        let _ = writeln!(out, "{row}");
    }
    let mb = |kib: Option<u64>| {
        kib.map_or("unknown".to_owned(), |kib| {
            format!("{:.1} MB", kib as f64 / 1024.0)
        })
    };
    let _ = writeln!(
        out,
        "peak RSS of the server (VmHWM): {} at the end ({} resident then); {} once the two \
         files were open",
        mb(rss),
        mb(rss_now),
        mb(rss_open)
    );
    println!("{out}");
}

/// Sends a request, waits for its answer and records the time in `row`.
fn time(server: &mut LspProcess, row: &mut Row, measured: bool, method: &str, params: Value) {
    let started = Instant::now();
    let id = server.send_request(method, params);
    let response = server.wait_for(|m| is_response_to(m, id));
    row.record(measured, started.elapsed(), &response);
}

/// One operation's timings and its last answer.
struct Row {
    name: &'static str,
    times: Vec<Duration>,
    last: String,
}

impl Row {
    fn new(name: &'static str) -> Row {
        Row {
            name,
            times: Vec::new(),
            last: String::new(),
        }
    }

    fn record(&mut self, measured: bool, elapsed: Duration, message: &Value) {
        if measured {
            self.times.push(elapsed);
        }
        self.last = describe(message);
    }
}

impl std::fmt::Display for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut times = self.times.clone();
        times.sort();
        let at = |q: f64| {
            let i = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len().max(1)) - 1;
            times.get(i).map_or(f64::NAN, |d| ms(*d))
        };
        write!(
            f,
            "{:<40} {:>8.2} {:>8.2} {:>8.2}  {}",
            self.name,
            at(0.5),
            at(0.95),
            at(1.0),
            self.last
        )
    }
}

/// What an answer holds, in a few words (its size, or its error), and its size in JSON.
fn describe(message: &Value) -> String {
    let size = message.to_string().len();
    let size = if size >= 10_000 {
        format!("{} KB", size / 1000)
    } else {
        format!("{size} B")
    };
    format!("{}, {size}", summary(message))
}

/// What an answer holds: its size, or its error.
fn summary(message: &Value) -> String {
    if let Some(error) = message.get("error") {
        return format!("error {}: {}", error["code"], error["message"]);
    }
    if message["method"] == "textDocument/publishDiagnostics" {
        let count = message["params"]["diagnostics"]
            .as_array()
            .map_or(0, Vec::len);
        return format!("{count} diagnostics");
    }
    let result = &message["result"];
    if let Some(items) = result["items"].as_array().or(result.as_array()) {
        return format!("{} items", items.len());
    }
    if let Some(changes) = result["changes"].as_object() {
        let edits: usize = changes
            .values()
            .filter_map(Value::as_array)
            .map(Vec::len)
            .sum();
        return format!("{edits} edits in {} files", changes.len());
    }
    if let Some(changes) = result["documentChanges"].as_array() {
        let edits: usize = changes
            .iter()
            .filter_map(|c| c["edits"].as_array())
            .map(Vec::len)
            .sum();
        return format!("{edits} edits in {} files", changes.len());
    }
    if result.is_null() {
        return "null".to_owned();
    }
    "an answer".to_owned()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The position (line, UTF-16 column) of the first `needle` in `text`, plus the length of
/// `$.params.` so that it points into the parameter's name.
fn find_read(text: &str, needle: &str) -> Option<(u32, u32)> {
    let offset = text.find(needle)?;
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Some((line as u32, (column + "$.params.".len() + 1) as u32))
}

/// A parameter read `{{ $.params.PN }}` of the big playbook: its line, the column of `$` and
/// the length of the name.
struct Read {
    line: u32,
    dollar: u32,
    name_len: u32,
}

struct Big {
    text: String,
    steps: usize,
    /// Reads of `$.params.PN`, spread over the file.
    reads: Vec<Read>,
    /// A position inside a read of `Target`.
    target: (u32, u32),
    /// A position inside the literal `"kube-system"` of each step's `when` that has one.
    literals: Vec<(u32, u32)>,
}

/// A real manifest the generator can call: image (relative to the library), required inputs,
/// outputs.
struct Manifest {
    image: String,
    required: Vec<String>,
    outputs: Vec<String>,
}

/// The manifests of the library that take at least one required input, no arguments and no
/// `imageName` (those `common::library` lists), sorted by image.
fn manifests(root: &Path) -> Vec<Manifest> {
    common::library(root)
        .into_iter()
        .filter(|(_, required, _)| !required.is_empty())
        .map(|(image, required, outputs)| Manifest {
            image,
            required,
            outputs,
        })
        .collect()
}

/// A path segment as a template writes it: bare when it is a plain name, else quoted.
fn segment(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("'{name}'")
    }
}

/// The 3,000-line playbook: parameters `Target`, `Namespace`, `runner` and `P0`..`P19`, then
/// real steps whose every required input reads a parameter, an earlier step's output, or both.
fn big_playbook(corpus: &Path) -> Big {
    let library = manifests(corpus);
    let mut rng = playbook_test_support::XorShift::default();
    let mut text = String::from(
        "# A large playbook for the language server benchmark: many real steps, each reading\n\
         # parameters and the outputs of earlier steps in its inputs.\n\
         apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: big-playbook\n  \
         description: The 3,000-line playbook of the language server benchmark.\nparameters:\n  \
         - name: Target\n    type: var\n    description: The host the alert is about.\n    \
         default: \"{{ $.event.Host }}\"\n  - name: Namespace\n    type: var\n    \
         description: The namespace to look in.\n    default: default\n  - name: runner\n    \
         type: spd\n    description: The agent that runs the steps.\n",
    );
    for p in 0..PARAMETERS {
        let _ = write!(
            text,
            "  - name: P{p}\n    type: var\n    description: Setting {p} of the benchmark.\n    \
             default: \"value-{p}\"\n"
        );
    }
    text.push_str("steps:\n");
    let mut reads = Vec::new();
    let mut literals = Vec::new();
    let mut target = None;
    // Earlier steps with an output: (id, output).
    let mut produced: Vec<(String, String)> = Vec::new();
    let mut steps = 0;
    while text.lines().count() < BIG_LINES {
        let k = steps;
        let manifest = &library[rng.below(library.len())];
        let _ = write!(
            text,
            "  # Step {k}: {}.\n  - name: us-docker.pkg.dev/stackpulse/public/{}\n    id: fetch_{k}\n    \
             runner: \"{{{{ $.params.runner }}}}\"\n",
            manifest.image, manifest.image
        );
        if k % 10 == 9 {
            let line = text.lines().count() as u32;
            let when = "    when: \"{{ ne $.params.Namespace \\\"kube-system\\\" }}\"";
            let column = when.find("kube-system").expect("the literal") + 2;
            literals.push((line, column as u32));
            text.push_str(when);
            text.push('\n');
        }
        text.push_str("    env:\n");
        for (j, input) in manifest.required.iter().enumerate() {
            let earlier = (!produced.is_empty())
                .then(|| &produced[produced.len() - 1 - rng.below(produced.len().min(10))]);
            let line = text.lines().count() as u32;
            let prefix = format!("      {input}: \"");
            let value = match ((k + j) % 5, earlier) {
                (1, Some((id, output))) => format!("{{{{ $.{id}.{} }}}}", segment(output)),
                (2, Some((id, output))) => {
                    format!(
                        "{{{{ $.params.Namespace }}}}/{{{{ $.{id}.{} }}}}",
                        segment(output)
                    )
                }
                (3, _) => {
                    if target.is_none() && k > 100 {
                        target = Some((line, (prefix.len() + "{{ $.params.".len() + 1) as u32));
                    }
                    "{{ $.params.Target }}".to_owned()
                }
                _ => {
                    let name = format!("P{}", reads.len() % PARAMETERS);
                    reads.push(Read {
                        line,
                        dollar: (prefix.len() + "{{ ".len()) as u32,
                        name_len: name.len() as u32,
                    });
                    format!("{{{{ $.params.{name} }}}}")
                }
            };
            let _ = writeln!(text, "{prefix}{value}\"");
        }
        // A conditional step's outputs are not read: they may not exist.
        if let Some(output) = manifest.outputs.first()
            && k % 10 != 9
        {
            produced.push((format!("fetch_{k}"), output.clone()));
        }
        steps += 1;
    }
    // Reads spread evenly over the file, early and late steps alike.
    let spread = (reads.len() / 50).max(1);
    let reads = reads.into_iter().step_by(spread).collect();
    Big {
        text,
        steps,
        reads,
        target: target.expect("a read of Target"),
        literals,
    }
}
