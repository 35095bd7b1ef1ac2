//! Printing diagnostics: for humans, with the source lines and labels drawn by ariadne, and
//! in the one-line `short` format (`path:line:col: severity[CODE] message`) for editors,
//! `grep` and CI logs.
//!
//! Both are pure functions from a file's name, its text and its diagnostics to a `String`.
//! Lines and columns shown to the user are 1-based, columns counted in characters. Ranges
//! are first made safe to draw ([`display_range`]): clamped to the text, widened to
//! character boundaries, and an empty range at the very end of a file that ends with a line
//! break is moved to the end of the last line, so that it points at something visible.

use std::fmt::Write as _;
use std::ops::Range;

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};
use playbook_diagnostics::{Diagnostic, LineIndex, Severity, TextRange, TextSize};

/// The diagnostics of one file drawn for a terminal, separated by blank lines. `color`
/// turns ANSI colours on. A related location in another file is a note naming the file.
pub fn render_human(path: &str, text: &str, diagnostics: &[Diagnostic], color: bool) -> String {
    render_human_with(path, text, diagnostics, color, &|_| None)
}

/// [`render_human`], with the text of other files: a related location in a file whose text
/// `files` gives is drawn with its source line, under its own file name.
pub fn render_human_with(
    path: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    color: bool,
    files: &dyn Fn(&str) -> Option<String>,
) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let source = Source::from(ariadne_text(text));
    let mut out = String::new();
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&render_one(path, text, &source, diagnostic, color, files));
    }
    out
}

/// The diagnostics of one file, one per line: `path:line:col: severity[CODE] message`.
pub fn render_short(path: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (line, col) = line_col(&index, text, display_range(text, diagnostic.range).start());
        let _ = writeln!(
            out,
            "{path}:{line}:{col}: {}[{}] {}",
            diagnostic.severity,
            diagnostic.code.id,
            one_line(&diagnostic.message)
        );
    }
    out
}

/// The 1-based line and 1-based character column of `offset` in `text`.
pub fn line_col(index: &LineIndex, text: &str, offset: TextSize) -> (u32, u32) {
    let line = index.line_col(offset).line;
    (
        line.saturating_add(1),
        index.char_col(offset, text).saturating_add(1),
    )
}

/// `range` made safe and useful to draw over `text`: clamped to the text, its ends moved out
/// to character boundaries, and an empty range at the end of a text ending with a line break
/// moved before that break.
pub fn display_range(text: &str, range: TextRange) -> TextRange {
    let len = TextSize::try_from(text.len()).unwrap_or(TextSize::MAX);
    let start = floor_char_boundary(text, range.start().min(len));
    let end = ceil_char_boundary(text, range.end().min(len)).max(start);
    if start == end && start == len {
        let trimmed = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix(['\n', '\r']))
            .unwrap_or(text);
        let at = TextSize::try_from(trimmed.len()).unwrap_or(len);
        return TextRange::empty(at);
    }
    TextRange::new(start, end)
}

fn floor_char_boundary(text: &str, mut offset: TextSize) -> TextSize {
    while offset > 0 && !text.is_char_boundary(offset as usize) {
        offset -= 1;
    }
    offset
}

fn ceil_char_boundary(text: &str, mut offset: TextSize) -> TextSize {
    while (offset as usize) < text.len() && !text.is_char_boundary(offset as usize) {
        offset += 1;
    }
    offset
}

/// `text` with the characters that ariadne, but not YAML, takes for line breaks (vertical
/// tab, form feed, U+0085, U+2028, U+2029) replaced by spaces of the same UTF-8 length, so
/// that ariadne's line numbers and byte offsets agree with [`LineIndex`].
pub(crate) fn ariadne_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\x0B' | '\x0C' => ' ',
            '\u{0085}' => '\u{00A0}',
            '\u{2028}' | '\u{2029}' => '\u{2002}',
            c => c,
        })
        .collect()
}

/// The first line of `message` (messages are one line; this keeps the layout if one is not).
fn one_line(message: &str) -> &str {
    message.lines().next().unwrap_or("")
}

const RESET: &str = "\x1b[0m";

fn severity_ansi(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Hint => "\x1b[1;36m",
    }
}

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Hint => Color::Cyan,
    }
}

