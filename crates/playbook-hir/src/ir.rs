//! The typed IR of playbook files: what a playbook, a step manifest and a trigger declare,
//! with the source range of every name and value.
//!
//! The IR is built by [`crate::lower`], which never fails: whatever is missing or malformed
//! is `None` (or left out of a list) and reported as a diagnostic. Values keep their decoded
//! text and a [`SourceMap`], so a template inside a value can be checked and its errors
//! pointed at exact source columns.

use playbook_diagnostics::TextRange;
use playbook_syntax::ast::ScalarStyle;
use playbook_syntax::decode::SourceMap;

/// A value with the source range it was read from.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

/// A scalar value: its decoded text, where its content is in the source, how it is written,
/// and the map from decoded offsets to source offsets.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Text {
    pub value: Box<str>,
    /// The source range of the scalar's content (properties excluded).
    pub range: TextRange,
    pub style: ScalarStyle,
    pub map: SourceMap,
    /// Whether `value` has `{{`: the checks ask for every value, several times.
    template: bool,
}

impl Text {
    pub fn new(value: Box<str>, range: TextRange, style: ScalarStyle, map: SourceMap) -> Text {
        let template = value.contains("{{");
        Text {
            value,
            range,
            style,
            map,
            template,
        }
    }

    /// Whether the value contains template actions.
    pub fn is_template(&self) -> bool {
        self.template
    }
}

/// One lowered document. A workspace holds one per file, so the largest kind, a step
/// manifest, is boxed: an unboxed item would take its 400-odd bytes in every playbook file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Item {
    Playbook(Playbook),
    Step(Box<StepManifest>),
    Trigger(Trigger),
    /// A `kind: PlaybookTest` document: ours, never sent to the platform.
    Test(Box<PlaybookTest>),
}

/// The lowered content of one file: its playbook documents, in order. Documents of other
/// kinds (CI workflows, Kubernetes manifests) are not items.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct File {
    pub items: Vec<Item>,
}

impl File {
    pub fn playbooks(&self) -> impl Iterator<Item = &Playbook> {
        self.items.iter().filter_map(|i| match i {
            Item::Playbook(p) => Some(p),
            _ => None,
        })
    }

    pub fn manifests(&self) -> impl Iterator<Item = &StepManifest> {
        self.items.iter().filter_map(|i| match i {
            Item::Step(s) => Some(&**s),
            _ => None,
        })
    }

    pub fn tests(&self) -> impl Iterator<Item = &PlaybookTest> {
        self.items.iter().filter_map(|i| match i {
            Item::Test(t) => Some(&**t),
            _ => None,
        })
    }

    pub fn triggers(&self) -> impl Iterator<Item = &Trigger> {
        self.items.iter().filter_map(|i| match i {
            Item::Trigger(t) => Some(t),
            _ => None,
        })
    }
}

/// The `kind` of a document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Kind {
    Playbook,
    Step,
    Trigger,
    /// `PlaybookTest`: the tests of a playbook (`playbook test`), a kind of this tool's own.
    Test,
}

impl Kind {
    /// The kinds of the platform.
    pub const ALL: [&'static str; 3] = ["Playbook", "Step", "Trigger"];
    /// The kind of a test file, which the platform never sees.
    pub const TEST: &'static str = "PlaybookTest";

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "Playbook" => Kind::Playbook,
            "Step" => Kind::Step,
            "Trigger" => Kind::Trigger,
            Kind::TEST => Kind::Test,
            _ => return None,
        })
    }
}

/// A `kind: Playbook` document.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Playbook {
    /// The document body's range.
    pub range: TextRange,
    /// `metadata.name`.
    pub name: Option<Spanned<String>>,
    pub description: Option<Text>,
    pub parameters: Vec<Parameter>,
    pub steps: Vec<Step>,
}

/// The type of a playbook parameter.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ParamType {
    Var,
    Secret,
    Integration,
    Spd,
}

