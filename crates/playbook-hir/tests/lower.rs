//! Lowering tests: one fixture per structural check, with the diagnostics and a summary of
//! the IR as the expected output.

use std::fmt::Write as _;

use expect_test::{Expect, expect};
use playbook_hir::ir::{Item, LoopSource, Step};

/// Lowers `src` and prints its diagnostics (`line:col CODE message [label] (help)`) and a
/// summary of the IR.
fn check(src: &str, expect: Expect) {
    let parse = playbook_syntax::parse(src);
    assert!(
        parse.errors().is_empty(),
        "fixture has syntax errors: {:?}",
        parse.errors()
    );
    let lowered = playbook_hir::lower(parse.tree());
    let mut out = String::new();
    for d in &lowered.diagnostics {
        out.push_str(&playbook_test_support::diagnostic_line(src, d));
        out.push('\n');
    }
    for item in &lowered.file.items {
        match item {
            Item::Playbook(p) => {
                let name = p.name.as_ref().map_or("?", |n| n.value.as_str());
                let _ = writeln!(out, "playbook {name}");
                for param in &p.parameters {
                    let ty = param.ty.as_ref().map_or("?", |t| t.value.as_str());
                    let _ = writeln!(out, "  param {}: {ty}", param.name.value);
                }
                summarize_steps(&mut out, &p.steps, 1);
            }
            Item::Step(m) => {
                let name = m.name.as_ref().map_or("?", |n| n.value.as_str());
                let envs: Vec<&str> = m.envs.iter().map(|e| e.name.value.as_str()).collect();
                let outputs: Vec<&str> = m.outputs.iter().map(|o| o.name.value.as_str()).collect();
                let _ = writeln!(out, "step {name} envs={envs:?} outputs={outputs:?}");
            }
            Item::Trigger(t) => {
                let name = t.name.as_ref().map_or("?", |n| n.value.as_str());
                let playbook = t.playbook.as_ref().map_or("?", |n| n.value.as_str());
                let _ = writeln!(
                    out,
                    "trigger {name} -> {playbook} ({} scenarios)",
                    t.scenarios.len()
                );
            }
            Item::Test(t) => summarize_test(&mut out, src, t),
        }
    }
    expect.assert_eq(&out);
}

/// A test file: each case's parts, each expectation with the source text at its range.
fn summarize_test(out: &mut String, src: &str, t: &playbook_hir::ir::PlaybookTest) {
    let at = |r: playbook_diagnostics::TextRange| &src[r.start() as usize..r.end() as usize];
    let playbook = t.playbook.as_ref().map_or("?", |n| n.value.as_str());
    let _ = writeln!(out, "test of {playbook}");
    for case in &t.cases {
        let name = case.name.as_ref().map_or("?", |n| n.value.as_str());
        let _ = writeln!(out, "  case {name}");
        for (p, v) in &case.params {
            let _ = writeln!(
                out,
                "    param {}={:?} at {:?}",
                p.value,
                v.value,
                at(v.range)
            );
        }
        if let Some(e) = &case.event {
            let _ = writeln!(out, "    event {}", e.value);
        }
        for m in &case.outputs {
            let fields: Vec<String> = m
                .fields
                .iter()
                .map(|(k, v)| format!("{}={v}", k.value))
                .collect();
            let _ = writeln!(out, "    mock {} {}", m.step.value, fields.join(" "));
        }
        for r in &case.runs {
            let _ = writeln!(out, "    runs {} at {:?}", r.value, at(r.range));
        }
        for r in &case.skips {
            let _ = writeln!(out, "    skips {}", r.value);
        }
        for i in &case.inputs {
            let iteration = i.iteration.as_ref().map_or(String::new(), |it| {
                format!(
                    " (iteration {} at {:?})",
                    playbook_hir::ir::describe_iteration(&it.value),
                    at(it.range)
                )
            });
            let _ = writeln!(
                out,
                "    input {}{iteration} {} {} {:?} at {:?}",
                i.step.value,
                i.key.describe(),
                i.matcher.kind.as_str(),
                i.matcher.value.value,
                at(i.matcher.value.range)
            );
        }
        for f in &case.fails {
            let _ = writeln!(out, "    fails {} {:?}", f.kind.as_str(), f.value.value);
        }
    }
}

