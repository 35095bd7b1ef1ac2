//! Unit tests of scalar decoding: the value, the source map (shown char by char) and the
//! diagnostics for each scalar style, plus property tests of the map's invariants.

use expect_test::{Expect, expect};
use playbook_diagnostics::TextRange;
use proptest::prelude::*;

use super::*;

/// Shows a decoded value and, for each decoded character, the source range it maps to
/// (`range_to_source` of the character's bytes) and the source text there.
fn show(source: &str, decoded: &Decoded) -> String {
    let mut out = format!("value: {:?}\n", decoded.value);
    for (i, c) in decoded.value.char_indices() {
        let range = decoded
            .map
            .range_to_source(TextRange::at(i as u32, c.len_utf8() as u32));
        let text = source.get(range.as_usize()).unwrap_or("<out of source>");
        out.push_str(&format!("{i:>3} {c:?} <- {range:?} {text:?}\n"));
    }
    let end = decoded.map.to_source(decoded.value.len() as u32);
    out.push_str(&format!("end <- {end}\n"));
    for e in &decoded.errors {
        out.push_str(&format!(
            "error {:?} {:?}: {} [{}] help: {}\n",
            e.range,
            source.get(e.range.as_usize()).unwrap_or(""),
            e.message,
            e.label.as_deref().unwrap_or(""),
            e.help.as_deref().unwrap_or("")
        ));
    }
    out
}

fn check_plain(raw: &str, expect: Expect) {
    expect.assert_eq(&show(raw, &plain(raw, 0)));
}

fn check_single(raw: &str, expect: Expect) {
    expect.assert_eq(&show(raw, &single_quoted(raw, 0)));
}

fn check_double(raw: &str, expect: Expect) {
    expect.assert_eq(&show(raw, &double_quoted(raw, 0)));
}

/// `text` is the header line and the body: `"|2-\n  text\n"`.
fn check_block(text: &str, parent_indent: Option<u32>, expect: Expect) {
    let (header, body) = text.split_once('\n').unwrap_or((text, ""));
    let body_start = header.len() as u32 + 1;
    expect.assert_eq(&show(text, &block(header, body, body_start, parent_indent)));
}

/// Only the values, for tests about many cases.
fn block_value(text: &str, parent_indent: Option<u32>) -> String {
    let (header, body) = text.split_once('\n').unwrap_or((text, ""));
    block(header, body, header.len() as u32 + 1, parent_indent).value
}

#[test]
fn plain_single_line_is_one_run() {
    let d = plain("hello world", 7);
    assert_eq!(d.value, "hello world");
    assert_eq!(d.map.run_count(), 1);
    assert_eq!(d.map.to_source(0), 7);
    assert_eq!(d.map.to_source(6), 13);
    assert_eq!(d.map.to_source(11), 18);
    assert_eq!(d.map.to_source(100), 18);
}

