//! The shape of a json output, read from the `example` of its manifest entry (parsed when
//! the manifest is lowered: [`playbook_hir::json_example`]).

use serde_json::Value;

pub use playbook_hir::json_example::parse_example;

/// How a JSON value is described in messages: "a string", "a list".
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
