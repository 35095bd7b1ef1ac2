//! `playbook.toml`: the configuration of a playbook repository, parsed from text into a
//! [`Config`] and a list of located diagnostics.
//!
//! [`parse_config`] is pure: reading the file is done by [`crate::discover`]. Every setting is
//! optional; a problem in one setting drops that setting (or that list item) and keeps the
//! rest, so one typo never hides the rest of the configuration. The format:
//!
//! ```toml
//! exclude = ["vendor/**"]                 # globs, relative to playbook.toml
//! [[library]]                             # several allowed
//! prefix = "us-docker.pkg.dev/stackpulse/public/"
//! path = "steps"                          # folder of <path>/.../manifest.yaml
//! [secrets]
//! known = ["GITHUB_API_TOKEN"]            # when set, secret "NAME" must be one of these
//! [severity]
//! unused-parameter = "off"                # by code or name: off | hint | warning | error
//! [format]
//! indent = 2                              # spaces per level: 2 or 4
//! indent-sequences = true                 # `key:` then `  - item` (false: `- item`)
//! ```

use std::fmt;
use std::ops::Range;

use playbook_diagnostics::{Diagnostic, Severity, TextRange, TextSize};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::codes::{CONFIG_SYNTAX, INVALID_SETTING, UNKNOWN_SETTING};

/// The name of the configuration file.
pub const CONFIG_FILE_NAME: &str = "playbook.toml";

/// The settings of a playbook repository. `Config::default()` is the configuration used when
/// there is no `playbook.toml`.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Config {
    /// Globs of paths not to check, relative to the folder of `playbook.toml`. Only valid
    /// globs are kept (see [`exclude_glob`] for their syntax).
    pub exclude: Vec<String>,
    /// The step libraries, in the order they are written.
    pub libraries: Vec<LibraryConfig>,
    /// When set, the only secret names a playbook may read.
    pub known_secrets: Option<Vec<String>>,
    /// Severity changes, in the order they are written.
    pub severity: Vec<SeverityOverride>,
    /// How `playbook fmt` lays files out.
    pub format: FormatConfig,
}

/// The `[format]` settings: how `playbook fmt` (and the editor's formatting) lays out files.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FormatConfig {
    /// Spaces per indentation level: 2 or 4.
    pub indent: u8,
    /// Whether a block sequence under a mapping key is indented one level more than the key.
    pub indent_sequences: bool,
    /// A problem was reported in `[format]`, or the file is not valid TOML: formatting with
    /// the settings read could lay files out other than intended.
    pub invalid: bool,
}

impl Default for FormatConfig {
    fn default() -> FormatConfig {
        FormatConfig {
            indent: 2,
            indent_sequences: true,
            invalid: false,
        }
    }
}

impl Config {
    /// The level the configuration sets for the code `id` (`PB123`), if it sets one.
    pub fn level_of(&self, id: &str) -> Option<Level> {
        self.severity.iter().find(|s| s.code == id).map(|s| s.level)
    }
}

/// A `[[library]]` entry: steps whose image starts with `prefix` have their manifest under
/// the folder `path`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LibraryConfig {
    pub prefix: String,
    /// Relative to the folder of `playbook.toml` (or absolute).
    pub path: String,
    /// The whole entry, from its `[[library]]` header to its last value.
    pub range: TextRange,
    pub prefix_range: TextRange,
    pub path_range: TextRange,
}

/// One line of `[severity]`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SeverityOverride {
    /// The key as written: a code (`PB123`) or a name (`unused-parameter`).
    pub key: String,
    /// The code's id (`PB123`), whichever way the key names it.
    pub code: String,
    pub level: Level,
    /// The range of the key.
    pub range: TextRange,
}

/// A severity level a check can be set to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Level {
    Off,
    Hint,
    Warning,
    Error,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Off, Level::Hint, Level::Warning, Level::Error];

    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Hint => "hint",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// The level written `text` (exactly, in lower case).
    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == text)
    }

    /// The severity diagnostics get at this level; `None` for `off`.
    pub const fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Hint => Some(Severity::Hint),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compiles one `exclude` pattern: `*`, `?` and `[...]` do not cross `/`, `**` does, `{a,b}`
/// is an alternative. Patterns are matched against paths relative to the folder of
/// `playbook.toml`, written with `/`; a leading `./` is ignored.
pub fn exclude_glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
}

