//! Selection ranges (expand selection): from the template part under the cursor out to the
//! scalar, its entry, its mapping, up to the document.
//!
//! Inside a template, the steps are the template's own nodes (a path segment, the path, a
//! call, a parenthesised pipeline, the pipeline, the action `{{ ... }}`, the `if ... end`
//! block around it), found in the scalar's decoded value and mapped back to the source; then
//! the scalar's text inside its quotes, the scalar, and every node of the YAML tree around
//! it (the entry `key: value`, the mapping, the sequence entry, the sequence...), the
//! document, and the whole file. Each range holds the cursor and the one before it, and is
//! strictly larger.

use playbook_db::File;
use playbook_db::queries::parse;
use playbook_diagnostics::{TextRange, TextSize};
use playbook_syntax::SyntaxKind::*;
use playbook_syntax::ast::{Node, Scalar};
use playbook_syntax::{SyntaxToken, SyntaxTree};
use playbook_template::{ActionKind, Expr, Pipeline, Template, pipeline_exprs};

use crate::folding_ranges::trim_end;

/// For each offset, the ranges around it, innermost first, each containing the previous.
/// The last one is the whole file, so no list is empty.
pub fn selection_ranges(
    db: &dyn salsa::Database,
    file: File,
    offsets: &[TextSize],
) -> Vec<Vec<TextRange>> {
    let tree = parse(db, file).tree();
    offsets
        .iter()
        .map(|&offset| ranges_at(tree, offset))
        .collect()
}

fn ranges_at(tree: &SyntaxTree, offset: TextSize) -> Vec<TextRange> {
    let text = tree.text();
    let len = TextSize::try_from(text.len()).unwrap_or(TextSize::MAX);
    let offset = offset.min(len);
    let mut candidates: Vec<TextRange> = Vec::new();
    if let Some(token) = token_at(tree, offset) {
        if let Some(scalar) = token
            .parent()
            .and_then(Node::cast)
            .and_then(Node::as_scalar)
        {
            scalar_ranges(scalar, offset, &mut candidates);
        }
        let mut node = token.parent();
        while let Some(n) = node {
            if n.kind() == ROOT {
                break;
            }
            candidates.push(n.text_range());
            node = n.parent();
        }
    }

    // Each range without the white space around it (a block scalar's last line break, the
    // trivia before a document), then the whole file.
    let whole = TextRange::new(0, len);
    let mut chain: Vec<TextRange> = Vec::new();
    let trimmed = candidates
        .into_iter()
        .map(|range| trim_start(text, trim_end(text, range)));
    for range in trimmed.chain([whole]) {
        if !range.contains_inclusive(offset) {
            continue;
        }
        match chain.last() {
            Some(last) if *last == range || !range.contains_range(*last) => {}
            _ => chain.push(range),
        }
    }
    chain
}

/// The token at `offset`; at the boundary of two tokens, the one that means more to the
/// user: a scalar's text over punctuation, anything over white space.
fn token_at(tree: &SyntaxTree, offset: TextSize) -> Option<SyntaxToken<'_>> {
    let right = tree.token_at_offset(offset);
    let left = match right {
        Some(token) if token.text_range().start() == offset => token.prev_token(),
        None => tree.tokens().last(),
        Some(_) => None,
    }
    .filter(|t| t.text_range().end() == offset);
    let rank = |token: Option<SyntaxToken<'_>>| match token.map(SyntaxToken::kind) {
        None => 0,
        Some(kind) if kind.is_scalar_token() => 3,
        Some(kind) if kind.is_trivia() => 1,
        Some(_) => 2,
    };
    if rank(left) > rank(right) {
        left
    } else {
        right
    }
}

