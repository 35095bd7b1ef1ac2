//! Completion: in templates (roots, parameters, step outputs and the fields of their
//! examples, functions, keywords, loop variables) and in the YAML around them (step inputs,
//! images, structural keys, enum values, trigger playbooks and parameters), in whole and in
//! broken files.

mod common;

use expect_test::{Expect, expect};

/// Renders every completion at `$0`, one per line: label, kind, detail, the range it
/// replaces and the text it inserts.
fn check(fixture: &str, expect: Expect) {
    check_where(fixture, |_| true, expect);
}

/// [`check`] for the items `keep` keeps (to leave out the long list of functions).
fn check_where(fixture: &str, keep: impl Fn(&playbook_ide::Completion) -> bool, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let path = f
        .cursor
        .as_ref()
        .map(|(p, _)| p.clone())
        .unwrap_or_default();
    let text = f.text(&path);
    let items = playbook_ide::completions(f.db(), file, offset);
    let mut out = String::new();
    for item in items.iter().filter(|i| keep(i)) {
        out.push_str(&render(text, item));
        out.push('\n');
    }
    expect.assert_eq(&out);
}

fn render(text: &str, item: &playbook_ide::Completion) -> String {
    let detail = item
        .detail
        .as_deref()
        .map(|d| format!(" [{d}]"))
        .unwrap_or_default();
    let snippet = if item.snippet { " (snippet)" } else { "" };
    format!(
        "{} {:?}{detail} {} => {:?}{snippet}",
        item.label,
        item.kind,
        common::show_range(text, item.replace),
        item.insert
    )
}

/// The documentation of the item labelled `label` at `$0`.
fn check_doc(fixture: &str, label: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let items = playbook_ide::completions(f.db(), file, offset);
    let doc = items
        .iter()
        .find(|i| i.label == label)
        .and_then(|i| i.documentation.clone())
        .unwrap_or_else(|| format!("no documentation for {label}"));
    expect.assert_eq(&doc);
}

const LIBRARY: &str = r#"
//- library registry/steps/ steps
//- steps/k8s/get-pods/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: get_pods
  description: Lists the pods of a namespace.
envs:
  - name: NAMESPACE
    type: string
    description: The namespace.
    required: true
  - name: ALL_NAMESPACES
    type: bool
    description: Every namespace.
  - name: FORMAT
    type: string
    default: json
  - name: KUBECONFIG
    type: string
    required: true
integrations: [k8s]
outputs:
  - name: items
    type: json
    description: The pods.
    example: '[{"name": "web-1", "status": {"phase": "Running", "ready": true}}]'
  - name: count
    type: int
    description: How many.
//- steps/redis/info/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis_info
  description: Display Redis server info.
envs:
  - name: REDIS_IP
    type: string
    required: true
outputs:
  - name: output
    type: json
    description: The whole result.
    example: '{"Clients": {"connected_clients": "2"}, "version": "6.0.9"}'
//- steps/slack/message/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: slack_message
  description: Posts a message.
envs:
  - name: CONTENT
    type: string
    required: true
integrations: [slack]
"#;

fn with_library(playbook: &str) -> String {
    format!("{playbook}{LIBRARY}")
}

/// A playbook with two steps before the cursor's step and one after; `CURSOR` is replaced
/// by the value under test (of the third step's `CONTENT`).
fn steps_around(value: &str) -> String {
    with_library(&format!(
        r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: roots
parameters:
  - name: Host
    type: var
    description: The host to look at.
  - name: redis-ip
    type: var
    default: "10.0.0.1"
  - name: Token
    type: secret
steps:
  - name: registry/steps/k8s/get-pods
    id: pods
  - name: registry/steps/redis/info
    id: redis-info
  - name: registry/steps/slack/message
    id: notify
    env:
      CONTENT: {value}
  - name: registry/steps/k8s/get-pods
    id: later
"#
    ))
}

fn not_function(item: &playbook_ide::Completion) -> bool {
    item.kind != playbook_ide::CompletionKind::Function
}

