//! The checks of a trigger: the playbook it names exists in the workspace, and its scenarios
//! set only that playbook's parameters.

use playbook_diagnostics::Diagnostic;
use playbook_hir::ir::Trigger;

use crate::Workspace;
use crate::checks::{unknown_playbook, unknown_scenario_parameter};
use crate::fix;

/// Checks one trigger against the workspace.
pub fn check_trigger(trigger: &Trigger, workspace: &dyn Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(name) = &trigger.playbook else {
        return out;
    };
    if name.value.is_empty() {
        return out;
    }
    let Some(playbook) = workspace.playbook(&name.value) else {
        out.push(unknown_playbook::diagnostic(
            &name.value,
            name.range,
            &workspace.playbook_names(),
            |s| fix::rename_scalar(&name.value, name.range, s),
        ));
        return out;
    };
    for scenario in &trigger.scenarios {
        for (param, _) in &scenario.parameters {
            if !playbook
                .parameters
                .iter()
                .any(|p| p.name.value == param.value)
            {
                let declared = playbook.parameters.iter().map(|p| p.name.value.as_str());
                out.push(unknown_scenario_parameter::diagnostic(
                    &param.value,
                    &name.value,
                    param.range,
                    declared,
                    |s| {
                        // Renamed to a parameter the scenario sets, the key would be a
                        // duplicate.
                        let set = scenario.parameters.iter().any(|(p, _)| p.value == s);
                        fix::rename_scalar(&param.value, param.range, s).filter(|_| !set)
                    },
                ));
            }
        }
    }
    out
}
