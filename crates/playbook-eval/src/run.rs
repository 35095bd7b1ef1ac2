//! Runs a playbook's control flow offline, as the platform would: the parameters (given, else
//! their defaults), then the steps in order, each `when` of a step, block or loop deciding
//! whether it runs, `foreach` loops over a path, a template or a `range`, with their key and
//! value variables and their `break`, and every input of every step that runs rendered.
//!
//! Nothing is executed: a step's outputs come from the caller (a test's mocks) or else from
//! its manifest's examples, placed where the platform puts a step's results (spec section 4):
//! under the step's id, and at the root, the most recent step first, with `output` the raw
//! result of the step just before.
//!
//! Where production behaviour is not known, the choices are these, and `playbook render`
//! shows each decision with the value it rests on:
//! - a `when` runs its step when it renders to `true` (any case, surrounding spaces
//!   ignored); anything else, `<no value>` included, skips it;
//! - `range: [a, b]` runs from `a` to `b` included (the key is the index, the value the
//!   number); a path runs over the list or map it names, a template over the JSON list or
//!   map it renders to; a missing or null collection runs no iteration;
//! - the first template that fails ends the run with Go's error, as a failed step does;
//! - numbers in step results and events keep integers as Go `int`s
//!   ([`Value::from_result_json`]): `gt $.step.count 0` runs, as it does in production
//!   playbooks.
//!
//! What a run reads besides the playbook comes from a [`Library`]: what each call gets, and
//! the templates its caller parsed already. [`run_with`] gives the whole run;
//! [`run_pieces`] the same run kept in pieces, one per step of the playbook's list, which
//! the next run after an edit takes over where the edit changed nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use playbook_diagnostics::TextRange;
use playbook_hir::ir::{
    LoopSource, OutputType, Playbook, Step, StepCall, StepLoop, StepManifest, Text,
};
use playbook_template::Template;

use crate::{EvalError, Value};

mod pieces;

pub use pieces::{Piece, PieceData, Pieces, run_pieces};

/// What a run starts from.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Inputs {
    /// Parameter values given by name, as the platform's form gives them: text.
    pub params: BTreeMap<String, String>,
    /// The payload of the triggering event (`$.event`).
    pub event: Option<Value>,
    /// The outputs of steps by step id, in place of their manifests' examples: a map of
    /// fields (and `output`, the raw result, when it matters).
    pub outputs: BTreeMap<String, Value>,
}

/// Where a parameter's value came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamSource {
    Given,
    Default,
    /// Neither given nor defaulted: reading it gives `<no value>`.
    Missing,
}

/// A parameter as the run saw it.
#[derive(Clone, PartialEq, Debug)]
pub struct ParamValue {
    pub name: String,
    pub value: Value,
    pub source: ParamSource,
}

/// A template, or a plain value, as rendered for the run.
#[derive(Clone, PartialEq, Debug)]
pub struct Rendered {
    /// The scalar's source range.
    pub range: TextRange,
    pub text: Result<String, EvalError>,
}

impl Rendered {
    /// Whether this rendered `when` lets its step, block or loop run.
    pub fn is_true(&self) -> bool {
        self.text
            .as_ref()
            .is_ok_and(|text| text.trim().eq_ignore_ascii_case("true"))
    }
}

/// Where a step's outputs came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OutputSource {
    /// The caller gave them (a test's mock).
    Given,
    /// The examples of the step's manifest.
    Examples,
    /// Neither: the step's manifest is unknown or has no examples.
    None,
}

/// One step call met by the run.
#[derive(Clone, PartialEq, Debug)]
pub struct StepRun {
    /// The call's source range.
    pub range: TextRange,
    pub id: Option<String>,
    pub image: String,
    /// The iteration of each loop around the call, outermost first.
    pub iterations: Vec<usize>,
    /// The step's own `when`, rendered.
    pub when: Option<Rendered>,
    pub runs: bool,
    pub env: Vec<(String, Rendered)>,
    pub args: Vec<Rendered>,
    pub runner: Option<Rendered>,
    /// `envFrom.integrationRef`.
    pub integration_ref: Option<Rendered>,
    pub output_source: OutputSource,
    /// The step's outputs as later steps see them (a map), when it ran.
    pub outputs: Value,
}

