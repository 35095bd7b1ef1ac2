//! The differential test: the same templates rendered by this crate and by Go's
//! `text/template` with sprig (the program `tests/go-template/render.go`), which must agree:
//! the same output, or both failing (a template Go refuses to parse is refused by us too;
//! for errors while running, the same message after Go's `executing ... at <...>: ` prefix).
//!
//! The templates are thousands generated from the grammar by a seeded generator, a fixed
//! list of `printf` calls with argument indexes, plus every template of the example
//! playbooks and of the shared step manifests. The generator also writes the `else` forms
//! Go 1.19 refuses after a `with` or `range` (`else if`, `else with`, `else range`), which
//! both must refuse, and the spelling Go accepts instead (an `if` nested in a plain `else`);
//! the cases of each form are counted. Known differences
//! are listed by name with their reason ([`ALLOWED`]) and counted, never skipped silently;
//! sprig functions not implemented yet form their own counted category.
//!
//! Needs Go and sprig from Debian (`golang-go`, `golang-github-masterminds-sprig-dev`);
//! without them the test says why and passes, unless `PLAYBOOK_REQUIRE_TEST_DATA=1`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use playbook_eval::{Value, render};
use serde_json::json;

const SPRIG_SOURCES: &str = "/usr/share/gocode/src/github.com/Masterminds/sprig";
const GENERATED: usize = 6000;
const SEED: u64 = 0x5eed_2024_0c0f_fee1;

fn required() -> bool {
    std::env::var("PLAYBOOK_REQUIRE_TEST_DATA").is_ok_and(|v| v == "1")
}

fn skip(reason: &str) {
    assert!(
        !required(),
        "differential test cannot run and PLAYBOOK_REQUIRE_TEST_DATA=1: {reason}"
    );
    println!("skipped: {reason}");
}

/// Builds the Go renderer, or says why it cannot be built.
fn build_go_renderer() -> Result<PathBuf, String> {
    let version = Command::new("go").arg("version").output();
    match version {
        Ok(output) if output.status.success() => {}
        _ => return Err("`go` is not installed (apt-get install golang-go)".to_owned()),
    }
    if !Path::new(SPRIG_SOURCES).is_dir() {
        return Err(format!(
            "sprig's sources are not in {SPRIG_SOURCES} (apt-get install golang-github-masterminds-sprig-dev)"
        ));
    }
    let root = playbook_test_support::workspace_root();
    let source = root.join("tests/go-template/render.go");
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("go-template");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let binary = out_dir.join("render");
    let output = Command::new("go")
        .args(["build", "-o"])
        .arg(&binary)
        .arg(&source)
        .env("GOPATH", "/usr/share/gocode")
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("GOPROXY", "off")
        .env("GOCACHE", out_dir.join("cache"))
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "go build failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(binary)
}

/// What Go did with one case.
#[derive(Debug, Clone, PartialEq)]
enum GoResult {
    Output(String),
    ParseError(String),
    ExecError(String),
}

