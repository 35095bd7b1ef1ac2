//! The outputs of a step call, as the platform builds them (section 4 of the language
//! specification): a step prints a JSON result whose top-level fields become its outputs.
//!
//! - The manifest's `outputs` list documents them, and is often incomplete; a manifest
//!   without outputs says nothing, so every name may exist.
//! - A json output named `output` documents the whole result: the top-level keys of its
//!   example are outputs too (`$.overview.cluster_name`).
//! - A step with `output_parser:` has whatever its parser produced: any name may exist.
//! - `output`, the raw output, always exists.
//!
//! Paths into an output are checked against its declared type and its example. An example
//! is a sample, not a schema: a field the example lacks is reported only when it is a near
//! spelling of a field the example has.

use playbook_hir::ir::{Output, OutputType, StepCall, StepManifest};
use serde_json::Value;

/// What the checks know of the outputs of one step call.
pub struct StepOutputs<'a> {
    /// The manifest, when it documents the outputs (it declares some, and no parser
    /// replaces them).
    manifest: Option<&'a StepManifest>,
    /// The example of the manifest's json output named `output`, when it is an object: its
    /// top-level keys are outputs too.
    whole: Option<&'a Value>,
}

/// What an output name of a step resolves to.
pub enum Lookup<'o> {
    /// The step's outputs are not documented: the name may exist.
    Unknown,
    /// `output`, the raw output, which always exists; with its declaration, if any.
    Raw(Option<&'o Output>),
    /// An output the manifest declares.
    Declared(&'o Output),
    /// A top-level key of the example of the json `output`, with its value there.
    Field(&'o Value),
    /// A name the documented outputs do not have.
    Missing,
}

impl<'a> StepOutputs<'a> {
    pub fn new(call: &StepCall, manifest: Option<&'a StepManifest>) -> StepOutputs<'a> {
        let documented = manifest.filter(|m| !m.outputs.is_empty() && call.output_parser.is_none());
        let whole = documented
            .and_then(|m| m.outputs.iter().find(|o| o.name.value == "output"))
            .filter(|o| o.ty.as_ref().map(|t| t.value) == Some(OutputType::Json))
            .and_then(|o| o.example_json.as_ref())
            .filter(|v| v.is_object());
        StepOutputs {
            manifest: documented,
            whole,
        }
    }

    /// What output `name` of the step is.
    pub fn lookup(&self, name: &str) -> Lookup<'_> {
        let Some(manifest) = self.manifest else {
            return Lookup::Unknown;
        };
        let declared = manifest.outputs.iter().find(|o| o.name.value == name);
        if name == "output" {
            return Lookup::Raw(declared);
        }
        if let Some(output) = declared {
            return Lookup::Declared(output);
        }
        match self.whole().and_then(|whole| whole.get(name)) {
            Some(value) => Lookup::Field(value),
            None => Lookup::Missing,
        }
    }

    /// The documented output names, for suggestions and messages: the declared ones, then
    /// the keys of the json `output`'s example, each once (`output` itself left out).
    pub fn names(&self) -> Vec<&str> {
        let Some(manifest) = self.manifest else {
            return Vec::new();
        };
        let mut names: Vec<&str> = Vec::new();
        let declared = manifest.outputs.iter().map(|o| o.name.value.as_str());
        let example_keys = self
            .whole()
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|map| map.keys().map(String::as_str));
        for name in declared.chain(example_keys) {
            if name != "output" && !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// The manifest's declaration of output `name`, when the outputs are documented.
    pub fn declared(&self, name: &str) -> Option<&'a Output> {
        self.manifest?.outputs.iter().find(|o| o.name.value == name)
    }

    /// Whether the manifest documents the step's outputs (else any name may exist).
    pub fn documented(&self) -> bool {
        self.manifest.is_some()
    }

    /// The example of the json output named `output`, when it is an object.
    pub fn whole(&self) -> Option<&'a Value> {
        self.whole
    }
}

/// Whether the declared type of an output is contradicted by its own example (`type:
/// string` with an object as example): the manifest says two things, and paths into the
/// output are not held to either.
pub(crate) fn type_contradicted(output: &Output) -> bool {
    let (Some(ty), Some(example)) = (&output.ty, &output.example) else {
        return false;
    };
    if ty.value == OutputType::Json || example.is_template() {
        return false;
    }
    output
        .example_json
        .as_ref()
        .is_some_and(|v| v.is_object() || v.is_array())
}