impl ParamType {
    pub const ALL: [&'static str; 4] = ["var", "secret", "integration", "spd"];

    pub fn parse(s: &str) -> Option<ParamType> {
        Some(match s {
            "var" => ParamType::Var,
            "secret" => ParamType::Secret,
            "integration" => ParamType::Integration,
            "spd" => ParamType::Spd,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::Var => "var",
            ParamType::Secret => "secret",
            ParamType::Integration => "integration",
            ParamType::Spd => "spd",
        }
    }
}

/// One entry of a playbook's `parameters`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Parameter {
    pub range: TextRange,
    pub name: Spanned<String>,
    /// `None` when `type` is missing or unknown (both reported).
    pub ty: Option<Spanned<ParamType>>,
    pub description: Option<Text>,
    pub default: Option<Text>,
    /// `options.integration_type`.
    pub integration_type: Option<Spanned<String>>,
}

/// One entry of `steps`. A playbook holds many steps, so the rare, large kind (a loop) is
/// boxed to keep every step small.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Step {
    Call(StepCall),
    Block(StepBlock),
    Loop(Box<StepLoop>),
}

impl Step {
    pub fn range(&self) -> TextRange {
        match self {
            Step::Call(s) => s.range,
            Step::Block(s) => s.range,
            Step::Loop(s) => s.range,
        }
    }
}

/// A call of a step image. A repository holds tens of thousands of calls, so the keys that
/// most calls leave out (`envFrom`, `when`, `output_parser`) are boxed: absent, they take 8
/// bytes instead of a whole `Text`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StepCall {
    pub range: TextRange,
    /// The image reference, as written (`name:`).
    pub image: Spanned<String>,
    pub id: Option<Spanned<String>>,
    pub env: Vec<EnvVar>,
    /// `envFrom.integrationRef`.
    pub integration_ref: Option<Box<Text>>,
    pub runner: Option<Text>,
    pub when: Option<Box<Text>>,
    pub args: Vec<Text>,
    /// `output_parser.name`.
    pub output_parser: Option<Box<Spanned<String>>>,
    pub ignore_failure: Option<Spanned<bool>>,
    /// The call's inputs could not all be read: `env` is misspelled (`envs:`, reported as an
    /// unknown key) or is not a mapping (reported). The inputs the call gives are unknown, so
    /// no input is reported missing.
    pub env_unreadable: bool,
}

/// One `env` entry of a step call.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EnvVar {
    pub name: Spanned<String>,
    /// The value, when it is a scalar; `None` when it is empty or not a scalar (reported).
    pub value: Option<Text>,
}

/// A conditional block: `when` and `steps`, without `name`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StepBlock {
    pub range: TextRange,
    pub when: Option<Text>,
    pub steps: Vec<Step>,
}

/// A `foreach` loop.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StepLoop {
    pub range: TextRange,
    pub source: Option<LoopSource>,
    /// The name of the key variable (`key:`).
    pub key: Option<Spanned<String>>,
    /// The name of the value variable (`value:`).
    pub value: Option<Spanned<String>>,
    pub when: Option<Text>,
    pub break_when: Option<Text>,
    pub steps: Vec<Step>,
}

/// What a loop iterates over (`in:`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LoopSource {
    /// A path without braces (`filtered`, `queues.max_queues`) or a template.
    Text(Text),
    /// `range: [from, to]`.
    Range {
        from: Spanned<i64>,
        to: Spanned<i64>,
    },
}

/// A `kind: Step` document: the interface of a step image.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StepManifest {
    pub range: TextRange,
    pub name: Option<Spanned<String>>,
    pub version: Option<Text>,
    pub description: Option<Text>,
    pub vendor: Option<Text>,
    pub step_type: Option<Text>,
    /// `metadata.imageName`: the image, where it is not the manifest's path.
    pub image_name: Option<Spanned<String>>,
    pub envs: Vec<Input>,
    pub args: Vec<Input>,
    pub outputs: Vec<Output>,
    /// `integrations`: the integration types the step is known to accept; `None` when the
    /// manifest has no `integrations` key, which says nothing about integrations.
    pub integrations: Option<Vec<Spanned<String>>>,
}

/// The type of a step input.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum InputType {
    String,
    Bool,
    Int,
    Json,
    Secret,
}