/// What the run met, in order.
#[derive(Clone, PartialEq, Debug)]
pub enum Event {
    Step(Box<StepRun>),
    /// A conditional block, with its `when`.
    Block {
        range: TextRange,
        when: Option<Rendered>,
        runs: bool,
    },
    /// A loop, with its `when` and the number of items it runs over (when it runs).
    Loop {
        range: TextRange,
        when: Option<Rendered>,
        runs: bool,
        items: usize,
    },
    /// The start of one iteration of a loop.
    Iteration {
        range: TextRange,
        index: usize,
        key: Value,
        value: Value,
    },
    /// A loop's `break`, evaluated after an iteration.
    Break {
        range: TextRange,
        when: Rendered,
        stops: bool,
    },
    /// Something that ended the run: a template that failed, a loop over something that is
    /// not a collection.
    Failed {
        range: TextRange,
        message: String,
    },
}

/// A run of a playbook.
#[derive(Clone, PartialEq, Debug)]
pub struct Run {
    pub params: Vec<ParamValue>,
    /// The events in order; each with its nesting depth (0 for the playbook's own steps).
    pub events: Vec<(usize, Event)>,
}

impl Run {
    /// Whether the run ended on a failure.
    pub fn failure(&self) -> Option<(TextRange, &str)> {
        self.events.iter().find_map(|(_, event)| match event {
            Event::Failed { range, message } => Some((*range, message.as_str())),
            _ => None,
        })
    }

    /// Every step call met, in order.
    pub fn steps(&self) -> impl Iterator<Item = &StepRun> {
        self.events.iter().filter_map(|(_, event)| match event {
            Event::Step(step) => Some(&**step),
            _ => None,
        })
    }
}

/// How many iterations a loop may run before the run is refused (a `range: [0, 1e9]`).
pub const MAX_ITERATIONS: usize = 10_000;

/// What a run reads besides the playbook and its inputs: what the interface of each step
/// call gives it, and the templates the caller parsed already.
pub trait Library {
    /// What `call` gets when it runs: [`example_result`] of the manifest describing it
    /// (among every manifest that may describe its image, chosen as the checker does);
    /// [`Value::Missing`] when no manifest describes it. A caller keeps these from one run
    /// to the next.
    fn outputs(&self, call: &StepCall) -> Value;

    /// The parsed template of `text`, a scalar of the playbook (the parse of its value),
    /// when the caller parsed it already; `None` has the runner parse it.
    fn template(&self, text: &Text) -> Option<&Template> {
        let _ = text;
        None
    }

    /// A number that stays the same only while [`Library::outputs`] gives every call what
    /// it gave before (the library of steps is unchanged), when the library can tell: a run
    /// in pieces ([`run_pieces`]) that takes over the pieces of a run of the same generation
    /// does not ask again what their calls get.
    fn generation(&self) -> Option<u64> {
        None
    }
}

/// A [`Library`] that knows the manifests: each one's outputs converted once per run.
struct Manifests<'f, 'm> {
    manifest: &'f dyn Fn(&StepCall) -> Option<&'m StepManifest>,
    outputs: std::cell::RefCell<std::collections::HashMap<*const StepManifest, Value>>,
}

impl Library for Manifests<'_, '_> {
    fn outputs(&self, call: &StepCall) -> Value {
        let Some(manifest) = (self.manifest)(call) else {
            return Value::Missing;
        };
        self.outputs
            .borrow_mut()
            .entry(std::ptr::from_ref(manifest))
            .or_insert_with(|| example_result(manifest))
            .clone()
    }
}