fn run_go(binary: &Path, cases: &[Case]) -> Vec<GoResult> {
    let mut child = Command::new(binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the Go renderer starts");
    let mut input = String::new();
    for case in cases {
        input.push_str(&json!({"template": case.template, "data": case.data}).to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("the Go renderer runs");
    writer
        .join()
        .expect("the writer thread ends")
        .expect("the cases are written");
    assert!(output.status.success(), "the Go renderer failed");
    let text = String::from_utf8_lossy(&output.stdout);
    let results: Vec<GoResult> = text
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("Go prints JSON");
            if let Some(out) = value.get("output").and_then(|v| v.as_str()) {
                GoResult::Output(out.to_owned())
            } else if let Some(message) = value.get("parse_error").and_then(|v| v.as_str()) {
                GoResult::ParseError(message.to_owned())
            } else {
                let message = value.get("exec_error").and_then(|v| v.as_str());
                GoResult::ExecError(message.unwrap_or_default().to_owned())
            }
        })
        .collect();
    assert_eq!(results.len(), cases.len(), "one result per case");
    results
}

struct Case {
    origin: String,
    template: String,
    data: serde_json::Value,
    /// The forms of interest the template uses (generated cases only).
    forms: Vec<Form>,
}

fn data() -> serde_json::Value {
    json!({
        "params": {
            "env": "prod", "name": "redis", "count": 3, "ratio": 0.5, "big": 1e6,
            "enabled": true, "off": false, "empty": "", "zero": 0, "nothing": null,
            "tags": ["a", "b", "c"], "ports": [80, 443],
            "nested": {"x": 1, "y": "two", "z": [1, {"k": "v"}]},
            "emptyList": [], "emptyMap": {}
        },
        "event": {"Type": "Created", "severity": "HIGH", "labels": {"app": "web", "tier": "1"}},
        "metadata": {"executionUrl": "https://example.com/run/1", "userEmail": "a@b.c"},
        "execution": {"id": "exec-1"},
        "items": [{"name": "a", "value": 1.5}, {"name": "b", "value": null}, {"name": "c"}],
        "matrix": [[1, 2], [3, 4]],
        "n": null, "s": "hello world", "f": 2.5, "i": 7, "neg": -3, "t": true,
        "list": [1, "two", 3.5, true, null],
        "map": {"b": 2, "a": 1, "c": [1, 2]},
        "html": "<a href='x'>&</a>", "unicode": "héllo ✓", "sci": 1.5e-7, "large": 123456789,
        "strs": ["x", "y"], "words": "a,b,c"
    })
}

/// A small seeded generator (xorshift64*), so that every run tests the same templates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PATHS: &[&str] = &[
    ".",
    "$",
    ".params",
    ".params.env",
    ".params.count",
    ".params.ratio",
    ".params.big",
    ".params.enabled",
    ".params.off",
    ".params.empty",
    ".params.zero",
    ".params.nothing",
    ".params.tags",
    ".params.ports",
    ".params.nested",
    ".params.nested.x",
    ".params.nested.z",
    ".params.emptyList",
    ".params.emptyMap",
    ".params.missing",
    ".params.missing.deeper",
    ".event.Type",
    ".event.labels",
    ".event.labels.app",
    ".items",
    ".matrix",
    ".n",
    ".n.x",
    ".s",
    ".s.x",
    ".f",
    ".i",
    ".neg",
    ".t",
    ".list",
    ".map",
    ".map.a",
    ".map.c",
    ".html",
    ".unicode",
    ".sci",
    ".large",
    ".strs",
    ".nope",
    "$.params.env",
    "$.map",
    "$.i",
    "$.f",
    ".params.nested.z.k",
    ".i.x",
];

const LITERALS: &[&str] = &[
    "1", "0", "-2", "3", "1.5", "1e6", "100000.0", "0x1F", "'a'", "\"str\"", "\"\"", "\"prod\"",
    "\"a,b\"", "`raw`", "true", "false", "nil", "2.0", "-0.5", "1e-7", "07",
];

const FORMATS: &[&str] = &[
    "%v",
    "%s",
    "%d",
    "%q",
    "%t",
    "%x",
    "%X",
    "%f",
    "%.2f",
    "%5s",
    "%-5s|",
    "%T",
    "%%",
    "%v %v",
    "%s-%d",
    "%e",
    "%g",
    "%05d",
    "%+d",
    "%8.3f",
    "%c",
    "%o",
    "%b",
    "%U",
    "%#v",
    "%x %X",
    "%.1s",
    "%3d|%-3d|",
    "%v%%",
    "no verbs",
    "%!",
    "%.0f",
    "%6.2e",
    "%+.1e",
    "% d",
    "%#x",
    "%#o",
    "%.3g",
    "%10v|",
    "%-10v|",
    "%*d",
    "%.*f",
    "%[2]v %[1]v",
    "%[1]v|%[1]q",
    "%[3]d",
    "%[1]*d|",
    "%[2]*[1]v|",
    "%.[2]*[1]f",
    "%[0]d",
    "%[2]5d",
    "%d %[1]d",
];

/// The `else` branch of `with` and `range` holding another block, as Go accepts an `else if`
/// there: `.` in it is the outer `.`, the header's variables are in scope.
const ELSE_CASES: &[&str] = &[
    "{{ with .params.empty }}[{{ . }}]{{ else }}{{ if .s }}{{ .s }}/{{ .params.env }}{{ else }}none{{ end }}{{ end }}",
    "{{ with .params.env }}[{{ . }}]{{ else }}{{ if .s }}{{ .s }}{{ end }}{{ end }}",
    r#"{{ with $x := .params.empty }}a{{ else }}{{ if $x }}b{{ else }}c{{ printf "%q" $x }}{{ end }}{{ end }}"#,
    "{{ range .params.emptyList }}{{ . }}{{ else }}{{ if .n }}n{{ else if .i }}{{ .i }}:{{ len .items }}{{ end }}{{ end }}",
    "{{ range $i, $t := .params.tags }}{{ $i }}{{ $t }}{{ else }}{{ if .s }}never{{ end }}{{ end }}",
    "{{ range .params.emptyList }}x{{ else }}{{ with .items }}{{ range . }}{{ .name }}{{ end }}{{ else }}none{{ end }}{{ end }}",
    "{{ with .n }}x{{ else }}{{ range .items }}{{ .name }}{{ break }}{{ end }}{{ end }}",
    "{{ with .params.empty -}} x {{- else -}} {{ if .i -}} {{ . | len }} {{- end }}{{ end }}",
    "{{ with .n }}{{ else }}{{ if .n }}{{ else }}{{ with .s }}{{ . }}{{ end }}{{ end }}{{ end }}",
    "{{ range $k, $v := .map }}{{ $k }}{{ else }}{{ if true }}{{ $k }}{{ end }}{{ end }}",
    "{{ with .params.zero }}{{ . }}{{ else }}{{ if eq .params.zero 0 }}zero{{ end }}{{ end }}",
];

