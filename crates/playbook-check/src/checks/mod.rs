//! One module per check: its code, its documentation, and the function that builds its
//! diagnostic. The traversals in `playbook.rs` and `trigger.rs` decide where each check
//! applies.

use playbook_diagnostics::{Code, Diagnostic, Fix};

pub mod argument_type;
pub mod conditional_step_output;
pub mod constant_condition;
pub mod default_reads_context;
pub mod duplicate_playbook_name;
pub mod forward_step_reference;
pub mod integration_not_accepted;
pub mod integration_ref_not_integration;
pub mod invalid_input_value;
pub mod invalid_test_iteration;
pub mod invalid_test_pattern;
pub mod manifest_defect;
pub mod missing_integration;
pub mod missing_required_input;
pub mod output_field_on_scalar;
pub mod plain_secret_call;
pub mod runner_not_spd;
pub mod secret_parameter_without_secret;
pub mod undeclared_mocked_output;
pub mod undefined_parameter;
pub mod unknown_arg;
pub mod unknown_context_field;
pub mod unknown_function;
pub mod unknown_image;
pub mod unknown_input;
pub mod unknown_output;
pub mod unknown_output_field;
pub mod unknown_platform_setting;
pub mod unknown_playbook;
pub mod unknown_reference;
pub mod unknown_scenario_parameter;
pub mod unknown_secret;
pub mod unknown_test_parameter;
pub mod unknown_test_step;
pub mod unknown_tested_playbook;
pub mod unset_expected_input;
pub mod unused_parameter;
pub mod unused_suppression;
pub mod wrong_argument_count;

/// Every code reported by this crate.
pub const ALL: &[&Code] = &[
    &unknown_function::CODE,
    &wrong_argument_count::CODE,
    &argument_type::CODE,
    &constant_condition::CODE,
    &undefined_parameter::CODE,
    &unused_parameter::CODE,
    &secret_parameter_without_secret::CODE,
    &plain_secret_call::CODE,
    &default_reads_context::CODE,
    &unknown_secret::CODE,
    &unknown_reference::CODE,
    &forward_step_reference::CODE,
    &conditional_step_output::CODE,
    &unknown_output::CODE,
    &unknown_output_field::CODE,
    &output_field_on_scalar::CODE,
    &unknown_context_field::CODE,
    &unknown_image::CODE,
    &unknown_input::CODE,
    &missing_required_input::CODE,
    &invalid_input_value::CODE,
    &unknown_arg::CODE,
    &integration_ref_not_integration::CODE,
    &integration_not_accepted::CODE,
    &manifest_defect::CODE,
    &runner_not_spd::CODE,
    &missing_integration::CODE,
    &unknown_platform_setting::CODE,
    &unknown_playbook::CODE,
    &unknown_scenario_parameter::CODE,
    &duplicate_playbook_name::CODE,
    &unused_suppression::CODE,
    &unknown_tested_playbook::CODE,
    &unknown_test_parameter::CODE,
    &unknown_test_step::CODE,
    &undeclared_mocked_output::CODE,
    &unset_expected_input::CODE,
    &invalid_test_pattern::CODE,
    &invalid_test_iteration::CODE,
];

/// `diagnostic` with the fix `replace` makes of `suggestion` (the name written in place of
/// the misspelled one), when there is a suggestion and it can be written there. The fix is
/// safe only when `safe` says so: a did-you-mean is applied unattended (`playbook check
/// --fix`) only where the name surely meant one thing (see the README's list).
pub(crate) fn with_replacement(
    diagnostic: Diagnostic,
    suggestion: Option<&str>,
    safe: bool,
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    match suggestion.and_then(replace) {
        Some(fix) if safe => diagnostic.with_fix(fix),
        Some(fix) => diagnostic.with_fix(fix.unsafe_()),
        None => diagnostic,
    }
}

/// "did you mean `x`?" when `suggestion` is some, else `fallback`.
pub(crate) fn did_you_mean(suggestion: Option<&str>, fallback: &str) -> String {
    match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => fallback.to_owned(),
    }
}

/// Names as a list for a message: each in backquotes, at most `shown` of them, then how many
/// more there are (`` `a`, `b`, 3 more ``).
pub(crate) fn quoted_list<'a>(
    names: impl IntoIterator<Item = &'a str>,
    shown: usize,
) -> Vec<String> {
    let mut list = Vec::new();
    let mut more = 0usize;
    for name in names {
        if list.len() < shown {
            list.push(format!("`{name}`"));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        list.push(format!("{more} more"));
    }
    list
}