/// Runs `playbook`, finding the interfaces of its steps with `manifests` (every manifest
/// that may describe an image, chosen among as the checker does).
pub fn run_playbook<'m>(
    playbook: &Playbook,
    manifests: &dyn Fn(&StepCall) -> Option<&'m StepManifest>,
    inputs: &Inputs,
) -> Run {
    let library = Manifests {
        manifest: manifests,
        outputs: std::cell::RefCell::default(),
    };
    run_with(playbook, &library, inputs)
}

/// Runs `playbook` with what `library` gives.
pub fn run_with(playbook: &Playbook, library: &dyn Library, inputs: &Inputs) -> Run {
    let mut runner = Runner::new(library, inputs);
    let params = runner.start(playbook);
    runner.steps(&playbook.steps, 0);
    Run {
        params,
        events: runner.events,
    }
}

/// `$.metadata` of an offline run.
fn metadata(playbook: &Playbook) -> Value {
    let name = playbook
        .name
        .as_ref()
        .map_or(String::new(), |n| n.value.clone());
    map([
        (
            "executionUrl",
            Value::string("https://playbook.invalid/offline-run"),
        ),
        ("playbookId", Value::string(name)),
        ("userEmail", Value::string("offline@playbook.invalid")),
    ])
}

fn empty_map() -> Value {
    Value::Map(Arc::new(BTreeMap::new()))
}

fn map<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Map(Arc::new(
        fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    ))
}

/// The names at the root that a step's outputs never replace.
const RESERVED: &[&str] = &["params", "event", "metadata", "execution"];

struct Runner<'a> {
    library: &'a dyn Library,
    inputs: &'a Inputs,
    /// The run's data: `$`, shared with the value each template is rendered with (cloned
    /// only when a step changes it while something else holds it: a rendering never does
    /// by then, a piece of a run in pieces that keeps `$` does).
    root: Arc<BTreeMap<String, Value>>,
    events: Vec<(usize, Event)>,
    /// The current iteration of each loop around, outermost first.
    iterations: Vec<usize>,
    failed: bool,
    /// The names of `$` set or removed since this was last taken, when a caller records
    /// what a step changes ([`pieces`]).
    touched: Option<Vec<String>>,
}

impl<'a> Runner<'a> {
    fn new(library: &'a dyn Library, inputs: &'a Inputs) -> Runner<'a> {
        Runner {
            library,
            inputs,
            root: Arc::new(BTreeMap::new()),
            events: Vec::new(),
            iterations: Vec::new(),
            failed: false,
            touched: None,
        }
    }

    /// Sets up `$` and renders the parameters: everything before the steps.
    fn start(&mut self, playbook: &Playbook) -> Vec<ParamValue> {
        let event = self.inputs.event.clone().unwrap_or_else(empty_map);
        let root = self.root_mut();
        root.insert("event".to_owned(), event);
        root.insert("metadata".to_owned(), metadata(playbook));
        root.insert(
            "execution".to_owned(),
            map([("id", Value::string("offline-run"))]),
        );
        self.parameters(playbook)
    }
}