fn render_one(
    path: &str,
    text: &str,
    source: &Source<String>,
    diagnostic: &Diagnostic,
    color: bool,
    files: &dyn Fn(&str) -> Option<String>,
) -> String {
    let span = |range: TextRange| -> (String, Range<usize>) {
        (path.to_owned(), display_range(text, range).as_usize())
    };
    let kind = match diagnostic.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
        Severity::Hint => ReportKind::Advice,
    };
    let primary = diagnostic.label.as_deref().unwrap_or(&diagnostic.message);
    // Labels are ordered by position: ariadne starts a new, wrongly headed section whenever a
    // label's line goes backwards.
    let order = |range: TextRange| i32::try_from(range.start()).unwrap_or(i32::MAX);
    let mut primary = Label::new(span(diagnostic.range))
        .with_message(one_line(primary))
        .with_order(order(diagnostic.range))
        .with_priority(1);
    if color {
        primary = primary.with_color(severity_color(diagnostic.severity));
    }
    let mut report = Report::build(kind, span(diagnostic.range))
        .with_config(
            Config::new()
                .with_color(color)
                .with_index_type(IndexType::Byte),
        )
        .with_label(primary);

    let mut notes = Vec::new();
    // The other files a label is drawn in, with their texts as ariadne reads them.
    let mut others: Vec<(String, String)> = Vec::new();
    for related in &diagnostic.related {
        match &related.file {
            Some(file) if file != path => match files(file) {
                Some(other) => {
                    let range = display_range(&other, related.range).as_usize();
                    // After every label of the diagnostic's own file: ariadne draws the
                    // files in the order of their first label, and heads the report with
                    // the first.
                    let mut label = Label::new((file.clone(), range))
                        .with_message(one_line(&related.message))
                        .with_order(i32::MAX);
                    if color {
                        label = label.with_color(Color::Blue);
                    }
                    report.add_label(label);
                    if !others.iter().any(|(name, _)| name == file) {
                        others.push((file.clone(), ariadne_text(&other)));
                    }
                }
                None => notes.push(format!("{file}: {}", related.message)),
            },
            _ => {
                let mut label = Label::new(span(related.range))
                    .with_message(one_line(&related.message))
                    .with_order(order(related.range));
                if color {
                    label = label.with_color(Color::Blue);
                }
                report.add_label(label);
            }
        }
    }
    let help = diagnostic
        .help
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    if let Some(help) = help {
        report.set_help(help);
    }
    notes.retain(|n| !n.trim().is_empty());
    for note in &notes {
        report.add_note(note.trim());
    }

    let mut bytes = Vec::new();
    let report = report.finish();
    let written = if others.is_empty() {
        report.write((path.to_owned(), source), &mut bytes)
    } else {
        let mut all = vec![(path.to_owned(), source.text().to_owned())];
        all.extend(others);
        report.write(ariadne::sources(all), &mut bytes)
    };
    if written.is_err() {
        return header(diagnostic, color);
    }
    let drawn = String::from_utf8_lossy(&bytes);
    // Replace ariadne's header (`Error: ...`) with ours, and lower-case its `Help`/`Note`.
    let mut lines: Vec<String> = drawn.lines().skip(1).map(str::to_owned).collect();
    let tail: usize = help
        .iter()
        .map(|h| h.lines().count() + 1)
        .chain(notes.iter().map(|n| n.trim().lines().count() + 1))
        .sum();
    let first_tail = lines.len().saturating_sub(tail + 1);
    let mut at = first_tail;
    for (word, block) in help
        .iter()
        .map(|h| ("Help", *h))
        .chain(notes.iter().map(|n| ("Note", n.trim())))
    {
        // Each block is a blank margin line, then the prefixed line, then continuations.
        if let Some(line) = lines.get_mut(at + 1) {
            *line = line.replacen(word, &word.to_ascii_lowercase(), 1);
        }
        at += block.lines().count() + 1;
    }
    let mut out = header(diagnostic, color);
    for line in lines {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `error[PB002]: message`, and its line break.
fn header(diagnostic: &Diagnostic, color: bool) -> String {
    let id = format!("{}[{}]", diagnostic.severity, diagnostic.code.id);
    let message = one_line(&diagnostic.message);
    if color {
        format!(
            "{}{id}{RESET}\x1b[1m: {message}{RESET}\n",
            severity_ansi(diagnostic.severity)
        )
    } else {
        format!("{id}: {message}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};
    use playbook_syntax::codes;

    fn check_human(text: &str, diagnostics: &[Diagnostic], expect: Expect) {
        expect.assert_eq(&render_human("x.yaml", text, diagnostics, false));
    }

    fn check_short(text: &str, diagnostics: &[Diagnostic], expect: Expect) {
        expect.assert_eq(&render_short("x.yaml", text, diagnostics));
    }

    fn range_of(text: &str, needle: &str) -> TextRange {
        let start = text.find(needle).unwrap() as u32;
        TextRange::at(start, needle.len() as u32)
    }

    #[test]
    fn human_label_help_and_related() {
        let text = "name: redis\ndescription: use allContainers: true\n";
        let diagnostic = Diagnostic::new(
            &codes::COLON_IN_PLAIN_SCALAR,
            range_of(text, ": true"),
            "an unquoted value contains `: `",
        )
        .with_label("YAML reads this as a nested key")
        .with_help("quote the value: \"use allContainers: true\"")
        .with_related(range_of(text, "description"), "in the value of this key");
        check_human(
            text,
            &[diagnostic],
            expect![[r#"
                error[PB002]: an unquoted value contains `: `
                   ╭─[ x.yaml:2:31 ]
                   │
                 2 │ description: use allContainers: true
                   │ ─────┬─────                   ───┬──
                   │      ╰──────────────────────────────── in the value of this key
                   │                                  │
                   │                                  ╰──── YAML reads this as a nested key
                   │
                   │ help: quote the value: "use allContainers: true"
                ───╯
            "#]],
        );
    }

    #[test]
    fn human_empty_range_at_end_of_file() {
        let text = "steps:\n  - name: \"abc\n";
        let end = text.len() as u32;
        let diagnostic = Diagnostic::new(
            &codes::UNTERMINATED_SCALAR,
            TextRange::empty(end),
            "a quoted string is never closed",
        )
        .with_label("expected `\"` before the end of the file")
        .with_related(range_of(text, "\""), "the string starts here");
        check_human(
            text,
            &[diagnostic],
            expect![[r#"
                error[PB005]: a quoted string is never closed
                   ╭─[ x.yaml:2:15 ]
                   │
                 2 │   - name: "abc
                   │           ┬   │
                   │           ╰───── the string starts here
                   │               │
                   │               ╰─ expected `"` before the end of the file
                ───╯
            "#]],
        );
    }

    #[test]
    fn human_empty_range_mid_line_and_multibyte_columns() {
        let text = "é😀: [a, b\nnext: 1\n";
        let diagnostic = Diagnostic::new(
            &codes::UNCLOSED_FLOW_COLLECTION,
            TextRange::empty(range_of(text, "\nnext").start()),
            "a `[` is never closed",
        )
        .with_related(range_of(text, "["), "opened here");
        check_human(
            text,
            std::slice::from_ref(&diagnostic),
            expect![[r#"
                error[PB007]: a `[` is never closed
                   ╭─[ x.yaml:1:10 ]
                   │
                 1 │ é😀: [a, b
                   │      ┬    │
                   │      ╰────── opened here
                   │           │
                   │           ╰─ a `[` is never closed
                ───╯
            "#]],
        );
        check_short(
            text,
            &[diagnostic],
            expect![[r#"
            x.yaml:1:10: error[PB007] a `[` is never closed
        "#]],
        );
    }

    #[test]
    fn human_related_location_in_another_file_is_drawn_from_its_text() {
        let text = "kind: Playbook\nmetadata:\n  name: twin\n";
        let other = "# the first\nkind: Playbook\nmetadata:\n  name: twin\n";
        let diagnostic = Diagnostic::new(
            &codes::BAD_INDENTATION,
            range_of(text, "twin"),
            "another playbook is named `twin`",
        )
        .with_label("name used twice")
        .with_related_in("b.yaml", range_of(other, "twin"), "also named here")
        .with_related_in("gone.yaml", TextRange::new(0, 1), "and here");
        let files = |file: &str| (file == "b.yaml").then(|| other.to_owned());
        expect![[r#"
            error[PB004]: another playbook is named `twin`
               ╭─[ x.yaml:3:9 ]
               │
             3 │   name: twin
               │         ──┬─
               │           ╰─── name used twice
               │
               ├─[ b.yaml:4:9 ]
               │
             4 │   name: twin
               │         ──┬─
               │           ╰─── also named here
               │
               │ note: gone.yaml: and here
            ───╯
        "#]]
        .assert_eq(&render_human_with(
            "x.yaml",
            text,
            &[diagnostic],
            false,
            &files,
        ));
    }

    #[test]
    fn human_multiline_range_warning_and_other_file_note() {
        let text = "a: |\n  one\n  two\nb: 2\n";
        let diagnostic = Diagnostic::new(
            &codes::BAD_INDENTATION,
            range_of(text, "one\n  two"),
            "something spanning lines",
        )
        .with_severity(Severity::Warning)
        .with_related_in("steps/redis.yaml", TextRange::new(0, 3), "declared here");
        check_human(
            text,
            &[diagnostic],
            expect![[r#"
            warning[PB004]: something spanning lines
               ╭─[ x.yaml:2:3 ]
               │
             2 │ ╭─▶   one
             3 │ ├─▶   two
               │ │
               │ ╰─────────── something spanning lines
               │
               │     note: steps/redis.yaml: declared here
            ───╯
        "#]],
        );
    }

    #[test]
    fn human_several_diagnostics_are_separated_by_a_blank_line() {
        let text = "a: \"\\q\"\nb:\tc\n";
        let diagnostics = [
            Diagnostic::new(
                &codes::INVALID_ESCAPE,
                range_of(text, "\\q"),
                "unknown escape `\\q`",
            )
            .with_help("write `\\\\q` for a backslash"),
            Diagnostic::new(&codes::TAB_INDENTATION, range_of(text, "\t"), "a tab")
                .with_severity(Severity::Hint),
        ];
        check_human(
            text,
            &diagnostics,
            expect![[r#"
            error[PB006]: unknown escape `\q`
               ╭─[ x.yaml:1:5 ]
               │
             1 │ a: "\q"
               │     ─┬
               │      ╰── unknown escape `\q`
               │
               │ help: write `\\q` for a backslash
            ───╯

            hint[PB003]: a tab
               ╭─[ x.yaml:2:3 ]
               │
             2 │ b:  c
               │   ┬─
               │   ╰─── a tab
            ───╯
        "#]],
        );
        check_short(
            text,
            &diagnostics,
            expect![[r#"
            x.yaml:1:5: error[PB006] unknown escape `\q`
            x.yaml:2:3: hint[PB003] a tab
        "#]],
        );
    }

    #[test]
    fn ranges_outside_the_text_or_inside_a_character_do_not_panic() {
        let text = "a: é\r\nb: 😀";
        let diagnostics = [
            Diagnostic::new(&codes::INVALID_YAML, TextRange::new(4, 5), "inside é"),
            Diagnostic::new(&codes::INVALID_YAML, TextRange::new(12, 13), "inside 😀"),
            Diagnostic::new(&codes::INVALID_YAML, TextRange::new(90, 99), "past the end"),
        ];
        check_short(
            text,
            &diagnostics,
            expect![[r#"
            x.yaml:1:4: error[PB001] inside é
            x.yaml:2:4: error[PB001] inside 😀
            x.yaml:2:5: error[PB001] past the end
        "#]],
        );
        let human = render_human("x.yaml", text, &diagnostics, false);
        assert_eq!(human.matches("error[PB001]").count(), 3);
        assert!(human.contains("x.yaml:2:4"), "{human}");
        assert!(render_human("x.yaml", "", &diagnostics, true).contains("PB001"));
    }

    #[test]
    fn line_breaks_that_yaml_does_not_know_keep_line_numbers_in_step() {
        let text = "a: \u{2028}x\u{0085}\x0c\nb: y\n";
        let diagnostic = Diagnostic::new(&codes::INVALID_YAML, range_of(text, "y"), "here");
        let human = render_human("x.yaml", text, std::slice::from_ref(&diagnostic), false);
        assert!(human.contains("x.yaml:2:4"), "{human}");
        check_short(
            text,
            &[diagnostic],
            expect![[r#"
            x.yaml:2:4: error[PB001] here
        "#]],
        );
    }

    #[test]
    fn colour_is_used_only_when_asked() {
        let text = "a: b\n";
        let diagnostic =
            Diagnostic::new(&codes::INVALID_YAML, range_of(text, "b"), "m").with_help("h");
        let plain = render_human("x.yaml", text, std::slice::from_ref(&diagnostic), false);
        let coloured = render_human("x.yaml", text, std::slice::from_ref(&diagnostic), true);
        assert!(!plain.contains('\x1b'));
        assert!(
            coloured.starts_with("\x1b[1;31merror[PB001]"),
            "{coloured:?}"
        );
        assert!(coloured.contains("help"), "{coloured:?}");
        assert!(!coloured.contains("Help"), "{coloured:?}");
    }

    #[test]
    fn every_range_over_tricky_texts_renders_without_panicking() {
        let texts = [
            "",
            "\n",
            "a: é😀\r\nb:\tc\rd: \u{2028}\u{85}x\n\n",
            "k: \"\u{301}e\u{301}\"",
            "\r\n\r\n",
        ];
        for text in texts {
            let len = text.len() as u32;
            for start in 0..=len + 2 {
                for end in 0..=len + 2 {
                    let diagnostic =
                        Diagnostic::new(&codes::INVALID_YAML, TextRange::new(start, end), "m")
                            .with_related(TextRange::new(end, len + 1), "r")
                            .with_help("h");
                    let diagnostics = [diagnostic];
                    let color = start % 2 == 0;
                    let human = render_human("x.yaml", text, &diagnostics, color);
                    assert!(human.contains("PB001"), "{text:?} {start}..{end}");
                    let short = render_short("x.yaml", text, &diagnostics);
                    // Both formats agree on the line and column.
                    let location = short.split(": ").next().unwrap();
                    assert!(
                        color || human.contains(&format!("[ {location} ]")),
                        "{text:?} {start}..{end}: {location}\n{human}"
                    );
                }
            }
        }
    }
}
