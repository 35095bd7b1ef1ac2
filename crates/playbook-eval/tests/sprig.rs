//! sprig's and the platform's functions against the outputs of the real thing.
//!
//! `sprig_cases.txt` holds calls written as template actions (`upper "abc"`), each followed
//! by what Go 1.19 with sprig 3.2.3 printed for `{{ CALL }}` (`= "text"`, JSON-quoted) or
//! the error it reported (`! "message"`, without `error calling NAME: `). The test reads
//! each call with a small reader of literals and parenthesised calls, converts the arguments
//! to the declared parameter types, runs the body, and prints the result as the template
//! would.

use playbook_eval::Value;
use playbook_eval::functions::{Context, Param, lookup};

/// A reader of `NAME ARG...` where an argument is a literal or `(NAME ARG...)`.
struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while self.at < self.text.len() && self.text[self.at] == b' ' {
            self.at += 1;
        }
    }

    fn call(&mut self, root: &Value) -> Result<Value, String> {
        self.skip_space();
        let start = self.at;
        while self.at < self.text.len() && !matches!(self.text[self.at], b' ' | b')') {
            self.at += 1;
        }
        let name = std::str::from_utf8(&self.text[start..self.at]).map_err(|e| e.to_string())?;
        let mut args = Vec::new();
        loop {
            self.skip_space();
            if self.at >= self.text.len() || self.text[self.at] == b')' {
                break;
            }
            args.push(self.operand(root)?);
        }
        call(name, &args, root)
    }

    fn operand(&mut self, root: &Value) -> Result<Value, String> {
        match self.text[self.at] {
            b'(' => {
                self.at += 1;
                let value = self.call(root)?;
                self.skip_space();
                self.at += 1; // ')'
                Ok(value)
            }
            b'"' => self.string(),
            _ => {
                let start = self.at;
                while self.at < self.text.len() && !matches!(self.text[self.at], b' ' | b')') {
                    self.at += 1;
                }
                let word =
                    std::str::from_utf8(&self.text[start..self.at]).map_err(|e| e.to_string())?;
                Ok(match word {
                    "nil" => Value::Nil,
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ if word.contains(['.', 'e']) => {
                        Value::Float(word.parse().map_err(|_| word.to_owned())?)
                    }
                    _ => Value::Int(word.parse().map_err(|_| word.to_owned())?),
                })
            }
        }
    }

    /// A Go interpreted string literal.
    fn string(&mut self) -> Result<Value, String> {
        self.at += 1;
        let mut out = String::new();
        let rest = std::str::from_utf8(&self.text[self.at..]).map_err(|e| e.to_string())?;
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    return Ok(Value::string(out));
                }
                '\\' => {
                    let (_, e) = chars.next().ok_or("bad escape")?;
                    let mut hex = |n: usize| -> Result<char, String> {
                        let digits: String = (0..n)
                            .filter_map(|_| chars.next().map(|(_, c)| c))
                            .collect();
                        u32::from_str_radix(&digits, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| format!("bad escape {digits}"))
                    };
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'x' => hex(2)?,
                        'u' => hex(4)?,
                        'U' => hex(8)?,
                        other => other,
                    });
                }
                c => out.push(c),
            }
        }
        Err("unterminated string".to_owned())
    }
}

/// The argument converted to a parameter's type, as the evaluator does for these literals.
fn convert(value: &Value, param: Param) -> Value {
    match (param, value) {
        (Param::Int, Value::Float(f)) if f.fract() == 0.0 => Value::Int(*f as i64),
        (Param::Int64, Value::Int(n)) => Value::Int64(*n),
        (Param::Float64, Value::Int(n)) => Value::Float(*n as f64),
        _ => value.clone(),
    }
}

fn call(name: &str, args: &[Value], root: &Value) -> Result<Value, String> {
    let function = lookup(name).ok_or_else(|| format!("no function {name}"))?;
    let converted: Vec<Value> = args
        .iter()
        .enumerate()
        .map(|(i, arg)| {
            let param = function
                .params
                .get(i)
                .copied()
                .or(function.variadic)
                .unwrap_or(Param::Any);
            convert(arg, param)
        })
        .collect();
    (function.body)(&Context { root }, &converted)
}

/// What `{{ VALUE }}` prints: `<no value>` for nil, else `%v`.
fn printed(value: &Value) -> String {
    match value {
        Value::Missing | Value::Nil => "<no value>".to_owned(),
        Value::String(s) => s.to_string(),
        other => match call("toString", std::slice::from_ref(other), &Value::Nil) {
            Ok(Value::String(s)) => s.to_string(),
            _ => "?".to_owned(),
        },
    }
}