/// `printf` calls with argument indexes whose arguments the generator would rarely give
/// (integers for `*`, indexes past the end), each checked against Go as written.
const PRINTF_CASES: &[&str] = &[
    r#"{{ printf "%[2]d %[1]s" "a" 3 }}"#,
    r#"{{ printf "%[3]d" 1 }}"#,
    r#"{{ printf "%[1]*d|%[1]d" 5 3 }}"#,
    r#"{{ printf "%[]d|%[d|%[0]d|%[x]d|%[1d" 1 2 }}"#,
    r#"{{ printf "%[2]5d" 1 2 }}{{ printf "%[2].2f" 1 2.5 }}"#,
    r#"{{ printf "%.[2]d" 1 2 }}{{ printf "%.[2]*[1]f" 1.5 2 }}"#,
    r#"{{ printf "%[2]*.[3]*[1]f|" 3.14159 10 2 }}"#,
    r#"{{ printf "%[1]d %d %d" 1 2 }}{{ printf "%[2]d %d" 1 2 }}{{ printf "%[5]d%d" 1 2 }}"#,
    r#"{{ printf "%[1]" 1 }}{{ printf "%[1]%" 1 }}{{ printf "%[2]%d" 1 2 }}"#,
    r#"{{ printf "%-[1]*d|" -4 7 }}{{ printf "%[1]*d|" "x" 7 }}{{ printf "%[1]*d|" .i 7 }}"#,
    r#"{{ printf "%[3]*d|" 1 2 }}{{ printf "%.[3]*d|" 1 2 }}{{ printf "%[2]*d|" 1 }}"#,
    r#"{{ printf "%[1]v %[1]T %[1]q" .params.tags }}{{ printf "%[1]d" }}{{ printf "%d %[1]d" 1 2 3 }}"#,
    r#"{{ printf "%[99999999]d" 1 }}{{ printf "%99999999d" 1 }}{{ printf "%.99999999d" 1 }}"#,
    r#"{{ printf "%[2]*[1]d|%-[2]*[1]s|" .i 6 }}{{ printf "%[1]*[2]v|" 1000001 1 }}"#,
    r#"{{ printf "%[1]*.[1]*[2]f|" 3 .f }}{{ printf "%[2]v %[1]v" .map .list }}"#,
    r#"{{ printf "%[1]s%[1]s" "é" }}{{ printf "%[1]x %[1]X %#[1]o" 255 }}{{ printf "%[1]-5d|" 3 }}"#,
    r#"{{ printf "%[2]d" nil 4 }}{{ printf "%[1]d" nil }}{{ printf "%[1]v|%[2]v" .n .nope }}"#,
    r#"{{ .i | printf "%[1]d=%[1]v" }}{{ "z" | printf "%[2]s%[1]s" "y" }}"#,
    // Go names the type of sprig's `split` map[string]string: an allowed difference.
    r#"{{ printf "%[1]T" (split "," "a,b") }}"#,
];

/// A few sprig calls with their argument counts; those `lookup` does not know yet are
/// counted as not implemented. Extend as sprig grows.
const SPRIG_CALLS: &[(&str, usize)] = &[
    ("upper", 1),
    ("lower", 1),
    ("trim", 1),
    ("quote", 1),
    ("toJson", 1),
    ("b64enc", 1),
    ("default", 2),
    ("empty", 1),
    ("first", 1),
    ("last", 1),
    ("join", 2),
    ("contains", 2),
    ("hasPrefix", 2),
    ("replace", 3),
    ("add", 2),
    ("toString", 1),
    ("list", 2),
    ("dict", 2),
    ("ieq", 2),
    ("ine", 2),
    ("secret", 1),
    ("title", 1),
    ("split", 2),
    ("rest", 1),
];