impl Runner<'_> {
    fn root_mut(&mut self) -> &mut BTreeMap<String, Value> {
        Arc::make_mut(&mut self.root)
    }

    /// Sets (or, with `None`, removes) a name of `$` while the steps run.
    fn set(&mut self, name: &str, value: Option<Value>) {
        if let Some(touched) = &mut self.touched {
            touched.push(name.to_owned());
        }
        match value {
            Some(value) => {
                self.root_mut().insert(name.to_owned(), value);
            }
            None => {
                self.root_mut().remove(name);
            }
        }
    }

    fn data(&self) -> Value {
        Value::Map(Arc::clone(&self.root))
    }

    fn render(&self, text: &Text) -> Rendered {
        let value = if text.is_template() {
            match self.library.template(text) {
                Some(template) => crate::render(template, &self.data()),
                None => crate::render(&playbook_template::parse(&text.value), &self.data()),
            }
        } else {
            Ok(text.value.to_string())
        };
        Rendered {
            range: text.range,
            text: value,
        }
    }

    /// Records a failure (once) and says whether the run goes on.
    fn check(&mut self, depth: usize, rendered: &Rendered) -> bool {
        if let Err(error) = &rendered.text {
            self.fail(depth, rendered.range, error.message.clone());
            return false;
        }
        true
    }

    fn fail(&mut self, depth: usize, range: TextRange, message: String) {
        if !self.failed {
            self.failed = true;
            self.events.push((depth, Event::Failed { range, message }));
        }
    }

    fn parameters(&mut self, playbook: &Playbook) -> Vec<ParamValue> {
        let mut params = Vec::new();
        // What a default reads as `$.params`: every parameter before it.
        let mut before: Arc<BTreeMap<String, Value>> = Arc::default();
        for param in &playbook.parameters {
            let name = param.name.value.clone();
            let (value, source) = if let Some(given) = self.inputs.params.get(&name) {
                (Value::string(given.as_str()), ParamSource::Given)
            } else if let Some(default) = &param.default {
                self.root_mut()
                    .insert("params".to_owned(), Value::Map(Arc::clone(&before)));
                let rendered = self.render(default);
                // `$` lets go of the parameters, so that the next one is added in place.
                self.root_mut().remove("params");
                if !self.check(0, &rendered) {
                    (Value::Missing, ParamSource::Default)
                } else {
                    let text = rendered.text.unwrap_or_default();
                    (Value::string(text), ParamSource::Default)
                }
            } else {
                (Value::Missing, ParamSource::Missing)
            };
            Arc::make_mut(&mut before).insert(name.clone(), value.clone());
            params.push(ParamValue {
                name,
                value,
                source,
            });
        }
        let values = params
            .iter()
            .filter(|p| p.source != ParamSource::Missing)
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect();
        self.root_mut()
            .insert("params".to_owned(), Value::Map(Arc::new(values)));
        params
    }

    fn steps(&mut self, steps: &[Step], depth: usize) {
        for step in steps {
            if self.failed {
                return;
            }
            match step {
                Step::Call(call) => self.call(call, depth),
                Step::Block(block) => {
                    let when = block.when.as_ref().map(|w| self.render(w));
                    if let Some(when) = &when
                        && !self.check(depth, when)
                    {
                        return;
                    }
                    let runs = when.as_ref().is_none_or(Rendered::is_true);
                    self.events.push((
                        depth,
                        Event::Block {
                            range: block.range,
                            when,
                            runs,
                        },
                    ));
                    if runs {
                        self.steps(&block.steps, depth + 1);
                    }
                }
                Step::Loop(lp) => self.foreach(lp, depth),
            }
        }
    }

    fn foreach(&mut self, lp: &StepLoop, depth: usize) {
        let when = lp.when.as_ref().map(|w| self.render(w));
        if let Some(when) = &when
            && !self.check(depth, when)
        {
            return;
        }
        let runs = when.as_ref().is_none_or(Rendered::is_true);
        let items = if runs {
            match self.loop_items(lp) {
                Ok(items) => items,
                Err(message) => {
                    self.fail(depth, lp.range, message);
                    return;
                }
            }
        } else {
            Vec::new()
        };
        self.events.push((
            depth,
            Event::Loop {
                range: lp.range,
                when,
                runs,
                items: items.len(),
            },
        ));
        let names = [
            lp.key.as_ref().map(|k| k.value.clone()),
            lp.value.as_ref().map(|v| v.value.clone()),
        ];
        let saved: Vec<Option<Value>> = names
            .iter()
            .map(|n| n.as_ref().and_then(|n| self.root.get(n).cloned()))
            .collect();
        for (index, (key, value)) in items.into_iter().enumerate() {
            if self.failed {
                break;
            }
            for (name, v) in names.iter().zip([&key, &value]) {
                if let Some(name) = name {
                    self.set(name, Some(v.clone()));
                }
            }
            self.events.push((
                depth + 1,
                Event::Iteration {
                    range: lp.range,
                    index,
                    key,
                    value,
                },
            ));
            self.iterations.push(index);
            self.steps(&lp.steps, depth + 1);
            self.iterations.pop();
            if self.failed {
                break;
            }
            if let Some(break_when) = &lp.break_when {
                let rendered = self.render(break_when);
                if !self.check(depth + 1, &rendered) {
                    break;
                }
                let stops = rendered.is_true();
                self.events.push((
                    depth + 1,
                    Event::Break {
                        range: break_when.range,
                        when: rendered,
                        stops,
                    },
                ));
                if stops {
                    break;
                }
            }
        }
        for (name, old) in names.iter().zip(saved) {
            if let Some(name) = name {
                self.set(name, old);
            }
        }
    }

    /// The (key, value) pairs a loop runs over.
    fn loop_items(&self, lp: &StepLoop) -> Result<Vec<(Value, Value)>, String> {
        let collection = match &lp.source {
            None => return Ok(Vec::new()),
            Some(LoopSource::Range { from, to }) => {
                let (from, to) = (from.value, to.value);
                if to < from {
                    return Ok(Vec::new());
                }
                let count = usize::try_from(to.abs_diff(from)).unwrap_or(usize::MAX);
                if count >= MAX_ITERATIONS {
                    return Err(format!(
                        "the loop's range has more than {MAX_ITERATIONS} items"
                    ));
                }
                return Ok((from..=to)
                    .enumerate()
                    .map(|(i, n)| (Value::Int(i as i64), Value::Int(n)))
                    .collect());
            }
            Some(LoopSource::Text(text)) if text.is_template() => {
                let rendered = self.render(text);
                let text = rendered.text.map_err(|e| e.message)?;
                let json: serde_json::Value = serde_json::from_str(text.trim()).map_err(|_| {
                    format!("the loop's `in` rendered to {text:?}, which is not a JSON list or map")
                })?;
                Value::from_result_json(&json)
            }
            Some(LoopSource::Text(text)) => crate::platform::read_path(&self.data(), &text.value)?,
        };
        let items: Vec<(Value, Value)> = match collection {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), v.clone()))
                .collect(),
            Value::Map(fields) => fields
                .iter()
                .map(|(k, v)| (Value::string(k.as_str()), v.clone()))
                .collect(),
            Value::Missing | Value::Nil => Vec::new(),
            other => {
                return Err(format!(
                    "the loop's `in` is a {}, not a list or a map",
                    other.type_name()
                ));
            }
        };
        if items.len() > MAX_ITERATIONS {
            return Err(format!(
                "the loop runs over more than {MAX_ITERATIONS} items"
            ));
        }
        Ok(items)
    }

    fn call(&mut self, call: &StepCall, depth: usize) {
        let when = call.when.as_ref().map(|w| self.render(w));
        if let Some(when) = &when
            && !self.check(depth, when)
        {
            return;
        }
        let runs = when.as_ref().is_none_or(Rendered::is_true);
        let mut step = StepRun {
            range: call.range,
            id: call.id.as_ref().map(|id| id.value.clone()),
            image: call.image.value.clone(),
            iterations: self.iterations.clone(),
            when,
            runs,
            env: Vec::new(),
            args: Vec::new(),
            runner: None,
            integration_ref: None,
            output_source: OutputSource::None,
            outputs: Value::Missing,
        };
        if !runs {
            self.events.push((depth, Event::Step(Box::new(step))));
            return;
        }
        let mut failure = None;
        let mut render = |runner: &Self, text: &Text| {
            let rendered = runner.render(text);
            if let (Err(error), None) = (&rendered.text, &failure) {
                failure = Some((rendered.range, error.message.clone()));
            }
            rendered
        };
        for var in &call.env {
            if let Some(value) = &var.value {
                let rendered = render(self, value);
                step.env.push((var.name.value.clone(), rendered));
            }
        }
        step.args = call.args.iter().map(|a| render(self, a)).collect();
        step.runner = call.runner.as_ref().map(|r| render(self, r));
        step.integration_ref = call.integration_ref.as_deref().map(|r| render(self, r));
        if let Some((range, message)) = failure {
            self.events.push((depth, Event::Step(Box::new(step))));
            self.fail(depth, range, message);
            return;
        }
        let (source, outputs) = self.outputs_of(call);
        step.output_source = source;
        step.outputs = outputs.clone();
        self.place(call, outputs);
        self.events.push((depth, Event::Step(Box::new(step))));
    }

    /// The outputs of a call that ran: the caller's, else its manifest's examples.
    fn outputs_of(&mut self, call: &StepCall) -> (OutputSource, Value) {
        if let Some(id) = &call.id
            && let Some(given) = self.inputs.outputs.get(&id.value)
        {
            return (OutputSource::Given, with_raw_output(given.clone()));
        }
        match self.examples_of(call) {
            Value::Missing => (OutputSource::None, with_raw_output(empty_map())),
            outputs => (OutputSource::Examples, outputs),
        }
    }

    /// What the library gives `call` when it runs: the outputs its manifest's examples
    /// describe; [`Value::Missing`] when no manifest describes it or it has no example.
    fn examples_of(&self, call: &StepCall) -> Value {
        self.library.outputs(call)
    }

    /// Puts a step's outputs where later templates read them.
    fn place(&mut self, call: &StepCall, outputs: Value) {
        if let Value::Map(fields) = &outputs {
            for (name, value) in fields.iter() {
                if !RESERVED.contains(&name.as_str()) {
                    self.set(name, Some(value.clone()));
                }
            }
        }
        if let Some(id) = &call.id
            && !RESERVED.contains(&id.value.as_str())
        {
            self.set(&id.value, Some(outputs));
        }
    }
}