const SETTINGS: &[&str] = &["exclude", "library", "secrets", "severity", "format"];
const LIBRARY_SETTINGS: &[&str] = &["prefix", "path"];
const SECRETS_SETTINGS: &[&str] = &["known"];
const FORMAT_SETTINGS: &[&str] = &["indent", "indent-sequences"];

/// Parses the text of a `playbook.toml`. Never fails: problems are returned as diagnostics,
/// sorted by position, and the settings they concern are left out of the [`Config`].
///
/// `known_codes` lists the `(id, name)` of every diagnostic code (`("PB123",
/// "unused-parameter")`), which the keys of `[severity]` must name.
pub fn parse_config(text: &str, known_codes: &[(&str, &str)]) -> (Config, Vec<Diagnostic>) {
    let mut cx = Cx {
        known_codes,
        config: Config::default(),
        diagnostics: Vec::new(),
    };
    let (table, errors) = DeTable::parse_recoverable(text);
    cx.root(table.get_ref());
    let Cx {
        mut config,
        mut diagnostics,
        ..
    } = cx;
    // Past a syntax error the recovered structure is a guess: settings there are still
    // read, but problems found in them would mostly echo the syntax error.
    let syntax: Vec<Diagnostic> = errors.iter().map(|e| syntax_error(e, text.len())).collect();
    if let Some(first) = syntax.iter().map(|d| d.range.start()).min() {
        diagnostics.retain(|d| d.range.start() < first);
        config.format.invalid = true;
    }
    diagnostics.extend(syntax);
    // `DeTable` sorts keys by name; restore the order of the text.
    config.libraries.sort_by_key(|l| l.range.start());
    config.severity.sort_by_key(|s| s.range.start());
    diagnostics.sort_by_key(|d| (d.range.start(), d.range.end()));
    (config, diagnostics)
}

fn syntax_error(error: &toml::de::Error, len: usize) -> Diagnostic {
    let range = error
        .span()
        .map_or(TextRange::empty(to_size(len)), to_range);
    let full = error.message();
    let (message, expected) = match full.split_once(", expected ") {
        Some((message, expected)) => (message, Some(expected)),
        None => (full, None),
    };
    let diagnostic = Diagnostic::new(&CONFIG_SYNTAX, range, message);
    match expected {
        Some(expected) => diagnostic.with_label(format!("expected {expected}")),
        None => diagnostic,
    }
}

/// The state of one parse: what is known and what has been found so far.
struct Cx<'a> {
    known_codes: &'a [(&'a str, &'a str)],
    config: Config,
    diagnostics: Vec<Diagnostic>,
}

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