struct Generator {
    rng: Rng,
    /// Declared variables, per open block.
    scopes: Vec<Vec<String>>,
    in_range: usize,
    depth: usize,
    counter: usize,
    /// The [`Form`]s the current template uses.
    forms: Vec<Form>,
}

/// The `else` forms of `with` and `range` the generator writes, and `printf`'s argument
/// indexes: the test counts the cases of each and checks what Go does with them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Form {
    /// `{{ with A }}..{{ else if B }}..{{ end }}`: Go 1.19 refuses it ("unexpected <if> in
    /// input").
    ElseIfInWith,
    /// `{{ range A }}..{{ else if B }}..{{ end }}`: refused the same way.
    ElseIfInRange,
    /// `{{ with A }}..{{ else with B }}..{{ end }}`: refused ("unexpected <with> in else").
    ElseWith,
    /// `{{ range A }}..{{ else range B }}..{{ end }}`: refused ("unexpected <range> in else").
    ElseRange,
    /// `{{ with A }}..{{ else }}{{ if B }}..{{ end }}{{ end }}`: what Go accepts instead.
    ElseThenIfInWith,
    /// `{{ range A }}..{{ else }}{{ if B }}..{{ end }}{{ end }}`.
    ElseThenIfInRange,
    /// `printf` with an explicit argument index (`%[2]d`).
    PrintfIndex,
}

impl Form {
    const ALL: [Form; 7] = [
        Form::ElseIfInWith,
        Form::ElseIfInRange,
        Form::ElseWith,
        Form::ElseRange,
        Form::ElseThenIfInWith,
        Form::ElseThenIfInRange,
        Form::PrintfIndex,
    ];

    /// Whether Go 1.19 refuses to parse every template that uses the form.
    fn refused(self) -> bool {
        matches!(
            self,
            Form::ElseIfInWith | Form::ElseIfInRange | Form::ElseWith | Form::ElseRange
        )
    }

    fn name(self) -> &'static str {
        match self {
            Form::ElseIfInWith => "with ... else if ... end (Go refuses)",
            Form::ElseIfInRange => "range ... else if ... end (Go refuses)",
            Form::ElseWith => "with ... else with ... end (Go refuses)",
            Form::ElseRange => "range ... else range ... end (Go refuses)",
            Form::ElseThenIfInWith => "with ... else if written else + nested if",
            Form::ElseThenIfInRange => "range ... else if written else + nested if",
            Form::PrintfIndex => "printf with argument indexes (%[n]v)",
        }
    }
}

impl Generator {
    fn variables(&self) -> Vec<String> {
        self.scopes.iter().flatten().cloned().collect()
    }

    fn operand(&mut self, depth: usize) -> String {
        let vars = self.variables();
        match self.rng.below(10) {
            0..=3 => self.rng.pick(PATHS).to_owned(),
            4..=5 => self.rng.pick(LITERALS).to_owned(),
            6 if !vars.is_empty() => {
                let var = &vars[self.rng.below(vars.len())];
                let suffix = self.rng.pick(&["", "", ".a", ".name", ".x"]);
                format!("${var}{suffix}")
            }
            7 if depth < 2 => format!("({})", self.call(depth + 1)),
            _ => self.rng.pick(PATHS).to_owned(),
        }
    }

    fn args(&mut self, n: usize, depth: usize) -> String {
        (0..n)
            .map(|_| self.operand(depth))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn call(&mut self, depth: usize) -> String {
        let name = self.rng.pick(&[
            "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "len", "index", "slice",
            "print", "println", "printf", "html", "js", "urlquery", "call", "eq", "printf", "len",
            "index", "sprig",
        ]);
        let n = match name {
            "eq" => 1 + self.rng.below(3),
            "ne" | "lt" | "le" | "gt" | "ge" => {
                if self.rng.chance(95) {
                    2
                } else {
                    self.rng.below(4)
                }
            }
            "and" | "or" => 1 + self.rng.below(3),
            "not" | "len" | "call" => {
                if self.rng.chance(95) {
                    1
                } else {
                    2
                }
            }
            "index" | "slice" => 1 + self.rng.below(3),
            "printf" => {
                let format = self.rng.pick(FORMATS);
                if format.contains('[') {
                    self.forms.push(Form::PrintfIndex);
                }
                let count = self.rng.below(3);
                let args = self.args(count, depth);
                return format!("printf {format:?} {args}").trim_end().to_owned();
            }
            "sprig" => {
                let (name, n) = SPRIG_CALLS[self.rng.below(SPRIG_CALLS.len())];
                return format!("{name} {}", self.args(n, depth))
                    .trim_end()
                    .to_owned();
            }
            _ => self.rng.below(4),
        };
        format!("{name} {}", self.args(n, depth))
            .trim_end()
            .to_owned()
    }

    fn pipeline(&mut self) -> String {
        let first = if self.rng.chance(55) {
            self.call(0)
        } else {
            self.operand(0)
        };
        let mut text = first;
        if self.rng.chance(20) {
            let name = self.rng.pick(&[
                "print",
                "printf \"%v|\"",
                "len",
                "not",
                "html",
                "eq 1",
                "index .map",
                "upper",
                "js",
            ]);
            text = format!("{text} | {name}");
        }
        text
    }

    fn open(&mut self, keyword: &str) -> String {
        let trim_left = if self.rng.chance(15) { "- " } else { " " };
        let trim_right = if self.rng.chance(15) { " -" } else { " " };
        format!("{{{{{trim_left}{keyword}{trim_right}}}}}")
    }

    fn declare(&mut self) -> Option<String> {
        if !self.rng.chance(20) {
            return None;
        }
        self.counter += 1;
        let name = format!("v{}", self.counter % 3);
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(name.clone());
        }
        Some(name)
    }

