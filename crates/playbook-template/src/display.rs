//! The parsed form of actions and expressions, as S-expressions, for tests and debugging.
//!
//! `{{ if eq $.params.x "a" }}` prints `if (call eq (path $ .params .x) (string "a"))`:
//! - a path prints its root and each segment: `(path . .items [0] .*)`;
//! - a call prints its name and arguments: `(call len (path . .items))`;
//! - a pipeline of several commands prints `(pipeline c1 c2)`, a declaration
//!   `(declare ($i $v) c)` or `(assign ($x) c)`;
//! - literals print their kind and value: `(string "a")`, `(raw "a")`, `(char 'a')`,
//!   `(number 3)`, `(bool true)`, `nil`; what could not be parsed prints `(error ...)`.

use std::fmt::{self, Display, Formatter, Write as _};

use crate::ast::*;

impl Display for Action {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ActionKind::Output(p) => write!(f, "{p}"),
            ActionKind::Comment => f.write_str("comment"),
            ActionKind::If(p) => write!(f, "if {p}"),
            ActionKind::ElseIf(p) => write!(f, "else if {p}"),
            ActionKind::ElseWith(p) => write!(f, "else with {p}"),
            ActionKind::Else => f.write_str("else"),
            ActionKind::End => f.write_str("end"),
            ActionKind::Range(p) => write!(f, "range {p}"),
            ActionKind::With(p) => write!(f, "with {p}"),
            ActionKind::Break => f.write_str("break"),
            ActionKind::Continue => f.write_str("continue"),
            ActionKind::Define { name } => write!(f, "define {name}"),
            ActionKind::Template {
                name,
                pipeline: Some(p),
            } => write!(f, "template {name} {p}"),
            ActionKind::Template {
                name,
                pipeline: None,
            } => write!(f, "template {name}"),
            ActionKind::Block { name, pipeline } => write!(f, "block {name} {pipeline}"),
            ActionKind::Error => f.write_str("error"),
        }
    }
}

impl Display for Pipeline {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(declaration) = &self.declaration {
            let keyword = if declaration.assign {
                "assign"
            } else {
                "declare"
            };
            write!(f, "({keyword} (")?;
            for (n, variable) in declaration.variables.iter().enumerate() {
                if n > 0 {
                    f.write_char(' ')?;
                }
                write!(f, "${}", variable.name)?;
            }
            f.write_str(") ")?;
        }
        match self.commands.as_slice() {
            [] => f.write_str("(missing)")?,
            [one] => write!(f, "{one}")?,
            commands => {
                f.write_str("(pipeline")?;
                for command in commands {
                    write!(f, " {command}")?;
                }
                f.write_char(')')?;
            }
        }
        if self.declaration.is_some() {
            f.write_char(')')?;
        }
        Ok(())
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Path(path) => write!(f, "{path}"),
            Expr::Literal(literal) => write!(f, "{literal}"),
            Expr::Call(call) => {
                write!(f, "(call {}", call.name)?;
                for arg in &call.args {
                    write!(f, " {arg}")?;
                }
                f.write_char(')')
            }
            Expr::Paren(paren) => {
                write!(f, "(paren {}", paren.pipeline)?;
                for segment in &paren.segments {
                    write!(f, " {segment}")?;
                }
                f.write_char(')')
            }
            Expr::Error(error) => {
                f.write_str("(error")?;
                for part in &error.parts {
                    write!(f, " {part}")?;
                }
                f.write_char(')')
            }
        }
    }
}

impl Display for Path {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("(path ")?;
        match &self.root {
            Root::Dollar => f.write_char('$')?,
            Root::Dot => f.write_char('.')?,
            Root::Variable(name) => write!(f, "${name}")?,
        }
        for segment in &self.segments {
            write!(f, " {segment}")?;
        }
        f.write_char(')')
    }
}

impl Display for Segment {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SegmentKind::Field(name) => write!(f, ".{name}"),
            SegmentKind::Quoted { name, quote } => {
                let q = quote.as_char();
                write!(f, ".{q}{name}{q}")
            }
            SegmentKind::Index(index) => write!(f, "[{index}]"),
            SegmentKind::Slice(lo, hi) => {
                f.write_char('[')?;
                if let Some(lo) = lo {
                    write!(f, "{lo}")?;
                }
                f.write_char(':')?;
                if let Some(hi) = hi {
                    write!(f, "{hi}")?;
                }
                f.write_char(']')
            }
            SegmentKind::Wildcard => f.write_str(".*"),
            SegmentKind::AllSlice => f.write_str(".[:]"),
        }
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            LiteralKind::String(s) => write!(f, "(string {s:?})"),
            LiteralKind::RawString(s) => write!(f, "(raw {s:?})"),
            LiteralKind::Char(c) => write!(f, "(char '{}')", c.escape_debug()),
            LiteralKind::Number(n) => write!(f, "(number {n})"),
            LiteralKind::Bool(b) => write!(f, "(bool {b})"),
            LiteralKind::Nil => f.write_str("nil"),
        }
    }
}