impl InputType {
    pub const ALL: [&'static str; 5] = ["string", "bool", "int", "json", "secret"];

    pub fn parse(s: &str) -> Option<InputType> {
        Some(match s {
            "string" => InputType::String,
            "bool" => InputType::Bool,
            "int" => InputType::Int,
            "json" => InputType::Json,
            "secret" => InputType::Secret,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InputType::String => "string",
            InputType::Bool => "bool",
            InputType::Int => "int",
            InputType::Json => "json",
            InputType::Secret => "secret",
        }
    }

    /// Whether a literal value (not a template) is a value of this type as the step reads
    /// it from its environment: `true`/`false` in any case for a bool, an integer for an
    /// int; any text for the other types.
    pub fn accepts_literal(self, value: &str) -> bool {
        match self {
            InputType::Bool => {
                let value = value.trim();
                value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
            }
            InputType::Int => value.trim().parse::<i64>().is_ok(),
            InputType::String | InputType::Json | InputType::Secret => true,
        }
    }
}

/// The type of a step output.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum OutputType {
    String,
    Bool,
    Int,
    Json,
}

impl OutputType {
    pub const ALL: [&'static str; 4] = ["string", "bool", "int", "json"];

    pub fn parse(s: &str) -> Option<OutputType> {
        Some(match s {
            "string" => OutputType::String,
            "bool" => OutputType::Bool,
            "int" => OutputType::Int,
            "json" => OutputType::Json,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            OutputType::String => "string",
            OutputType::Bool => "bool",
            OutputType::Int => "int",
            OutputType::Json => "json",
        }
    }
}

/// An input of a step manifest: an entry of `envs` or `args`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Input {
    pub range: TextRange,
    pub name: Spanned<String>,
    pub ty: Option<Spanned<InputType>>,
    pub description: Option<Text>,
    pub required: Option<Spanned<bool>>,
    pub example: Option<Text>,
    pub default: Option<Text>,
}

impl Input {
    pub fn is_required(&self) -> bool {
        self.required.as_ref().is_some_and(|r| r.value)
    }

    /// Whether the input's literal `example` does not fit its declared `type` (`type: bool`
    /// with `example: "192.168.17.43"`): the manifest contradicts itself, so neither can be
    /// trusted to judge the values calls give.
    pub fn example_contradicts_type(&self) -> bool {
        let (Some(ty), Some(example)) = (&self.ty, &self.example) else {
            return false;
        };
        // An example may list the values (`"true","false"`): it fits if one of them does.
        !example.is_template()
            && !example
                .value
                .split([',', '|', '/', ' '])
                .map(|v| v.trim().trim_matches(['"', '\'', '`']))
                .any(|v| ty.value.accepts_literal(v))
    }
}

/// An output of a step manifest.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Output {
    pub range: TextRange,
    pub name: Spanned<String>,
    pub ty: Option<Spanned<OutputType>>,
    pub description: Option<Text>,
    pub example: Option<Text>,
    /// The example parsed as JSON ([`crate::json_example::parse_example`]), when it is JSON:
    /// parsed once here rather than by every check and completion that reads the output.
    pub example_json: Option<serde_json::Value>,
}

/// A `kind: Trigger` document.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Trigger {
    pub range: TextRange,
    pub name: Option<Spanned<String>>,
    pub description: Option<Text>,
    pub enabled: Option<Spanned<bool>>,
    /// The bound playbook's `metadata.name`; an empty value means unbound.
    pub playbook: Option<Spanned<String>>,
    pub scenarios: Vec<Scenario>,
}

/// One entry of a trigger's `scenarios`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Scenario {
    pub range: TextRange,
    pub name: Option<Text>,
    pub enabled: Option<Spanned<bool>>,
    pub integration: Option<Text>,
    pub when: Option<Text>,
    /// Playbook parameter name -> value.
    pub parameters: Vec<(Spanned<String>, Option<Text>)>,
}

/// A `kind: PlaybookTest` document: cases that run a playbook offline and say what must
/// happen (`playbook test`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlaybookTest {
    pub range: TextRange,
    /// The tested playbook's `metadata.name`.
    pub playbook: Option<Spanned<String>>,
    pub cases: Vec<TestCase>,
}

