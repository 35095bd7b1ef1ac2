//! The chumsky grammar of one action's tokens: control keywords, pipelines, commands and
//! operands, with error recovery.
//!
//! The grammar is built once per template and run on each action's token slice. Errors
//! are recovered where the rest of the action still makes sense: a bad argument becomes an
//! [`Expr::Error`] and the call keeps its other arguments; a path ending in `.` keeps the
//! segments before it; text left over after a complete action is reported once.
//!
//! Custom errors carry a message, a label and a help line packed into chumsky's `String`
//! (see [`problem`]); [`to_diagnostic`] unpacks them.

use chumsky::error::{Rich, RichPattern, RichReason};
use chumsky::input::{Input as _, MappedInput};
use chumsky::prelude::*;
use playbook_diagnostics::{Diagnostic, TextRange};

use crate::ast::*;
use crate::codes;
use crate::lex::{Spanned, Token};

pub(crate) type In<'t, 's> = MappedInput<'t, Token<'s>, SimpleSpan, &'t [Spanned<'s>]>;
type Err<'t, 's> = Rich<'t, Token<'s>>;
type Ex<'t, 's> = extra::Err<Err<'t, 's>>;

/// The input of one action: its tokens, and the end of its content for end-of-input spans.
pub(crate) fn input<'t, 's>(tokens: &'t [Spanned<'s>], end: usize) -> In<'t, 's> {
    tokens.split_token_span(SimpleSpan::from(end..end))
}

fn r(span: SimpleSpan) -> TextRange {
    TextRange::new(
        u32::try_from(span.start).unwrap_or(u32::MAX),
        u32::try_from(span.end).unwrap_or(u32::MAX),
    )
}

const SEP: char = '\u{1f}';

/// Packs a message, a label and a help line (empty for none) into a custom error.
fn problem(message: &str, label: &str, help: &str) -> String {
    format!("{message}{SEP}{label}{SEP}{help}")
}

fn custom<'t, 's>(span: SimpleSpan, message: &str, label: &str, help: &str) -> Err<'t, 's> {
    Rich::custom(span, problem(message, label, help))
}

/// Words that are not function names.
fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "if" | "else"
            | "end"
            | "range"
            | "with"
            | "break"
            | "continue"
            | "define"
            | "template"
            | "block"
            | "true"
            | "false"
            | "nil"
    )
}

