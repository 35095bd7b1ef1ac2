//! Signature help inside a function call of a template.
//!
//! The call is found in the template's tree ([`playbook_template`]) at the cursor's offset
//! in the scalar's decoded value ([`context::template_at`]), so quoted and block scalars,
//! escapes and folded lines are seen as the template parser sees them. Only a call that is
//! a command of a pipeline takes arguments (`printf "%s" x`, or `(index $.x "a")`): a bare
//! function name given as an argument is a call without arguments. The value piped into a
//! call (`$.x | printf "%s"`) is its last argument.

use playbook_db::File;
use playbook_db::queries::parse;
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::Text;
use playbook_syntax::SyntaxKind;
use playbook_syntax::ast::{Node, Scalar, ScalarStyle};
use playbook_template::functions::{self, Function};
use playbook_template::{Call, Expr, Template};

use crate::context;

/// A function's signature, with the argument under the cursor.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SignatureHelp {
    /// `index COLLECTION KEY...`
    pub label: String,
    /// The byte ranges of each parameter in `label`.
    pub parameters: Vec<(u32, u32)>,
    pub active_parameter: Option<u32>,
    pub documentation: Option<String>,
}

/// The signature help at `offset` of `file`: for the innermost function call of a template
/// whose arguments the cursor is in (after the function's name, up to the end of the
/// command), or whose piped value it is on; `None` elsewhere, and for a function that does
/// not exist.
pub fn signature_help(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Option<SignatureHelp> {
    let (text, blanks) = scalar_text_at(db, file, offset)?;
    if blanks > 0 {
        // The cursor is in the blanks after a plain scalar, which are not part of it: what
        // is being typed is the scalar with those blanks (`{{ index $.x ` before the next
        // argument).
        let mut value = text.value.to_string();
        value.extend(std::iter::repeat_n(' ', blanks as usize));
        let template = playbook_template::parse(&value);
        let decoded = TextSize::try_from(value.len()).ok()?;
        let (call, argument) = call_at(&template, &value, decoded)?;
        let function = functions::lookup(&call.name)?;
        return Some(help(function, argument));
    }
    let (template, decoded) = context::template_at(db, file, &text, offset);
    let decoded = decoded?;
    let (call, argument) = call_at(&template, &text.value, decoded)?;
    let function = functions::lookup(&call.name)?;
    Some(help(function, argument))
}

/// The signature of `function`, with argument `argument` (0-based, the piped value
/// counted last) active.
fn help(function: &Function, argument: usize) -> SignatureHelp {
    let label = function.signature.to_owned();
    let mut parameters = Vec::new();
    let mut start = None;
    for (i, c) in label.char_indices().chain([(label.len(), ' ')]) {
        match (c == ' ', start) {
            (true, Some(s)) => {
                parameters.push((s as u32, i as u32));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    // The first word is the function's name.
    if !parameters.is_empty() {
        parameters.remove(0);
    }
    // Past the last parameter, a variadic one (`ARGS...`) takes every further argument;
    // any other stays the last one shown, as too many arguments are reported anyway.
    let active = match parameters.len() {
        0 => None,
        n => Some(argument.min(n - 1) as u32),
    };
    SignatureHelp {
        label,
        parameters,
        active_parameter: active,
        documentation: Some(function.summary.to_owned()),
    }
}

/// The scalar of `file` whose content holds `offset` (its end included), as a [`Text`];
/// or the plain scalar that ends before the blanks `offset` is in, on the same line, with
/// the number of blanks between its end and `offset`.
fn scalar_text_at(db: &dyn salsa::Database, file: File, offset: TextSize) -> Option<(Text, u32)> {
    let tree = parse(db, file).tree();
    let scalar_holding = |at: TextSize, offset: TextSize| {
        let token = tree.token_at_offset(at)?;
        let node = std::iter::successors(token.parent(), |n| n.parent())
            .find(|n| n.kind() == SyntaxKind::SCALAR)?;
        let scalar: Scalar<'_> = Node::cast(node)?.as_scalar()?;
        scalar
            .content()?
            .range()
            .contains_inclusive(offset)
            .then_some(scalar)
    };
    let candidates = [Some(offset), offset.checked_sub(1)];
    let found = candidates
        .into_iter()
        .flatten()
        .find_map(|at| scalar_holding(at, offset))
        .map(|scalar| (scalar, 0));
    let (scalar, blanks) = match found {
        Some(found) => found,
        None => {
            let before = file.text(db).get(..offset as usize)?;
            let blanks = before.len() - before.trim_end_matches([' ', '\t']).len();
            let end = offset.checked_sub(u32::try_from(blanks).ok()?)?;
            let scalar = scalar_holding(end.checked_sub(1)?, end)?;
            let content = scalar.content()?;
            if blanks == 0 || content.style() != ScalarStyle::Plain || content.range().end() != end
            {
                return None;
            }
            (scalar, blanks as u32)
        }
    };
    let content = scalar.content()?;
    let decoded = content.decode();
    let text = Text::new(
        decoded.value.into_boxed_str(),
        content.range(),
        content.style(),
        decoded.map,
    );
    Some((text, blanks))
}

/// The innermost call whose arguments hold decoded offset `offset`, and the index of the
/// argument there.
fn call_at<'t>(template: &'t Template, text: &str, offset: TextSize) -> Option<(&'t Call, usize)> {
    let mut best: Option<(TextRange, &'t Call, usize)> = None;
    for action in template.actions() {
        if !action.range.contains_inclusive(offset) {
            continue;
        }
        let Some(pipeline) = action.pipeline() else {
            continue;
        };
        let mut pipelines = vec![pipeline];
        let mut seen = 0usize;
        while let Some(pipeline) = pipelines.pop() {
            // Bounded: the template parser limits nesting, and this caps the work anyway.
            seen += 1;
            if seen > 4096 {
                break;
            }
            for (i, command) in pipeline.commands.iter().enumerate() {
                if let Expr::Call(call) = command
                    && let Some(extent) = arguments_extent(call, text)
                    && extent.contains_inclusive(offset)
                {
                    consider(&mut best, extent, call, argument_index(call, offset));
                }
                // The value piped into the next call is its last argument.
                if !matches!(command, Expr::Call(_))
                    && let Some(Expr::Call(next)) = pipeline.commands.get(i + 1)
                    && command.range().contains_inclusive(offset)
                {
                    consider(&mut best, command.range(), next, next.args.len());
                }
            }
            for expr in playbook_template::pipeline_exprs(pipeline) {
                if let Expr::Paren(paren) = expr {
                    pipelines.push(&paren.pipeline);
                }
            }
        }
    }
    best.map(|(_, call, argument)| (call, argument))
}

/// Keeps the candidate with the smallest extent: the innermost call.
fn consider<'t>(
    best: &mut Option<(TextRange, &'t Call, usize)>,
    extent: TextRange,
    call: &'t Call,
    argument: usize,
) {
    if best.is_none_or(|(old, _, _)| extent.len() < old.len()) {
        *best = Some((extent, call, argument));
    }
}

/// Where the cursor is in a call's arguments: from the end of its name to the end of the
/// command, the blanks after its last argument included (where the next one is typed).
fn arguments_extent(call: &Call, text: &str) -> Option<TextRange> {
    let end = call.range.end().max(call.name_range.end());
    let rest = text.get(end as usize..)?;
    let blanks = rest.len() - rest.trim_start().len();
    Some(TextRange::new(
        call.name_range.end(),
        end.saturating_add(blanks as u32),
    ))
}

/// The index of the argument at `offset`: the one it is in or touches the end of, else the
/// number of arguments before it (the one being typed).
fn argument_index(call: &Call, offset: TextSize) -> usize {
    match call
        .args
        .iter()
        .position(|a| a.range().contains_inclusive(offset))
    {
        Some(i) => i,
        None => call
            .args
            .iter()
            .take_while(|a| a.range().end() < offset)
            .count(),
    }
}
