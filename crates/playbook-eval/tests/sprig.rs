//! sprig's and the platform's functions against the outputs of the real thing.
//!
//! `sprig_cases.txt` holds calls written as template actions (`upper "abc"`), each followed
//! by what Go 1.19 with sprig 3.2.3 printed for `{{ CALL }}` (`= "text"`, JSON-quoted) or
//! the error it reported (`! "message"`, without `error calling NAME: `). The test renders
//! each with the evaluator.

use playbook_eval::Value;
use playbook_eval::functions::{Context, lookup};

/// What `{{ EXPRESSION }}` renders to with `root` as its data, or the error Go reports
/// without its `error calling NAME: ` prefix (the cases file records the function's own text).
fn run(expression: &str, root: &Value) -> Result<String, String> {
    let template = playbook_template::parse(&format!("{{{{ {expression} }}}}"));
    playbook_eval::render(&template, root).map_err(|error| {
        let message = error.message;
        match message.strip_prefix("error calling ") {
            Some(rest) => rest
                .split_once(": ")
                .map_or(message.clone(), |(_, tail)| tail.to_owned()),
            None => message,
        }
    })
}

/// `name` called on `args` as the evaluator calls it, after converting each argument to its
/// parameter's type.
fn call(name: &str, args: &[Value], root: &Value) -> Result<Value, String> {
    let function = lookup(name).ok_or_else(|| format!("no function {name}"))?;
    (function.body)(&Context { root }, args)
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