#[test]
fn plain_folding() {
    check_plain(
        "a\n  b  \n\n\n  c",
        expect![[r#"
            value: "a b\n\nc"
              0 'a' <- 0..1 "a"
              1 ' ' <- 1..2 "\n"
              2 'b' <- 4..5 "b"
              3 '\n' <- 8..9 "\n"
              4 '\n' <- 9..10 "\n"
              5 'c' <- 12..13 "c"
            end <- 13
        "#]],
    );
}

#[test]
fn plain_crlf_is_one_break() {
    check_plain(
        "x\r\n y\r\n\r\n\tz",
        expect![[r#"
            value: "x y\nz"
              0 'x' <- 0..1 "x"
              1 ' ' <- 1..3 "\r\n"
              2 'y' <- 4..5 "y"
              3 '\n' <- 7..9 "\r\n"
              4 'z' <- 10..11 "z"
            end <- 11
        "#]],
    );
}

#[test]
fn single_quoted_escaped_quote_and_folding() {
    check_single(
        "'it''s \n\t\n  here '",
        expect![[r#"
            value: "it's\nhere "
              0 'i' <- 1..2 "i"
              1 't' <- 2..3 "t"
              2 '\'' <- 3..5 "''"
              3 's' <- 5..6 "s"
              4 '\n' <- 9..10 "\n"
              5 'h' <- 12..13 "h"
              6 'e' <- 13..14 "e"
              7 'r' <- 14..15 "r"
              8 'e' <- 15..16 "e"
              9 ' ' <- 16..17 " "
            end <- 17
        "#]],
    );
}

#[test]
fn single_quoted_edge_cases() {
    // Leading white space on the first line is content; a last line of white space only
    // folds to a space.
    assert_eq!(single_quoted("'  a'", 0).value, "  a");
    assert_eq!(single_quoted("'\n  '", 0).value, " ");
    assert_eq!(single_quoted("'\n\n  '", 0).value, "\n");
    assert_eq!(single_quoted("''", 0).value, "");
    assert_eq!(single_quoted("''''", 0).value, "'");
    // Unterminated: the content runs to the end of the token.
    let d = single_quoted("'abc\n  def", 10);
    assert_eq!(d.value, "abc def");
    assert_eq!(d.map.to_source(7), 20);
    assert_eq!(single_quoted("'", 0).value, "");
}

#[test]
fn double_quoted_every_escape() {
    let raw =
        "\"\\0\\a\\b\\t\\\t\\n\\v\\f\\r\\e\\ \\\"\\/\\\\\\N\\_\\L\\P\\x41\\u00e9\\U0001F600\"";
    let d = double_quoted(raw, 0);
    assert_eq!(d.errors, []);
    assert_eq!(
        d.value,
        "\0\u{7}\u{8}\t\t\n\u{b}\u{c}\r\u{1b} \"/\\\u{85}\u{a0}\u{2028}\u{2029}Aé😀"
    );
    // Every byte of a produced character maps to its escape's backslash.
    for (i, _) in d.value.char_indices() {
        let from = d.map.to_source(i as u32) as usize;
        assert_eq!(&raw[from..from + 1], "\\", "decoded offset {i}");
    }
    let emoji = d.value.len() as u32 - 4;
    for k in 0..4 {
        assert_eq!(d.map.to_source(emoji + k), raw.len() as u32 - 11);
    }
}

#[test]
fn double_quoted_map_through_escapes() {
    check_double(
        r#""a\"b\u00e9\x41\\""#,
        expect![[r#"
            value: "a\"béA\\"
              0 'a' <- 1..2 "a"
              1 '"' <- 2..4 "\\\""
              2 'b' <- 4..5 "b"
              3 'é' <- 5..11 "\\u00e9"
              5 'A' <- 11..15 "\\x41"
              6 '\\' <- 15..17 "\\\\"
            end <- 17
        "#]],
    );
}

#[test]
fn double_quoted_template_offsets() {
    // The motivating case: a template inside a double-quoted scalar with escaped quotes.
    let line = r#"when: "{{ ieq (get \"$.event.Type\") \"Updated\" }}""#;
    let start = line.find('"').unwrap();
    let d = double_quoted(&line[start..], start as u32);
    assert_eq!(d.value, r#"{{ ieq (get "$.event.Type") "Updated" }}"#);
    let dollar = d.value.find('$').unwrap() as u32;
    assert_eq!(d.map.to_source(dollar) as usize, line.find('$').unwrap());
    let updated = d.value.find("Updated").unwrap() as u32;
    let range = d.map.range_to_source(TextRange::at(updated - 1, 9));
    assert_eq!(&line[range.as_usize()], r#"\"Updated\""#);
    let end = d.map.to_source(d.value.len() as u32) as usize;
    assert_eq!(end, line.len() - 1);
}

#[test]
fn double_quoted_line_breaks() {
    // Folding, an empty line, an escaped line break keeping the white space before it, and
    // escaped white space after it (as in YAML 1.2 example 7.5).
    check_double(
        "\"a \nb,\t\n \nc \t\\\n \\ \td\"",
        expect![[r#"
            value: "a b,\nc \t \td"
              0 'a' <- 1..2 "a"
              1 ' ' <- 3..4 "\n"
              2 'b' <- 4..5 "b"
              3 ',' <- 5..6 ","
              4 '\n' <- 9..10 "\n"
              5 'c' <- 10..11 "c"
              6 ' ' <- 11..12 " "
              7 '\t' <- 12..13 "\t"
              8 ' ' <- 16..18 "\\ "
              9 '\t' <- 18..19 "\t"
             10 'd' <- 19..20 "d"
            end <- 20
        "#]],
    );
    assert_eq!(
        double_quoted(
            "\"folded \nto a space,\t\n \nto a line feed, or \t\\\n \\ \tnon-content\"",
            0
        )
        .value,
        "folded to a space,\nto a line feed, or \t \tnon-content"
    );
    // An escaped break followed by empty lines keeps them as line feeds.
    assert_eq!(double_quoted("\"a\\\n\n  b\"", 0).value, "a\nb");
    // Escaped white space at the end of a line is content; literal white space is not.
    assert_eq!(double_quoted("\"a\\t \n b\"", 0).value, "a\t b");
    assert_eq!(double_quoted("\"a\\ \n b\"", 0).value, "a  b");
}

#[test]
fn double_quoted_invalid_escapes() {
    check_double(
        r#""^db\d+$ \x4g \uD800 \U00110000 \uD83D\uDE00 \é""#,
        expect![[r#"
            value: "^db\\d+$ \\x4g \\uD800 \\U00110000 \\uD83D\\uDE00 \\é"
              0 '^' <- 1..2 "^"
              1 'd' <- 2..3 "d"
              2 'b' <- 3..4 "b"
              3 '\\' <- 4..5 "\\"
              4 'd' <- 5..6 "d"
              5 '+' <- 6..7 "+"
              6 '$' <- 7..8 "$"
              7 ' ' <- 8..9 " "
              8 '\\' <- 9..10 "\\"
              9 'x' <- 10..11 "x"
             10 '4' <- 11..12 "4"
             11 'g' <- 12..13 "g"
             12 ' ' <- 13..14 " "
             13 '\\' <- 14..15 "\\"
             14 'u' <- 15..16 "u"
             15 'D' <- 16..17 "D"
             16 '8' <- 17..18 "8"
             17 '0' <- 18..19 "0"
             18 '0' <- 19..20 "0"
             19 ' ' <- 20..21 " "
             20 '\\' <- 21..22 "\\"
             21 'U' <- 22..23 "U"
             22 '0' <- 23..24 "0"
             23 '0' <- 24..25 "0"
             24 '1' <- 25..26 "1"
             25 '1' <- 26..27 "1"
             26 '0' <- 27..28 "0"
             27 '0' <- 28..29 "0"
             28 '0' <- 29..30 "0"
             29 '0' <- 30..31 "0"
             30 ' ' <- 31..32 " "
             31 '\\' <- 32..33 "\\"
             32 'u' <- 33..34 "u"
             33 'D' <- 34..35 "D"
             34 '8' <- 35..36 "8"
             35 '3' <- 36..37 "3"
             36 'D' <- 37..38 "D"
             37 '\\' <- 38..39 "\\"
             38 'u' <- 39..40 "u"
             39 'D' <- 40..41 "D"
             40 'E' <- 41..42 "E"
             41 '0' <- 42..43 "0"
             42 '0' <- 43..44 "0"
             43 ' ' <- 44..45 " "
             44 '\\' <- 45..46 "\\"
             45 'é' <- 46..48 "é"
            end <- 48
            error 4..6 "\\d": invalid escape `\d` [not a YAML escape sequence] help: write `\\d` for a literal backslash, or use single quotes
            error 9..12 "\\x4": invalid escape `\x4` [`\x` needs exactly 2 hexadecimal digits] help: write 2 hexadecimal digits after `\x`, or `\\x` for a literal backslash
            error 14..20 "\\uD800": invalid escape `\uD800` [U+D800 is a UTF-16 surrogate, not a character] help: write the character's code point, which is never a surrogate
            error 21..31 "\\U00110000": invalid escape `\U00110000` [U+110000 is beyond the last Unicode character, U+10FFFF] help: write a code point from U+0000 to U+10FFFF
            error 32..38 "\\uD83D": invalid escape `\uD83D` [U+D83D is a UTF-16 surrogate, not a character] help: YAML does not combine surrogate pairs: write `\U0001F600` for 😀
            error 38..44 "\\uDE00": invalid escape `\uDE00` [U+DE00 is a UTF-16 surrogate, not a character] help: write the character's code point, which is never a surrogate
            error 45..48 "\\é": invalid escape `\é` [not a YAML escape sequence] help: write `\\é` for a literal backslash, or use single quotes
        "#]],
    );
}

#[test]
fn double_quoted_unterminated() {
    let d = double_quoted("\"abc\\", 0);
    assert_eq!(d.value, "abc\\");
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].range, TextRange::new(4, 5));
    assert_eq!(double_quoted("\"abc \\\"", 0).value, "abc \"");
    assert_eq!(double_quoted("\"", 0).value, "");
    assert_eq!(double_quoted("\"a \n", 0).value, "a ");
}

#[test]
fn literal_block() {
    check_block(
        "|\n  a\n   b\n\n  \tc\n\n\n",
        None,
        expect![[r#"
            value: "a\n b\n\n\tc\n"
              0 'a' <- 4..5 "a"
              1 '\n' <- 5..6 "\n"
              2 ' ' <- 8..9 " "
              3 'b' <- 9..10 "b"
              4 '\n' <- 10..11 "\n"
              5 '\n' <- 11..12 "\n"
              6 '\t' <- 14..15 "\t"
              7 'c' <- 15..16 "c"
              8 '\n' <- 16..17 "\n"
            end <- 16
        "#]],
    );
}

#[test]
fn folded_block_more_indented_lines() {
    // YAML 1.2 examples 8.10-8.13.
    check_block(
        ">\n\n folded\n line\n\n next\n line\n   * bullet\n\n   * list\n\n last\n\n# Comment",
        None,
        expect![[r#"
            value: "\nfolded line\nnext line\n  * bullet\n\n  * list\n\nlast\n"
              0 '\n' <- 2..3 "\n"
              1 'f' <- 4..5 "f"
              2 'o' <- 5..6 "o"
              3 'l' <- 6..7 "l"
              4 'd' <- 7..8 "d"
              5 'e' <- 8..9 "e"
              6 'd' <- 9..10 "d"
              7 ' ' <- 10..11 "\n"
              8 'l' <- 12..13 "l"
              9 'i' <- 13..14 "i"
             10 'n' <- 14..15 "n"
             11 'e' <- 15..16 "e"
             12 '\n' <- 17..18 "\n"
             13 'n' <- 19..20 "n"
             14 'e' <- 20..21 "e"
             15 'x' <- 21..22 "x"
             16 't' <- 22..23 "t"
             17 ' ' <- 23..24 "\n"
             18 'l' <- 25..26 "l"
             19 'i' <- 26..27 "i"
             20 'n' <- 27..28 "n"
             21 'e' <- 28..29 "e"
             22 '\n' <- 29..30 "\n"
             23 ' ' <- 31..32 " "
             24 ' ' <- 32..33 " "
             25 '*' <- 33..34 "*"
             26 ' ' <- 34..35 " "
             27 'b' <- 35..36 "b"
             28 'u' <- 36..37 "u"
             29 'l' <- 37..38 "l"
             30 'l' <- 38..39 "l"
             31 'e' <- 39..40 "e"
             32 't' <- 40..41 "t"
             33 '\n' <- 41..42 "\n"
             34 '\n' <- 42..43 "\n"
             35 ' ' <- 44..45 " "
             36 ' ' <- 45..46 " "
             37 '*' <- 46..47 "*"
             38 ' ' <- 47..48 " "
             39 'l' <- 48..49 "l"
             40 'i' <- 49..50 "i"
             41 's' <- 50..51 "s"
             42 't' <- 51..52 "t"
             43 '\n' <- 52..53 "\n"
             44 '\n' <- 53..54 "\n"
             45 'l' <- 55..56 "l"
             46 'a' <- 56..57 "a"
             47 's' <- 57..58 "s"
             48 't' <- 58..59 "t"
             49 '\n' <- 59..60 "\n"
            end <- 59
        "#]],
    );
}

#[test]
fn block_chomping() {
    let body = "\n  text\n\n  \n\n";
    assert_eq!(block_value(&format!("|-{body}"), None), "text");
    assert_eq!(block_value(&format!("|{body}"), None), "text\n");
    assert_eq!(block_value(&format!("|+{body}"), None), "text\n\n\n\n");
    assert_eq!(block_value(&format!(">+{body}"), None), "text\n\n\n\n");
    // No final line break at the end of the input: none to clip or keep.
    assert_eq!(block_value("|\n  text", None), "text");
    assert_eq!(block_value("|+\n  text", None), "text");
    // No content at all.
    assert_eq!(block_value("|\n\n\n", None), "");
    assert_eq!(block_value("|-\n\n\n", None), "");
    assert_eq!(block_value("|+\n\n\n", None), "\n\n");
    assert_eq!(block_value("|", None), "");
    assert_eq!(block_value(">", Some(2)), "");
}

#[test]
fn block_indentation() {
    // Explicit indicators count from the parent's indentation, in either order with the
    // chomping indicator.
    assert_eq!(block_value("|2-\n    a\n   b\n", Some(0)), "  a\n b");
    assert_eq!(block_value(">-2\n    a\n   b\n", Some(0)), "  a\n b");
    assert_eq!(block_value("|1\n  a\n", Some(0)), " a\n");
    assert_eq!(block_value("|1\n  a\n", None), " a\n");
    assert_eq!(block_value("|2\n    a\n", Some(2)), "a\n");
    // Auto-detection skips leading empty lines; their spaces beyond the indentation are
    // content.
    assert_eq!(block_value("|\n\n  \n    \n  a\n", None), "\n\n  \na\n");
    // Tabs after the indentation are content; a tab-started line is "more indented" in a
    // folded scalar.
    assert_eq!(block_value(">\n a\n \tb\n c\n", None), "a\n\tb\nc\n");
    // Zero indentation at the top level.
    assert_eq!(block_value(">\na\nb\n", None), "a b\n");
    // A less indented line ends the content.
    assert_eq!(block_value("|\n    a\n  b\n    c\n", None), "a\n");
    assert_eq!(block_value("|\n  a\n b\n", Some(0)), "a\n");
    // An auto-detected indentation is at least one more than the parent's.
    assert_eq!(block_value("|\n  a\n", Some(2)), "");
}

#[test]
fn block_crlf_breaks() {
    check_block(
        ">\r\n a\r\n b\r\n\r\n c\r\n",
        None,
        expect![[r#"
            value: "a b\nc\n"
              0 'a' <- 4..5 "a"
              1 ' ' <- 5..7 "\r\n"
              2 'b' <- 8..9 "b"
              3 '\n' <- 11..13 "\r\n"
              4 'c' <- 14..15 "c"
              5 '\n' <- 15..17 "\r\n"
            end <- 15
        "#]],
    );
}

#[test]
fn empty_and_identity_maps() {
    let d = Decoded::empty(12);
    assert_eq!(d.map.to_source(0), 12);
    assert_eq!(d.map.to_source(5), 12);
    let id = SourceMap::identity(3);
    assert_eq!(id.to_source(10), 13);
    assert_eq!(
        id.range_to_source(TextRange::new(1, 4)),
        TextRange::new(4, 7)
    );
}

/// Checks the invariants every map holds: monotonic, within `lo..=hi`, ranges within too.
fn check_map_invariants(d: &Decoded, lo: u32, hi: u32) {
    let len = d.value.len() as u32;
    let mut previous = lo;
    for i in 0..=len + 1 {
        let s = d.map.to_source(i);
        assert!(s >= previous, "not monotonic at {i}: {s} < {previous}");
        assert!(s <= hi, "offset {i} maps to {s}, past {hi}");
        previous = s;
    }
    let whole = d.map.range_to_source(TextRange::new(0, len));
    assert!(whole.start() >= lo && whole.end() <= hi, "{whole:?}");
    for e in &d.errors {
        assert!(
            e.range.start() >= lo && e.range.end() <= hi,
            "{:?}",
            e.range
        );
    }
}

fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            " ", "\t", "\n", "\r", "\r\n", "'", "\"", "\\", "x", "é", "😀", "0", "a", "f", "u",
            "U", "N", "#", "-", "+", "|", ">", "2", "9",
        ]),
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// Text with no line break, quote or backslash, not starting or ending with white space.
fn verbatim_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9é😀{}$.:#-]([a-zA-Z0-9é😀{}$.:# \t-]{0,30}[a-zA-Z0-9é😀{}$.:#-])?"
}

proptest! {
    #[test]
    fn never_panics_and_maps_stay_in_the_token(
        text in any_text(),
        header in "[|>][-+1-9]{0,3}",
        parent in prop::option::of(0u32..4),
        start in 0u32..1000,
    ) {
        let hi = start + text.len() as u32;
        check_map_invariants(&plain(&text, start), start, hi);
        check_map_invariants(&single_quoted(&text, start), start, hi);
        check_map_invariants(&double_quoted(&text, start), start, hi);
        check_map_invariants(&block(&header, &text, start, parent), start, hi);
    }

    #[test]
    fn verbatim_text_maps_byte_for_byte(text in verbatim_text(), start in 0u32..1000) {
        let cases = [
            (text.clone(), plain(&text, start)),
            (format!("'{text}'"), single_quoted(&format!("'{text}'"), start)),
            (format!("\"{text}\""), double_quoted(&format!("\"{text}\""), start)),
        ];
        for (raw, d) in cases {
            prop_assert_eq!(&d.value, &text);
            prop_assert_eq!(d.map.run_count(), 1);
            for (i, byte) in d.value.bytes().enumerate() {
                let s = (d.map.to_source(i as u32) - start) as usize;
                prop_assert_eq!(raw.as_bytes()[s], byte);
            }
        }
    }

    #[test]
    fn literal_blocks_map_byte_for_byte(
        lines in prop::collection::vec("[a-z0-9 \t{}$#é]{0,12}", 1..6),
        start in 0u32..1000,
    ) {
        // Every line is indented by two spaces; the first one holds a letter so that the
        // indentation is detected as two.
        let mut body = String::from("  first\n");
        for line in &lines {
            body.push_str("  ");
            body.push_str(line);
            body.push('\n');
        }
        let d = block("|+", &body, start, None);
        let expected: String = std::iter::once("first")
            .chain(lines.iter().map(String::as_str))
            .map(|l| format!("{l}\n"))
            .collect();
        prop_assert_eq!(&d.value, &expected);
        for (i, byte) in d.value.bytes().enumerate() {
            let s = (d.map.to_source(i as u32) - start) as usize;
            prop_assert_eq!(body.as_bytes()[s], byte);
        }
    }
}

/// A map in the form verbatim maps had before they were stored without runs: one copied
/// run of `len` bytes from `source`.
fn one_run_map(source: u32, len: u32, end: u32) -> SourceMap {
    SourceMap {
        segments: (len > 0)
            .then_some(Segment {
                decoded: 0,
                source,
                len,
                source_len: len,
                copied: true,
            })
            .into_iter()
            .collect(),
        len,
        end,
    }
}

/// Asserts that `a` and `b` answer every lookup the same way, up to two bytes past the
/// value's end.
fn assert_same_lookups(a: &SourceMap, b: &SourceMap) {
    assert_eq!(a.len, b.len);
    assert_eq!(a.run_count(), b.run_count());
    let len = a.len.min(200);
    for i in 0..=len + 2 {
        assert_eq!(a.to_source(i), b.to_source(i), "to_source({i})");
        for j in i..=len + 2 {
            let range = TextRange::new(i, j);
            assert_eq!(
                a.range_to_source(range),
                b.range_to_source(range),
                "range_to_source({range:?})"
            );
        }
    }
}

/// Decodes `raw` in `style` with and without the verbatim shortcut, and asserts that the
/// results are equal and that a verbatim map answers as the one-run map it stands for.
fn assert_shortcut_is_exact(raw: &str, start: u32, style: Style) {
    let fast = flow(raw, start, style);
    let slow = decode_flow(raw, start, style);
    assert_eq!(fast, slow, "{style:?} {raw:?}");
    if fast.map.is_verbatim() {
        let len = fast.value.len() as u32;
        let reference = one_run_map(fast.map.end - len, len, fast.map.end);
        assert_same_lookups(&fast.map, &reference);
    }
    if let Some(value) = match style {
        Style::Plain => None,
        Style::Single => verbatim_quoted(raw, Quotes::Single),
        Style::Double => verbatim_quoted(raw, Quotes::Double),
    } {
        assert_eq!(value, slow.value, "{style:?} {raw:?}");
    }
}

#[test]
fn shortcut_cases() {
    for raw in [
        "",
        "a",
        "a b",
        " a",
        "a ",
        "a\tb",
        "a\\b",
        "a'b",
        "a\"b",
        "a\nb",
        "é😀",
        "{{ $.x }}",
    ] {
        assert_shortcut_is_exact(raw, 5, Style::Plain);
    }
    for raw in [
        "'", "''", "'a'", "'a", "' a b '", "'a''b'", "'a\\b'", "'a\"b'", "'a\nb'", "'a'b'", "'é'",
    ] {
        assert_shortcut_is_exact(raw, 5, Style::Single);
    }
    for raw in [
        "\"",
        "\"\"",
        "\"a\"",
        "\"a",
        "\" a b \"",
        "\"a\\nb\"",
        "\"a\\\"",
        "\"a'b\"",
        "\"a\nb\"",
        "\"a\"b\"",
        "\"{{ ne $.x \\\"y\\\" }}\"",
    ] {
        assert_shortcut_is_exact(raw, 5, Style::Double);
    }
    // The verbatim form is what a single whole run is stored as, however it was made.
    assert!(plain("a b", 0).map.is_verbatim());
    assert!(decode_flow("a b", 0, Style::Plain).map.is_verbatim());
    assert!(single_quoted("'a b'", 0).map.is_verbatim());
    assert!(!single_quoted("'a''b'", 0).map.is_verbatim());
    assert!(!double_quoted("\"a\\tb\"", 0).map.is_verbatim());
}

#[test]
fn verbatim_maps_answer_as_one_run() {
    for (start, len) in [(0, 0), (0, 1), (7, 11), (u32::MAX - 3, 3), (u32::MAX, 0)] {
        assert_same_lookups(
            &SourceMap::verbatim(start, len),
            &one_run_map(start, len, start + len),
        );
    }
    let id = SourceMap::identity(3);
    assert_eq!(id.run_count(), 1);
    assert_eq!(id.to_source(u32::MAX - 4), u32::MAX - 1);
    assert_eq!(id.to_source(u32::MAX - 3), u32::MAX);
}

/// Every flow scalar token of the YAML test suite decodes the same with and without the
/// shortcut.
#[test]
fn shortcut_is_exact_on_the_yaml_test_suite() {
    let Some(dir) = playbook_test_support::shared_data("yaml-test-suite") else {
        return;
    };
    let files: Vec<_> = playbook_test_support::yaml_suite_cases(&dir)
        .into_iter()
        .map(|(_, case)| case.join("in.yaml"))
        .collect();
    let mut scalars = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let parse = crate::parse(&text);
        for token in parse.tree().tokens() {
            let style = match token.kind() {
                crate::SyntaxKind::PLAIN => Style::Plain,
                crate::SyntaxKind::SINGLE_QUOTED => Style::Single,
                crate::SyntaxKind::DOUBLE_QUOTED => Style::Double,
                _ => continue,
            };
            assert_shortcut_is_exact(token.text(), token.text_range().start(), style);
            scalars += 1;
        }
    }
    println!("{scalars} flow scalars of {} files checked", files.len());
    assert!(scalars > 500, "only {scalars} flow scalars found");
}

proptest! {
    #[test]
    fn shortcut_is_exact(text in any_text(), start in 0u32..1000) {
        assert_shortcut_is_exact(&text, start, Style::Plain);
        assert_shortcut_is_exact(&format!("'{text}'"), start, Style::Single);
        assert_shortcut_is_exact(&format!("'{text}"), start, Style::Single);
        assert_shortcut_is_exact(&format!("\"{text}\""), start, Style::Double);
        assert_shortcut_is_exact(&format!("\"{text}"), start, Style::Double);
    }

    #[test]
    fn shortcut_is_exact_on_simple_text(text in verbatim_text(), start in 0u32..1000) {
        assert_shortcut_is_exact(&text, start, Style::Plain);
        assert_shortcut_is_exact(&format!("'{text}'"), start, Style::Single);
        assert_shortcut_is_exact(&format!("\"{text}\""), start, Style::Double);
    }
}

/// The block scan finds a needle at every position, in whole blocks, in the last partial
/// block (scanned again as the last 16 bytes) and in text shorter than a block (padded).
#[test]
fn any_byte_finds_every_position() {
    for len in 0..50 {
        let clean = vec![b'x'; len];
        assert!(!any_byte(&clean, [b'\n', b'\r']), "{len}");
        for at in 0..len {
            for needle in [b'\n', b'\r'] {
                let mut text = clean.clone();
                text[at] = needle;
                assert!(any_byte(&text, [b'\n', b'\r']), "{len} {at}");
                assert!(!any_byte(&text, [b'"', b'\\']), "{len} {at}");
            }
        }
    }
}

/// `to_decoded` inverts `to_source` for every byte copied verbatim, in every style, and
/// says `None` before the content.
#[test]
fn to_decoded_inverts_to_source_for_copied_bytes() {
    let cases = [
        plain("a {{ $.x }}\n  b", 10),
        single_quoted("'it''s {{ .x }}'", 10),
        double_quoted("\"tab\\t{{ $.params.Host }}\\n\"", 10),
    ];
    for decoded in &cases {
        assert_eq!(decoded.map.to_decoded(9), None);
        for (i, c) in decoded.value.char_indices() {
            let range = decoded
                .map
                .range_to_source(TextRange::at(i as u32, c.len_utf8() as u32));
            // A byte copied verbatim has a one-byte source of its own.
            if range.len() == c.len_utf8() as u32 && c != '\n' && c != '\t' {
                assert_eq!(
                    decoded.map.to_decoded(range.start()),
                    Some(i as u32),
                    "{c:?}"
                );
            }
        }
    }
}