#[test]
fn roots_are_the_context_the_steps_run_before_and_their_outputs() {
    // Never the step itself (`notify`) nor a later one (`later`); the most recent step
    // first; a name that is not an identifier is inserted quoted.
    check(
        &steps_around(r#""{{ $.$0 }}""#),
        expect![[r#"
            params Context [the playbook's parameters] 22:22-22:22 "" => "params"
            redis-info Step [registry/steps/redis/info] 22:22-22:22 "" => "'redis-info'"
            pods Step [registry/steps/k8s/get-pods] 22:22-22:22 "" => "pods"
            event Context [the triggering event] 22:22-22:22 "" => "event"
            execution Context [id] 22:22-22:22 "" => "execution"
            metadata Context [executionUrl, playbookId, userEmail] 22:22-22:22 "" => "metadata"
            Clients Output [object (1 field) · output of `redis-info`] 22:22-22:22 "" => "Clients"
            version Output [string: "6.0.9" · output of `redis-info`] 22:22-22:22 "" => "version"
            items Output [json · output of `pods`] 22:22-22:22 "" => "items"
            count Output [int · output of `pods`] 22:22-22:22 "" => "count"
            output Output [raw output of `redis-info`] 22:22-22:22 "" => "output"
        "#]],
    );
}

#[test]
fn roots_after_a_dot_and_not_where_the_dot_is_rebound() {
    check(
        &steps_around(r#""{{ toJson .pa$0 }}""#),
        expect![[r#"
            params Context [the playbook's parameters] 22:28-22:30 "pa" => "params"
            redis-info Step [registry/steps/redis/info] 22:28-22:30 "pa" => "'redis-info'"
            pods Step [registry/steps/k8s/get-pods] 22:28-22:30 "pa" => "pods"
            event Context [the triggering event] 22:28-22:30 "pa" => "event"
            execution Context [id] 22:28-22:30 "pa" => "execution"
            metadata Context [executionUrl, playbookId, userEmail] 22:28-22:30 "pa" => "metadata"
            Clients Output [object (1 field) · output of `redis-info`] 22:28-22:30 "pa" => "Clients"
            version Output [string: "6.0.9" · output of `redis-info`] 22:28-22:30 "pa" => "version"
            items Output [json · output of `pods`] 22:28-22:30 "pa" => "items"
            count Output [int · output of `pods`] 22:28-22:30 "pa" => "count"
            output Output [raw output of `redis-info`] 22:28-22:30 "pa" => "output"
        "#]],
    );
    check(
        &steps_around(r#""{{ range $.pods.items }}{{ .$0 }}{{ end }}""#),
        expect![[r#""#]],
    );
    check_where(
        &steps_around(r#""{{ range $.pods.items }}{{ $.p$0 }}{{ end }}""#),
        |i| i.label.starts_with('p'),
        expect![[r#"
            params Context [the playbook's parameters] 22:46-22:47 "p" => "params"
            pods Step [registry/steps/k8s/get-pods] 22:46-22:47 "p" => "pods"
        "#]],
    );
}

#[test]
fn parameters_with_type_and_description() {
    check(
        &steps_around(r#""{{ $.params.$0 }}""#),
        expect![[r#"
            Host Parameter [var] 22:29-22:29 "" => "Host"
            redis-ip Parameter [var] 22:29-22:29 "" => "'redis-ip'"
            Token Parameter [secret] 22:29-22:29 "" => "Token"
        "#]],
    );
    check_doc(
        &steps_around(r#""{{ $.params.$0 }}""#),
        "Host",
        expect!["The host to look at."],
    );
    check_doc(
        &steps_around(r#""{{ $.params.$0 }}""#),
        "redis-ip",
        expect!["Default: `10.0.0.1`"],
    );
}

#[test]
fn the_replaced_range_is_the_whole_name_under_the_cursor() {
    check_where(
        &steps_around(r#""{{ $.params.Ho$0 }}""#),
        |i| i.label == "Host",
        expect![[r#"
            Host Parameter [var] 22:29-22:31 "Ho" => "Host"
        "#]],
    );
    check_where(
        &steps_around(r#""{{ $.params.H$0ost | lower }}""#),
        |i| i.label == "Host",
        expect![[r#"
            Host Parameter [var] 22:29-22:33 "Host" => "Host"
        "#]],
    );
    // A quoted name being typed: the quote is part of what is replaced.
    check_where(
        &steps_around(r#""{{ $.params.'red$0' }}""#),
        |i| i.label == "redis-ip",
        expect![[r#"
            redis-ip Parameter [var] 22:29-22:34 "'red'" => "'redis-ip'"
        "#]],
    );
}

#[test]
fn outputs_of_a_step_and_of_its_json_output() {
    check(
        &steps_around(r#""{{ $.pods.$0 }}""#),
        expect![[r#"
            items Output [json · list (1 in the example)] 22:27-22:27 "" => "items"
            count Output [int] 22:27-22:27 "" => "count"
            output Output [raw output] 22:27-22:27 "" => "output"
        "#]],
    );
    // The keys of the example of a json `output` are outputs too.
    check(
        &steps_around(r#""{{ $.'redis-info'.$0 }}""#),
        expect![[r#"
            Clients Output [object (1 field)] 22:35-22:35 "" => "Clients"
            version Output [string: "6.0.9"] 22:35-22:35 "" => "version"
            output Output [json · raw output] 22:35-22:35 "" => "output"
        "#]],
    );
    check_doc(
        &steps_around(r#""{{ $.pods.$0 }}""#),
        "items",
        expect![[r#"
            The pods.

            Example:
            ```json
            [
              {
                "name": "web-1",
                "status": {
                  "phase": "Running",
                  "ready": true
                }
              }
            ]
            ```"#]],
    );
}

#[test]
fn fields_of_nested_json_examples() {
    check(
        &steps_around(r#""{{ $.pods.items[0].$0 }}""#),
        expect![[r#"
            name Field [string: "web-1"] 22:36-22:36 "" => "name"
            status Field [object (2 fields)] 22:36-22:36 "" => "status"
        "#]],
    );
    check(
        &steps_around(r#""{{ $.pods.items[0].status.$0 }}""#),
        expect![[r#"
            phase Field [string: "Running"] 22:43-22:43 "" => "phase"
            ready Field [bool: true] 22:43-22:43 "" => "ready"
        "#]],
    );
    check(
        &steps_around(r#""{{ toJson $.pods.items.[:].$0 }}""#),
        expect![[r#"
            name Field [string: "web-1"] 22:44-22:44 "" => "name"
            status Field [object (2 fields)] 22:44-22:44 "" => "status"
        "#]],
    );
    check(
        &steps_around(r#""{{ $.'redis-info'.Clients.$0 }}""#),
        expect![[r#"
            connected_clients Field [string: "2"] 22:43-22:43 "" => "connected_clients"
        "#]],
    );
    // Root form: an output of an earlier step at the root.
    check(
        &steps_around(r#""{{ .Clients.$0 }}""#),
        expect![[r#"
            connected_clients Field [string: "2"] 22:29-22:29 "" => "connected_clients"
        "#]],
    );
    // A scalar has no fields; a field the example lacks has none known.
    check(
        &steps_around(r#""{{ $.pods.count.$0 }}""#),
        expect![[r#""#]],
    );
    check(
        &steps_around(r#""{{ $.pods.items[0].nope.$0 }}""#),
        expect![[r#""#]],
    );
}

#[test]
fn later_steps_and_the_own_step_have_nothing() {
    check(&steps_around(r#""{{ $.later.$0 }}""#), expect![[r#""#]]);
    check(&steps_around(r#""{{ $.notify.$0 }}""#), expect![[r#""#]]);
}

#[test]
fn context_fields() {
    check(
        &steps_around(r#""{{ $.metadata.$0 }}""#),
        expect![[r#"
            executionUrl Field [metadata field] 22:31-22:31 "" => "executionUrl"
            playbookId Field [metadata field] 22:31-22:31 "" => "playbookId"
            userEmail Field [metadata field] 22:31-22:31 "" => "userEmail"
        "#]],
    );
    check(
        &steps_around(r#""{{ .execution.$0 }}""#),
        expect![[r#"
            id Field [execution field] 22:31-22:31 "" => "id"
        "#]],
    );
    check(&steps_around(r#""{{ $.event.$0 }}""#), expect![[r#""#]]);
}

#[test]
fn functions_and_keywords_at_command_position() {
    check_where(
        &steps_around(r#""{{ $0 }}""#),
        |i| {
            !not_function(i) && i.sort.as_deref().is_some_and(|s| s.starts_with('1'))
                || i.kind == playbook_ide::CompletionKind::Keyword
        },
        expect![[r#"
            if Keyword [keyword] 22:20-22:20 "" => "if"
            range Keyword [keyword] 22:20-22:20 "" => "range"
            with Keyword [keyword] 22:20-22:20 "" => "with"
            get Function [get PATH] 22:20-22:20 "" => "get"
            ieq Function [ieq ARG1 ARG2] 22:20-22:20 "" => "ieq"
            ine Function [ine ARG1 ARG2] 22:20-22:20 "" => "ine"
            secret Function [secret NAME] 22:20-22:20 "" => "secret"
        "#]],
    );
    // After `|` and `(`, no keyword.
    check_where(
        &steps_around(r#""{{ $.params.Host | lo$0 }}""#),
        |i| i.label.starts_with("lo") || i.kind == playbook_ide::CompletionKind::Keyword,
        expect![[r#"
            lower Function [lower STRING] 22:36-22:38 "lo" => "lower"
        "#]],
    );
    check_where(
        &steps_around(r#""{{ if (ie$0 }}""#),
        |i| i.label.starts_with("ie") || i.kind == playbook_ide::CompletionKind::Keyword,
        expect![[r#"
            ieq Function [ieq ARG1 ARG2] 22:24-22:26 "ie" => "ieq"
        "#]],
    );
    // After a keyword, the pipeline's command.
    check_where(
        &steps_around(r#""{{ if ie$0 }}""#),
        |i| i.label.starts_with("ie") || i.kind == playbook_ide::CompletionKind::Keyword,
        expect![[r#"
            ieq Function [ieq ARG1 ARG2] 22:23-22:25 "ie" => "ieq"
        "#]],
    );
    // In a block: `else` and `end`; after `else`, `if` and `with`.
    check_where(
        &steps_around(r#""{{ if $.params.Host }}x{{ e$0 }}""#),
        |i| i.label.starts_with('e'),
        expect![[r#"
            else Keyword [keyword] 22:43-22:44 "e" => "else"
            end Keyword [keyword] 22:43-22:44 "e" => "end"
            eq Function [eq ARG1 ARG2...] 22:43-22:44 "e" => "eq"
            empty Function [empty VALUE] 22:43-22:44 "e" => "empty"
            env Function [env NAME] 22:43-22:44 "e" => "env"
            expandenv Function [expandenv STRING] 22:43-22:44 "e" => "expandenv"
        "#]],
    );
    check(
        &steps_around(r#""{{ if $.params.Host }}x{{ else $0 }}""#),
        expect![[r#"
            if Keyword [keyword] 22:48-22:48 "" => "if"
        "#]],
    );
    // Go 1.19 accepts `else if` only in an `if` block, and has no `else with`.
    check(
        &steps_around(r#""{{ with $.params.Host }}x{{ else $0 }}{{ end }}""#),
        expect![[""]],
    );
    check(
        &steps_around(r#""{{ range $.params.Host }}{{ if . }}y{{ end }}{{ else $0 }}""#),
        expect![[""]],
    );
    check(
        &steps_around(r#""{{ with $.params.Host }}{{ if . }}y{{ else $0 }}{{ end }}{{ end }}""#),
        expect![[r#"
            if Keyword [keyword] 22:60-22:60 "" => "if"
        "#]],
    );
    // An argument is not a command.
    check(&steps_around(r#""{{ eq $0 }}""#), expect![[r#""#]]);
    check_doc(
        &steps_around(r#""{{ $0 }}""#),
        "secret",
        expect!["The value of a secret: a secret parameter, or a secret name."],
    );
}

#[test]
fn variables_declared_before() {
    check(
        &steps_around(
            r#""{{ $host := $.params.Host }}{{ range $i, $pod := $.pods.items }}{{ $$0 }}{{ end }}""#,
        ),
        expect![[r#"
            $host Variable [template variable] 22:84-22:85 "$" => "$host"
            $i Variable [template variable] 22:84-22:85 "$" => "$i"
            $pod Variable [template variable] 22:84-22:85 "$" => "$pod"
        "#]],
    );
}

#[test]
fn get_strings_are_paths() {
    check(
        &steps_around(r#"'{{ get "$.params.$0" }}'"#),
        expect![[r#"
            Host Parameter [var] 22:34-22:34 "" => "Host"
            redis-ip Parameter [var] 22:34-22:34 "" => "''redis-ip''"
            Token Parameter [secret] 22:34-22:34 "" => "Token"
        "#]],
    );
}

#[test]
fn loop_variables_inside_loops() {
    check_where(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: loops
steps:
  - name: registry/steps/k8s/get-pods
    id: pods
  - foreach:
      in: pods.items
      value: pod
      steps:
        - foreach:
            range: [0, 2]
            key: attempt
            steps:
              - name: registry/steps/slack/message
                env:
                  CONTENT: "{{ $.$0 }}"
"#,
        ),
        |i| i.kind == playbook_ide::CompletionKind::Variable,
        expect![[r#"
            attempt Variable [loop key] 17:34-17:34 "" => "attempt"
            value Variable [loop value] 17:34-17:34 "" => "value"
            key Variable [loop key] 17:34-17:34 "" => "key"
            pod Variable [loop value] 17:34-17:34 "" => "pod"
        "#]],
    );
    // After the loop, its variables are gone.
    check_where(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: loops
steps:
  - foreach:
      in: "{{ $.params.x }}"
      value: pod
      steps:
        - name: registry/steps/slack/message
  - name: registry/steps/slack/message
    env:
      CONTENT: "{{ $.$0 }}"
"#,
        ),
        |i| i.kind == playbook_ide::CompletionKind::Variable,
        expect![[r#""#]],
    );
}

#[test]
fn a_loops_bare_path() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: loops
steps:
  - name: registry/steps/k8s/get-pods
    id: pods
  - foreach:
      in: pods.$0
      steps: []
"#,
        ),
        expect![[r#"
            items Output [json · list (1 in the example)] 8:16-8:16 "" => "items"
            count Output [int] 8:16-8:16 "" => "count"
            output Output [raw output] 8:16-8:16 "" => "output"
        "#]],
    );
    check_where(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: loops
steps:
  - name: registry/steps/redis/info
    id: redis-info
  - foreach:
      in: $0
      steps: []
"#,
        ),
        |i| i.kind == playbook_ide::CompletionKind::Step,
        expect![[r#"
            redis-info Step [registry/steps/redis/info] 8:11-8:11 "" => "redis-info"
        "#]],
    );
}

#[test]
fn parameter_defaults_read_only_event_and_metadata() {
    check(
        r#"
kind: Playbook
metadata:
  name: defaults
parameters:
  - name: Host
    type: var
    default: "{{ $.$0 }}"
"#,
        expect![[r#"
            event Context [the triggering event] 7:20-7:20 "" => "event"
            metadata Context [executionUrl, playbookId, userEmail] 7:20-7:20 "" => "metadata"
        "#]],
    );
}

#[test]
fn unclosed_actions() {
    // At the end of a quoted scalar.
    check_where(
        &steps_around(r#""{{ $.pods.$0""#),
        |i| i.label == "items",
        expect![[r#"
            items Output [json · list (1 in the example)] 22:27-22:27 "" => "items"
        "#]],
    );
    // Plain, where YAML reads a flow mapping.
    check_where(
        &steps_around(r#"{{ $.pods.i$0"#),
        |i| i.label == "items",
        expect![[r#"
            items Output [json · list (1 in the example)] 22:26-22:27 "i" => "items"
        "#]],
    );
    check_where(
        &steps_around(r#"{{ $.$0"#),
        |i| i.kind == playbook_ide::CompletionKind::Step,
        expect![[r#"
            redis-info Step [registry/steps/redis/info] 22:21-22:21 "" => "'redis-info'"
            pods Step [registry/steps/k8s/get-pods] 22:21-22:21 "" => "pods"
        "#]],
    );
    // An unclosed quote swallows the rest of the file.
    check_where(
        &steps_around(r#""Pods: {{ $.pods.$0"#),
        |i| i.label == "items",
        expect![[r#"
            items Output [json · list (1 in the example)] 22:33-22:33 "" => "items"
        "#]],
    );
    // At the very end of the file.
    check_where(
        "kind: Playbook\nmetadata:\n  name: x\nparameters:\n  - name: A\n    type: var\nsteps:\n  - name: x\n    env:\n      B: {{ $.params.$0",
        |_| true,
        expect![[r#"
            A Parameter [var] 10:22-10:22 "" => "A"
        "#]],
    );
}

#[test]
fn a_value_the_check_did_not_keep() {
    // A step without `name` yet is no call: what it sees comes from where it is.
    check_where(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: x
steps:
  - name: registry/steps/k8s/get-pods
    id: pods
  - id: next
    env:
      CONTENT: "{{ $.$0 }}"
  - name: registry/steps/redis/info
    id: redis
"#,
        ),
        |i| i.kind == playbook_ide::CompletionKind::Step,
        expect![[r#"
            pods Step [registry/steps/k8s/get-pods] 9:22-9:22 "" => "pods"
        "#]],
    );
}

#[test]
fn quoted_and_escaped_scalars() {
    // In a single-quoted scalar a quote of the template is written twice.
    check_where(
        &steps_around(r#"'{{ $.$0 }}'"#),
        |i| i.kind == playbook_ide::CompletionKind::Step,
        expect![[r#"
            redis-info Step [registry/steps/redis/info] 22:22-22:22 "" => "''redis-info''"
            pods Step [registry/steps/k8s/get-pods] 22:22-22:22 "" => "pods"
        "#]],
    );
    check_where(
        &steps_around(r#"'{{ $.''redis-info''.$0 }}'"#),
        |_| true,
        expect![[r#"
            Clients Output [object (1 field)] 22:37-22:37 "" => "Clients"
            version Output [string: "6.0.9"] 22:37-22:37 "" => "version"
            output Output [json · raw output] 22:37-22:37 "" => "output"
        "#]],
    );
    // In a double-quoted one, escapes before the cursor shift the source offsets.
    check_where(
        &steps_around(r#""\"\u00e9\" {{ $.params.H$0 }}""#),
        |i| i.label == "Host",
        expect![[r#"
            Host Parameter [var] 22:40-22:41 "H" => "Host"
        "#]],
    );
    check_where(
        &steps_around(r#""{{ $.$0 }}""#),
        |i| i.kind == playbook_ide::CompletionKind::Step,
        expect![[r#"
            redis-info Step [registry/steps/redis/info] 22:22-22:22 "" => "'redis-info'"
            pods Step [registry/steps/k8s/get-pods] 22:22-22:22 "" => "pods"
        "#]],
    );
}

#[test]
fn block_scalars_multi_byte_text_and_crlf() {
    check_where(
        &steps_around("|\n        Héllo ✓ {{ $.pods.it$0 }}\n        {{ $.params.Host }}"),
        |i| i.label == "items",
        expect![[r#"
            items Output [json · list (1 in the example)] 23:30-23:32 "it" => "items"
        "#]],
    );
    check_where(
        &steps_around(">-\n        Pods:\n        {{ toJson\n          $.pods.$0 }}"),
        |i| i.label == "items",
        expect![[r#"
            items Output [json · list (1 in the example)] 25:18-25:18 "" => "items"
        "#]],
    );
    let crlf = steps_around(r#""✓ {{ $.params.H$0 }}""#).replace('\n', "\r\n");
    check_where(
        &crlf,
        |i| i.label == "Host",
        expect![[r#"
        Host Parameter [var] 22:33-22:34 "H" => "Host"
    "#]],
    );
}

#[test]
fn trigger_conditions_read_the_event() {
    check_where(
        r#"
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: p
metadata:
  name: t
scenarios:
  - name: s
    when: '{{ and ( ieq (get "$.$0") "created" ) }}'
"#,
        |_| true,
        expect![[r#"
            event Context [the triggering event] 8:33-8:33 "" => "event"
        "#]],
    );
    check_where(
        r#"
kind: Trigger
playbook: p
scenarios:
  - when: '{{ ie$0 }}'
"#,
        |i| i.label.starts_with("ie"),
        expect![[r#"
            ieq Function [ieq ARG1 ARG2] 4:15-4:17 "ie" => "ieq"
        "#]],
    );
}

#[test]
fn outside_actions_nothing_of_templates() {
    check(
        &steps_around(r#""Pods $0{{ $.pods.items }}""#),
        expect![[r#""#]],
    );
    check(&steps_around(r#""{{ $.pods.items }}$0""#), expect![[r#""#]]);
    check(&steps_around(r#""{{/* $.$0 */}}""#), expect![[r#""#]]);
    check(&steps_around(r#""{{ eq "$.$0" }}""#), expect![[r#""#]]);
}

/// A playbook calling the `get-pods` step, with `CURSOR` replaced by the text under test.
fn call(env: &str) -> String {
    with_library(&format!(
        r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: calls
parameters:
  - name: Cluster
    type: integration
    options:
      integration_type: k8s
  - name: Slack
    type: integration
    options:
      integration_type: slack
  - name: Any
    type: integration
  - name: runner
    type: spd
  - name: Agent
    type: var
  - name: Password
    type: secret
steps:
  - name: registry/steps/k8s/get-pods
    id: pods
{env}
  - name: registry/steps/slack/message
"#
    ))
}

#[test]
fn env_keys_are_the_inputs_not_given_required_first() {
    check(
        &call("    env:\n      NAMESPACE: default\n      $0"),
        expect![[r#"
            KUBECONFIG Property [string · required] 27:7-27:7 "" => "KUBECONFIG: $1" (snippet)
            ALL_NAMESPACES Property [bool] 27:7-27:7 "" => "ALL_NAMESPACES: $1" (snippet)
            FORMAT Property [string · default: json] 27:7-27:7 "" => "FORMAT: ${1:json}" (snippet)
        "#]],
    );
    check_doc(
        &call("    env:\n      $0"),
        "NAMESPACE",
        expect!["The namespace."],
    );
}

#[test]
fn env_keys_half_typed() {
    // The first key under `env:`, no `:` yet: YAML reads a value of `env`.
    check(
        &call("    env:\n      NAM$0"),
        expect![[r#"
        NAMESPACE Property [string · required] 26:7-26:10 "NAM" => "NAMESPACE: $1" (snippet)
        KUBECONFIG Property [string · required] 26:7-26:10 "NAM" => "KUBECONFIG: $1" (snippet)
        ALL_NAMESPACES Property [bool] 26:7-26:10 "NAM" => "ALL_NAMESPACES: $1" (snippet)
        FORMAT Property [string · default: json] 26:7-26:10 "NAM" => "FORMAT: ${1:json}" (snippet)
    "#]],
    );
    // A later key without `:`.
    check(
        &call("    env:\n      NAMESPACE: x\n      FO$0\n    id: x"),
        expect![[r#"
            KUBECONFIG Property [string · required] 27:7-27:9 "FO" => "KUBECONFIG: $1" (snippet)
            ALL_NAMESPACES Property [bool] 27:7-27:9 "FO" => "ALL_NAMESPACES: $1" (snippet)
            FORMAT Property [string · default: json] 27:7-27:9 "FO" => "FORMAT: ${1:json}" (snippet)
        "#]],
    );
    // At the start of a key that has its `:`: the key is replaced by name.
    check(
        &call("    env:\n      $0NAMESPACE: x"),
        expect![[r#"
            NAMESPACE Property [string · required] 26:7-26:16 "NAMESPACE" => "NAMESPACE"
            KUBECONFIG Property [string · required] 26:7-26:16 "NAMESPACE" => "KUBECONFIG"
            ALL_NAMESPACES Property [bool] 26:7-26:16 "NAMESPACE" => "ALL_NAMESPACES"
            FORMAT Property [string · default: json] 26:7-26:16 "NAMESPACE" => "FORMAT"
        "#]],
    );
    // With its `:` already: only the name is replaced.
    check_where(
        &call("    env:\n      FO$0: yaml"),
        |i| i.label == "FORMAT",
        expect![[r#"
            FORMAT Property [string · default: json] 26:7-26:9 "FO" => "FORMAT"
        "#]],
    );
    // A flow mapping.
    check_where(
        &call("    env: {NAMESPACE: x, $0}"),
        |i| i.label == "FORMAT",
        expect![[r#"
            FORMAT Property [string · default: json] 25:25-25:25 "" => "FORMAT: ${1:json}" (snippet)
        "#]],
    );
    // Nothing for a step whose image has no manifest.
    check(
        &call("  - name: registry/steps/none\n    env:\n      $0"),
        expect![[r#""#]],
    );
}

#[test]
fn step_keys() {
    check(
        &call("    $0"),
        expect![[r#"
        env Property [the step's inputs] 25:5-25:5 "" => "env:\n      "
        envFrom Property [`integrationRef`: the integration to use] 25:5-25:5 "" => "envFrom:\n      "
        runner Property [the agent the step runs on] 25:5-25:5 "" => "runner: "
        when Property [runs only when this template is true] 25:5-25:5 "" => "when: "
        args Property [the command line, as a list] 25:5-25:5 "" => "args:\n      - "
        output_parser Property [the image that parses the output] 25:5-25:5 "" => "output_parser:\n      "
        ignoreFailure Property [go on when the step fails] 25:5-25:5 "" => "ignoreFailure: ${1|true,false|}" (snippet)
    "#]],
    );
    check_where(
        &call("    en$0"),
        |i| i.label.starts_with("en"),
        expect![[r#"
            env Property [the step's inputs] 25:5-25:7 "en" => "env:\n      "
            envFrom Property [`integrationRef`: the integration to use] 25:5-25:7 "en" => "envFrom:\n      "
        "#]],
    );
    // A new step: a call, a block or a loop.
    check(
        &call("  - $0"),
        expect![[r#"
        name Property [the step image] 25:5-25:5 "" => "name: "
        id Property [the step's id, read as `$.<id>`] 25:5-25:5 "" => "id: "
        env Property [the step's inputs] 25:5-25:5 "" => "env:\n      "
        envFrom Property [`integrationRef`: the integration to use] 25:5-25:5 "" => "envFrom:\n      "
        runner Property [the agent the step runs on] 25:5-25:5 "" => "runner: "
        when Property [runs only when this template is true] 25:5-25:5 "" => "when: "
        args Property [the command line, as a list] 25:5-25:5 "" => "args:\n      - "
        output_parser Property [the image that parses the output] 25:5-25:5 "" => "output_parser:\n      "
        ignoreFailure Property [go on when the step fails] 25:5-25:5 "" => "ignoreFailure: ${1|true,false|}" (snippet)
        steps Property [the steps, in order] 25:5-25:5 "" => "steps:\n      - "
        foreach Property [a loop over a collection] 25:5-25:5 "" => "foreach:\n      "
    "#]],
    );
    check_where(
        &call("  - when: x\n    $0"),
        |_| true,
        expect![[r#"
            name Property [the step image] 26:5-26:5 "" => "name: "
            id Property [the step's id, read as `$.<id>`] 26:5-26:5 "" => "id: "
            env Property [the step's inputs] 26:5-26:5 "" => "env:\n      "
            envFrom Property [`integrationRef`: the integration to use] 26:5-26:5 "" => "envFrom:\n      "
            runner Property [the agent the step runs on] 26:5-26:5 "" => "runner: "
            args Property [the command line, as a list] 26:5-26:5 "" => "args:\n      - "
            output_parser Property [the image that parses the output] 26:5-26:5 "" => "output_parser:\n      "
            ignoreFailure Property [go on when the step fails] 26:5-26:5 "" => "ignoreFailure: ${1|true,false|}" (snippet)
            steps Property [the steps, in order] 26:5-26:5 "" => "steps:\n      - "
        "#]],
    );
    check(
        &call("  - foreach:\n      in: pods.items\n      $0"),
        expect![[r#"
            key Property [the name of the key variable] 27:7-27:7 "" => "key: "
            value Property [the name of the value variable] 27:7-27:7 "" => "value: "
            steps Property [the steps, in order] 27:7-27:7 "" => "steps:\n        - "
            when Property [runs only when this template is true] 27:7-27:7 "" => "when: "
            break Property [ends the loop when this template is true] 27:7-27:7 "" => "break: "
        "#]],
    );
    check(
        &call("    envFrom:\n      $0"),
        expect![[r#"
        integrationRef Property [the integration parameter: `{{ $.params.X }}`] 26:7-26:7 "" => "integrationRef: "
    "#]],
    );
}

#[test]
fn playbook_keys_and_values() {
    check(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\n$0",
        expect![[r#"
            metadata Property [the playbook's name and description] 3:1-3:1 "" => "metadata:\n  "
            parameters Property [the playbook's parameters] 3:1-3:1 "" => "parameters:\n  - "
            steps Property [the steps, in order] 3:1-3:1 "" => "steps:\n  - "
        "#]],
    );
    check(
        "kind: Playbook\nmetadata:\n  name: x\n  $0",
        expect![[r#"
            description Property [what it is for] 4:3-4:3 "" => "description: "
        "#]],
    );
    check(
        "kind: Playbook\nparameters:\n  - name: x\n    $0",
        expect![[r#"
            type Property [var, secret, integration or spd] 4:5-4:5 "" => "type: ${1|var,secret,integration,spd|}" (snippet)
            description Property [what it is for] 4:5-4:5 "" => "description: "
            default Property [the value when none is given] 4:5-4:5 "" => "default: "
            options Property [`integration_type` of an integration] 4:5-4:5 "" => "options:\n      "
        "#]],
    );
    check(
        "kind: Playbook\nparameters:\n  - name: x\n    type: $0",
        expect![[r#"
            var Value 4:11-4:11 "" => "var"
            secret Value 4:11-4:11 "" => "secret"
            integration Value 4:11-4:11 "" => "integration"
            spd Value 4:11-4:11 "" => "spd"
        "#]],
    );
    check(
        "kind: Playbook\nparameters:\n  - name: x\n    type: \"s$0\"",
        expect![[r#"
            var Value 4:12-4:13 "s" => "var"
            secret Value 4:12-4:13 "s" => "secret"
            integration Value 4:12-4:13 "s" => "integration"
            spd Value 4:12-4:13 "s" => "spd"
        "#]],
    );
    check(
        "kind: $0",
        expect![[r#"
        Playbook Value 1:7-1:7 "" => "Playbook"
        Step Value 1:7-1:7 "" => "Step"
        Trigger Value 1:7-1:7 "" => "Trigger"
    "#]],
    );
    check(
        "$0",
        expect![[r#"
        apiVersion Property [the API version] 1:1-1:1 "" => "apiVersion: stackpulse.io/v1"
        kind Property [the kind of document] 1:1-1:1 "" => "kind: ${1|Playbook,Step,Trigger|}" (snippet)
    "#]],
    );
    check(
        "api$0",
        expect![[r#"
        apiVersion Property [the API version] 1:1-1:4 "api" => "apiVersion: stackpulse.io/v1"
        kind Property [the kind of document] 1:1-1:4 "api" => "kind: ${1|Playbook,Step,Trigger|}" (snippet)
    "#]],
    );
    // Other YAML is left alone.
    check("name: build\non: push\n$0", expect![[r#""#]]);
    check("apiVersion: apps/v1\nkind: $0\nspec: {}", expect![[r#""#]]);
    check(
        "apiVersion: $0\nkind: Deployment\nspec: {}",
        expect![[r#""#]],
    );
}

#[test]
fn images_filtered_as_typed() {
    check(
        &call("  - name: $0"),
        expect![[r#"
        registry/steps/ Image [step library in steps] 25:11-25:11 "" => "registry/steps/"
        registry/steps/k8s/get-pods Image [get_pods] 25:11-25:11 "" => "registry/steps/k8s/get-pods"
        registry/steps/redis/info Image [redis_info] 25:11-25:11 "" => "registry/steps/redis/info"
        registry/steps/slack/message Image [slack_message] 25:11-25:11 "" => "registry/steps/slack/message"
    "#]],
    );
    check(
        &call("  - name: red$0"),
        expect![[r#"
        registry/steps/redis/info Image [redis_info] 25:11-25:14 "red" => "registry/steps/redis/info"
    "#]],
    );
    check(
        &call("  - name: \"registry/steps/k$0\""),
        expect![[r#"
        registry/steps/k8s/get-pods Image [get_pods] 25:12-25:28 "registry/steps/k" => "registry/steps/k8s/get-pods"
    "#]],
    );
    check_doc(
        &call("  - name: red$0"),
        "registry/steps/redis/info",
        expect!["Display Redis server info."],
    );
}

#[test]
fn runner_and_integration_ref() {
    check(
        &call("    runner: $0"),
        expect![[r#"
        runner Parameter [spd parameter] 25:13-25:13 "" => "\"{{ $.params.runner }}\""
        Agent Parameter [var parameter] 25:13-25:13 "" => "\"{{ $.params.Agent }}\""
    "#]],
    );
    check(
        &call("    runner: \"$0\""),
        expect![[r#"
        runner Parameter [spd parameter] 25:14-25:14 "" => "{{ $.params.runner }}"
        Agent Parameter [var parameter] 25:14-25:14 "" => "{{ $.params.Agent }}"
    "#]],
    );
    // The integrations the step accepts (k8s), and those of unknown type.
    check(
        &call("    envFrom:\n      integrationRef: $0"),
        expect![[r#"
            Cluster Parameter [integration: k8s] 26:23-26:23 "" => "\"{{ $.params.Cluster }}\""
            Any Parameter [integration parameter] 26:23-26:23 "" => "\"{{ $.params.Any }}\""
        "#]],
    );
}

#[test]
fn trigger_keys_playbooks_and_parameters() {
    let trigger = |body: &str| {
        format!(
            r#"
//- triggers/t.yaml
{body}
//- playbooks/a.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-diagnostics
  description: Enrich Redis alerts.
parameters:
  - name: RedisIp
    type: var
    description: The host.
  - name: Port
    type: var
    default: "6379"
  - name: Region
    type: var
//- playbooks/b.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: war-room
"#
        )
    };
    check(
        &trigger("apiVersion: stackpulse.io/v1\nkind: Trigger\n$0"),
        expect![[r#"
            enabled Property [whether it is active] 3:1-3:1 "" => "enabled: ${1|true,false|}" (snippet)
            playbook Property [the playbook it runs] 3:1-3:1 "" => "playbook: "
            metadata Property [the trigger's name and description] 3:1-3:1 "" => "metadata:\n  "
            scenarios Property [the events that run the playbook] 3:1-3:1 "" => "scenarios:\n  - "
        "#]],
    );
    check(
        &trigger("kind: Trigger\nplaybook: $0"),
        expect![[r#"
            redis-diagnostics Playbook [playbooks/a.yaml] 2:11-2:11 "" => "redis-diagnostics"
            war-room Playbook [playbooks/b.yaml] 2:11-2:11 "" => "war-room"
        "#]],
    );
    check(
        &trigger("kind: Trigger\nplaybook: war$0"),
        expect![[r#"
            war-room Playbook [playbooks/b.yaml] 2:11-2:14 "war" => "war-room"
        "#]],
    );
    check(
        &trigger(
            "kind: Trigger\nplaybook: redis-diagnostics\nscenarios:\n  - name: s\n    parameters:\n      Port: \"1\"\n      $0",
        ),
        expect![[r#"
            RedisIp Parameter [var] 7:7-7:7 "" => "RedisIp: $1" (snippet)
            Region Parameter [var] 7:7-7:7 "" => "Region: $1" (snippet)
        "#]],
    );
    check(
        &trigger("kind: Trigger\nplaybook: redis-diagnostics\nscenarios:\n  - name: s\n    $0"),
        expect![[r#"
            enabled Property [whether it is active] 5:5-5:5 "" => "enabled: ${1|true,false|}" (snippet)
            integration Property [the integration sending the event] 5:5-5:5 "" => "integration: "
            when Property [runs only when this template is true] 5:5-5:5 "" => "when: "
            parameters Property [the playbook's parameters] 5:5-5:5 "" => "parameters:\n      "
        "#]],
    );
}

#[test]
fn manifest_keys_and_values() {
    check(
        "kind: Step\nenvs:\n  - name: A\n    type: $0",
        expect![[r#"
            string Value 4:11-4:11 "" => "string"
            bool Value 4:11-4:11 "" => "bool"
            int Value 4:11-4:11 "" => "int"
            json Value 4:11-4:11 "" => "json"
            secret Value 4:11-4:11 "" => "secret"
        "#]],
    );
    check(
        "kind: Step\noutputs:\n  - name: A\n    $0",
        expect![[r#"
            description Property [what it is for] 4:5-4:5 "" => "description: "
            type Property [the output's type] 4:5-4:5 "" => "type: ${1|string,bool,int,json|}" (snippet)
            example Property [an example value] 4:5-4:5 "" => "example: "
        "#]],
    );
}

#[test]
fn against_the_real_library() {
    let fixture = r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: real
steps:
  - name: us-docker.pkg.dev/stackpulse/public/kubectl/get-pods
    id: pods
  - name: us-docker.pkg.dev/stackpulse/public/redis/info
    env:
      REDIS_PASSWORD: x
      $1
  - name: us-docker.pkg.dev/stackpulse/public/slack/message/snippet
    env:
      CONTENT: "{{ toJson $.pods.$2 }} {{ $.pods.items[0].$3 }}"
"#;
    let render_at = |marker: u8, keep: &dyn Fn(&playbook_ide::Completion) -> bool| {
        let text = fixture.replace(&format!("${marker}"), "$0");
        let mut f = common::fixture(&text);
        if common::with_real_library(&mut f).is_none() {
            eprintln!("skipped: the shared test data is missing");
            return None;
        }
        let (file, offset) = f.position();
        let items = playbook_ide::completions(f.db(), file, offset);
        Some(
            items
                .iter()
                .filter(|i| keep(i))
                .map(|i| render(f.text("playbook.yaml"), i) + "\n")
                .collect::<String>(),
        )
    };
    let Some(env) = render_at(1, &|_| true) else {
        return;
    };
    expect![[r#"
        REDIS_IP Property [string · required] 11:7-11:7 "" => "REDIS_IP: $1" (snippet)
        REDIS_URL Property [string] 11:7-11:7 "" => "REDIS_URL: $1" (snippet)
    "#]]
    .assert_eq(&env);
    let Some(outputs) = render_at(2, &|_| true) else {
        return;
    };
    expect![[r#"
        items Output [json · list (2 in the example)] 14:34-14:34 "" => "items"
        filtered Output [json · list (1 in the example)] 14:34-14:34 "" => "filtered"
        output Output [raw output] 14:34-14:34 "" => "output"
    "#]]
    .assert_eq(&outputs);
    let Some(fields) = render_at(3, &|_| true) else {
        return;
    };
    expect![[r#"
        IP Field [string: "10.128.0.30"] 14:57-14:57 "" => "IP"
        IPs Field [list (1 in the example)] 14:57-14:57 "" => "IPs"
        age Field [string: "1h16m38.70076318s"] 14:57-14:57 "" => "age"
        containerStatuses Field [object (1 field)] 14:57-14:57 "" => "containerStatuses"
        containersCount Field [number: 1] 14:57-14:57 "" => "containersCount"
        containersRestarts Field [number: 0] 14:57-14:57 "" => "containersRestarts"
        initContainerStatuses Field [object (0 fields)] 14:57-14:57 "" => "initContainerStatuses"
        initContainersCount Field [number: 0] 14:57-14:57 "" => "initContainersCount"
        initContainersRestarts Field [number: 0] 14:57-14:57 "" => "initContainersRestarts"
        initFinished Field [bool: true] 14:57-14:57 "" => "initFinished"
        name Field [string: "container-watcher-dkgs2"] 14:57-14:57 "" => "name"
        node Field [string: "node1"] 14:57-14:57 "" => "node"
        status Field [string: "Running"] 14:57-14:57 "" => "status"
    "#]]
    .assert_eq(&fields);
}

/// Every offset of files whole and broken: no panic, and every item replaces a range of
/// one line that holds the cursor, on character boundaries.
#[test]
fn every_position_of_whole_and_broken_files() {
    let mut texts = vec![
        steps_around(r#""{{ $.pods.items[0].status.phase }} ✓ {{ if eq $.params.Host \"x\" }}y{{ end }}""#),
        steps_around("'{{ $.''redis-info''.Clients }}'"),
        steps_around("{{ $.pods."),
        steps_around("\"{{ get \\\"$.params.Host\\\" | lower }}"),
        steps_around("|\n        {{ range $i, $p := $.pods.items }}\n        {{ $p.name }}{{ end }}"),
        call("    env:\n      NAMESPACE: x\n      FO\n    en\n  - na\n  -\n    envFrom: {integrationRef: "),
        "kind: Trigger\nplaybook: p\nscenarios:\n  - parameters: {a: 1, }\n    when: '{{ ieq .Type \"x\" '\n".to_owned(),
        "\u{feff}kind: Playbook\r\nsteps:\r\n  - name: a\r\n    env:\r\n      É: \"{{ $.é\"\r\n".to_owned(),
        "---\n- - a\n  - {b: [c, {d: e}]}\n---\nkind: Step\n? x\n: y\n&a *b !t |\n".to_owned(),
    ];
    texts.push(texts[0].replace('\n', "\r\n"));
    let mut answered = 0;
    for fixture in &texts {
        let f = common::fixture(fixture);
        let file = f.file("playbook.yaml");
        let text = f.text("playbook.yaml");
        for offset in 0..=text.len() {
            let items = playbook_ide::completions(f.db(), file, offset as u32);
            for item in &items {
                let range = item.replace;
                assert!(
                    range.contains_inclusive(offset as u32)
                        && text.is_char_boundary(range.start() as usize)
                        && text.is_char_boundary(range.end() as usize)
                        && !text[range.as_usize()].contains('\n'),
                    "{item:?} at {offset} of {text:?}"
                );
            }
            answered += usize::from(!items.is_empty());
        }
    }
    assert!(answered > 100, "only {answered} positions had completions");
}

#[test]
fn keys_by_indentation() {
    // At the end of the file, on a new line: a top-level key.
    check(
        "kind: Playbook\nmetadata:\n  name: x\n$0",
        expect![[r#"
            apiVersion Property [the API version] 4:1-4:1 "" => "apiVersion: stackpulse.io/v1"
            parameters Property [the playbook's parameters] 4:1-4:1 "" => "parameters:\n  - "
            steps Property [the steps, in order] 4:1-4:1 "" => "steps:\n  - "
        "#]],
    );
    // A blank line between top-level keys, comments and block scalars above skipped.
    check(
        "kind: Playbook\nmetadata:\n  description: |\n    text\n\n    more\n  # note\n$0\nsteps: []\n",
        expect![[r#"
            apiVersion Property [the API version] 8:1-8:1 "" => "apiVersion: stackpulse.io/v1"
            parameters Property [the playbook's parameters] 8:1-8:1 "" => "parameters:\n  - "
        "#]],
    );
    // Under a block scalar, at its key's indentation: a sibling of the key.
    check(
        "kind: Playbook\nmetadata:\n  description: |\n    text\n  $0",
        expect![[r#"
            name Property [the name, unique in the workspace] 5:3-5:3 "" => "name: "
        "#]],
    );
    // At the indentation of a sequence's dashes: nothing can be written there.
    check(
        "kind: Playbook\nsteps:\n  - name: x\n  $0",
        expect![[r#""#]],
    );
    // Half-typed in a new item of `parameters`.
    check(
        "kind: Playbook\nparameters:\n  - na$0",
        expect![[r#"
            name Property [the parameter's name] 3:5-3:7 "na" => "name: "
            type Property [var, secret, integration or spd] 3:5-3:7 "na" => "type: ${1|var,secret,integration,spd|}" (snippet)
            description Property [what it is for] 3:5-3:7 "na" => "description: "
            default Property [the value when none is given] 3:5-3:7 "na" => "default: "
            options Property [`integration_type` of an integration] 3:5-3:7 "na" => "options:\n      "
        "#]],
    );
    // The second document of a file.
    check(
        "kind: Trigger\nplaybook: x\n---\nkind: Playbook\n$0",
        expect![[r#"
            apiVersion Property [the API version] 5:1-5:1 "" => "apiVersion: stackpulse.io/v1"
            metadata Property [the playbook's name and description] 5:1-5:1 "" => "metadata:\n  "
            parameters Property [the playbook's parameters] 5:1-5:1 "" => "parameters:\n  - "
            steps Property [the steps, in order] 5:1-5:1 "" => "steps:\n  - "
        "#]],
    );
}

#[test]
fn more_values() {
    check(
        &call("  - name: registry/steps/x\n    output_parser:\n      name: registry/steps/s$0"),
        expect![[r#"
            registry/steps/slack/message Image [slack_message] 27:13-27:29 "registry/steps/s" => "registry/steps/slack/message"
        "#]],
    );
    check(
        &call("    env:\n      ALL_NAMESPACES: $0"),
        expect![[r#"
        true Value 26:23-26:23 "" => "true"
        false Value 26:23-26:23 "" => "false"
    "#]],
    );
    check(&call("    env:\n      NAMESPACE: $0"), expect![[r#""#]]);
    check(
        &call("    ignoreFailure: t$0"),
        expect![[r#"
        true Value 25:20-25:21 "t" => "true"
        false Value 25:20-25:21 "t" => "false"
    "#]],
    );
    check(
        "kind: Playbook\nparameters:\n  - name: x\n    options:\n      integration_type: $0\n//- steps/a/manifest.yaml\nkind: Step\nintegrations: [slack, k8s]\n//- steps/b/manifest.yaml\nkind: Step\nintegrations: [aws, slack]\n",
        expect![[r#"
            aws Value 5:25-5:25 "" => "aws"
            k8s Value 5:25-5:25 "" => "k8s"
            slack Value 5:25-5:25 "" => "slack"
        "#]],
    );
    check(
        &call("  - foreach:\n      in:\n        $0"),
        expect![[r#"
            range Property [`[from, to]`] 27:9-27:9 "" => "range: [${1:0}, ${2:1}]" (snippet)
        "#]],
    );
}

#[test]
fn a_yaml_syntax_error_elsewhere() {
    // `: ` in a plain description makes the whole file invalid YAML.
    let broken = |value: &str| {
        call(value).replace(
            "metadata:\n  name: calls\n",
            "metadata:\n  name: calls\n  description: Check allContainers: true\n",
        )
    };
    check_where(
        &broken("    env:\n      CONTENT: \"{{ $.params.$0 }}\""),
        |i| i.label == "Agent",
        expect![[r#"
            Agent Parameter [var] 27:29-27:29 "" => "Agent"
        "#]],
    );
    check_where(
        &broken("    env:\n      NAMESPACE: x\n      $0"),
        |_| true,
        expect![[r#"
            KUBECONFIG Property [string · required] 28:7-28:7 "" => "KUBECONFIG: $1" (snippet)
            ALL_NAMESPACES Property [bool] 28:7-28:7 "" => "ALL_NAMESPACES: $1" (snippet)
            FORMAT Property [string · default: json] 28:7-28:7 "" => "FORMAT: ${1:json}" (snippet)
        "#]],
    );
}

#[test]
fn right_after_the_braces() {
    check_where(
        &steps_around(r#""{{$0}}""#),
        |i| i.kind == playbook_ide::CompletionKind::Keyword,
        expect![[r#"
            if Keyword [keyword] 22:19-22:19 "" => "if"
            range Keyword [keyword] 22:19-22:19 "" => "range"
            with Keyword [keyword] 22:19-22:19 "" => "with"
        "#]],
    );
    check_where(
        &steps_around(r#""x {{- $.pods.$0 -}} y""#),
        |_| true,
        expect![[r#"
            items Output [json · list (1 in the example)] 22:30-22:30 "" => "items"
            count Output [int] 22:30-22:30 "" => "count"
            output Output [raw output] 22:30-22:30 "" => "output"
        "#]],
    );
    check_where(
        &steps_around(r#""{{ $.params.\"red$0 }}""#),
        |i| i.label == "redis-ip",
        expect![[r#"
            redis-ip Parameter [var] 22:29-22:34 "\\\"red" => "\\\"redis-ip\\\""
        "#]],
    );
}

#[test]
fn at_the_start_and_end_of_the_file() {
    check(
        "$0kind: Playbook\nmetadata:\n  name: x\n",
        expect![[r#"
            apiVersion Property [the API version] 1:1-1:5 "kind" => "apiVersion"
            kind Property [the kind of document] 1:1-1:5 "kind" => "kind"
            parameters Property [the playbook's parameters] 1:1-1:5 "kind" => "parameters"
            steps Property [the steps, in order] 1:1-1:5 "kind" => "steps"
        "#]],
    );
    check(
        "kind: Playbook\nmetadata:\n  name: x\n  descr$0",
        expect![[r#"
        description Property [what it is for] 4:3-4:8 "descr" => "description: "
    "#]],
    );
}

#[test]
fn index_params_strings_name_parameters() {
    check(
        &steps_around(r#"'{{ index $.params "red$0" }}'"#),
        expect![[r#"
            Host Parameter [var] 22:36-22:39 "red" => "Host"
            redis-ip Parameter [var] 22:36-22:39 "red" => "redis-ip"
            Token Parameter [secret] 22:36-22:39 "red" => "Token"
        "#]],
    );
    check(
        &steps_around(r#""{{ secret (index .params \"$0\") }}""#),
        expect![[r#"
            Host Parameter [var] 22:44-22:44 "" => "Host"
            redis-ip Parameter [var] 22:44-22:44 "" => "redis-ip"
            Token Parameter [secret] 22:44-22:44 "" => "Token"
        "#]],
    );
    check(
        &steps_around(r#""{{ index $.pods \"$0\" }}""#),
        expect![[r#""#]],
    );
}

/// A client that resolves documentation asks for the list without it, then for one item's:
/// the list is the same, with no documentation, and an item's documentation is the one the
/// whole list gives it. Over roots, outputs, fields, parameters, inputs and images.
#[test]
fn documentation_is_built_for_the_items_asked() {
    use playbook_ide::CompletionDocs;
    let fixtures = [
        steps_around(r#""{{ $.$0 }}""#),
        steps_around(r#""{{ $.pods.$0 }}""#),
        steps_around(r#""{{ $.'redis-info'.Clients.$0 }}""#),
        steps_around(r#""{{ $.params.$0 }}""#),
        with_library(
            "kind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: registry/steps/redis/info\n    env:\n      $0\n",
        ),
        with_library("kind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: registry/steps/$0\n"),
    ];
    let mut documented = 0;
    for fixture in &fixtures {
        let f = common::fixture(fixture);
        let (file, offset) = f.position();
        let all = playbook_ide::completions(f.db(), file, offset);
        let none = playbook_ide::completions_with(f.db(), file, offset, &CompletionDocs::None);
        assert!(!all.is_empty(), "{fixture}");
        assert!(none.iter().all(|i| i.documentation.is_none()));
        let strip = |items: &[playbook_ide::Completion]| {
            items
                .iter()
                .map(|i| {
                    (
                        i.label.clone(),
                        i.detail.clone(),
                        i.replace,
                        i.insert.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&all), strip(&none), "{fixture}");
        for item in &all {
            let docs = CompletionDocs::Of(item.label.clone());
            let one = playbook_ide::completions_with(f.db(), file, offset, &docs);
            for other in &one {
                let expected = (other.label == item.label)
                    .then(|| {
                        all.iter()
                            .find(|i| i.label == other.label && i.insert == other.insert)
                    })
                    .flatten()
                    .and_then(|i| i.documentation.clone());
                assert_eq!(
                    other.documentation, expected,
                    "{} in {fixture}",
                    other.label
                );
            }
            documented += usize::from(item.documentation.is_some());
        }
    }
    assert!(documented >= 20, "{documented} items with documentation");
}

/// In a test file: the keys of a step's expected inputs (one mapping, or one per iteration
/// in a list), of its `envFrom`, of a comparison, and of a case.
#[test]
fn test_file_keys() {
    let head = "kind: PlaybookTest\nplaybook: p\ncases:\n  - name: c\n    inputs:\n";
    check(
        &format!("{head}      each:\n        - iteration: 1\n          $0"),
        expect![[r#"
            env Property [expected `env` values, by name] 8:11-8:11 "" => "env:\n            "
            args Property [expected arguments, by position from 0] 8:11-8:11 "" => "args:\n            "
            runner Property [the expected runner] 8:11-8:11 "" => "runner: "
            envFrom Property [`integrationRef`: the expected integration] 8:11-8:11 "" => "envFrom:\n            "
        "#]],
    );
    check(
        &format!("{head}      one:\n        envFrom:\n          $0"),
        expect![[r#"
            integrationRef Property [the expected integration] 8:11-8:11 "" => "integrationRef: "
        "#]],
    );
    check(
        &format!("{head}      one:\n        env:\n          TEXT:\n            $0"),
        expect![[r#"
            equals Property [the whole rendered text] 9:13-9:13 "" => "equals: "
            contains Property [a substring of it] 9:13-9:13 "" => "contains: "
            matches Property [a regular expression found in it] 9:13-9:13 "" => "matches: "
        "#]],
    );
    check(
        "kind: PlaybookTest\nplaybook: p\ncases:\n  - name: c\n    $0",
        expect![[r#"
            params Property [parameter values, by name] 5:5-5:5 "" => "params:\n      "
            event Property [the event, read as `$.event`] 5:5-5:5 "" => "event:\n      "
            outputs Property [mocked outputs, by step id] 5:5-5:5 "" => "outputs:\n      "
            runs Property [step ids that must run] 5:5-5:5 "" => "runs:\n      - "
            skips Property [step ids that must not run] 5:5-5:5 "" => "skips:\n      - "
            inputs Property [rendered inputs, by step id] 5:5-5:5 "" => "inputs:\n      "
            fails Property [the run's expected error] 5:5-5:5 "" => "fails: "
        "#]],
    );
}
