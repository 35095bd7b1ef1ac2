//! Line diffs between a text and its formatting: minimal edits for the language server,
//! and the unified diff of `playbook fmt --diff`.
//!
//! The diff is Myers' O(ND) algorithm over lines (each with its line break), after the
//! common first and last lines are set aside. Its cost grows with the number of differing
//! lines; past [`MAX_DIFFERENCES`] the middle is reported as one change, which is still a
//! correct diff, only a coarser one.

use std::fmt::Write as _;

use playbook_diagnostics::{Edit, TextRange, TextSize};

/// The number of differing lines beyond which the middle of a diff is one change.
const MAX_DIFFERENCES: usize = 2000;

/// Lines of context around each change in a unified diff.
const CONTEXT: usize = 3;

/// One step of a line diff.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    /// A line of both texts.
    Same,
    /// A line of the old text only.
    Delete,
    /// A line of the new text only.
    Insert,
}

/// `text` cut into lines, each with its line break (`\n`; a `\r\n` ends with `\n` too).
fn split_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The steps that turn `old` into `new`.
fn diff_lines(old: &[&str], new: &[&str]) -> Vec<Op> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let old_rest = old.get(prefix..).unwrap_or_default();
    let new_rest = new.get(prefix..).unwrap_or_default();
    let suffix = old_rest
        .iter()
        .rev()
        .zip(new_rest.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let a = old_rest.get(..old_rest.len() - suffix).unwrap_or_default();
    let b = new_rest.get(..new_rest.len() - suffix).unwrap_or_default();
    let mut ops = vec![Op::Same; prefix];
    match myers(a, b) {
        Some(middle) => ops.extend(middle),
        None => {
            ops.extend(std::iter::repeat_n(Op::Delete, a.len()));
            ops.extend(std::iter::repeat_n(Op::Insert, b.len()));
        }
    }
    ops.extend(std::iter::repeat_n(Op::Same, suffix));
    ops
}

/// Myers' shortest edit script from `a` to `b`; `None` past [`MAX_DIFFERENCES`].
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_DIFFERENCES) as isize;
    let offset = max + 1;
    let mut v = vec![0isize; (2 * max + 3) as usize];
    let at = |k: isize| (k + offset) as usize;
    // Before each step d, the furthest x reached on the diagonals -d-1..=d+1 (what step d
    // reads), kept to walk back the path.
    let mut trace: Vec<Vec<u32>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=max {
        trace.push(
            v[at(-d - 1)..=at(d + 1)]
                .iter()
                .map(|&x| x as u32)
                .collect(),
        );
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]);
            let mut x = if down { v[at(k + 1)] } else { v[at(k - 1)] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'search;
            }
            k += 2;
        }
    }
    let d_end = found?;
    // Walk back through the trace.
    let mut ops = Vec::with_capacity(a.len() + b.len());
    let (mut x, mut y) = (n, m);
    for d in (1..=d_end).rev() {
        let saved = &trace[d as usize];
        let x_on = |k: isize| saved[(k + d + 1) as usize] as isize;
        let k = x - y;
        let down = k == -d || (k != d && x_on(k - 1) < x_on(k + 1));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = x_on(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Same);
            x -= 1;
            y -= 1;
        }
        ops.push(if down { Op::Insert } else { Op::Delete });
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        ops.push(Op::Same);
        x -= 1;
        y -= 1;
    }
    ops.reverse();
    Some(ops)
}