impl Cx<'_> {
    fn root(&mut self, table: &DeTable<'_>) {
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "exclude" => self.exclude(value),
                "library" => self.libraries(value),
                "secrets" => self.secrets(value),
                "severity" => self.severity(value),
                "format" => self.format(value),
                _ => self.unknown_setting(key, None, SETTINGS),
            }
        }
    }

    fn exclude(&mut self, value: &Value<'_>) {
        let Some(items) = self.string_list(value, "exclude", "a list of globs") else {
            return;
        };
        for (pattern, range) in items {
            match exclude_glob(&pattern) {
                Ok(_) => self.config.exclude.push(pattern),
                Err(error) => self.diagnostics.push(
                    Diagnostic::new(&INVALID_SETTING, range, format!("invalid glob `{pattern}`"))
                        .with_label(error.kind().to_string())
                        .with_help(
                            "use `*` for any name, `**` for any folders and `{a,b}` for \
                             alternatives; quote `[` as `[[]`",
                        ),
                ),
            }
        }
    }

    fn libraries(&mut self, value: &Value<'_>) {
        match value.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::Table(table) => self.library(item.span(), table),
                        other => self.wrong_type(item, "a library entry", "a table", other),
                    }
                }
            }
            DeValue::Table(_) => self.diagnostics.push(
                Diagnostic::new(
                    &INVALID_SETTING,
                    to_range(value.span()),
                    "`library` written as a single table",
                )
                .with_label("expected `[[library]]`")
                .with_help("write the header with two brackets, `[[library]]`, once per library"),
            ),
            other => self.wrong_type(value, "`library`", "a list of tables", other),
        }
    }

    fn library(&mut self, header: Range<usize>, table: &DeTable<'_>) {
        let header = to_range(header);
        let mut range = header;
        // `None`: not written; `Some(None)`: written, but invalid (and reported).
        let mut prefix: Option<Option<(String, TextRange)>> = None;
        let mut path: Option<Option<(String, TextRange)>> = None;
        for (key, value) in table.iter() {
            range = range
                .cover(to_range(key.span()))
                .cover(to_range(value.span()));
            let name = key.get_ref().as_ref();
            let slot = match name {
                "prefix" => &mut prefix,
                "path" => &mut path,
                _ => {
                    self.unknown_setting(key, Some("library"), LIBRARY_SETTINGS);
                    continue;
                }
            };
            *slot = Some(None);
            match value.get_ref() {
                DeValue::String(s) if s.is_empty() => self.diagnostics.push(
                    Diagnostic::new(
                        &INVALID_SETTING,
                        to_range(value.span()),
                        format!("empty library `{name}`"),
                    )
                    .with_label("this must not be empty")
                    .with_help(if name == "prefix" {
                        "Write the image prefix the library serves, such as \
                         `\"us-docker.pkg.dev/stackpulse/public/\"`"
                    } else {
                        "write the folder of the library's manifests, relative to playbook.toml"
                    }),
                ),
                DeValue::String(s) => *slot = Some(Some((s.to_string(), to_range(value.span())))),
                other => {
                    self.wrong_type(value, &format!("library `{name}`"), "a string", other);
                }
            }
        }
        for (name, found) in [("prefix", &prefix), ("path", &path)] {
            if found.is_none() {
                self.diagnostics.push(
                    Diagnostic::new(
                        &INVALID_SETTING,
                        header,
                        format!("library without `{name}`"),
                    )
                    .with_label(format!("`{name}` is missing"))
                    .with_help(if name == "prefix" {
                        "add `prefix = \"...\"`: the image prefix whose steps this library \
                             holds"
                    } else {
                        "add `path = \"...\"`: the folder of the manifests, relative to \
                             playbook.toml"
                    }),
                );
            }
        }
        let (Some(Some((prefix, prefix_range))), Some(Some((path, path_range)))) = (prefix, path)
        else {
            return;
        };
        if let Some(first) = self
            .config
            .libraries
            .iter()
            .find(|l| l.prefix == prefix)
            .map(|l| l.prefix_range)
        {
            // Report the later of the two, whichever order `DeTable` gave them in.
            let (first, second) = if first.start() < prefix_range.start() {
                (first, prefix_range)
            } else {
                (prefix_range, first)
            };
            self.diagnostics.push(
                Diagnostic::new(
                    &INVALID_SETTING,
                    second,
                    format!("library prefix `{prefix}` declared twice"),
                )
                .with_label("a second library for this prefix")
                .with_related(first, "first declared here")
                .with_help("give each library its own prefix, or merge the two folders"),
            );
            return;
        }
        self.config.libraries.push(LibraryConfig {
            prefix,
            path,
            range,
            prefix_range,
            path_range,
        });
    }

    fn secrets(&mut self, value: &Value<'_>) {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(value, "`secrets`", "a table", value.get_ref());
            return;
        };
        for (key, value) in table.iter() {
            if key.get_ref().as_ref() != "known" {
                self.unknown_setting(key, Some("secrets"), SECRETS_SETTINGS);
                continue;
            }
            if let Some(items) = self.string_list(value, "secrets.known", "a list of secret names")
            {
                self.config.known_secrets = Some(items.into_iter().map(|(s, _)| s).collect());
            }
        }
    }

    fn severity(&mut self, value: &Value<'_>) {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(value, "`severity`", "a table", value.get_ref());
            return;
        };
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            let key_range = to_range(key.span());
            let code = self
                .known_codes
                .iter()
                .find(|(id, code_name)| *id == name || *code_name == name)
                .map(|(id, _)| *id);
            let level = match value.get_ref() {
                DeValue::String(text) => {
                    let level = Level::parse(text);
                    if level.is_none() {
                        let levels = Level::ALL.map(Level::as_str);
                        let levels_help = "use `off`, `hint`, `warning` or `error`";
                        let (label, help) = match closest(text, &levels) {
                            Some(l) => (
                                format!("did you mean `{l}`?"),
                                format!("did you mean `{l}`? {levels_help}"),
                            ),
                            None => ("not a severity level".to_owned(), levels_help.to_owned()),
                        };
                        self.diagnostics.push(
                            Diagnostic::new(
                                &INVALID_SETTING,
                                to_range(value.span()),
                                format!("unknown severity level `{text}`"),
                            )
                            .with_label(label)
                            .with_help(help),
                        );
                    }
                    level
                }
                other => {
                    self.wrong_type(value, &format!("the level of `{name}`"), "a string", other);
                    None
                }
            };
            let Some(code) = code else {
                let candidates: Vec<&str> = self
                    .known_codes
                    .iter()
                    .flat_map(|(id, name)| [*id, *name])
                    .collect();
                let how = "name a check by its code (`PB123`) or its name; \
                           `playbook explain` lists them";
                let (label, help) = match closest(name, &candidates) {
                    Some(c) => (
                        format!("did you mean `{c}`?"),
                        format!("did you mean `{c}`? {how}"),
                    ),
                    None => ("no check has this code or name".to_owned(), how.to_owned()),
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        &INVALID_SETTING,
                        key_range,
                        format!("unknown check `{name}`"),
                    )
                    .with_label(label)
                    .with_help(help),
                );
                continue;
            };
            let Some(level) = level else { continue };
            if let Some(first) = self
                .config
                .severity
                .iter()
                .find(|s| s.code == code)
                .map(|s| s.range)
            {
                let (first, second) = if first.start() < key_range.start() {
                    (first, key_range)
                } else {
                    (key_range, first)
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        &INVALID_SETTING,
                        second,
                        format!("severity of `{code}` set twice"),
                    )
                    .with_label("set again here")
                    .with_related(first, "first set here")
                    .with_help("keep one line per check: by its code or by its name, not both"),
                );
                continue;
            }
            self.config.severity.push(SeverityOverride {
                key: name.to_owned(),
                code: code.to_owned(),
                level,
                range: key_range,
            });
        }
    }

    fn format(&mut self, value: &Value<'_>) {
        let before = self.diagnostics.len();
        self.format_settings(value);
        self.config.format.invalid |= self.diagnostics.len() > before;
    }

    fn format_settings(&mut self, value: &Value<'_>) {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(value, "`format`", "a table", value.get_ref());
            return;
        };
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "indent" => match value.get_ref() {
                    DeValue::Integer(n) if matches!(integer(n), Some(2 | 4)) => {
                        self.config.format.indent = if integer(n) == Some(4) { 4 } else { 2 };
                    }
                    DeValue::Integer(n) => self.diagnostics.push(
                        Diagnostic::new(
                            &INVALID_SETTING,
                            to_range(value.span()),
                            format!("unsupported indentation `{n}`"),
                        )
                        .with_label("expected 2 or 4")
                        .with_help("indent by 2 spaces (`indent = 2`, the default) or by 4"),
                    ),
                    other => self.wrong_type(value, "`format.indent`", "2 or 4", other),
                },
                "indent-sequences" => match value.get_ref() {
                    DeValue::Boolean(b) => self.config.format.indent_sequences = *b,
                    other => {
                        self.wrong_type(value, "`format.indent-sequences`", "a boolean", other)
                    }
                },
                _ => self.unknown_setting(key, Some("format"), FORMAT_SETTINGS),
            }
        }
    }

    /// The strings of a list setting; a non-list is reported and gives `None`, a non-string
    /// item is reported and left out.
    fn string_list(
        &mut self,
        value: &Value<'_>,
        setting: &str,
        expected: &str,
    ) -> Option<Vec<(String, TextRange)>> {
        let DeValue::Array(items) = value.get_ref() else {
            let example = if setting == "exclude" {
                "exclude = [\"vendor/**\"]"
            } else {
                "known = [\"GITHUB_API_TOKEN\"]"
            };
            self.diagnostics.push(
                Diagnostic::new(
                    &INVALID_SETTING,
                    to_range(value.span()),
                    format!("`{setting}` is not a list"),
                )
                .with_label(format!(
                    "expected {expected}, found {}",
                    type_name(value.get_ref())
                ))
                .with_help(format!("write a list in brackets: `{example}`")),
            );
            return None;
        };
        let mut strings = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => strings.push((s.to_string(), to_range(item.span()))),
                other => {
                    self.wrong_type(item, &format!("an item of `{setting}`"), "a string", other)
                }
            }
        }
        Some(strings)
    }

    fn wrong_type(&mut self, value: &Value<'_>, what: &str, expected: &str, found: &DeValue<'_>) {
        self.diagnostics.push(
            Diagnostic::new(
                &INVALID_SETTING,
                to_range(value.span()),
                format!("wrong type for {what}"),
            )
            .with_label(format!("expected {expected}, found {}", type_name(found))),
        );
    }

    fn unknown_setting(&mut self, key: &Key<'_>, table: Option<&str>, known: &[&str]) {
        let name = key.get_ref().as_ref();
        let suggestion = closest(name, known);
        let label = match suggestion {
            Some(c) => format!("did you mean `{c}`?"),
            None => "playbook does not read this setting".to_owned(),
        };
        let (message, place) = match table {
            Some(table) => (
                format!("unknown setting `{table}.{name}`"),
                format!("in `{table}`"),
            ),
            None => (format!("unknown setting `{name}`"), "here".to_owned()),
        };
        let list = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.diagnostics.push(
            Diagnostic::new(&UNKNOWN_SETTING, to_range(key.span()), message)
                .with_label(label)
                .with_help(match suggestion {
                    Some(c) => format!("did you mean `{c}`? the settings {place} are {list}"),
                    None => format!("the settings {place} are {list}"),
                }),
        );
    }
}

