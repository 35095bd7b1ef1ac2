//! Rendering templates: Go's semantics on ordinary cases, Go's error messages, the
//! extensions of our grammar, and the limits that keep any template from hanging or
//! exhausting memory or the stack.

use expect_test::{Expect, expect};
use playbook_eval::{MAX_DEPTH, MAX_OUTPUT, Value, render};

fn data() -> Value {
    Value::from_json(&serde_json::json!({
        "params": {"env": "prod", "count": 3, "ratio": 0.5, "big": 1e6, "tags": ["a", "b"],
                   "empty": "", "nothing": null, "redis-info": {"host": "r1"}},
        "items": [{"name": "a", "value": 1.5}, {"name": "b", "value": null}],
        "map": {"b": 2, "a": 1},
        "n": null, "s": "hello", "f": 2.5, "i": 7, "t": true
    }))
}

/// Renders each line of `templates` and shows `template => output` or `template !! error`.
fn check(templates: &str, expect: Expect) {
    let data = data();
    let mut out = String::new();
    for line in templates.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let template = line.replace("\\n", "\n");
        let parsed = playbook_template::parse(&template);
        match render(&parsed, &data) {
            Ok(text) => out.push_str(&format!("{line} => {text:?}\n")),
            Err(error) => out.push_str(&format!("{line} !! {}\n", error.message)),
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn values_print_as_go_prints_them() {
    check(
        r#"
        {{ .params.env }}
        {{ .params.count }} {{ .params.ratio }} {{ .params.big }} {{ 1e6 }} {{ 100000.0 }}
        {{ .map }}
        {{ .params.tags }}
        {{ .items }}
        {{ .params.missing }}
        {{ .n }}
        {{ .t }} {{ 3 }} {{ 0x1F }} {{ 'a' }} {{ "x" }} {{ `raw` }}
        "#,
        expect![[r#"
            {{ .params.env }} => "prod"
            {{ .params.count }} {{ .params.ratio }} {{ .params.big }} {{ 1e6 }} {{ 100000.0 }} => "3 0.5 1e+06 1e+06 100000"
            {{ .map }} => "map[a:1 b:2]"
            {{ .params.tags }} => "[a b]"
            {{ .items }} => "[map[name:a value:1.5] map[name:b value:<nil>]]"
            {{ .params.missing }} => "<no value>"
            {{ .n }} => "<no value>"
            {{ .t }} {{ 3 }} {{ 0x1F }} {{ 'a' }} {{ "x" }} {{ `raw` }} => "true 3 31 97 x raw"
        "#]],
    );
}

#[test]
fn control_flow() {
    check(
        r#"
        {{ if .t }}yes{{ else }}no{{ end }}
        {{ if .params.empty }}a{{ else if .params.count }}b{{ else }}c{{ end }}
        {{ range .params.tags }}[{{ . }}]{{ end }}
        {{ range $i, $v := .params.tags }}{{ $i }}={{ $v }} {{ end }}
        {{ range $k, $v := .map }}{{ $k }}:{{ $v }} {{ end }}
        {{ range .params.missing }}x{{ else }}empty{{ end }}
        {{ range .items }}{{ if eq .name "b" }}{{ break }}{{ end }}{{ .name }}{{ end }}
        {{ range .items }}{{ if eq .name "a" }}{{ continue }}{{ end }}{{ .name }}{{ end }}
        {{ with .params.env }}env={{ . }}{{ end }}
        {{ with .params.missing }}x{{ else }}none{{ end }}
        {{ $x := 1 }}{{ if .t }}{{ $x = 2 }}{{ end }}{{ $x }}
        {{ range .params.tags }}{{ $.params.env }}{{ end }}
        a  {{- " b " -}}  c
        {{/* a comment */}}ok
        {{ define "greet" }}hi {{ . }}{{ end }}{{ template "greet" .params.env }}
        {{ block "b" .s }}[{{ . }}]{{ end }}
        "#,
        expect![[r#"
            {{ if .t }}yes{{ else }}no{{ end }} => "yes"
            {{ if .params.empty }}a{{ else if .params.count }}b{{ else }}c{{ end }} => "b"
            {{ range .params.tags }}[{{ . }}]{{ end }} => "[a][b]"
            {{ range $i, $v := .params.tags }}{{ $i }}={{ $v }} {{ end }} => "0=a 1=b "
            {{ range $k, $v := .map }}{{ $k }}:{{ $v }} {{ end }} => "a:1 b:2 "
            {{ range .params.missing }}x{{ else }}empty{{ end }} => "empty"
            {{ range .items }}{{ if eq .name "b" }}{{ break }}{{ end }}{{ .name }}{{ end }} => "a"
            {{ range .items }}{{ if eq .name "a" }}{{ continue }}{{ end }}{{ .name }}{{ end }} => "b"
            {{ with .params.env }}env={{ . }}{{ end }} => "env=prod"
            {{ with .params.missing }}x{{ else }}none{{ end }} => "none"
            {{ $x := 1 }}{{ if .t }}{{ $x = 2 }}{{ end }}{{ $x }} => "2"
            {{ range .params.tags }}{{ $.params.env }}{{ end }} => "prodprod"
            a  {{- " b " -}}  c => "a b c"
            {{/* a comment */}}ok => "ok"
            {{ define "greet" }}hi {{ . }}{{ end }}{{ template "greet" .params.env }} => "hi prod"
            {{ block "b" .s }}[{{ . }}]{{ end }} => "[hello]"
        "#]],
    );
}

#[test]
fn builtins() {
    check(
        r#"
        {{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 "" "x" }} {{ or 0 "" }} {{ not .t }}
        {{ eq .params.env "dev" "prod" }} {{ ne .i 7.0 }} {{ lt 1 2 }} {{ ge "b" "a" }}
        {{ len .params.tags }} {{ len .s }} {{ len .map }}
        {{ index .params.tags 1 }} {{ index .map "a" }} {{ index .items 0 "name" }}
        {{ slice .params.tags 1 }}
        {{ print 1 2 "x" 3 }}|{{ println "a" 1 }}|{{ print nil }}
        {{ html "<a href='x'>" }} {{ js "it's \"x\" <b>" }} {{ urlquery "a b&c" }}
        {{ .s | printf "%s!" }} {{ .params.count | eq 3.0 }}
        "#,
        expect![[r#"
            {{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 "" "x" }} {{ or 0 "" }} {{ not .t }} => "0 2 x  false"
            {{ eq .params.env "dev" "prod" }} {{ ne .i 7.0 }} {{ lt 1 2 }} {{ ge "b" "a" }} => "true false true true"
            {{ len .params.tags }} {{ len .s }} {{ len .map }} => "2 5 2"
            {{ index .params.tags 1 }} {{ index .map "a" }} {{ index .items 0 "name" }} => "b 1 a"
            {{ slice .params.tags 1 }} => "[b]"
            {{ print 1 2 "x" 3 }}|{{ println "a" 1 }}|{{ print nil }} => "1 2x3|a 1\n|<nil>"
            {{ html "<a href='x'>" }} {{ js "it's \"x\" <b>" }} {{ urlquery "a b&c" }} => "&lt;a href=&#39;x&#39;&gt; it\\'s \\\"x\\\" \\u003Cb\\u003E a+b%26c"
            {{ .s | printf "%s!" }} {{ .params.count | eq 3.0 }} => "hello! true"
        "#]],
    );
}

#[test]
fn printf_verbs() {
    check(
        r#"
        {{ printf "%s %d %v %q %t" "a" 3 .map "q" true }}
        {{ printf "%x %X %o %b %c %U" 255 255 8 5 65 65 }}
        {{ printf "%f %.2f %e %g %8.3f|%-8.2f|" 3.14159 3.14159 1234.5678 0.00001 2.5 2.5 }}
        {{ printf "%5s|%-5s|%05d|%+d|%T|%T|%T|%%" "ab" "ab" 42 3 .map .params.tags 1.5 }}
        {{ printf "%d" "x" }} {{ printf "%s %s" 1 }} {{ printf "%s" 1 2 }} {{ printf "%d" nil }}
        {{ printf "%#v %#v %#v" "s" .params.tags 1.5 }}
        {{ printf "%.0f" .s }} {{ printf "%!" }} {{ printf "%" }}
        {{ printf "%#v|%9v|%5v" .items .items .n }}
        "#,
        expect![[r#"
            {{ printf "%s %d %v %q %t" "a" 3 .map "q" true }} => "a 3 map[a:1 b:2] \"q\" true"
            {{ printf "%x %X %o %b %c %U" 255 255 8 5 65 65 }} => "ff FF 10 101 A U+0041"
            {{ printf "%f %.2f %e %g %8.3f|%-8.2f|" 3.14159 3.14159 1234.5678 0.00001 2.5 2.5 }} => "3.141590 3.14 1.234568e+03 1e-05    2.500|2.50    |"
            {{ printf "%5s|%-5s|%05d|%+d|%T|%T|%T|%%" "ab" "ab" 42 3 .map .params.tags 1.5 }} => "   ab|ab   |00042|+3|map[string]interface {}|[]interface {}|float64|%"
            {{ printf "%d" "x" }} {{ printf "%s %s" 1 }} {{ printf "%s" 1 2 }} {{ printf "%d" nil }} => "%!d(string=x) %!s(int=1) %!s(MISSING) %!s(int=1)%!(EXTRA int=2) %!d(<nil>)"
            {{ printf "%#v %#v %#v" "s" .params.tags 1.5 }} => "\"s\" []interface {}{\"a\", \"b\"} 1.5"
            {{ printf "%.0f" .s }} {{ printf "%!" }} {{ printf "%" }} => "%!f(string=) %!!(MISSING) %!(NOVERB)"
            {{ printf "%#v|%9v|%5v" .items .items .n }} => "[]interface {}{map[string]interface {}{\"name\":\"a\", \"value\":1.5}, map[string]interface {}{\"name\":\"b\", \"value\":interface {}(nil)}}|[map[     name:        a     value:      1.5] map[     name:        b     value:<nil>]]|<nil>"
        "#]],
    );
}

#[test]
fn go_error_messages() {
    check(
        r#"
        {{ .n.x }}
        {{ .i.x }}
        {{ $x := 1 }}{{ $x.y }}
        {{ eq 1 .i }}
        {{ lt .map 1 }}
        {{ eq .map .map }}
        {{ len 3 }}
        {{ len .n }}
        {{ index .params.tags 5 }}
        {{ index .params.tags "x" }}
        {{ index .n 1 }}
        {{ printf 3 }}
        {{ printf .i }}
        {{ printf .missing }}
        {{ not 1 2 }}
        {{ eq 1 }}
        {{ and }}
        {{ range 3 }}x{{ end }}
        {{ nil }}
        {{ .s | .i }}
        {{ 1 | print | 2 }}
        {{ call .s }}
        {{ template "nope" }}
        {{ nope 1 }}
        {{ $undefined }}
        {{ 1e400 }}
        {{ 99999999999999999999 }}
        {{ with .s }}{{ else with .i }}{{ end }}
        {{ if .s }}{{ else with .i }}{{ end }}
        {{ with .s }}x{{ else if .i }}y{{ else }}z{{ end }}
        {{ range .items }}x{{ else if .i }}y{{ end }}
        {{ range .items }}x{{ else range .i }}y{{ end }}
        {{ with .s }}x{{ else }}{{ else if .i }}y{{ end }}
        {{ $a, $b := 1 }}
        {{ /* spaced comments are not Go's */ }}
        "#,
        expect![[r#"
            {{ .n.x }} !! nil pointer evaluating interface {}.x
            {{ .i.x }} !! can't evaluate field x in type interface {}
            {{ $x := 1 }}{{ $x.y }} !! can't evaluate field y in type int
            {{ eq 1 .i }} !! error calling eq: incompatible types for comparison
            {{ lt .map 1 }} !! error calling lt: invalid type for comparison
            {{ eq .map .map }} !! error calling eq: non-comparable type map[a:%!s(float64=1) b:%!s(float64=2)]: map[string]interface {}
            {{ len 3 }} !! error calling len: len of type int
            {{ len .n }} !! error calling len: len of nil pointer
            {{ index .params.tags 5 }} !! error calling index: index out of range: 5
            {{ index .params.tags "x" }} !! error calling index: cannot index slice/array with type string
            {{ index .n 1 }} !! error calling index: index of untyped nil
            {{ printf 3 }} !! expected string; found 3
            {{ printf .i }} !! wrong type for value; expected string; got float64
            {{ printf .missing }} !! invalid value; expected string
            {{ not 1 2 }} !! wrong number of args for not: want 1 got 2
            {{ eq 1 }} !! error calling eq: missing argument for comparison
            {{ and }} !! wrong number of args for and: want at least 1 got 0
            {{ range 3 }}x{{ end }} !! range can't iterate over 3
            {{ nil }} !! nil is not a command
            {{ .s | .i }} !! i is not a method but has arguments
            {{ 1 | print | 2 }} !! non executable command in pipeline stage 3
            {{ call .s }} !! error calling call: non-function of type string
            {{ template "nope" }} !! template "nope" not defined
            {{ nope 1 }} !! function "nope" not defined
            {{ $undefined }} !! undefined variable "$undefined"
            {{ 1e400 }} !! illegal number syntax: "1e400"
            {{ 99999999999999999999 }} !! integer overflow: "99999999999999999999"
            {{ with .s }}{{ else with .i }}{{ end }} !! unexpected <with> in else
            {{ if .s }}{{ else with .i }}{{ end }} !! unexpected <with> in else
            {{ with .s }}x{{ else if .i }}y{{ else }}z{{ end }} !! unexpected <if> in input
            {{ range .items }}x{{ else if .i }}y{{ end }} !! unexpected <if> in input
            {{ range .items }}x{{ else range .i }}y{{ end }} !! unexpected <range> in else
            {{ with .s }}x{{ else }}{{ else if .i }}y{{ end }} !! the template has syntax errors: misplaced `else if`
            {{ $a, $b := 1 }} !! too many declarations in command
            {{ /* spaced comments are not Go's */ }} !! unexpected "/" in command
        "#]],
    );
}

#[test]
fn extensions_of_the_grammar() {
    check(
        r#"
        {{ $.params.'redis-info'.host }}
        {{ .params.tags[1] }}
        {{ .items[0].name }}
        {{ .params.tags[0:1] }}
        {{ .items.*.name }}
        {{ .items.[:].value }}
        {{ .map.* }}
        {{ .params.tags[5] }}
        "#,
        expect![[r#"
            {{ $.params.'redis-info'.host }} => "r1"
            {{ .params.tags[1] }} => "b"
            {{ .items[0].name }} => "a"
            {{ .params.tags[0:1] }} => "[a]"
            {{ .items.*.name }} => "[a b]"
            {{ .items.[:].value }} => "[1.5 <nil>]"
            {{ .map.* }} => "[1 2]"
            {{ .params.tags[5] }} !! index out of range: 5
        "#]],
    );
}

#[test]
fn syntax_errors_are_refused() {
    check(
        r#"
        {{ .params. }}
        {{ if .t }}unclosed
        {{ end }}
        "#,
        expect![[r#"
            {{ .params. }} !! the template has syntax errors: missing field name after `.`
            {{ if .t }}unclosed !! the template has syntax errors: `if` is never closed
            {{ end }} !! the template has syntax errors: unmatched `end`
        "#]],
    );
}

#[test]
fn recursion_is_bounded() {
    let template = playbook_template::parse(
        r#"{{ define "loop" }}x{{ template "loop" . }}{{ end }}{{ template "loop" . }}"#,
    );
    let error = render(&template, &Value::Nil).expect_err("endless recursion fails");
    assert_eq!(
        error.message,
        format!("exceeded maximum template depth ({MAX_DEPTH})")
    );
    // Deeply nested blocks hit the same limit instead of the stack's.
    let nested = format!("{}x{}", "{{ if 1 }}".repeat(5000), "{{ end }}".repeat(5000));
    let error = render(&playbook_template::parse(&nested), &Value::Nil).expect_err("too deep");
    assert!(
        error.message.contains("maximum template depth"),
        "{}",
        error.message
    );
}

#[test]
fn output_and_work_are_bounded() {
    let data = Value::from_json(&serde_json::json!({
        "rows": (0..2000).collect::<Vec<_>>()
    }));
    let big =
        playbook_template::parse("{{ range .rows }}{{ range $.rows }}0123456789{{ end }}{{ end }}");
    let error = render(&big, &data).expect_err("output is capped");
    assert_eq!(
        error.message,
        format!("the output is larger than {MAX_OUTPUT} bytes (a limit of this evaluator)")
    );
    let slow = playbook_template::parse(
        "{{ range .rows }}{{ range $.rows }}{{ range $.rows }}{{ end }}{{ end }}{{ end }}",
    );
    let error = render(&slow, &data).expect_err("work is capped");
    assert!(error.message.contains("steps"), "{}", error.message);
}

#[test]
fn error_ranges_point_at_the_failing_node() {
    let text = "ok {{ len .n }}";
    let template = playbook_template::parse(text);
    let error = render(&template, &data()).expect_err("len of nil");
    assert_eq!(&text[error.range.as_usize()], "len .n");
}

mod robustness {
    //! No input panics or hangs: arbitrary text, and templates made of random pieces of the
    //! grammar.

    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "{{", "}}", "{{-", "-}}", " ", "if", "else", "end", "range", "with", "define", "template",
        "block", "break", "continue", "\"t\"", "$x", ":=", "=", "$", ".", ".a", ".b.c", "[0]",
        "[:]", ".*", "(", ")", "|", "eq", "len", "index", "printf", "\"%v\"", "1", "1.5", "nil",
        "true", "/*", "*/", "x", "\n", "'a'", ",", "$i", "and", "or", "not", "slice", "print",
    ];

    fn data() -> playbook_eval::Value {
        playbook_eval::Value::from_json(&serde_json::json!({
            "a": [1, 2, {"x": null}], "b": {"c": "d"}, "n": null, "s": "str"
        }))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
            let template = playbook_template::parse(&text);
            let _ = playbook_eval::render(&template, &data());
        }

        #[test]
        fn printf_formats_never_panic(
            format in "[%\\[\\]0-9*.#+ \\-dvsxqTé!]{0,30}",
            args in proptest::collection::vec(0..4usize, 0..4),
        ) {
            let args: Vec<&str> = args.iter().map(|&i| ["1", "-3", "\"s\"", ".a"][i]).collect();
            let text = format!("{{{{ printf {format:?} {} }}}}", args.join(" "));
            let template = playbook_template::parse(&text);
            let _ = playbook_eval::render(&template, &data());
        }

        #[test]
        fn grammar_pieces_never_panic(pieces in proptest::collection::vec(0..PIECES.len(), 0..40)) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let template = playbook_template::parse(&text);
            let _ = playbook_eval::render(&template, &data());
        }
    }
}

/// Go 1.19 accepts `else if` only after an `if`; after a `with` or `range` it is written as
/// an `if` inside a plain `else`. There `.` is the `.` from outside the `with` or `range`,
/// and the variables of the header are in scope (a `with`'s hold its falsy value). The
/// outputs are Go 1.19's.
#[test]
fn else_branch_of_with_and_range() {
    check(
        r#"
        {{ with .params.empty }}[{{ . }}]{{ else }}{{ if .s }}{{ .s }}/{{ .params.env }}{{ else }}none{{ end }}{{ end }}
        {{ with $x := .params.empty }}a{{ else }}{{ if $x }}b{{ else }}c{{ printf "%q" $x }}{{ end }}{{ end }}
        {{ range .params.nothing }}{{ . }}{{ else }}{{ if .n }}n{{ else if .i }}{{ .i }}:{{ len .items }}{{ end }}{{ end }}
        {{ range $i, $t := .params.tags }}{{ $i }}{{ $t }}{{ else }}{{ if .s }}never{{ end }}{{ end }}
        {{ with .n }}x{{ else }}{{ range .items }}{{ .name }}{{ break }}{{ end }}{{ end }}
        {{ with .params.empty -}} x {{- else -}} {{ if .i -}} {{ . | len }} {{- end }}{{ end }}
        "#,
        expect![[r#"
            {{ with .params.empty }}[{{ . }}]{{ else }}{{ if .s }}{{ .s }}/{{ .params.env }}{{ else }}none{{ end }}{{ end }} => "hello/prod"
            {{ with $x := .params.empty }}a{{ else }}{{ if $x }}b{{ else }}c{{ printf "%q" $x }}{{ end }}{{ end }} => "c\"\""
            {{ range .params.nothing }}{{ . }}{{ else }}{{ if .n }}n{{ else if .i }}{{ .i }}:{{ len .items }}{{ end }}{{ end }} => "7:2"
            {{ range $i, $t := .params.tags }}{{ $i }}{{ $t }}{{ else }}{{ if .s }}never{{ end }}{{ end }} => "0a1b"
            {{ with .n }}x{{ else }}{{ range .items }}{{ .name }}{{ break }}{{ end }}{{ end }} => "a"
            {{ with .params.empty -}} x {{- else -}} {{ if .i -}} {{ . | len }} {{- end }}{{ end }} => "8"
        "#]],
    );
}

/// `printf`'s explicit argument indexes, as Go's `fmt` reads them (the outputs are Go
/// 1.19's): an index before the verb, before a `*` width or precision, and the notes Go
/// writes for a bad one (`%!d(BADINDEX)`). Once an index is used, arguments left over are not
/// reported.
#[test]
fn printf_argument_indexes() {
    check(
        r#"
        {{ printf "%[2]d %[1]s" "a" 3 }}
        {{ printf "%[3]d" 1 }}
        {{ printf "%[1]*d" 5 3 }}
        {{ printf "%[]d|%[d|%[0]d|%[x]d|%[1d" 1 2 }}
        {{ printf "%[2]5d" 1 2 }} {{ printf "%[2].2f" 1 2.5 }}
        {{ printf "%.[2]d" 1 2 }} {{ printf "%.[2]*[1]f" 1.5 2 }}
        {{ printf "%[2]*.[3]*[1]f|" 3.14159 10 2 }}
        {{ printf "%[1]d %d %d" 1 2 }} {{ printf "%[2]d %d" 1 2 }} {{ printf "%[5]d%d" 1 2 }}
        {{ printf "%[1]" 1 }} {{ printf "%[1]%" 1 }} {{ printf "%[2]%d" 1 2 }}
        {{ printf "%-[1]*d|" -4 7 }} {{ printf "%[1]*d|" "x" 7 }}
        {{ printf "%[3]*d|" 1 2 }} {{ printf "%.[3]*d|" 1 2 }}
        {{ printf "%[1]v %[1]T %[1]q" "x" }} {{ printf "%[1]d" }} {{ printf "%d %[1]d" 1 2 3 }}
        {{ printf "%[99999999]d" 1 }} {{ printf "%99999999d" 1 }}
        "#,
        expect![[r#"
            {{ printf "%[2]d %[1]s" "a" 3 }} => "3 a"
            {{ printf "%[3]d" 1 }} => "%!d(BADINDEX)"
            {{ printf "%[1]*d" 5 3 }} => "    3"
            {{ printf "%[]d|%[d|%[0]d|%[x]d|%[1d" 1 2 }} => "%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)"
            {{ printf "%[2]5d" 1 2 }} {{ printf "%[2].2f" 1 2.5 }} => "%!d(BADINDEX) %!f(BADINDEX)"
            {{ printf "%.[2]d" 1 2 }} {{ printf "%.[2]*[1]f" 1.5 2 }} => "2 1.50"
            {{ printf "%[2]*.[3]*[1]f|" 3.14159 10 2 }} => "      3.14|"
            {{ printf "%[1]d %d %d" 1 2 }} {{ printf "%[2]d %d" 1 2 }} {{ printf "%[5]d%d" 1 2 }} => "1 2 %!d(MISSING) 2 %!d(MISSING) %!d(BADINDEX)1"
            {{ printf "%[1]" 1 }} {{ printf "%[1]%" 1 }} {{ printf "%[2]%d" 1 2 }} => "%!(NOVERB) % %d"
            {{ printf "%-[1]*d|" -4 7 }} {{ printf "%[1]*d|" "x" 7 }} => "7   | %!(BADWIDTH)7|"
            {{ printf "%[3]*d|" 1 2 }} {{ printf "%.[3]*d|" 1 2 }} => "%!d(BADINDEX)| %!d(BADINDEX)|"
            {{ printf "%[1]v %[1]T %[1]q" "x" }} {{ printf "%[1]d" }} {{ printf "%d %[1]d" 1 2 3 }} => "x string \"x\" %!d(BADINDEX) 1 1"
            {{ printf "%[99999999]d" 1 }} {{ printf "%99999999d" 1 }} => "%!d(BADINDEX) %!(NOVERB)%!(EXTRA int=1)"
        "#]],
    );
}