/// Turns a chumsky error into a diagnostic.
pub(crate) fn to_diagnostic(error: &Err<'_, '_>) -> Diagnostic {
    let range = r(*error.span());
    match error.reason() {
        RichReason::Custom(text) => {
            let mut parts = text.split(SEP);
            let message = parts.next().unwrap_or_default();
            let mut diagnostic = Diagnostic::new(&codes::TEMPLATE_SYNTAX, range, message);
            if let Some(label) = parts.next().filter(|l| !l.is_empty()) {
                diagnostic = diagnostic.with_label(label);
            }
            if let Some(help) = parts.next().filter(|h| !h.is_empty()) {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostic
        }
        RichReason::ExpectedFound { expected, found } => {
            let message = match found {
                Some(token) => format!("unexpected {}", **token),
                None => "unexpected end of action".to_string(),
            };
            let mut names: Vec<String> = Vec::new();
            for pattern in expected {
                let name = match pattern {
                    RichPattern::Token(token) if **token == Token::Space => continue,
                    RichPattern::Token(token) => token.to_string(),
                    RichPattern::Label(label) => label.to_string(),
                    RichPattern::EndOfInput => "`}}`".to_string(),
                    _ => continue,
                };
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let diagnostic = Diagnostic::new(&codes::TEMPLATE_SYNTAX, range, message);
            match names.as_slice() {
                [] => diagnostic,
                [one] => diagnostic.with_label(format!("expected {one}")),
                [init @ .., last] => {
                    diagnostic.with_label(format!("expected {} or {last}", init.join(", ")))
                }
            }
        }
    }
}

/// Optional whitespace.
fn ws<'t, 's: 't>() -> impl Parser<'t, In<'t, 's>, (), Ex<'t, 's>> + Clone {
    just(Token::Space).repeated()
}

/// Required whitespace: what separates arguments.
fn ws1<'t, 's: 't>() -> impl Parser<'t, In<'t, 's>, (), Ex<'t, 's>> + Clone {
    just(Token::Space).repeated().at_least(1)
}

/// The grammar of an action's content.
pub(crate) fn action<'t, 's: 't>() -> impl Parser<'t, In<'t, 's>, ActionKind, Ex<'t, 's>> + Clone {
    let pipeline = recursive(|pipeline| {
        let operand = recursive(|operand| {
            let bound = operand.clone().map(Box::new);
            let bracket = just(Token::LBracket)
                .to_span()
                .then_ignore(ws())
                .then(bound.clone().or_not())
                .then_ignore(ws())
                .then(
                    just(Token::Colon)
                        .ignore_then(ws())
                        .ignore_then(bound.or_not())
                        .then_ignore(ws())
                        .or_not(),
                )
                .then(just(Token::RBracket).or_not())
                .validate(|(((open, lo), hi), close), e, emitter| {
                    if close.is_none() {
                        emitter.emit(custom(
                            open,
                            "unclosed `[`",
                            "this `[` is never closed",
                            "add `]` after the index",
                        ));
                    }
                    match (lo, hi) {
                        (Some(lo), None) => Some(SegmentKind::Index(lo)),
                        (lo, Some(hi)) => Some(SegmentKind::Slice(lo, hi)),
                        (None, None) => {
                            if close.is_some() {
                                emitter.emit(custom(
                                    e.span(),
                                    "empty index",
                                    "expected an index or a slice",
                                    "write `[0]` for an element or `[:]` for all of them",
                                ));
                            }
                            None
                        }
                    }
                })
                .boxed();

            let quoted = select! {
                Token::Str(name) => SegmentKind::Quoted { name, quote: Quote::Double },
                Token::Raw(name) => SegmentKind::Quoted { name, quote: Quote::Back },
                Token::Char(name) => SegmentKind::Quoted { name, quote: Quote::Single },
            };
            // What may follow a `.` (without the dot).
            let dot_body = choice((
                select! { Token::Word(w) => SegmentKind::Field(w.to_string()) }.map(Some),
                quoted.map(Some),
                just(Token::Star).to(Some(SegmentKind::Wildcard)),
                bracket.clone().map(|kind| match kind {
                    Some(SegmentKind::Slice(None, None)) => Some(SegmentKind::AllSlice),
                    other => other,
                }),
            ))
            .map_with(|kind, e| {
                kind.map(|kind| Segment {
                    kind,
                    range: r(e.span()),
                })
            })
            .boxed();

            let segment = choice((
                just(Token::Dot)
                    .ignore_then(dot_body.clone().or(just(Token::Bad).to(None)).or_not())
                    .validate(|body, e, emitter| {
                        if body.is_none() {
                            emitter.emit(custom(
                                e.span(),
                                "missing field name after `.`",
                                "expected a field name after this dot",
                                "complete the path, or remove the trailing `.`",
                            ));
                        }
                        body.flatten()
                    }),
                bracket.map_with(|kind, e| {
                    kind.map(|kind| Segment {
                        kind,
                        range: r(e.span()),
                    })
                }),
            ));
            let segments = segment
                .repeated()
                .collect::<Vec<Option<Segment>>>()
                .map(|segments| segments.into_iter().flatten().collect::<Vec<Segment>>())
                .boxed();

            let root = choice((
                just(Token::Dollar).to(Root::Dollar),
                select! { Token::Var(name) => Root::Variable(name.to_string()) },
            ))
            .map_with(|root, e| (root, r(e.span())));
            let rooted_path = root.then(segments.clone());
            let dot_path = just(Token::Dot)
                .map_with(|_, e| (Root::Dot, r(e.span())))
                .then(
                    dot_body
                        .then(segments.clone())
                        .map(|(first, mut rest)| {
                            if let Some(first) = first {
                                rest.insert(0, first);
                            }
                            rest
                        })
                        .or_not()
                        .map(Option::unwrap_or_default),
                );
            let path = rooted_path
                .or(dot_path)
                .map_with(|((root, root_range), segments), e| {
                    Expr::Path(Path {
                        root,
                        root_range,
                        segments,
                        range: r(e.span()),
                    })
                });

            let literal = select! {
                Token::Str(s) => LiteralKind::String(s),
                Token::Raw(s) => LiteralKind::RawString(s),
                Token::Number(n) => LiteralKind::Number(n.to_string()),
                Token::Word("true") => LiteralKind::Bool(true),
                Token::Word("false") => LiteralKind::Bool(false),
                Token::Word("nil") => LiteralKind::Nil,
            }
            .or(select! { Token::Char(c) => c }.validate(|c, e, emitter| {
                if c.chars().count() != 1 {
                    emitter.emit(custom(
                        e.span(),
                        "character literal must hold one character",
                        "single quotes make a character, not a string",
                        "write strings in double quotes: \"...\"",
                    ));
                }
                LiteralKind::Char(c)
            }))
            .map_with(|kind, e| {
                Expr::Literal(Literal {
                    kind,
                    range: r(e.span()),
                })
            });

            let paren = just(Token::LParen)
                .to_span()
                .then_ignore(ws())
                .then(pipeline.clone())
                .then_ignore(ws())
                .then(just(Token::RParen).or_not())
                .validate(|((open, pipeline), close), _, emitter| {
                    if close.is_none() {
                        emitter.emit(custom(
                            open,
                            "unclosed `(`",
                            "this `(` is never closed",
                            "add `)` where the parenthesised expression ends",
                        ));
                    }
                    pipeline
                })
                .then(segments)
                .map_with(|(pipeline, segments), e| {
                    Expr::Paren(Paren {
                        pipeline: Box::new(pipeline),
                        segments,
                        range: r(e.span()),
                    })
                });

            let function =
                select! { Token::Word(w) if !is_reserved(w) => w }.map_with(|name, e| {
                    Expr::Call(Call {
                        name: name.to_string(),
                        name_range: r(e.span()),
                        args: Vec::new(),
                        range: r(e.span()),
                    })
                });
            let bad = just(Token::Bad).map_with(|_, e| {
                Expr::Error(ErrorExpr {
                    range: r(e.span()),
                    parts: Vec::new(),
                })
            });

            choice((path, literal, paren, function, bad))
                .labelled("a value")
                .boxed()
        });

        // A bad argument: skip to the next space, `|` or closing bracket.
        let junk = none_of([Token::Space, Token::Pipe, Token::RParen, Token::RBracket])
            .repeated()
            .at_least(1)
            .map_with(|_, e| {
                Expr::Error(ErrorExpr {
                    range: r(e.span()),
                    parts: Vec::new(),
                })
            });
        let arg = operand.clone().recover_with(via_parser(junk));
        let args = ws1().ignore_then(arg).repeated().collect::<Vec<Expr>>();

        let call = select! { Token::Word(w) if !is_reserved(w) => w }
            .map_with(|name, e| (name.to_string(), r(e.span())))
            .then(args.clone())
            .map_with(|((name, name_range), args), e| {
                Expr::Call(Call {
                    name,
                    name_range,
                    args,
                    range: r(e.span()),
                })
            });
        let applied = operand.then(args).validate(|(head, args), e, emitter| {
            if args.is_empty() {
                return head;
            }
            if !matches!(head, Expr::Error(_)) {
                let first = args.first().map_or(head.range(), Expr::range);
                emitter.emit(custom(
                    SimpleSpan::from(first.start() as usize..first.end() as usize),
                    "argument given to a value that is not a function",
                    "only a function takes arguments",
                    "put the function first (`eq .a .b`), or separate commands with `|`",
                ));
            }
            let mut parts = vec![head];
            parts.extend(args);
            Expr::Error(ErrorExpr {
                range: r(e.span()),
                parts,
            })
        });
        let command = call.or(applied).labelled("a command").boxed();

        let variable = select! { Token::Var(name) => name }.map_with(|name, e| Variable {
            name: name.to_string(),
            range: r(e.span()),
        });
        let declaration = variable
            .separated_by(ws().then(just(Token::Comma)).then(ws()))
            .at_least(1)
            .collect::<Vec<Variable>>()
            .then_ignore(ws())
            .then(
                just(Token::Declare)
                    .to(false)
                    .or(just(Token::Assign).to(true)),
            )
            .map_with(|(variables, assign), e| Declaration {
                range: r(e.span()),
                variables,
                assign,
            })
            .then_ignore(ws());
        let commands = command
            .separated_by(ws().then(just(Token::Pipe)).then(ws()))
            .at_least(1)
            .collect::<Vec<Expr>>();
        // `$x :=` with nothing after it keeps the declaration and reports the gap.
        let declared = declaration.then(commands.clone().or_not()).validate(
            |(declaration, commands), _, emitter| {
                if commands.is_none() {
                    let op = if declaration.assign { "=" } else { ":=" };
                    let range = declaration.range;
                    emitter.emit(custom(
                        SimpleSpan::from(range.start() as usize..range.end() as usize),
                        &format!("missing value after `{op}`"),
                        "expected a value to assign",
                        &format!("write the value after `{op}`: `$x {op} .items`"),
                    ));
                }
                (Some(declaration), commands.unwrap_or_default())
            },
        );

        declared
            .or(commands.map(|commands| (None, commands)))
            .map_with(|(declaration, commands), e| Pipeline {
                range: r(e.span()),
                declaration,
                commands,
            })
            .boxed()
    });

    // `if pipeline`, `range pipeline`, ...: a missing pipeline is reported, not fatal.
    let control = |keyword: &'static str| {
        just(Token::Word(keyword))
            .ignore_then(ws().ignore_then(pipeline.clone()).or_not())
            .validate(move |found, e, emitter| {
                found.unwrap_or_else(|| {
                    let span: SimpleSpan = e.span();
                    emitter.emit(custom(
                        span,
                        &format!("missing pipeline after `{keyword}`"),
                        &format!("`{keyword}` needs a value to test"),
                        &format!("write the value after it: `{{{{ {keyword} .x }}}}`"),
                    ));
                    Pipeline {
                        range: r(span.to_end()),
                        declaration: None,
                        commands: Vec::new(),
                    }
                })
            })
    };
    let name = select! {
        Token::Str(s) => LiteralKind::String(s),
        Token::Raw(s) => LiteralKind::RawString(s),
    }
    .map_with(|kind, e| Literal {
        kind,
        range: r(e.span()),
    })
    .labelled("a template name");

    let else_ = just(Token::Word("else")).ignore_then(choice((
        ws().ignore_then(control("if")).map(ActionKind::ElseIf),
        ws().ignore_then(control("with")).map(ActionKind::ElseWith),
        // Go has no `else range`: read as an `else`, so that the block around it stays whole.
        ws().ignore_then(control("range").validate(|_, e, emitter| {
            emitter.emit(custom(
                e.span(),
                "`else range` is not supported",
                "Go has no `else range`: `else` ends its action",
                "write `{{ else }}{{ range ... }}`, and close that `range` with its own `{{ end }}`",
            ));
            ActionKind::Else
        })),
        empty().to(ActionKind::Else),
    )));
    let define = just(Token::Word("define"))
        .ignore_then(ws())
        .ignore_then(name)
        .map(|name| ActionKind::Define { name });
    let template = just(Token::Word("template"))
        .ignore_then(ws())
        .ignore_then(name)
        .then(ws1().ignore_then(pipeline.clone()).or_not())
        .map(|(name, pipeline)| ActionKind::Template { name, pipeline });
    let block = just(Token::Word("block"))
        .ignore_then(ws())
        .ignore_then(name)
        .then_ignore(ws())
        .then(pipeline.clone())
        .map(|(name, pipeline)| ActionKind::Block { name, pipeline });

    let body = choice((
        control("if").map(ActionKind::If),
        else_,
        just(Token::Word("end")).to(ActionKind::End),
        just(Token::Word("break")).to(ActionKind::Break),
        just(Token::Word("continue")).to(ActionKind::Continue),
        control("range").map(ActionKind::Range),
        control("with").map(ActionKind::With),
        define,
        template,
        block,
        pipeline.map(ActionKind::Output),
    ));

    // Whatever is left after a complete action, reported once.
    let leftover = any()
        .map_with(|token, e| (token, e.span()))
        .then_ignore(any().repeated())
        .validate(|(token, span): (Token<'s>, SimpleSpan), _, emitter| {
            let error = match token {
                // Reported by the lexer already.
                Token::Bad => return,
                Token::Pipe => custom(
                    span,
                    "missing command after `|`",
                    "expected a function or a value after this `|`",
                    "add the command, or remove the `|`",
                ),
                Token::RParen => custom(
                    span,
                    "unmatched `)`",
                    "no `(` is open here",
                    "remove it, or add the `(` it closes",
                ),
                other => custom(
                    span,
                    &format!("unexpected {other}"),
                    "expected the end of the action",
                    "",
                ),
            };
            emitter.emit(error);
        });

    ws().ignore_then(body)
        .then_ignore(ws())
        .then_ignore(leftover.or_not())
        .then_ignore(end())
}