fn summarize_steps(out: &mut String, steps: &[Step], depth: usize) {
    let pad = "  ".repeat(depth);
    for step in steps {
        match step {
            Step::Call(c) => {
                let id = c.id.as_ref().map_or("-", |i| i.value.as_str());
                let env: Vec<&str> = c.env.iter().map(|e| e.name.value.as_str()).collect();
                let _ = writeln!(out, "{pad}call {} id={id} env={env:?}", c.image.value);
            }
            Step::Block(b) => {
                let when = b.when.as_ref().map_or("", |w| &*w.value);
                let _ = writeln!(out, "{pad}when {when}");
                summarize_steps(out, &b.steps, depth + 1);
            }
            Step::Loop(l) => {
                let source = match &l.source {
                    Some(LoopSource::Text(t)) => t.value.to_string(),
                    Some(LoopSource::Range { from, to }) => {
                        format!("range {}..{}", from.value, to.value)
                    }
                    None => "?".into(),
                };
                let _ = writeln!(out, "{pad}foreach {source}");
                summarize_steps(out, &l.steps, depth + 1);
            }
        }
    }
}

#[test]
fn clean_playbook() {
    check(
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-diagnostics
  description: Enrich Redis alerts
parameters:
  - name: RedisIp
    type: var
    default: "{{ $.event.Host }}"
  - name: Slack
    type: integration
    options:
      integration_type: slack
steps:
  - name: registry.example.com/redis/info
    id: redis-info
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
  - when: "{{ gt 1 0 }}"
    steps:
      - name: registry.example.com/slack/post
        id: notify
        envFrom:
          integrationRef: "{{ $.params.Slack }}"
  - foreach:
      in: "{{ toJson $.x }}"
      key: k
      value: v
      steps:
        - name: registry.example.com/echo
  - foreach:
      in:
        range: [0, 2]
      steps:
        - name: registry.example.com/echo
"#,
        expect![[r#"
            playbook redis-diagnostics
              param RedisIp: var
              param Slack: integration
              call registry.example.com/redis/info id=redis-info env=["REDIS_IP"]
              when {{ gt 1 0 }}
                call registry.example.com/slack/post id=notify env=[]
              foreach {{ toJson $.x }}
                call registry.example.com/echo id=- env=[]
              foreach range 0..2
                call registry.example.com/echo id=- env=[]
        "#]],
    );
}

#[test]
fn unknown_keys_suggest_the_right_one() {
    check(
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
  Description: wrong case
parameters:
  - name: A
    typ: var
steps:
  - name: img
    evn:
      A: b
    frobnicate: 1
"#,
        expect![[r#"
            5:3 PB201 error unknown key `Description` in the playbook's `metadata` [did you mean `description`?] (help: rename the key to `description`)
            7:5 PB203 error the parameter has no `type` [`type` is missing] (help: add `type:` to the parameter)
            8:5 PB201 error unknown key `typ` in a parameter [did you mean `type`?] (help: rename the key to `type`)
            11:5 PB201 error unknown key `evn` in a step [did you mean `env`?] (help: rename the key to `env`)
            13:5 PB201 error unknown key `frobnicate` in a step [not a key of this mapping] (help: the keys of a step are `name`, `id`, `env`, `envFrom`, `runner`, `when`, `args`, `output_parser` and `ignoreFailure`)
            playbook p
              param A: ?
              call img id=- env=[]
        "#]],
    );
}

#[test]
fn wrong_node_kinds_and_missing_keys() {
    check(
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  description: no name
parameters:
  name: A
steps:
  - name: img
    env:
      - A: b
"#,
        expect![[r#"
            3:1 PB203 error `metadata` has no `name` [`name` is missing] (help: add `name:` to `metadata`)
            6:3 PB202 error `parameters` must be a sequence, not a mapping [expected a sequence]
            10:7 PB202 error `env` must be a mapping, not a sequence [expected a mapping]
            playbook ?
              call img id=- env=[]
        "#]],
    );
}

#[test]
fn duplicates() {
    check(
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
  name: q
parameters:
  - name: A
    type: var
  - name: A
    type: secret
steps:
  - when: "{{ true }}"
    steps:
      - name: img
        id: same
  - when: "{{ false }}"
    steps:
      - name: img
        id: same
        env:
          X: 1
          X: 2
"#,
        expect![[r#"
            5:3 PB204 error duplicate key `name` [given again here] (help: remove one of the two entries)
            9:11 PB207 error parameter `A` is declared twice [declared again here] (help: remove one declaration or rename it)
            19:13 PB208 error step id `same` is used twice [used again here] (help: give each step its own id)
            22:11 PB204 error duplicate key `X` [given again here] (help: remove one of the two entries)
            playbook p
              param A: var
              param A: secret
              when {{ true }}
                call img id=same env=[]
              when {{ false }}
                call img id=same env=["X"]
        "#]],
    );
}

/// Past 16 keys, keys are looked up through a hash map: duplicates are found either way,
/// and the first of two equal keys is the one kept.
#[test]
fn duplicates_in_large_mappings() {
    check(
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
  extra0: 0
  extra1: 1
  extra2: 2
  extra3: 3
  extra4: 4
  extra5: 5
  extra6: 6
  extra7: 7
  extra8: 8
  extra9: 9
  extra10: 10
  extra11: 11
  extra12: 12
  extra13: 13
  extra14: 14
  extra15: 15
  extra16: 16
  name: q
  extra3: again
steps:
  - name: img
    env:
      V0: 0
      V1: 1
      V2: 2
      V3: 3
      V4: 4
      V5: 5
      V6: 6
      V7: 7
      V8: 8
      V9: 9
      V10: 10
      V11: 11
      V12: 12
      V13: 13
      V14: 14
      V15: 15
      V16: 16
      V17: 17
      V18: 18
      V19: 19
      V2: again
      V19: again
"#,
        expect![[r#"
            5:3 PB201 error unknown key `extra0` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            6:3 PB201 error unknown key `extra1` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            7:3 PB201 error unknown key `extra2` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            8:3 PB201 error unknown key `extra3` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            9:3 PB201 error unknown key `extra4` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            10:3 PB201 error unknown key `extra5` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            11:3 PB201 error unknown key `extra6` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            12:3 PB201 error unknown key `extra7` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            13:3 PB201 error unknown key `extra8` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            14:3 PB201 error unknown key `extra9` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            15:3 PB201 error unknown key `extra10` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            16:3 PB201 error unknown key `extra11` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            17:3 PB201 error unknown key `extra12` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            18:3 PB201 error unknown key `extra13` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            19:3 PB201 error unknown key `extra14` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            20:3 PB201 error unknown key `extra15` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            21:3 PB201 error unknown key `extra16` in the playbook's `metadata` [not a key of this mapping] (help: the keys of the playbook's `metadata` are `name` and `description`)
            22:3 PB204 error duplicate key `name` [given again here] (help: remove one of the two entries)
            23:3 PB204 error duplicate key `extra3` [given again here] (help: remove one of the two entries)
            47:7 PB204 error duplicate key `V2` [given again here] (help: remove one of the two entries)
            48:7 PB204 error duplicate key `V19` [given again here] (help: remove one of the two entries)
            playbook p
              call img id=- env=["V0", "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "V11", "V12", "V13", "V14", "V15", "V16", "V17", "V18", "V19"]
        "#]],
    );
}

#[test]
fn invalid_names_types_and_values() {
    check(
        r#"apiVersion: stackpulse.io/v2
kind: Playbook
metadata:
  name: p
parameters:
  - name: redis-ip
    type: varr
  - name: 9lives
    type: password
steps:
  - name: img
    id: "bad id!"
    ignoreFailure: yes
"#,
        expect![[r#"
            1:13 PB210 error unknown apiVersion `stackpulse.io/v2` [expected `stackpulse.io/v1`] (help: use `apiVersion: stackpulse.io/v1`)
            6:11 PB205 error invalid parameter name `redis-ip` [not an identifier: templates must quote it] (help: use letters, digits and `_` only, not starting with a digit, e.g. `redis_ip`)
            7:11 PB209 error unknown parameter type `varr` [did you mean `var`?] (help: did you mean `var`? parameter type is one of `var`, `secret`, `integration` and `spd`)
            8:11 PB205 error invalid parameter name `9lives` [not an identifier: templates must quote it] (help: use letters, digits and `_` only, not starting with a digit, e.g. `_9lives`)
            9:11 PB209 error unknown parameter type `password` [not a known parameter type] (help: parameter type is one of `var`, `secret`, `integration` and `spd`)
            12:9 PB206 error invalid step id `bad id!` [only letters, digits, `_` and `-` are allowed] (help: use an id such as `bad-id-`)
            13:20 PB211 error `ignoreFailure` must be `true` or `false`, not `yes` [not a boolean] (help: write `true` or `false`, unquoted)
            playbook p
              param redis-ip: ?
              param 9lives: ?
              call img id=bad id! env=[]
        "#]],
    );
}

#[test]
fn other_yaml_is_skipped_and_unknown_kinds_reported() {
    check(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
---
on: push
jobs: {}
---
apiVersion: stackpulse.io/v1
kind: PlayBook
metadata:
  name: p
"#,
        expect![[r#"
            10:7 PB212 error unknown kind `PlayBook` [did you mean `Playbook`?] (help: did you mean `Playbook`? the kinds are `Playbook`, `Step` and `Trigger`)
        "#]],
    );
}

#[test]
fn step_manifest_and_trigger() {
    check(
        r#"apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis_info
  version: 1.0.0
  vendor: redis
  type: hydration
envs:
  - name: REDIS_IP
    type: string
    required: true
  - name: REDIS_IP
    type: strng
outputs:
  - name: info
    type: json
    example: '{"Clients": {}}'
  - name: info
    type: string
integrations: [slack]
---
apiVersion: stackpulse.io/v1
kind: Trigger
enabled: true
playbook: redis-diagnostics
metadata:
  name: on-redis-alert
scenarios:
  - name: Alert
    enabled: maybe
    when: '{{ ieq .Type "created" }}'
    parameters:
      RedisIp: "{{ $.event.Host }}"
"#,
        expect![[r#"
            12:11 PB204 error input `REDIS_IP` is declared twice [declared again here] (help: remove one of the two declarations)
            13:11 PB211 error unknown input type `strng` [did you mean `string`?] (help: did you mean `string`? input type is one of `string`, `bool`, `int`, `json` and `secret`)
            18:11 PB204 error output `info` is declared twice [declared again here] (help: remove one of the two declarations)
            30:14 PB211 error `enabled` must be `true` or `false`, not `maybe` [not a boolean] (help: write `true` or `false`, unquoted)
            step redis_info envs=["REDIS_IP"] outputs=["info"]
            trigger on-redis-alert -> redis-diagnostics (1 scenarios)
        "#]],
    );
}

/// Each parameter or step id given again is reported once, pointing back at its first
/// occurrence: with few names (compared pairwise) and with many (through a hash map), with
/// every step a call and with ids inside blocks.
#[test]
fn duplicate_names_point_at_the_first() {
    for count in [3, 5, 16, 17, 40] {
        for nested in [false, true] {
            // Names repeat every three: `N0 N1 N2 N0 N1 ...`.
            let mut src = String::from(
                "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nparameters:\n",
            );
            for i in 0..count {
                src.push_str(&format!("  - name: N{}\n    type: var\n", i % 3));
            }
            src.push_str("steps:\n");
            let indent = if nested {
                src.push_str("  - when: \"{{ true }}\"\n    steps:\n");
                "    "
            } else {
                ""
            };
            for i in 0..count {
                src.push_str(&format!(
                    "{indent}  - name: img\n{indent}    id: s{}\n",
                    i % 3
                ));
            }
            let parse = playbook_syntax::parse(&src);
            assert!(parse.errors().is_empty(), "{:?}", parse.errors());
            let lowered = playbook_hir::lower(parse.tree());
            for (code, marker) in [("PB207", "name: N"), ("PB208", "id: s")] {
                // The source range of each name, in order.
                let ranges: Vec<(String, usize, usize)> = src
                    .match_indices(marker)
                    .map(|(at, m)| {
                        let start = at + m.len() - 1;
                        let end = start + 2;
                        (src[start..end].to_owned(), start, end)
                    })
                    .collect();
                let mut expected = Vec::new();
                for (i, (name, start, end)) in ranges.iter().enumerate() {
                    if let Some(first) = ranges[..i].iter().find(|r| &r.0 == name) {
                        expected.push((*start, *end, first.1, first.2));
                    }
                }
                let found: Vec<(usize, usize, usize, usize)> = lowered
                    .diagnostics
                    .iter()
                    .filter(|d| d.code.id == code)
                    .map(|d| {
                        assert_eq!(d.related.len(), 1);
                        let r = d.related[0].range;
                        (
                            d.range.start() as usize,
                            d.range.end() as usize,
                            r.start() as usize,
                            r.end() as usize,
                        )
                    })
                    .collect();
                assert_eq!(found, expected, "{code} count={count} nested={nested}");
            }
        }
    }
}

#[test]
fn test_files() {
    check(
        r#"kind: PlaybookTest
playbook: greet
cases:
  - name: one
    params: {Who: 42, Empty:}
    event: {n: 1, f: 1.5, t: true, s: "1", z: null, l: [a, ~]}
    outputs:
      hello: {count: 3, output: raw}
    runs: [hello]
    skips: [loud]
    inputs:
      hello:
        env:
          TEXT: hi
          MORE: {contains: "h", matches: '^h'}
        args: {0: {equals: x}, one: y}
        runner: {equals: r}
    fails: boom
  - name: one
    runs: {a: 1}
    inputs:
      x: {envs: {}}
    fails: {}
  - params: []
"#,
        expect![[r#"
            16:32 PB211 error an argument's index must be a number, not `one` [not an index] (help: write the argument's position, from 0: `args: {0: {equals: ...}}`)
            19:11 PB204 error two cases are named `one` [named again here] (help: give each case its own name)
            20:11 PB202 error `runs` must be a sequence, not a mapping [expected a sequence]
            22:11 PB201 error unknown key `envs` in a step's expected inputs [did you mean `env`?] (help: rename the key to `env`)
            23:5 PB203 error `fails` expects nothing [no `contains`, `equals` or `matches`] (help: say what the error says: `fails: {contains: "..."}`)
            24:5 PB203 error the test case has no `name` [`name` is missing] (help: add `name:` to the test case)
            24:13 PB202 error `params` must be a mapping, not a sequence [expected a mapping]
            test of greet
              case one
                param Who="42" at "42"
                param Empty="" at "Empty"
                event {"f":1.5,"l":["a",null],"n":1,"s":"1","t":true,"z":null}
                mock hello count=3 output="raw"
                runs hello at "hello"
                skips loud
                input hello env `TEXT` equals "hi" at "hi"
                input hello env `MORE` contains "h" at "\"h\""
                input hello env `MORE` matches "^h" at "'^h'"
                input hello args[0] equals "x" at "x"
                input hello runner equals "r" at "r"
                fails contains "boom"
              case one
              case ?
        "#]],
    );
}

/// Expected inputs per run of a step in a loop (`iteration`, a list of mappings) and of
/// `envFrom.integrationRef`, and the structural mistakes they can hold.
#[test]
fn test_files_iterations_and_integrations() {
    check(
        r#"kind: PlaybookTest
playbook: greet
cases:
  - name: loops
    inputs:
      first:
        env: {TEXT: a}
        envFrom: {integrationRef: slack-prod}
      each:
        - iteration: 1
          env: {TEXT: {contains: b}}
          runner: r
        - iteration: [2, 0]
          args: {0: c}
          envFrom:
            integrationRef: {matches: "^slack"}
  - name: mistakes
    inputs:
      each:
        - iteration: -1
          env: {TEXT: x}
        - iteration: [0, b]
          env: {TEXT: x}
        - iteration: []
          env: {TEXT: x}
        - iteration: {n: 1}
          env: {TEXT: x}
        - iteration: 3
        - envFrom: {integrationref: x, secretRef: y}
        - hello
      other: text
      args: {args: {+1: x}}
"#,
        expect![[r#"
            20:22 PB211 error an iteration must be a number from 0, not `-1` [not an index] (help: iterations are counted from 0: `iteration: 1` is a loop's second run)
            22:26 PB211 error an iteration must be a number from 0, not `b` [not an index] (help: iterations are counted from 0: `iteration: 1` is a loop's second run)
            24:22 PB211 error `iteration` is an empty list [no index] (help: give the index of each loop around the step, outermost first: `iteration: [1, 0]`)
            26:22 PB202 error `iteration` must be a number or a list of numbers, not a mapping [expected a number or a list of numbers]
            28:11 PB203 error `iteration` says which run, but nothing is expected of it [no `env`, `args`, `runner` or `envFrom` beside it] (help: add what the step's inputs must be in that run: `env: {NAME: value}`)
            29:21 PB201 error unknown key `integrationref` in the expected `envFrom` [did you mean `integrationRef`?] (help: rename the key to `integrationRef`)
            29:40 PB201 error unknown key `secretRef` in the expected `envFrom` [not a key of this mapping] (help: the keys of the expected `envFrom` are `integrationRef`)
            30:11 PB202 error a step's expected inputs must be a mapping, not a scalar [expected a mapping]
            31:14 PB202 error a step's expected inputs must be a mapping or a sequence of mappings, not a scalar [expected a mapping or a sequence of mappings]
            32:21 PB211 error an argument's index must be a number, not `+1` [not an index] (help: write the argument's position, from 0: `args: {0: {equals: ...}}`)
            test of greet
              case loops
                input first env `TEXT` equals "a" at "a"
                input first envFrom.integrationRef equals "slack-prod" at "slack-prod"
                input each (iteration 1 at "1") env `TEXT` contains "b" at "b"
                input each (iteration 1 at "1") runner equals "r" at "r"
                input each (iteration [2, 0] at "[2, 0]") args[0] equals "c" at "c"
                input each (iteration [2, 0] at "[2, 0]") envFrom.integrationRef matches "^slack" at "\"^slack\""
              case mistakes
                input each env `TEXT` equals "x" at "x"
                input each env `TEXT` equals "x" at "x"
                input each env `TEXT` equals "x" at "x"
                input each env `TEXT` equals "x" at "x"
        "#]],
    );
}