    fn items(&mut self, count: usize) -> String {
        (0..count).map(|_| self.item()).collect()
    }

    fn item(&mut self) -> String {
        let block = self.depth < 2 && self.rng.chance(30);
        if !block {
            return match self.rng.below(10) {
                0..=2 => self
                    .rng
                    .pick(&["x", " ", "\n", " a b ", "-", "\t"])
                    .to_owned(),
                3 if self.in_range > 0 => {
                    let keyword = self.rng.pick(&["break", "continue"]);
                    self.open(keyword)
                }
                4 if self.rng.chance(5) => "{{ /* spaced: Go refuses */ }}".to_owned(),
                4 => self
                    .rng
                    .pick(&[
                        "{{/* note */}}",
                        "{{- /* note */ -}}",
                        "{{/* a\nb */ -}}",
                        "{{- /* note */}}",
                    ])
                    .to_owned(),
                5 if self.rng.chance(30) => {
                    let vars = self.variables();
                    if let Some(var) = vars.first() {
                        let value = self.pipeline();
                        return self.open(&format!("${var} = {value}"));
                    }
                    let pipeline = self.pipeline();
                    self.open(&pipeline)
                }
                _ => {
                    let pipeline = self.pipeline();
                    match self.declare() {
                        Some(name) => self.open(&format!("${name} := {pipeline}")),
                        None => self.open(&pipeline),
                    }
                }
            };
        }
        self.depth += 1;
        self.scopes.push(Vec::new());
        let keyword = self
            .rng
            .pick(&["if", "if", "with", "range", "range", "define"]);
        let text = match keyword {
            "range" => {
                let source = self.rng.pick(&[
                    ".items",
                    ".list",
                    ".map",
                    ".params.tags",
                    ".params.emptyList",
                    ".nope",
                    ".matrix",
                    ".s",
                    ".i",
                    ".params.nested",
                    ".event.labels",
                    ".n",
                ]);
                let declaration = match self.rng.below(3) {
                    0 => {
                        if let Some(scope) = self.scopes.last_mut() {
                            scope.extend(["k".to_owned(), "e".to_owned()]);
                        }
                        "$k, $e := "
                    }
                    1 => {
                        if let Some(scope) = self.scopes.last_mut() {
                            scope.push("e".to_owned());
                        }
                        "$e := "
                    }
                    _ => "",
                };
                let open = self.open(&format!("range {declaration}{source}"));
                self.in_range += 1;
                let count = 1 + self.rng.below(3);
                let body = self.items(count);
                self.in_range -= 1;
                let otherwise = self.else_of("range");
                format!("{open}{body}{otherwise}{}", self.open("end"))
            }
            "define" if self.depth == 1 && self.in_range == 0 => {
                self.counter += 1;
                let name = format!("d{}", self.counter);
                let saved = std::mem::take(&mut self.scopes);
                self.scopes.push(Vec::new());
                let count = 1 + self.rng.below(2);
                let body = self.items(count);
                self.scopes = saved;
                let argument = self.operand(1);
                format!(
                    "{{{{define \"{name}\"}}}}{body}{{{{end}}}}{}",
                    self.open(&format!("template \"{name}\" {argument}"))
                )
            }
            "with" => {
                let condition = self.pipeline();
                let open = self.open(&format!("with {condition}"));
                let count = 1 + self.rng.below(2);
                let body = self.items(count);
                let otherwise = self.else_of("with");
                format!("{open}{body}{otherwise}{}", self.open("end"))
            }
            _ => self.if_block(),
        };
        self.scopes.pop();
        self.depth -= 1;
        text
    }