/// `outputs` with `output`, the raw result, when it has none: the JSON the step printed.
fn with_raw_output(outputs: Value) -> Value {
    match outputs {
        Value::Map(fields) if !fields.contains_key("output") => {
            let raw = crate::to_json(&Value::Map(fields.clone()));
            let mut fields = Arc::unwrap_or_clone(fields);
            fields.insert("output".to_owned(), Value::string(raw));
            Value::Map(Arc::new(fields))
        }
        other => other,
    }
}

/// The outputs a step described by `manifest` gives when it runs offline: the fields of
/// [`example_outputs`] and `output`, the raw result written from them (when no example
/// gives it); [`Value::Missing`] when the manifest has no example.
pub fn example_result(manifest: &StepManifest) -> Value {
    let outputs = example_outputs(manifest);
    if outputs.is_empty() {
        Value::Missing
    } else {
        with_raw_output(Value::Map(Arc::new(outputs)))
    }
}

/// The outputs a manifest's examples describe: each output with an example, and the fields
/// of the example of a json `output`, which documents the whole result.
pub fn example_outputs(manifest: &StepManifest) -> BTreeMap<String, Value> {
    let mut fields = BTreeMap::new();
    for output in &manifest.outputs {
        // A string output's example is its text, even when it reads as a number
        // (`"1764128400.001200"`, a Slack timestamp); the other types are JSON values.
        let is_string = output
            .ty
            .as_ref()
            .is_some_and(|ty| ty.value == OutputType::String);
        let value = match (&output.example_json, &output.example) {
            (Some(json), _) if !is_string || json.is_string() => Value::from_result_json(json),
            (_, Some(text)) => Value::string(&*text.value),
            (_, None) => continue,
        };
        if output.name.value == "output"
            && let Value::Map(inner) = &value
        {
            for (name, field) in inner.iter() {
                fields.entry(name.clone()).or_insert_with(|| field.clone());
            }
        }
        fields.insert(output.name.value.clone(), value);
    }
    fields
}