/// The changes that turn `old` into `new` as edits of `old`: one per run of changed lines,
/// trimmed to the bytes that differ, in order.
pub fn edits(old: &str, new: &str) -> Vec<Edit> {
    if old == new {
        return Vec::new();
    }
    let old_lines = split_lines(old);
    let new_lines = split_lines(new);
    let ops = diff_lines(&old_lines, &new_lines);
    let mut edits = Vec::new();
    let (mut i, mut j, mut offset) = (0usize, 0usize, 0usize);
    let mut k = 0;
    while k < ops.len() {
        if ops[k] == Op::Same {
            offset += old_lines.get(i).map_or(0, |l| l.len());
            i += 1;
            j += 1;
            k += 1;
            continue;
        }
        let start = offset;
        let mut removed = String::new();
        let mut inserted = String::new();
        while let Some(&op) = ops.get(k).filter(|&&op| op != Op::Same) {
            match op {
                Op::Delete => {
                    let line = old_lines.get(i).copied().unwrap_or_default();
                    removed.push_str(line);
                    offset += line.len();
                    i += 1;
                }
                _ => {
                    inserted.push_str(new_lines.get(j).copied().unwrap_or_default());
                    j += 1;
                }
            }
            k += 1;
        }
        // As many lines removed as inserted (re-indented lines): one edit per line.
        let removed_lines = split_lines(&removed);
        let inserted_lines = split_lines(&inserted);
        if removed_lines.len() == inserted_lines.len() {
            let mut at = start;
            for (old_line, new_line) in removed_lines.iter().zip(&inserted_lines) {
                if old_line != new_line {
                    edits.push(trimmed_edit(at, old_line, new_line));
                }
                at += old_line.len();
            }
        } else {
            edits.push(trimmed_edit(start, &removed, &inserted));
        }
    }
    edits
}

/// The edit replacing `removed` (at offset `start` of the old text) with `inserted`, without
/// what the two share at both ends. Neither end falls between the `\r` and the `\n` of a
/// line break: an editor cannot name that place (a position is a line and a column, and
/// `\r\n` ends one line).
fn trimmed_edit(start: usize, removed: &str, inserted: &str) -> Edit {
    let splits_crlf = |text: &str, at: usize| {
        at > 0
            && text.as_bytes().get(at - 1) == Some(&b'\r')
            && text.as_bytes().get(at) == Some(&b'\n')
    };
    let mut head = common_prefix(removed, inserted);
    if splits_crlf(removed, head) {
        head -= 1;
    }
    let mut tail = common_suffix(&removed[head..], &inserted[head..]);
    if tail > 0 && splits_crlf(removed, removed.len() - tail) {
        tail -= 1;
    }
    Edit {
        range: TextRange::new(size(start + head), size(start + removed.len() - tail)),
        text: inserted[head..inserted.len() - tail].to_owned(),
    }
}

/// The length of the longest common prefix of `a` and `b`, at a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !(a.is_char_boundary(n) && b.is_char_boundary(n)) {
        n -= 1;
    }
    n
}

/// The length of the longest common suffix of `a` and `b`, at a character boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    let mut n = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    while !(a.is_char_boundary(a.len() - n) && b.is_char_boundary(b.len() - n)) {
        n -= 1;
    }
    n
}

fn size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::MAX)
}