fn run(expression: &str, root: &Value) -> Result<String, String> {
    let mut reader = Reader {
        text: expression.as_bytes(),
        at: 0,
    };
    reader.call(root).map(|value| printed(&value))
}

#[test]
fn sprig_functions_print_what_go_prints() {
    let cases = include_str!("sprig_cases.txt");
    let mut lines = cases.lines().peekable();
    let (mut passed, mut failures) = (0, Vec::new());
    while let Some(line) = lines.next() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some(outcome) = lines.next() else { break };
        let (kind, quoted) = outcome.trim_start().split_at(1);
        let expected: String =
            serde_json::from_str(quoted.trim()).unwrap_or_else(|e| panic!("{outcome}: {e}"));
        let actual = run(line, &Value::Nil);
        let ok = match (kind, &actual) {
            ("=", Ok(text)) => *text == expected,
            ("!", Err(message)) => *message == expected,
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "{line}\n  expected {kind} {expected:?}\n  got      {actual:?}"
            ));
        }
    }
    println!("{passed} cases passed");
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Go:\n{}",
        failures.len(),
        passed + failures.len(),
        failures.join("\n")
    );
}

fn data() -> Value {
    let json = serde_json::json!({
        "event": { "Type": "Updated", "items": [ { "name": "a" }, { "name": "b" } ] },
        "redis-info": { "info": "up" },
        "n": 3,
    });
    Value::from_json(&json)
}

#[test]
fn platform_functions() {
    let root = data();
    let cases = [
        (r#"secret "db-password""#, Ok("<secret:db-password>")),
        (r#"secret 42"#, Ok("<secret:42>")),
        (r#"get "$.event.Type""#, Ok("Updated")),
        (r#"get ".event.Type""#, Ok("Updated")),
        (r#"get "$.'redis-info'.info""#, Ok("up")),
        (r#"get "$.event.items[1].name""#, Ok("b")),
        (r#"get "$.event.items[5].name""#, Ok("<no value>")),
        (r#"get "$.nothing.here""#, Ok("<no value>")),
        (r#"get "$.n""#, Ok("3")),
        (r#"ieq (get "$.event.Type") "updated""#, Ok("true")),
        (r#"ieq "ÉTÉ" "été""#, Ok("true")),
        (r#"ieq "a" "b""#, Ok("false")),
        (r#"ieq 1 "1""#, Ok("true")),
        (r#"ieq nil nil"#, Ok("true")),
        (r#"ine "Created" "created""#, Ok("false")),
        (r#"ine "Created" "Updated""#, Ok("true")),
        (r#"get "$.a[x]""#, Err("invalid path \"$.a[x]\"")),
    ];
    for (expression, expected) in cases {
        let actual = run(expression, &root);
        assert_eq!(
            actual.as_deref().map_err(String::as_str),
            expected,
            "{expression}"
        );
    }
    assert_eq!(
        call("get", &[Value::string("$.event")], &root).map(|v| matches!(v, Value::Map(_))),
        Ok(true)
    );
    assert_eq!(call("get", &[Value::string("$")], &root), Ok(root.clone()));
}

/// Names of the checker's sprig and platform functions this crate does not run, and why.
const NOT_IMPLEMENTED: &[(&str, &str)] = &[
    ("ago", "time"),
    ("date", "time"),
    ("dateInZone", "time"),
    ("dateModify", "time"),
    ("duration", "time"),
    ("durationRound", "time"),
    ("htmlDate", "time"),
    ("now", "time"),
    ("toDate", "time"),
    ("unixEpoch", "time"),
    ("uuidv4", "random"),
    ("sha1sum", "cryptography"),
    ("sha256sum", "cryptography"),
    ("semver", "semantic versions"),
    ("semverCompare", "semantic versions"),
    ("env", "reads the environment"),
    ("expandenv", "reads the environment"),
    ("urlParse", "URLs"),
    ("urlJoin", "URLs"),
];

#[test]
fn every_sprig_and_platform_function_of_the_checker_runs() {
    use playbook_template::functions::{FUNCTIONS, Origin};
    let mut implemented = 0;
    let mut missing = Vec::new();
    for function in FUNCTIONS
        .iter()
        .filter(|f| matches!(f.origin, Origin::Sprig | Origin::Platform))
    {
        let excused = NOT_IMPLEMENTED
            .iter()
            .any(|(name, _)| *name == function.name);
        match (lookup(function.name).is_some(), excused) {
            (true, false) => implemented += 1,
            (false, true) => {}
            (true, true) => missing.push(format!(
                "{} is implemented: take it off NOT_IMPLEMENTED",
                function.name
            )),
            (false, false) => missing.push(format!("{} has no implementation", function.name)),
        }
    }
    println!(
        "{implemented} of the checker's sprig and platform functions run; {} do not",
        NOT_IMPLEMENTED.len()
    );
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