/// The value of a TOML integer, when it fits an `i64`.
fn integer(n: &toml::de::DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(n.as_str(), n.radix()).ok()
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn to_size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::MAX)
}

fn to_range(range: Range<usize>) -> TextRange {
    TextRange::new(to_size(range.start), to_size(range.end))
}

/// The candidate closest to `name` ("did you mean"), from the one spelling-suggestion
/// function every layer uses.
pub fn closest<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    playbook_hir::suggest::closest(name, candidates.iter().copied())
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};
    use playbook_diagnostics::LineIndex;

    use super::*;

    const CODES: &[(&str, &str)] = &[
        ("PB001", "invalid-yaml"),
        ("PB101", "unused-parameter"),
        ("PB102", "unknown-parameter"),
    ];

    /// One line per diagnostic: `line:col CODE message [label] (help)`, 1-based, then its
    /// related locations.
    fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
        let index = LineIndex::new(text);
        let at = |offset| {
            let lc = index.line_col(offset);
            format!("{}:{}", lc.line + 1, index.char_col(offset, text) + 1)
        };
        let mut out = String::new();
        for d in diagnostics {
            out.push_str(&format!(
                "{} {} {}",
                at(d.range.start()),
                d.code.id,
                d.message
            ));
            if let Some(label) = &d.label {
                out.push_str(&format!(" [{label}]"));
            }
            if let Some(help) = &d.help {
                out.push_str(&format!(" ({help})"));
            }
            out.push('\n');
            for r in &d.related {
                out.push_str(&format!("    {} {}\n", at(r.range.start()), r.message));
            }
        }
        out
    }

    fn check(text: &str, expect: Expect) {
        let (_, diagnostics) = parse_config(text, CODES);
        expect.assert_eq(&render(text, &diagnostics));
    }

    #[test]
    fn full_configuration() {
        let text = r#"
exclude = ["vendor/**", "./tmp/*.yaml"]

[[library]]
prefix = "us-docker.pkg.dev/stackpulse/public/"
path = "steps"

[[library]]
path = "own"
prefix = "example.com/"

[secrets]
known = ["GITHUB_API_TOKEN", "SLACK"]

[severity]
unused-parameter = "off"
PB102 = "hint"
"#;
        let (config, diagnostics) = parse_config(text, CODES);
        assert_eq!(diagnostics, []);
        assert_eq!(config.exclude, ["vendor/**", "./tmp/*.yaml"]);
        let libraries: Vec<_> = config
            .libraries
            .iter()
            .map(|l| {
                (
                    l.prefix.as_str(),
                    l.path.as_str(),
                    &text[l.range.as_usize()],
                    &text[l.path_range.as_usize()],
                )
            })
            .collect();
        assert_eq!(
            libraries,
            [
                (
                    "us-docker.pkg.dev/stackpulse/public/",
                    "steps",
                    "[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = \"steps\"",
                    "\"steps\""
                ),
                (
                    "example.com/",
                    "own",
                    "[[library]]\npath = \"own\"\nprefix = \"example.com/\"",
                    "\"own\""
                ),
            ]
        );
        assert_eq!(
            config.known_secrets,
            Some(vec!["GITHUB_API_TOKEN".to_owned(), "SLACK".to_owned()])
        );
        let severity: Vec<_> = config
            .severity
            .iter()
            .map(|s| {
                (
                    s.key.as_str(),
                    s.code.as_str(),
                    s.level,
                    &text[s.range.as_usize()],
                )
            })
            .collect();
        assert_eq!(
            severity,
            [
                ("unused-parameter", "PB101", Level::Off, "unused-parameter"),
                ("PB102", "PB102", Level::Hint, "PB102"),
            ]
        );
        assert_eq!(config.level_of("PB101"), Some(Level::Off));
        assert_eq!(config.level_of("PB001"), None);
    }

    #[test]
    fn empty_file_is_the_default_configuration() {
        assert_eq!(parse_config("", CODES), (Config::default(), vec![]));
        assert_eq!(
            parse_config("# nothing here\n\n", CODES),
            (Config::default(), vec![])
        );
    }

    #[test]
    fn toml_syntax_errors() {
        check(
            "exclude = [vendor/**]\n",
            expect![[r#"
                1:12 PB901 string values must be quoted [expected literal string]
            "#]],
        );
        check(
            "[severity\nPB101 = \"off\"\n",
            expect![[r#"
                1:10 PB901 unclosed table [expected `]`]
            "#]],
        );
        check(
            "exclude = []\nexclude = [\"a\"]\n",
            expect![[r#"
                2:1 PB901 duplicate key
            "#]],
        );
        // Problems before the first syntax error are still reported.
        check(
            "exlude = []\nsecrets = 1\n[severity]\nPB101 = off\nPB999 = 'off'\n",
            expect![[r#"
                1:1 PB902 unknown setting `exlude` [did you mean `exclude`?] (did you mean `exclude`? the settings here are `exclude`, `library`, `secrets`, `severity`, `format`)
                2:11 PB903 wrong type for `secrets` [expected a table, found an integer]
                4:9 PB901 string values must be quoted [expected literal string]
            "#]],
        );
    }

    #[test]
    fn unknown_settings() {
        check(
            r#"exlude = ["vendor/**"]
Exclude = []
colour = true

[[libraries]]
prefix = "a/"
path = "a"

[[library]]
prefix = "b/"
Path = "b"
folder = "c"

[secrets]
know = ["A"]
"#,
            expect![[r#"
                1:1 PB902 unknown setting `exlude` [did you mean `exclude`?] (did you mean `exclude`? the settings here are `exclude`, `library`, `secrets`, `severity`, `format`)
                2:1 PB902 unknown setting `Exclude` [did you mean `exclude`?] (did you mean `exclude`? the settings here are `exclude`, `library`, `secrets`, `severity`, `format`)
                3:1 PB902 unknown setting `colour` [playbook does not read this setting] (the settings here are `exclude`, `library`, `secrets`, `severity`, `format`)
                5:3 PB902 unknown setting `libraries` [did you mean `library`?] (did you mean `library`? the settings here are `exclude`, `library`, `secrets`, `severity`, `format`)
                9:1 PB903 library without `path` [`path` is missing] (add `path = "..."`: the folder of the manifests, relative to playbook.toml)
                11:1 PB902 unknown setting `library.Path` [did you mean `path`?] (did you mean `path`? the settings in `library` are `prefix`, `path`)
                12:1 PB902 unknown setting `library.folder` [playbook does not read this setting] (the settings in `library` are `prefix`, `path`)
                15:1 PB902 unknown setting `secrets.know` [did you mean `known`?] (did you mean `known`? the settings in `secrets` are `known`)
            "#]],
        );
    }

    #[test]
    fn values_of_the_wrong_type() {
        check(
            r#"exclude = "vendor/**"
library = "steps"

[secrets]
known = ["A", 3, { x = 1 }]

[severity]
unused-parameter = 0
"#,
            expect![[r#"
                1:11 PB903 `exclude` is not a list [expected a list of globs, found a string] (write a list in brackets: `exclude = ["vendor/**"]`)
                2:11 PB903 wrong type for `library` [expected a list of tables, found a string]
                5:15 PB903 wrong type for an item of `secrets.known` [expected a string, found an integer]
                5:18 PB903 wrong type for an item of `secrets.known` [expected a string, found a table]
                8:20 PB903 wrong type for the level of `unused-parameter` [expected a string, found an integer]
            "#]],
        );
        check(
            "secrets = [\"A\"]\nseverity = \"off\"\n[library]\nprefix = \"a/\"\n",
            expect![[r#"
                1:11 PB903 wrong type for `secrets` [expected a table, found a list]
                2:12 PB903 wrong type for `severity` [expected a table, found a string]
                3:1 PB903 `library` written as a single table [expected `[[library]]`] (write the header with two brackets, `[[library]]`, once per library)
            "#]],
        );
        check(
            "library = [1, { prefix = 2, path = true }]\n",
            expect![[r#"
                1:12 PB903 wrong type for a library entry [expected a table, found an integer]
                1:26 PB903 wrong type for library `prefix` [expected a string, found an integer]
                1:36 PB903 wrong type for library `path` [expected a string, found a boolean]
            "#]],
        );
    }

    #[test]
    fn library_problems() {
        check(
            r#"[[library]]
prefix = ""
path = ""

[[library]]

[[library]]
prefix = "a/"
path = "x"

[[library]]
prefix = "a/"
path = "y"
"#,
            expect![[r#"
                2:10 PB903 empty library `prefix` [this must not be empty] (Write the image prefix the library serves, such as `"us-docker.pkg.dev/stackpulse/public/"`)
                3:8 PB903 empty library `path` [this must not be empty] (write the folder of the library's manifests, relative to playbook.toml)
                5:1 PB903 library without `prefix` [`prefix` is missing] (add `prefix = "..."`: the image prefix whose steps this library holds)
                5:1 PB903 library without `path` [`path` is missing] (add `path = "..."`: the folder of the manifests, relative to playbook.toml)
                12:10 PB903 library prefix `a/` declared twice [a second library for this prefix] (give each library its own prefix, or merge the two folders)
                    8:10 first declared here
            "#]],
        );
        let (config, _) = parse_config(
            "[[library]]\nprefix = \"a/\"\npath = \"x\"\n[[library]]\nprefix = \"a/\"\npath = \"y\"\n",
            CODES,
        );
        let paths: Vec<_> = config.libraries.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            paths,
            ["x"],
            "the first of two libraries with one prefix is kept"
        );
    }

    #[test]
    fn bad_globs() {
        check(
            r#"exclude = ["vendor/**", "a/[b", "{x,{y}}", "ok/*.yml", 7]"#,
            expect![[r#"
                1:25 PB903 invalid glob `a/[b` [unclosed character class; missing ']'] (use `*` for any name, `**` for any folders and `{a,b}` for alternatives; quote `[` as `[[]`)
                1:56 PB903 wrong type for an item of `exclude` [expected a string, found an integer]
            "#]],
        );
        let (config, _) = parse_config(r#"exclude = ["vendor/**", "a/[b"]"#, CODES);
        assert_eq!(config.exclude, ["vendor/**"], "bad globs are left out");
    }

    #[test]
    fn severity_problems() {
        check(
            r#"[severity]
unused-parameter = "warn"
PB102 = "Error"
PB001 = "loud"
unused-paramter = "off"
pb101 = "off"
PB999 = "off"
invalid-yaml = "hint"
"#,
            expect![[r#"
                2:20 PB903 unknown severity level `warn` [did you mean `warning`?] (did you mean `warning`? use `off`, `hint`, `warning` or `error`)
                3:9 PB903 unknown severity level `Error` [did you mean `error`?] (did you mean `error`? use `off`, `hint`, `warning` or `error`)
                4:9 PB903 unknown severity level `loud` [not a severity level] (use `off`, `hint`, `warning` or `error`)
                5:1 PB903 unknown check `unused-paramter` [did you mean `unused-parameter`?] (did you mean `unused-parameter`? name a check by its code (`PB123`) or its name; `playbook explain` lists them)
                6:1 PB903 unknown check `pb101` [did you mean `PB101`?] (did you mean `PB101`? name a check by its code (`PB123`) or its name; `playbook explain` lists them)
                7:1 PB903 unknown check `PB999` [no check has this code or name] (name a check by its code (`PB123`) or its name; `playbook explain` lists them)
            "#]],
        );
        check(
            "[severity]\nPB101 = \"off\"\nunused-parameter = \"hint\"\n",
            expect![[r#"
                3:1 PB903 severity of `PB101` set twice [set again here] (keep one line per check: by its code or by its name, not both)
                    2:1 first set here
            "#]],
        );
    }

    /// Every prefix of a configuration full of mistakes (as while typing in an editor) is
    /// parsed without a panic, and every diagnostic lies inside the text.
    #[test]
    fn every_prefix_parses() {
        let text = "exclude = [\"v/**\", \"a/[b\", 1]\nexlude = 2\n[[library]]\nprefix = \"\"\n\
                    path = 'é'\n[[library]]\nprefix = \"é/\"\n[secrets]\nknown = \"A\"\n\
                    [severity]\nPB101 = \"warn\"\n\"unused-parameter\" = { a = 1 }\nx.y = 1\n";
        for (end, _) in text.char_indices() {
            let prefix = &text[..end];
            let (_, diagnostics) = parse_config(prefix, CODES);
            for d in &diagnostics {
                assert!(
                    d.range.end() as usize <= prefix.len(),
                    "{prefix:?}: {d:?} is out of the text"
                );
            }
        }
    }

    #[test]
    fn format_settings() {
        let (config, diagnostics) =
            parse_config("[format]\nindent = 4\nindent-sequences = false\n", CODES);
        assert_eq!(diagnostics, []);
        assert_eq!(
            config.format,
            FormatConfig {
                indent: 4,
                indent_sequences: false,
                invalid: false,
            }
        );
        let default = parse_config("", CODES).0.format;
        assert_eq!(
            (default.indent, default.indent_sequences, default.invalid),
            (2, true, false),
            "the default: 2 spaces, sequences indented"
        );
        check(
            r#"[format]
indent = 3
indent_sequences = false
indent-sequence = true
width = 100

"#,
            expect![[r#"
                2:10 PB903 unsupported indentation `3` [expected 2 or 4] (indent by 2 spaces (`indent = 2`, the default) or by 4)
                3:1 PB902 unknown setting `format.indent_sequences` [did you mean `indent-sequences`?] (did you mean `indent-sequences`? the settings in `format` are `indent`, `indent-sequences`)
                4:1 PB902 unknown setting `format.indent-sequence` [did you mean `indent-sequences`?] (did you mean `indent-sequences`? the settings in `format` are `indent`, `indent-sequences`)
                5:1 PB902 unknown setting `format.width` [playbook does not read this setting] (the settings in `format` are `indent`, `indent-sequences`)
            "#]],
        );
        check(
            "format = \"2\"\n",
            expect![[r#"
                1:10 PB903 wrong type for `format` [expected a table, found a string]
            "#]],
        );
        check(
            "[format]\nindent = \"4\"\nindent-sequences = \"yes\"\n",
            expect![[r#"
                2:10 PB903 wrong type for `format.indent` [expected 2 or 4, found a string]
                3:20 PB903 wrong type for `format.indent-sequences` [expected a boolean, found a string]
            "#]],
        );
        let (config, _) = parse_config("[format]\nindent = 8\nindent-sequences = false\n", CODES);
        assert_eq!(
            config.format,
            FormatConfig {
                indent: 2,
                indent_sequences: false,
                invalid: true,
            },
            "an unsupported indentation keeps the default and marks the section invalid"
        );
    }

    #[test]
    fn problems_elsewhere_do_not_make_the_format_invalid() {
        let (config, diagnostics) = parse_config("exlude = []\n[format]\nindent = 4\n", CODES);
        assert_eq!(diagnostics.len(), 1);
        assert!(!config.format.invalid);
        assert_eq!(config.format.indent, 4);
        let (config, _) = parse_config("[format]\nindent = 4\n[severity\n", CODES);
        assert!(
            config.format.invalid,
            "a TOML syntax error makes nothing trustworthy"
        );
    }

    #[test]
    fn closest_names() {
        let names = ["exclude", "library", "secrets", "severity"];
        assert_eq!(closest("EXCLUDE", &names), Some("exclude"));
        assert_eq!(closest("exlcude", &names), Some("exclude"));
        assert_eq!(closest("libraries", &names), Some("library"));
        assert_eq!(closest("secret", &names), Some("secrets"));
        assert_eq!(closest("sev", &names), Some("severity"));
        assert_eq!(closest("colour", &names), None);
        assert_eq!(closest("", &names), None);
        assert_eq!(closest(&"x".repeat(10_000), &names), None);
        assert_eq!(
            closest("warn", &["off", "hint", "warning", "error"]),
            Some("warning")
        );
    }

    #[test]
    fn levels() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::Off.severity(), None);
        assert_eq!(Level::Warning.severity(), Some(Severity::Warning));
    }
}
