//! The client's settings for the server: today one, `playbook.inlayHints.templateValues`
//! (default off), which shows after each template what it renders to offline.
//!
//! They come in `initializationOptions` at `initialize` and again in every
//! `workspace/didChangeConfiguration`; both may give them under a `playbook` key (as VS Code's
//! `synchronize.configurationSection` sends them) or bare. A setting that is absent or of the
//! wrong type keeps its default.

use serde_json::Value;

/// The settings in use.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Settings {
    /// `playbook.inlayHints.templateValues`: inlay hints with the offline value of each
    /// template.
    pub template_values: bool,
}

impl Settings {
    /// The settings `value` gives (`{"playbook": {...}}`, or `{"inlayHints": ...}` bare);
    /// `None` when it holds none of the server's, so that an unrelated notification changes
    /// nothing.
    pub fn from_json(value: &Value) -> Option<Settings> {
        let object = value.as_object()?;
        let hints = match object.get("playbook") {
            Some(inner) => inner.as_object()?.get("inlayHints"),
            None => Some(object.get("inlayHints")?),
        };
        Some(Settings {
            template_values: hints
                .and_then(|h| h.get("templateValues"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_bare_and_unrelated() {
        let on = Some(Settings {
            template_values: true,
        });
        assert_eq!(
            Settings::from_json(&json!({"playbook": {"inlayHints": {"templateValues": true}}})),
            on
        );
        assert_eq!(
            Settings::from_json(&json!({"inlayHints": {"templateValues": true}})),
            on
        );
        assert_eq!(
            Settings::from_json(&json!({"inlayHints": {"templateValues": "yes"}})),
            Some(Settings::default())
        );
        assert_eq!(
            Settings::from_json(&json!({"playbook": {"path": "playbook"}})),
            Some(Settings::default())
        );
        assert_eq!(
            Settings::from_json(&json!({"yaml": {"format": true}})),
            None
        );
        assert_eq!(Settings::from_json(&json!(null)), None);
        assert_eq!(Settings::from_json(&json!([1])), None);
    }
}
