//! The data flow as a Mermaid flowchart, which GitHub renders in Markdown files, issues and
//! pull requests.
//!
//! Parameters are stadiums, steps boxes, blocks and loops subgraphs whose hexagon head node
//! shows the condition (what the group's own templates read points at it). A root-form
//! read is a dotted edge. Every label is quoted, with the characters Mermaid would read
//! (`"`, `#`, `<`, `>`, `&`, `|`, `` ` ``) written as entity codes; ids are letters, digits
//! and `_`.

use std::fmt::Write as _;

use playbook_ide::graph::{Flow, Node};

use super::{
    Item, children, group_lines, group_title, node_id, param_lines, playbook_title, prefix,
    root_only, step_lines,
};

/// The flowchart of `flows` (one subgraph per playbook when there are several).
pub fn render(flows: &[Flow]) -> String {
    let mut out = String::from("flowchart TD\n");
    let mut never: Vec<String> = Vec::new();
    let mut unused: Vec<String> = Vec::new();
    let mut undeclared: Vec<String> = Vec::new();
    let mut params: Vec<String> = Vec::new();
    for (k, flow) in flows.iter().enumerate() {
        let prefix = prefix(k, flows.len());
        let indent = if flows.len() > 1 {
            let _ = writeln!(
                out,
                "  subgraph {prefix}playbook[\"{}\"]",
                escape(&playbook_title(flow))
            );
            "    "
        } else {
            "  "
        };
        for (i, param) in flow.parameters.iter().enumerate() {
            let id = node_id(&prefix, Node::Param(i));
            let _ = writeln!(out, "{indent}{id}([\"{}\"])", lines(&param_lines(param)));
            if !param.declared {
                undeclared.push(id);
            } else if !param.read {
                unused.push(id);
            } else {
                params.push(id);
            }
        }
        for item in children(flow, None) {
            item_lines(flow, &prefix, item, indent, &mut out, &mut never, 0);
        }
        for (i, step) in flow.steps.iter().enumerate() {
            if step.never_runs.is_none() && !step.unused_outputs.is_empty() {
                unused.push(node_id(&prefix, Node::Step(i)));
            }
        }
        for edge in &flow.edges {
            let arrow = if root_only(edge) { "-.->" } else { "-->" };
            let _ = writeln!(
                out,
                "{indent}{} {arrow}|\"{}\"| {}",
                node_id(&prefix, edge.from),
                escape(&edge.label()),
                node_id(&prefix, edge.to)
            );
        }
        if flows.len() > 1 {
            out.push_str("  end\n");
        }
    }
    out.push_str("  classDef param fill:#eef4fb,stroke:#4a72a8\n");
    out.push_str(
        "  classDef never fill:#f2f2f2,stroke:#999999,stroke-dasharray:5 5,color:#777777\n",
    );
    out.push_str("  classDef unused stroke:#b8860b,stroke-dasharray:3 3\n");
    out.push_str("  classDef undeclared fill:#fdecea,stroke:#c0392b\n");
    for (class, ids) in [
        ("param", &params),
        ("never", &never),
        ("unused", &unused),
        ("undeclared", &undeclared),
    ] {
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
    }
    out
}

fn item_lines(
    flow: &Flow,
    prefix: &str,
    item: Item,
    indent: &str,
    out: &mut String,
    never: &mut Vec<String>,
    depth: usize,
) {
    match item {
        Item::Step(i) => {
            let Some(step) = flow.steps.get(i) else {
                return;
            };
            let id = node_id(prefix, Node::Step(i));
            let _ = writeln!(out, "{indent}{id}[\"{}\"]", lines(&step_lines(flow, step)));
            if step.never_runs.is_some() {
                never.push(id);
            }
        }
        Item::Group(g) => {
            let Some(group) = flow.groups.get(g) else {
                return;
            };
            let head = node_id(prefix, Node::Group(g));
            let _ = writeln!(
                out,
                "{indent}subgraph {head}_group[\"{}\"]",
                escape(&group_title(group))
            );
            let inner = format!("{indent}  ");
            let _ = writeln!(
                out,
                "{inner}{head}{{{{\"{}\"}}}}",
                lines(&group_lines(flow, group))
            );
            if group.never_runs.is_some() {
                never.push(head.clone());
            }
            // Groups nest at most as deep as the tree lowering accepts.
            if depth < 64 {
                for child in children(flow, Some(g)) {
                    item_lines(flow, prefix, child, &inner, out, never, depth + 1);
                }
            }
            let _ = writeln!(out, "{indent}end");
        }
    }
}

/// Label lines, escaped and joined with `<br/>`.
fn lines(lines: &[String]) -> String {
    let escaped: Vec<String> = lines.iter().map(|l| escape(l)).collect();
    escaped.join("<br/>")
}

/// Text for a quoted Mermaid label: the characters Mermaid or the HTML it makes would read
/// are written as entity codes (`#quot;`, `#35;`, ...), line breaks as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
