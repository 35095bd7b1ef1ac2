//! The data flow in Graphviz's DOT language, for `dot -Tsvg` (or any tool reading DOT).
//!
//! Parameters are ellipses, steps boxes, blocks and loops clusters whose hexagon head node
//! shows the condition (what the group's own templates read points at it). A step that
//! never runs is grey and dashed, a step with outputs nobody reads has a gold dashed
//! border, a root-form read is a dotted edge. Labels are quoted DOT strings (`"` and `\`
//! escaped, lines joined with `\n`).

use std::fmt::Write as _;

use playbook_ide::graph::{Flow, Node};

use super::{
    Item, children, group_lines, group_title, node_id, param_lines, playbook_title, prefix,
    root_only, step_lines,
};

/// The digraph of `flows` (one cluster per playbook when there are several).
pub fn render(flows: &[Flow]) -> String {
    let name = match flows {
        [flow] => flow.name.clone().unwrap_or_else(|| "playbook".to_owned()),
        _ => "playbooks".to_owned(),
    };
    let mut out = format!("digraph {} {{\n", quote(&name));
    out.push_str("  rankdir=TB;\n");
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (k, flow) in flows.iter().enumerate() {
        let prefix = prefix(k, flows.len());
        let indent = if flows.len() > 1 {
            let _ = writeln!(out, "  subgraph cluster_{prefix}playbook {{");
            let _ = writeln!(out, "    label={};", quote(&playbook_title(flow)));
            "    "
        } else {
            "  "
        };
        for (i, param) in flow.parameters.iter().enumerate() {
            let style = if !param.declared {
                ", style=filled, fillcolor=\"#fdecea\", color=\"#c0392b\""
            } else if !param.read {
                ", style=dashed, color=\"#b8860b\""
            } else {
                ", style=filled, fillcolor=\"#eef4fb\", color=\"#4a72a8\""
            };
            let _ = writeln!(
                out,
                "{indent}{} [shape=ellipse, label={}{style}];",
                node_id(&prefix, Node::Param(i)),
                lines(&param_lines(param))
            );
        }
        for item in children(flow, None) {
            item_lines(flow, &prefix, item, indent, &mut out, 0);
        }
        for edge in &flow.edges {
            let style = if root_only(edge) {
                ", style=dotted"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{indent}{} -> {} [label={}{style}];",
                node_id(&prefix, edge.from),
                node_id(&prefix, edge.to),
                quote(&edge.label())
            );
        }
        if flows.len() > 1 {
            out.push_str("  }\n");
        }
    }
    out.push_str("}\n");
    out
}

fn item_lines(flow: &Flow, prefix: &str, item: Item, indent: &str, out: &mut String, depth: usize) {
    match item {
        Item::Step(i) => {
            let Some(step) = flow.steps.get(i) else {
                return;
            };
            let style = if step.never_runs.is_some() {
                ", style=\"filled,dashed\", fillcolor=\"#f2f2f2\", color=\"#999999\", fontcolor=\"#777777\""
            } else if !step.unused_outputs.is_empty() {
                ", style=dashed, color=\"#b8860b\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{indent}{} [shape=box, label={}{style}];",
                node_id(prefix, Node::Step(i)),
                lines(&step_lines(flow, step))
            );
        }
        Item::Group(g) => {
            let Some(group) = flow.groups.get(g) else {
                return;
            };
            let head = node_id(prefix, Node::Group(g));
            let _ = writeln!(out, "{indent}subgraph cluster_{head} {{");
            let inner = format!("{indent}  ");
            let _ = writeln!(out, "{inner}label={};", quote(&group_title(group)));
            let style = if group.never_runs.is_some() {
                "style=\"rounded,dashed\"; color=\"#999999\";"
            } else {
                "style=rounded; color=\"#4a72a8\";"
            };
            let _ = writeln!(out, "{inner}{style}");
            let _ = writeln!(
                out,
                "{inner}{head} [shape=hexagon, label={}];",
                lines(&group_lines(flow, group))
            );
            if depth < 64 {
                for child in children(flow, Some(g)) {
                    item_lines(flow, prefix, child, &inner, out, depth + 1);
                }
            }
            let _ = writeln!(out, "{indent}}}");
        }
    }
}

/// Label lines as one DOT string, joined with `\n`.
fn lines(lines: &[String]) -> String {
    quote(&lines.join("\n"))
}

/// A quoted DOT string: `"` and `\` escaped (so `\l` or `\N` in a template stay text), a
/// line break written `\n`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
