//! Markdown for the things a playbook names: parameters, step inputs and outputs, step
//! manifests, playbooks and template functions, as hover shows them.
//!
//! Every page has the same shape: a headline (`**kind** \`name\`: type`), the description
//! as written (manifests and playbooks write prose, which Markdown shows as it is), then
//! the facts as a list, tables for a manifest's interface, and examples in code blocks (a
//! JSON example pretty-printed). Names and values are always in code spans or fences wide
//! enough for the backticks they hold, and table cells escape `|`, so no value can break
//! the page.

use playbook_check::analysis::parse_example;
use playbook_hir::ir::{Input, Output, Parameter, Playbook, StepManifest, Text};
use playbook_template::functions::{Function, Origin};
use serde_json::Value;

/// `text` as an inline code span (CommonMark: delimited by more backticks than it holds,
/// padded where it starts or ends with a backtick or a space). Line breaks become spaces,
/// as a code span shows them anyway.
pub fn code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty());
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// `body` in a fenced code block of language `lang` (the fence longer than any run of
/// backticks in the body).
pub fn fenced(lang: &str, body: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(body) + 1).max(3));
    format!(
        "{fence}{lang}\n{}\n{fence}",
        body.trim_end_matches(['\n', '\r'])
    )
}

/// A fact of a list: `label: value`, the value in a code span when it fits on a line, else
/// in a code block indented into the list item.
pub fn labelled(label: &str, text: &str) -> String {
    let text = text.trim_end_matches(['\n', '\r']);
    if !text.contains('\n') {
        return format!("{label}: {}", code(text));
    }
    let block: Vec<String> = fenced("", text)
        .lines()
        .map(|line| format!("  {line}"))
        .collect();
    format!("{label}:\n\n{}", block.join("\n"))
}

/// `text` made safe for a cell of a Markdown table: one line, `|` escaped.
pub fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A description as written, trimmed; `None` when there is none.
fn description(text: Option<&Text>) -> Option<&str> {
    text.map(|t| t.value.trim()).filter(|d| !d.is_empty())
}

/// A page: the headline, then the paragraphs that are not empty.
pub fn page(headline: String, parts: Vec<String>) -> String {
    let mut out = headline;
    for part in parts {
        if !part.trim().is_empty() {
            out.push_str("\n\n");
            out.push_str(part.trim_end());
        }
    }
    out
}

