//! PB505 wrong-args: a step's `args` do not match the arguments its manifest declares.
//!
//! A last argument documented as further options ([`takes_the_rest`]) takes the rest of the
//! command line: any number of items, none included.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};
use playbook_hir::ir::{StepCall, StepManifest};

use crate::interface::takes_the_rest;

pub static CODE: Code = Code {
    id: "PB505",
    name: "wrong-args",
    severity: Severity::Error,
    summary: "A step's `args` do not match the arguments its manifest declares",
    doc: r#"## What it means
The manifest declares the step's command-line arguments, in order, under `args`. The step
gives more arguments than declared, or leaves out a required one.

## Why it matters
The step's command line is wrong, so the step fails or does something else.

## Example
```yaml
- name: registry.example.com/playbook-steps/aws/cli
  args: [ec2, describe-instances, --region, eu-west-1]
```
where the manifest declares only `command` and `subcommand`.

## How to fix
Give the arguments the manifest lists, in order.

## Trailing options
A last argument documented as further options takes the rest of the command line, any
number of items or none: `kubectl/cmd` declares `COMMAND`, `SUBCOMMAND` and `OPTIONS` ("More
command options"), and `args: [rollout, restart, deployment/nginx, --namespace, prod]` is
valid. The last argument qualifies when
- its name is a word for command-line items, alone or after `more`, `additional`, `extra`,
  `further` or `remaining`: `OPTIONS`, `OPTS`, `ARGS`, `ARGUMENTS`, `FLAGS`, `EXTRA_ARGS`,
  `more-options` (any case; a name written as an option, `--options`, is one option);
- or its description has one of those five words followed, within two words, by `options`,
  `opts`, `arguments`, `args` or `flags` ("More command options", "additional arguments").

In the real step library the generic `aws/cmd` and `kubectl/cmd` qualify; the last
arguments of the specialised steps (`--region`, `--device`, `url`, `query`) do not.
"#,
};

/// Checks the call's `args` against the arguments the manifest declares, if it declares any.
pub(crate) fn check(
    call: &StepCall,
    manifest: &StepManifest,
    image: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(last) = manifest.args.last() else {
        return;
    };
    let rest = takes_the_rest(last);
    let fixed = manifest.args.len() - usize::from(rest);
    if !rest && let Some(extra) = call.args.get(fixed) {
        out.push(too_many(image, fixed, extra.range));
    }
    for arg in manifest.args.iter().take(fixed).skip(call.args.len()) {
        if arg.is_required() && arg.default.is_none() {
            out.push(missing(&arg.name.value, call.image.range));
        }
    }
}

fn too_many(image: &str, declared: usize, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!(
            "`{image}` takes {declared} argument{}",
            if declared == 1 { "" } else { "s" }
        ),
    )
    .with_label("extra argument")
    .with_help("remove the extra arguments, or check the step's manifest")
}

fn missing(name: &str, range: TextRange) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("missing required argument `{name}`"))
        .with_label(format!("`{name}` is required"))
        .with_help(format!("add `{name}` to `args`"))
}