    /// `{{ if A }}..{{ else if B }}..{{ else }}..{{ end }}`, the `else if` and `else`
    /// optional.
    fn if_block(&mut self) -> String {
        let condition = self.pipeline();
        let open = self.open(&format!("if {condition}"));
        let count = 1 + self.rng.below(2);
        let body = self.items(count);
        let mut text = format!("{open}{body}");
        if self.rng.chance(30) {
            let condition = self.pipeline();
            text.push_str(&self.open(&format!("else if {condition}")));
            text.push_str(&self.items(1));
        }
        if self.rng.chance(40) {
            text.push_str(&self.open("else"));
            text.push_str(&self.items(1));
        }
        text.push_str(&self.open("end"));
        text
    }

    /// The `else` part of a `with` or `range` (`keyword`): none, a plain `else`, the
    /// `else if` Go accepts only after an `if`, `else with` or `else range` (which Go 1.19
    /// does not have), or the spelling Go accepts for an `else if`: an `if` nested in a
    /// plain `else`, with its own `end`.
    fn else_of(&mut self, keyword: &str) -> String {
        let in_with = keyword == "with";
        match self.rng.below(100) {
            0..=3 => {
                self.forms.push(if in_with {
                    Form::ElseIfInWith
                } else {
                    Form::ElseIfInRange
                });
                let condition = self.pipeline();
                let mut text = self.open(&format!("else if {condition}"));
                text.push_str(&self.items(1));
                if self.rng.chance(40) {
                    text.push_str(&self.open("else"));
                    text.push_str(&self.items(1));
                }
                text
            }
            4 => {
                self.forms.push(if in_with {
                    Form::ElseWith
                } else {
                    Form::ElseRange
                });
                let condition = self.pipeline();
                let mut text = self.open(&format!("else {keyword} {condition}"));
                text.push_str(&self.items(1));
                text
            }
            5..=24 => {
                self.forms.push(if in_with {
                    Form::ElseThenIfInWith
                } else {
                    Form::ElseThenIfInRange
                });
                let mut text = self.open("else");
                self.depth += 1;
                self.scopes.push(Vec::new());
                text.push_str(&self.if_block());
                self.scopes.pop();
                self.depth -= 1;
                text
            }
            25..=59 => format!("{}{}", self.open("else"), self.items(1)),
            _ => String::new(),
        }
    }
}

fn generated(count: usize) -> Vec<Case> {
    let mut generator = Generator {
        rng: Rng(SEED),
        scopes: vec![Vec::new()],
        in_range: 0,
        depth: 0,
        counter: 0,
        forms: Vec::new(),
    };
    let data = data();
    (0..count)
        .map(|n| {
            generator.scopes = vec![Vec::new()];
            generator.forms.clear();
            let items = 1 + generator.rng.below(3);
            let template = generator.items(items);
            let mut forms = std::mem::take(&mut generator.forms);
            forms.sort();
            forms.dedup();
            Case {
                origin: format!("generated #{n}"),
                template,
                data: data.clone(),
                forms,
            }
        })
        .collect()
}

/// Templates of YAML files: the value of every line holding `{{`, unquoted.
fn corpus(dir: &Path, origin: &str, out: &mut Vec<Case>) {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let data = data();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if !line.contains("{{") {
                continue;
            }
            let trimmed = line.trim_start().trim_start_matches("- ");
            let value = match trimmed.split_once(": ") {
                Some((key, value)) if !key.contains("{{") => value,
                _ => trimmed,
            };
            let value = value.trim();
            let template = if value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'') {
                value[1..value.len() - 1].replace("''", "'")
            } else if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
                value[1..value.len() - 1]
                    .replace("\\\"", "\"")
                    .replace("\\\\", "\\")
            } else {
                value.to_owned()
            };
            let name = file
                .strip_prefix(dir)
                .unwrap_or(&file)
                .display()
                .to_string();
            out.push(Case {
                origin: format!("{origin}/{name}:{}", n + 1),
                template,
                data: data.clone(),
                forms: Vec::new(),
            });
        }
    }
}

/// A difference we know of and accept, with its reason.
struct Allowed {
    name: &'static str,
    reason: &'static str,
    applies: fn(&Case, &GoResult, &Result<String, playbook_eval::EvalError>) -> bool,
}