/// One case of a test file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TestCase {
    /// The case's range (its sequence entry).
    pub range: TextRange,
    pub name: Option<Spanned<String>>,
    /// Parameter name -> value, as text (as the platform's form gives them).
    pub params: Vec<(Spanned<String>, Spanned<String>)>,
    /// `$.event`, any YAML read as JSON.
    pub event: Option<Spanned<serde_json::Value>>,
    /// The mocked outputs of steps, by step id.
    pub outputs: Vec<MockedOutputs>,
    /// Steps that must run.
    pub runs: Vec<Spanned<String>>,
    /// Steps that must not run.
    pub skips: Vec<Spanned<String>>,
    /// Expected rendered inputs.
    pub inputs: Vec<InputExpectation>,
    /// The expected runtime error.
    pub fails: Vec<Matcher>,
}

impl TestCase {
    /// Whether the case expects anything at all (a case that does not never passes).
    pub fn has_expectations(&self) -> bool {
        !(self.runs.is_empty()
            && self.skips.is_empty()
            && self.inputs.is_empty()
            && self.fails.is_empty())
    }
}

/// The mocked outputs of one step.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MockedOutputs {
    pub step: Spanned<String>,
    /// Field name -> value.
    pub fields: Vec<(Spanned<String>, serde_json::Value)>,
}

/// Which input of a step an expectation is about.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum InputKey {
    /// An `env` variable.
    Env(Spanned<String>),
    /// An argument, by index (from 0).
    Arg(Spanned<usize>),
    /// `runner`.
    Runner(TextRange),
    /// `envFrom.integrationRef`.
    IntegrationRef(TextRange),
}

impl InputKey {
    pub fn range(&self) -> TextRange {
        match self {
            InputKey::Env(name) => name.range,
            InputKey::Arg(index) => index.range,
            InputKey::Runner(range) | InputKey::IntegrationRef(range) => *range,
        }
    }

    /// `env DB_HOST`, `args[0]`, `runner`, `envFrom.integrationRef`.
    pub fn describe(&self) -> String {
        match self {
            InputKey::Env(name) => format!("env `{}`", name.value),
            InputKey::Arg(index) => format!("args[{}]", index.value),
            InputKey::Runner(_) => "runner".to_owned(),
            InputKey::IntegrationRef(_) => "envFrom.integrationRef".to_owned(),
        }
    }
}

/// An expected rendered input of a step.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InputExpectation {
    pub step: Spanned<String>,
    /// Which run of the step the expectation is about: the index of each loop around the
    /// step, outermost first, from 0 (`iteration: 2`, `iteration: [1, 0]`). `None`: its
    /// first run.
    pub iteration: Option<Spanned<Vec<usize>>>,
    pub key: InputKey,
    pub matcher: Matcher,
}

/// An iteration as written in a test file: `2`, or `[1, 0]` for nested loops.
pub fn describe_iteration(indices: &[usize]) -> String {
    match indices {
        [one] => one.to_string(),
        many => {
            let parts: Vec<String> = many.iter().map(usize::to_string).collect();
            format!("[{}]", parts.join(", "))
        }
    }
}

/// How a value is compared.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum MatchKind {
    Equals,
    Contains,
    /// A regular expression (Rust `regex` syntax), found anywhere in the value unless
    /// anchored.
    Matches,
}

impl MatchKind {
    pub const ALL: [&'static str; 3] = ["equals", "contains", "matches"];

    pub fn parse(s: &str) -> Option<MatchKind> {
        Some(match s {
            "equals" => MatchKind::Equals,
            "contains" => MatchKind::Contains,
            "matches" => MatchKind::Matches,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Equals => "equals",
            MatchKind::Contains => "contains",
            MatchKind::Matches => "matches",
        }
    }
}

/// One comparison: `equals: text`, `contains: text`, `matches: regex`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Matcher {
    pub kind: MatchKind,
    /// The expected text (or pattern), at its source range.
    pub value: Spanned<String>,
}

// A workspace holds tens of thousands of steps, values and items, and every byte of them is
// memory the kernel must hand over and zero: these sizes are guarded like an API.
#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(size_of::<Text>() == 56);
    assert!(size_of::<EnvVar>() == 88);
    assert!(size_of::<Step>() <= 216);
    assert!(size_of::<Item>() <= 176);
};