/// `text` with `edits` applied (sorted, not overlapping, ranges in `text`).
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for edit in edits {
        let start = (edit.range.start() as usize).clamp(at, text.len());
        let end = (edit.range.end() as usize).clamp(start, text.len());
        out.push_str(text.get(at..start).unwrap_or_default());
        out.push_str(&edit.text);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// The unified diff (3 lines of context) that turns `old` into `new`, with `name` in the
/// `---` and `+++` lines; empty when the texts are equal.
pub fn unified_diff(old: &str, new: &str, name: &str) -> String {
    if old == new {
        return String::new();
    }
    let old_lines = split_lines(old);
    let new_lines = split_lines(new);
    let ops = diff_lines(&old_lines, &new_lines);
    // Each op with the index of its line in the old and the new text.
    let mut positions = Vec::with_capacity(ops.len());
    let (mut i, mut j) = (0usize, 0usize);
    for &op in &ops {
        positions.push((op, i, j));
        match op {
            Op::Same => {
                i += 1;
                j += 1;
            }
            Op::Delete => i += 1,
            Op::Insert => j += 1,
        }
    }
    let mut out = format!("--- {name}\n+++ {name}\n");
    let mut k = 0;
    while k < positions.len() {
        if positions[k].0 == Op::Same {
            k += 1;
            continue;
        }
        // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last
        // change that is closer than 2 * CONTEXT to the one before it.
        let start = k.saturating_sub(CONTEXT);
        let mut end = k;
        let mut last_change = k;
        while end < positions.len() {
            if positions[end].0 != Op::Same {
                last_change = end;
            } else if end - last_change > 2 * CONTEXT {
                break;
            }
            end += 1;
        }
        let end = (last_change + 1 + CONTEXT).min(positions.len());
        let hunk = &positions[start..end];
        let old_count = hunk.iter().filter(|p| p.0 != Op::Insert).count();
        let new_count = hunk.iter().filter(|p| p.0 != Op::Delete).count();
        let (_, old_start, new_start) = hunk[0];
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            hunk_range(old_start, old_count),
            hunk_range(new_start, new_count)
        );
        for &(op, i, j) in hunk {
            let (sign, line) = match op {
                Op::Same => (' ', old_lines.get(i)),
                Op::Delete => ('-', old_lines.get(i)),
                Op::Insert => ('+', new_lines.get(j)),
            };
            let line = line.copied().unwrap_or_default();
            out.push(sign);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        k = end;
    }
    out
}

/// A hunk's line range as unified diffs write it: `start,count` (1-based; the line before
/// for an empty range), or `start` alone for one line.
fn hunk_range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{count}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn unified_diff_with_context() {
        let old = "a:    1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj:  10\n";
        let new = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10\n";
        expect![[r#"
            --- x.yaml
            +++ x.yaml
            @@ -1,4 +1,4 @@
            -a:    1
            +a: 1
             b: 2
             c: 3
             d: 4
            @@ -7,4 +7,4 @@
             g: 7
             h: 8
             i: 9
            -j:  10
            +j: 10
        "#]]
        .assert_eq(&unified_diff(old, new, "x.yaml"));
        assert_eq!(unified_diff(old, old, "x.yaml"), "");
    }

    #[test]
    fn missing_final_line_break_is_marked() {
        expect![[r#"
            --- x.yaml
            +++ x.yaml
            @@ -1,2 +1,2 @@
             a: 1
            -b:  2
            \ No newline at end of file
            +b: 2
        "#]]
        .assert_eq(&unified_diff("a: 1\nb:  2", "a: 1\nb: 2\n", "x.yaml"));
    }

    #[test]
    fn edits_are_minimal_and_apply() {
        let old = "a:\n    b: 1\n    c: 2\nd: [x,y]\n";
        let new = "a:\n  b: 1\n  c: 2\nd: [x, y]\n";
        let edits = edits(old, new);
        let shown: Vec<(std::ops::Range<usize>, &str)> = edits
            .iter()
            .map(|e| (e.range.as_usize(), e.text.as_str()))
            .collect();
        assert_eq!(shown, [(5..7, ""), (14..16, ""), (27..27, " ")]);
        assert_eq!(apply(old, &edits), new);
    }

    #[test]
    fn edits_keep_characters_whole() {
        let old = "a: é\n";
        let new = "a: è\n";
        let edits = edits(old, new);
        assert_eq!(apply(old, &edits), new);
        for e in &edits {
            assert!(old.is_char_boundary(e.range.start() as usize));
            assert!(old.is_char_boundary(e.range.end() as usize));
        }
    }

    #[test]
    fn large_differences_are_one_change() {
        let old: String = (0..10_000).map(|i| format!("a{i}\n")).collect();
        let new: String = (0..10_000).map(|i| format!("b{i}\n")).collect();
        let edits = edits(&old, &new);
        assert_eq!(apply(&old, &edits), new);
        assert!(unified_diff(&old, &new, "x").lines().count() > 20_000);
    }
}

#[cfg(test)]
mod crlf_tests {
    use super::*;

    /// No edit starts or ends between the `\r` and the `\n` of a line break, whatever the
    /// lines around it become.
    #[test]
    fn edits_never_split_a_crlf() {
        let pairs = [
            ("a: é😀\r\nb: 1\r\n", "a: é😀\nb: 1\r\n"),
            ("a: 1\r\n", "a: 1\r\n\r\n"),
            ("a: 1\r\n\r\nb: 2\r\n", "a: 1\r\nb: 2\r\n"),
            ("k:\r\n    v: 1   \r\n", "k:\r\n  v: 1\r\n"),
            ("x\r\ny\r\n", "x\r\nz\r\ny\r\n"),
        ];
        for (old, new) in pairs {
            let edits = edits(old, new);
            assert_eq!(apply(old, &edits), new, "{old:?} -> {new:?}");
            for edit in &edits {
                for at in [edit.range.start(), edit.range.end()] {
                    let at = at as usize;
                    assert!(
                        !(old[..at].ends_with('\r') && old[at..].starts_with('\n')),
                        "{old:?} -> {new:?}: {edit:?}"
                    );
                }
            }
        }
    }
}