fn uses_extensions(template: &str) -> bool {
    let parsed = playbook_template::parse(template);
    parsed.paths().any(|path| {
        path.segments
            .iter()
            .any(|s| !matches!(s.kind, playbook_template::SegmentKind::Field(_)))
    })
}

const ALLOWED: &[Allowed] = &[
    Allowed {
        name: "extended-syntax",
        reason: "our grammar is a superset of Go's: quoted segments ($.'redis-info'), [i] indexes, \
                 [lo:hi] slices, .* and .[:] are evaluated (documented in playbook-eval), Go refuses to parse them",
        applies: |case, go, _| {
            matches!(go, GoResult::ParseError(_)) && uses_extensions(&case.template)
        },
    },
    Allowed {
        name: "stricter-parse",
        reason: "our parser refuses arguments given to a non-function (`.x 1`, `1 2`), which Go parses \
                 and then fails on when it runs: both fail",
        applies: |case, go, ours| {
            matches!(go, GoResult::ExecError(_))
                && ours.is_err()
                && !playbook_template::parse(&case.template).errors().is_empty()
        },
    },
    Allowed {
        name: "byte-of-string",
        reason: "`index` of a string gives a Go uint8 (a byte), which has no Value of its own: we give an int, \
                 which prints the same with %v but not with %T, %c or %q",
        applies: |_, go, _| match go {
            GoResult::ExecError(message) => message.contains("uint8"),
            GoResult::Output(output) => output.contains("uint8"),
            GoResult::ParseError(_) => false,
        },
    },
    Allowed {
        name: "string-map-type",
        reason: "sprig's split and splitn return a Go map[string]string; a Value map has one type, \
                 map[string]interface {}, so only the type's name differs (in %T, %#v and error messages)",
        applies: |_, go, ours| {
            let as_ours = |text: &str| text.replace("map[string]string", "map[string]interface {}");
            match (go, ours) {
                (GoResult::Output(expected), Ok(actual)) => {
                    expected.contains("map[string]string") && as_ours(expected) == *actual
                }
                (GoResult::ExecError(expected), Err(actual)) => {
                    expected.contains("map[string]string") && as_ours(expected) == actual.message
                }
                _ => false,
            }
        },
    },
    Allowed {
        name: "float-binary-verbs",
        reason: "%b, %x and %X of a float (binary exponent forms) are not implemented",
        applies: |case, go, _| {
            (case.template.contains("%x")
                || case.template.contains("%X")
                || case.template.contains("%b")
                || case.template.contains("%#x"))
                && matches!(go, GoResult::Output(out) if out.contains('p'))
        },
    },
];

