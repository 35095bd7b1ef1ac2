//! Values as Go sees them while a template runs.
//!
//! Data arrives as JSON, which Go's `encoding/json` decodes into `map[string]interface{}`,
//! `[]interface{}`, `float64`, `string`, `bool` and `nil`: every number from data is a
//! `float64`. Literals in a template and functions bring the other types (`int` from `len`
//! and integer constants, `int64` from sprig's arithmetic).

use std::collections::BTreeMap;
use std::sync::Arc;

/// A Go value of one of the dynamic types templates meet.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No value at all: a missing map key or an unset field. Go prints it as `<no value>`.
    Missing,
    /// A nil interface, e.g. JSON `null`. Go prints it as `<nil>`.
    Nil,
    Bool(bool),
    /// A Go `int` (integer constants, `len`).
    Int(i64),
    /// A Go `int64` (sprig's integer arithmetic).
    Int64(i64),
    /// A Go `float64` (every JSON number, float constants).
    Float(f64),
    String(Arc<str>),
    /// A `[]interface{}`.
    List(Arc<Vec<Value>>),
    /// A `map[string]interface{}`; Go ranges over and prints maps in sorted key order.
    Map(Arc<BTreeMap<String, Value>>),
}

impl Value {
    /// A string value.
    pub fn string(text: impl Into<Arc<str>>) -> Value {
        Value::String(text.into())
    }

    /// The value Go's `encoding/json` decodes from `json` into an `interface{}`.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::string(s.as_str()),
            serde_json::Value::Array(items) => {
                Value::List(Arc::new(items.iter().map(Value::from_json).collect()))
            }
            serde_json::Value::Object(fields) => Value::Map(Arc::new(
                fields
                    .iter()
                    .map(|(key, value)| (key.clone(), Value::from_json(value)))
                    .collect(),
            )),
        }
    }

    /// The value a step's result or an event decodes to, as the runner assumes: like
    /// [`Value::from_json`], but a number without a fractional part is a Go `int`.
    ///
    /// How the platform decodes a step's JSON result is not known. Go's `encoding/json`
    /// gives `float64` for every number, and then `{{ if gt $.step.count 0 }}` fails with
    /// "incompatible types for comparison" (a float64 and an int constant); a decoder that
    /// keeps integers (`yaml.v3`, `json.Number` converted) lets it run. Templates compare
    /// counts with integer constants everywhere, so the runner takes the lenient reading:
    /// a dry run that failed on every such comparison would be a false alarm if the
    /// platform keeps integers.
    pub fn from_result_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::Array(items) => Value::List(Arc::new(
                items.iter().map(Value::from_result_json).collect(),
            )),
            serde_json::Value::Object(fields) => Value::Map(Arc::new(
                fields
                    .iter()
                    .map(|(key, value)| (key.clone(), Value::from_result_json(value)))
                    .collect(),
            )),
            other => Value::from_json(other),
        }
    }

    /// The Go type's name, as `printf "%T"` and sprig's `typeOf` give it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Missing | Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
        }
    }
}

impl Value {
    /// Go's truth (`if`, `and`, `or`, `not`): false for the zero value of a type (`false`,
    /// `0`, `""`, an empty list or map) and for nil and missing values.
    pub fn truth(&self) -> bool {
        match self {
            Value::Missing | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(n) | Value::Int64(n) => *n != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Map(map) => !map.is_empty(),
        }
    }

    /// The value as Go's `fmt.Sprint` prints it: `map[a:1 b:2]`, `[1 2]`, `1e+06`, `<nil>`.
    pub fn to_go_string(&self) -> String {
        crate::format::value_to_string(self)
    }

    /// A list value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    /// A map value.
    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Arc::new(entries))
    }
}