/// The ranges inside a scalar: the template's nodes around the cursor, the text inside the
/// quotes (or the block scalar's text), and the scalar.
fn scalar_ranges(scalar: Scalar<'_>, offset: TextSize, out: &mut Vec<TextRange>) {
    let Some(content) = scalar.content() else {
        return;
    };
    let token = content.token();
    let body = match token.kind() {
        SINGLE_QUOTED | DOUBLE_QUOTED => {
            let range = token.text_range();
            let quote = if token.kind() == SINGLE_QUOTED {
                '\''
            } else {
                '"'
            };
            let closed = token.text().len() >= 2 && token.text().ends_with(quote);
            let end = if closed { range.end() - 1 } else { range.end() };
            Some(TextRange::new((range.start() + 1).min(end), end))
        }
        BLOCK_HEADER => scalar.block_text().map(|body| body.text_range()),
        _ => None,
    };
    let in_body = body.is_none_or(|b| b.contains_inclusive(offset));
    let may_hold_template = match token.kind() {
        BLOCK_HEADER => scalar.block_text().is_some_and(|b| b.text().contains("{{")),
        DOUBLE_QUOTED => token.text().contains("{{") || token.text().contains('\\'),
        _ => token.text().contains("{{"),
    };
    if in_body && may_hold_template {
        let decoded = content.decode();
        if let Some(at) = decoded.map.to_decoded(offset)
            && playbook_template::contains_actions(&decoded.value)
        {
            let template = playbook_template::parse(&decoded.value);
            let mut inner = template_ranges(&template, &decoded.value, at);
            inner.sort_by_key(|r| (r.len(), r.start()));
            out.extend(inner.into_iter().map(|r| decoded.map.range_to_source(r)));
        }
    }
    out.extend(body);
    out.push(content.range());
    out.push(scalar.syntax().text_range());
}

/// The ranges of the template's nodes that hold decoded offset `at` (ends included); `text`
/// is the template's text.
fn template_ranges(template: &Template, text: &str, at: TextSize) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut add = |range: TextRange| {
        if range.contains_inclusive(at) {
            out.push(range);
        }
    };
    for block in template.blocks() {
        add(block.range);
    }
    for action in template.actions() {
        if !action.range.contains_inclusive(at) {
            continue;
        }
        add(action.range);
        if action.kind == ActionKind::Comment {
            continue;
        }
        add(trim_start(text, trim_end(text, action.content)));
        if let ActionKind::Define { name }
        | ActionKind::Template { name, .. }
        | ActionKind::Block { name, .. } = &action.kind
        {
            add(name.range);
        }
        if let Some(pipeline) = action.pipeline() {
            pipeline_ranges(pipeline, &mut add);
        }
    }
    out
}

fn pipeline_ranges(pipeline: &Pipeline, add: &mut impl FnMut(TextRange)) {
    add(pipeline.range);
    let declare = |pipeline: &Pipeline, add: &mut dyn FnMut(TextRange)| {
        if let Some(declaration) = &pipeline.declaration {
            add(declaration.range);
            for variable in &declaration.variables {
                add(variable.range);
            }
        }
    };
    declare(pipeline, add);
    for expr in pipeline_exprs(pipeline) {
        add(expr.range());
        match expr {
            Expr::Path(path) => {
                add(path.root_range);
                for segment in &path.segments {
                    add(segment.range);
                }
            }
            Expr::Call(call) => add(call.name_range),
            Expr::Paren(paren) => {
                add(paren.pipeline.range);
                declare(&paren.pipeline, add);
                for segment in &paren.segments {
                    add(segment.range);
                }
            }
            Expr::Literal(_) | Expr::Error(_) => {}
        }
    }
}

/// `range` without the white space at its start.
fn trim_start(text: &str, range: TextRange) -> TextRange {
    let mut start = range.start() as usize;
    let end = (range.end() as usize).min(text.len());
    let bytes = text.as_bytes();
    while start < end && bytes.get(start).is_some_and(|b| b.is_ascii_whitespace()) {
        start += 1;
    }
    TextRange::new(
        TextSize::try_from(start).unwrap_or(range.start()),
        range.end(),
    )
}