#[test]
fn the_evaluator_agrees_with_go() {
    let binary = match build_go_renderer() {
        Ok(binary) => binary,
        Err(reason) => return skip(&reason),
    };
    let mut cases = generated(GENERATED);
    let generated_count = cases.len();
    cases.extend(PRINTF_CASES.iter().enumerate().map(|(n, template)| Case {
        origin: format!("printf #{n}"),
        template: (*template).to_owned(),
        data: data(),
        forms: vec![Form::PrintfIndex],
    }));
    cases.extend(ELSE_CASES.iter().enumerate().map(|(n, template)| Case {
        origin: format!("else #{n}"),
        template: (*template).to_owned(),
        data: data(),
        forms: vec![if template.starts_with("{{ with") {
            Form::ElseThenIfInWith
        } else {
            Form::ElseThenIfInRange
        }],
    }));
    let fixed_count = cases.len() - generated_count;
    corpus(
        &playbook_test_support::workspace_root().join("playbooks"),
        "playbooks",
        &mut cases,
    );
    let examples_count = cases.len() - generated_count - fixed_count;
    if let Some(dir) = playbook_test_support::shared_data("corpus/stackpulse-steps") {
        corpus(&dir, "stackpulse-steps", &mut cases);
    }
    let corpus_count = cases.len() - generated_count - fixed_count - examples_count;
    let go_results = run_go(&binary, &cases);

    let mut identical = 0usize;
    let mut both_refused = 0usize;
    let mut allowed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut not_implemented: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut parse_errors: BTreeMap<String, usize> = BTreeMap::new();
    // Per form: cases, Go refused to parse, Go rendered, our message the same as Go's.
    let mut forms: BTreeMap<Form, [usize; 4]> = BTreeMap::new();
    for (case, go) in cases.iter().zip(&go_results) {
        for form in &case.forms {
            let counts = forms.entry(*form).or_default();
            counts[0] += 1;
            match go {
                GoResult::ParseError(_) => counts[1] += 1,
                GoResult::Output(_) => counts[2] += 1,
                GoResult::ExecError(_) => {}
            }
            if form.refused() && !matches!(go, GoResult::ParseError(_)) {
                failures.push(format!(
                    "{}: Go 1.19 was expected to refuse {}: {:?}\n    go: {go:?}",
                    case.origin,
                    form.name(),
                    case.template
                ));
            }
        }
        if let GoResult::ParseError(message) = go {
            // `template: t:1: unexpected "/" in command` without its location.
            let tail = message.splitn(3, ": ").nth(2).unwrap_or(message);
            let kind: String = tail.split('"').step_by(2).collect::<Vec<_>>().join("\"…\"");
            *parse_errors.entry(kind).or_default() += 1;
            if std::env::var_os("DIFFERENTIAL_SHOW_PARSE").is_some() {
                println!("  go refuses {:?}: {message}", case.template);
            }
        }
        let template = playbook_template::parse(&case.template);
        let ours = std::panic::catch_unwind(|| render(&template, &Value::from_json(&case.data)));
        let Ok(ours) = ours else {
            failures.push(format!("{}: PANIC on {:?}", case.origin, case.template));
            continue;
        };
        let agree = match (go, &ours) {
            (GoResult::Output(expected), Ok(actual)) => expected == actual,
            (GoResult::ParseError(_), Err(_)) => {
                both_refused += 1;
                true
            }
            (GoResult::ExecError(expected), Err(actual)) => *expected == actual.message,
            _ => false,
        };
        if agree {
            identical += 1;
            if let (GoResult::ParseError(expected), Err(actual)) = (go, &ours) {
                let tail = expected.splitn(3, ": ").nth(2).unwrap_or(expected);
                if tail == actual.message {
                    for form in &case.forms {
                        forms.entry(*form).or_default()[3] += 1;
                    }
                }
            }
            continue;
        }
        // A function Go knows that we do not (yet): sprig's, arriving from another change.
        if let (false, Err(error)) = (matches!(go, GoResult::ParseError(_)), &ours)
            && let Some(name) = error
                .message
                .strip_prefix("function \"")
                .and_then(|rest| rest.strip_suffix("\" not defined"))
        {
            *not_implemented.entry(name.to_owned()).or_default() += 1;
            continue;
        }
        if let Some(allowance) = ALLOWED.iter().find(|a| (a.applies)(case, go, &ours)) {
            *allowed.entry(allowance.name).or_default() += 1;
            continue;
        }
        failures.push(format!(
            "{}: {:?}\n    go:   {:?}\n    ours: {:?}",
            case.origin,
            case.template,
            go,
            ours.map_err(|e| e.message)
        ));
    }

    println!(
        "differential test against Go text/template + sprig: {} cases ({} generated, {} fixed else and printf cases, {} from playbooks/, {} from the step corpus)",
        cases.len(),
        generated_count,
        fixed_count,
        examples_count,
        corpus_count
    );
    println!(
        "  forms (cases / Go refused to parse / Go rendered / refused with Go's own message):"
    );
    for form in Form::ALL {
        let [count, refused, rendered, same_message] =
            forms.get(&form).copied().unwrap_or_default();
        println!(
            "    {count:>5} / {refused:>5} / {rendered:>5} / {same_message:>5}  {}",
            form.name()
        );
        assert!(count > 0, "no case uses {}", form.name());
    }
    println!("  identical: {identical} (of which both refused to parse: {both_refused})");
    println!("  allowed differences: {}", allowed.values().sum::<usize>());
    for allowance in ALLOWED {
        println!(
            "    {:>5}  {}: {}",
            allowed.get(allowance.name).copied().unwrap_or(0),
            allowance.name,
            allowance.reason
        );
    }
    println!(
        "  not implemented yet (functions Go knows, `lookup` does not): {} cases, {} functions",
        not_implemented.values().sum::<usize>(),
        not_implemented.len()
    );
    for (name, count) in &not_implemented {
        println!("    {count:>5}  {name}");
    }
    let mut kinds: Vec<(&String, &usize)> = parse_errors.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1));
    println!("  Go's parse errors, most frequent first:");
    for (kind, count) in kinds.iter().take(8) {
        println!("    {count:>5}  {kind}");
    }
    println!("  differences: {}", failures.len());
    let shown: usize = std::env::var("DIFFERENTIAL_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    for failure in failures.iter().take(shown) {
        println!("  {failure}");
    }
    assert!(
        failures.is_empty(),
        "{} templates render differently from Go (first ones above)",
        failures.len()
    );
}
