//! The functions a template may call: Go's builtins, sprig's, and the platform's own, each
//! with the Go types of its parameters so that arguments are converted and refused as
//! `text/template` does.

use crate::Value;

/// The Go type of a function's parameter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Param {
    /// `interface{}`: any value, unconverted.
    Any,
    String,
    Bool,
    Int,
    Int64,
    Float64,
    /// `[]interface{}`.
    List,
    /// `map[string]interface{}`.
    Map,
    /// `reflect.Value` (Go's builtins `eq`, `len`, `index`, `not`, ...): any value, where a
    /// missing value stays [`Value::Missing`] instead of becoming [`Value::Nil`] as it does
    /// for [`Param::Any`].
    Value,
}

impl Param {
    /// The Go type, as Go's error messages name it.
    pub fn go_type(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::String => "string",
            Param::Bool => "bool",
            Param::Int => "int",
            Param::Int64 => "int64",
            Param::Float64 => "float64",
            Param::List => "[]interface {}",
            Param::Map => "map[string]interface {}",
            Param::Value => "reflect.Value",
        }
    }
}

/// What a function sees besides its arguments.
pub struct Context<'a> {
    /// The root of the run's data (`$`), for `get`.
    pub root: &'a Value,
}

/// The body of a function: its arguments, converted to its parameters' types, to its result
/// or the error Go reports (without the `error calling NAME: ` prefix the evaluator adds).
pub type Body = fn(&Context<'_>, &[Value]) -> Result<Value, String>;

/// One function.
pub struct Function {
    pub name: &'static str,
    /// The types of the fixed parameters.
    pub params: &'static [Param],
    /// The type of further arguments, for a variadic function.
    pub variadic: Option<Param>,
    pub body: Body,
}

/// The function `name`, if a template may call it. The evaluator handles `and`, `or` and
/// `call` itself (they do not evaluate all their arguments first).
pub fn lookup(name: &str) -> Option<&'static Function> {
    crate::builtins::FUNCTIONS
        .iter()
        .chain(crate::platform::FUNCTIONS)
        .chain(crate::sprig::FUNCTIONS)
        .find(|function| function.name == name)
}