/// A Markdown list of the facts.
pub fn facts(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("- {item}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `n` times, in words: "once", "twice", "3 times".
fn times(n: usize) -> String {
    match n {
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    }
}

/// A playbook parameter: its type, description, default and integration type, and how
/// often the playbook reads it (`reads`, when counted).
pub fn parameter(param: &Parameter, reads: Option<usize>) -> String {
    let mut headline = format!("**parameter** {}", code(&param.name.value));
    if let Some(ty) = &param.ty {
        headline.push_str(&format!(": {}", code(ty.value.as_str())));
    }
    let mut items = Vec::new();
    if let Some(default) = &param.default {
        items.push(labelled("default", &default.value));
    }
    if let Some(kind) = &param.integration_type {
        items.push(format!("integration type: {}", code(&kind.value)));
    }
    match reads {
        Some(0) => items.push("never read in this playbook".to_owned()),
        Some(n) => items.push(format!("read {} in this playbook", times(n))),
        None => {}
    }
    page(
        headline,
        vec![
            description(param.description.as_ref())
                .unwrap_or_default()
                .to_owned(),
            facts(&items),
        ],
    )
}

/// An input of a step manifest: `kind` is "input" for an `env` entry, "argument" for an
/// entry of `args`.
pub fn input(input: &Input, kind: &str, extra: &[String]) -> String {
    let mut headline = format!("**{kind}** {}", code(&input.name.value));
    let mut qualifiers = Vec::new();
    if let Some(ty) = &input.ty {
        qualifiers.push(code(ty.value.as_str()));
    }
    qualifiers.push(if input.is_required() {
        "required".to_owned()
    } else {
        "optional".to_owned()
    });
    headline.push_str(&format!(": {}", qualifiers.join(", ")));
    let mut items = Vec::new();
    if let Some(default) = &input.default {
        items.push(labelled("default", &default.value));
    }
    if let Some(example) = &input.example {
        items.push(labelled("example", &example.value));
    }
    items.extend(extra.iter().cloned());
    page(
        headline,
        vec![
            description(input.description.as_ref())
                .unwrap_or_default()
                .to_owned(),
            facts(&items),
        ],
    )
}

/// An output a manifest declares, read from step `step` (its id, or its image).
pub fn output(output: &Output, step: &str) -> String {
    let mut headline = format!(
        "**output** {} of step {}",
        code(&output.name.value),
        code(step)
    );
    if let Some(ty) = &output.ty {
        headline.push_str(&format!(": {}", code(ty.value.as_str())));
    }
    let mut parts = vec![
        description(output.description.as_ref())
            .unwrap_or_default()
            .to_owned(),
    ];
    if let Some(example) = &output.example {
        parts.push(example_of(&example.value));
    }
    page(headline, parts)
}

/// An output that is a key of the example of the json `output` (`$.overview.cluster_name`),
/// with its value there.
pub fn example_field(name: &str, step: &str, value: &Value) -> String {
    let headline = format!(
        "**output** {} of step {}: {}",
        code(name),
        code(step),
        code(json_type(value))
    );
    page(
        headline,
        vec![
            format!(
                "A top-level key of the example of {}, the step's json output that documents its whole result.",
                code("output")
            ),
            format!("Value in the example:\n\n{}", json_block(value)),
        ],
    )
}

/// The raw output of a step (`output`) that its manifest does not declare.
pub fn raw_output(step: &str) -> String {
    page(
        format!("**output** {} of step {}", code("output"), code(step)),
        vec!["The step's raw output: the whole result it printed.".to_owned()],
    )
}

/// An output of a step whose manifest does not document its outputs (or that has an output
/// parser): the name may exist, nothing more is known.
pub fn undocumented_output(name: &str, step: &str, parser: Option<&str>) -> String {
    let why = match parser {
        Some(parser) => format!(
            "The step's outputs are those of its output parser {}: their names are not known.",
            code(parser)
        ),
        None => "The step's manifest does not document its outputs.".to_owned(),
    };
    page(
        format!("**output** {} of step {}", code(name), code(step)),
        vec![why],
    )
}

/// An `env` key that is a setting of the platform (`SP_FORMATTER`).
pub fn setting(name: &str) -> String {
    page(
        format!("**setting** {}", code(name)),
        vec![
            "A setting read by the platform and the step SDK, not an input of the step.".to_owned(),
        ],
    )
}

/// "Example:" and the example: a JSON object or list pretty-printed in a `json` block, any
/// other value as written.
fn example_of(example: &str) -> String {
    match parse_example(example) {
        Some(value @ (Value::Object(_) | Value::Array(_))) => {
            format!("Example:\n\n{}", json_block(&value))
        }
        _ if example.trim().contains('\n') => {
            format!("Example:\n\n{}", fenced("", example.trim()))
        }
        _ => format!("Example: {}", code(example.trim())),
    }
}

/// How many lines of a pretty-printed example a page shows: real examples run to hundreds.
const EXAMPLE_LINES: usize = 40;

/// A JSON value pretty-printed in a `json` block, cut after [`EXAMPLE_LINES`] lines.
fn json_block(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= EXAMPLE_LINES {
        return fenced("json", &text);
    }
    let shown = lines.get(..EXAMPLE_LINES).unwrap_or_default().join("\n");
    let more = lines.len() - EXAMPLE_LINES;
    format!(
        "{}\n\n({more} more lines)",
        fenced("json", &format!("{shown}\n..."))
    )
}

/// The JSON type of a value, in the words of output types.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// A step manifest as the interface of `image`: its description, where it is, then its
/// inputs, arguments and outputs as tables and the integrations it accepts. `note` is a
/// fact about how the call chose it, if any.
pub fn manifest(
    manifest: &StepManifest,
    image: &str,
    path: Option<&str>,
    note: &[String],
) -> String {
    let headline = format!("**image** {}", code(image));
    let mut items = Vec::new();
    if let Some(path) = path {
        let mut item = format!("manifest: {}", code(path));
        if let Some(name) = &manifest.name {
            item.push_str(&format!(" ({}", code(&name.value)));
            if let Some(version) = &manifest.version {
                item.push_str(&format!(" {}", code(version.value.trim())));
            }
            item.push(')');
        }
        items.push(item);
    }
    items.extend(note.iter().cloned());
    let mut parts = vec![
        description(manifest.description.as_ref())
            .unwrap_or_default()
            .to_owned(),
        facts(&items),
    ];
    if !manifest.envs.is_empty() {
        parts.push(input_table("Input", &manifest.envs));
    }
    if !manifest.args.is_empty() {
        parts.push(input_table("Argument", &manifest.args));
    }
    if manifest.outputs.is_empty() {
        parts.push("No outputs documented.".to_owned());
    } else {
        parts.push(output_table(&manifest.outputs));
    }
    if let Some(integrations) = &manifest.integrations {
        let names: Vec<String> = integrations.iter().map(|i| code(&i.value)).collect();
        parts.push(if names.is_empty() {
            "Integrations: none.".to_owned()
        } else {
            format!("Integrations: {}.", names.join(", "))
        });
    }
    page(headline, parts)
}

fn input_table(title: &str, inputs: &[Input]) -> String {
    let mut out = format!(
        "| {title} | Type | Required | Default | Description |\n| --- | --- | --- | --- | --- |"
    );
    for input in inputs {
        out.push_str(&format!(
            "\n| {} | {} | {} | {} | {} |",
            cell(&code(&input.name.value)),
            input.ty.as_ref().map_or("", |t| t.value.as_str()),
            if input.is_required() { "yes" } else { "no" },
            input
                .default
                .as_ref()
                .map(|d| cell(&code(&d.value)))
                .unwrap_or_default(),
            cell(description(input.description.as_ref()).unwrap_or_default()),
        ));
    }
    out
}

fn output_table(outputs: &[Output]) -> String {
    let mut out = "| Output | Type | Description |\n| --- | --- | --- |".to_owned();
    for output in outputs {
        out.push_str(&format!(
            "\n| {} | {} | {} |",
            cell(&code(&output.name.value)),
            output.ty.as_ref().map_or("", |t| t.value.as_str()),
            cell(description(output.description.as_ref()).unwrap_or_default()),
        ));
    }
    out
}

/// A playbook, as a trigger binds it: its description, where it is, and its parameters.
pub fn playbook(playbook: &Playbook, name: &str, path: &str) -> String {
    let headline = format!("**playbook** {}", code(name));
    let mut parts = vec![
        description(playbook.description.as_ref())
            .unwrap_or_default()
            .to_owned(),
        facts(&[format!("declared in {}", code(path))]),
    ];
    if playbook.parameters.is_empty() {
        parts.push("No parameters.".to_owned());
    } else {
        let mut table =
            "| Parameter | Type | Default | Description |\n| --- | --- | --- | --- |".to_owned();
        for param in &playbook.parameters {
            table.push_str(&format!(
                "\n| {} | {} | {} | {} |",
                cell(&code(&param.name.value)),
                param.ty.as_ref().map_or("", |t| t.value.as_str()),
                param
                    .default
                    .as_ref()
                    .map(|d| cell(&code(&d.value)))
                    .unwrap_or_default(),
                cell(description(param.description.as_ref()).unwrap_or_default()),
            ));
        }
        parts.push(table);
    }
    page(headline, parts)
}

/// A template function: its signature, its summary, what it returns and where it comes
/// from.
pub fn function(function: &Function) -> String {
    let origin = match function.origin {
        Origin::Go => "a builtin of Go's `text/template`",
        Origin::Sprig => "from the sprig library",
        Origin::Platform => "a function of the platform",
    };
    page(
        format!("**function** {}", code(function.signature)),
        vec![
            function.summary.to_owned(),
            facts(&[
                format!("returns {}", function.returns.with_article()),
                format!("takes {}", function.arity_text()),
                origin.to_owned(),
            ]),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code(" a "), "`  a  `");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a\nb"), "`a b`");
    }

    #[test]
    fn fences_are_longer_than_the_body_s_backticks() {
        assert_eq!(fenced("json", "{}"), "```json\n{}\n```");
        assert_eq!(fenced("", "a ```` b\n"), "`````\na ```` b\n`````");
    }

    #[test]
    fn cells_are_one_line_without_pipes() {
        assert_eq!(cell("a | b\n  c"), "a \\| b c");
    }
}
