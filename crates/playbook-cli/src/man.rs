//! `playbook man`: the manual pages of the command line, generated from its clap definition
//! by `clap_mangen`, in the roff format that `man` reads.
//!
//! Like git's, there is one page per command: `playbook(1)` lists the subcommands and
//! `playbook-check(1)`, `playbook-debug-tree(1)`, ... describe each one with all its
//! options. `playbook man` prints the page of `playbook`, `playbook man check` that of a
//! subcommand, and `playbook man --dir DIR` writes every page into DIR (a `man1` folder of
//! the `MANPATH`).

use std::path::{Path, PathBuf};

/// The section of the manual the pages belong to: user commands.
const SECTION: &str = "1";

/// `command` (the `playbook` command line) ready to be documented: the `help` subcommand
/// left out (it has no page), and the names of the subcommands (`playbook-check`) built.
fn prepared(command: clap::Command) -> clap::Command {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    command
}

/// The page of one command, its title the name in capitals as manual pages have it, and
/// `source` (`playbook 0.1.0`) in its footer.
fn page_of(command: clap::Command, source: &str) -> Result<(String, Vec<u8>), String> {
    let name = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name())
        .to_owned();
    // clap_mangen fills the text after the options as one paragraph, which would run the
    // examples' columns together: it is rendered here instead.
    let after_help = command
        .get_after_long_help()
        .or_else(|| command.get_after_help())
        .map(ToString::to_string);
    let command = command
        .after_help(None::<&str>)
        .after_long_help(None::<&str>);
    let man = clap_mangen::Man::new(command)
        .title(name.to_uppercase())
        .section(SECTION)
        // No date, for pages that do not change with the day they are built; a blank one,
        // because an empty argument would be dropped and shift the source into its place.
        .date(" ")
        .source(source)
        .manual("Playbook Manual");
    let mut out = Vec::new();
    man.render(&mut out)
        .map_err(|error| format!("cannot render the manual page of `{name}`: {error}"))?;
    if let Some(text) = after_help {
        let sections = after_help_roff(&text);
        // Before the VERSION section, which clap_mangen writes last.
        let at = find(&out, b"\n.SH VERSION\n").map_or(out.len(), |i| i + 1);
        out.splice(at..at, sections.into_bytes());
    }
    Ok((format!("{name}.{SECTION}"), out))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The text shown after a command's options in `--help`, as manual sections: a paragraph
/// `Exit codes: ...` is the EXIT STATUS section, one headed `Examples:` (any short heading
/// ending in `:`) a section of that name whose indented lines are kept as they are, and any
/// other paragraph is text of the section before.
fn after_help_roff(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        let mut lines = paragraph.lines();
        let Some(first) = lines.next() else { continue };
        if let Some(rest) = first.strip_prefix("Exit codes: ") {
            out.push_str(".SH \"EXIT STATUS\"\n");
            out.push_str(&roff_text(rest));
            for line in lines {
                out.push_str(&roff_text(line.trim()));
            }
        } else if let Some(heading) = first
            .strip_suffix(':')
            .filter(|h| !h.starts_with(' ') && h.len() <= 30)
        {
            let heading = heading.to_uppercase();
            if heading.contains(' ') {
                out.push_str(&format!(".SH \"{heading}\"\n.nf\n"));
            } else {
                out.push_str(&format!(".SH {heading}\n.nf\n"));
            }
            for line in lines {
                out.push_str(&roff_text(line.strip_prefix("  ").unwrap_or(line)));
            }
            out.push_str(".fi\n");
        } else {
            out.push_str(".PP\n");
            for line in paragraph.lines() {
                out.push_str(&roff_text(line));
            }
        }
    }
    out
}

/// One line of text for roff: backslashes, dashes (which stay the ASCII `-` of options when
/// copied) and apostrophes escaped as clap_mangen escapes them, and a leading `.` or `'`
/// kept from being read as a request. An empty line is a blank line.
fn roff_text(line: &str) -> String {
    let escaped = line
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\'', "\\*(Aq");
    if escaped.is_empty() {
        ".sp\n".to_owned()
    } else if escaped.starts_with('.') {
        format!("\\&{escaped}\n")
    } else {
        format!("{escaped}\n")
    }
}

/// The program and its version, `playbook 0.1.0`, for the footer of every page.
fn source_of(command: &clap::Command) -> String {
    match command.get_version() {
        Some(version) => format!("{} {version}", command.get_name()),
        None => command.get_name().to_owned(),
    }
}

/// The names that lead to `command`'s visible subcommands, with the subcommands.
fn subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command.get_subcommands().filter(|s| !s.is_hide_set())
}

/// The roff page of `command` (`path` empty) or of the subcommand that `path` names
/// (`["debug", "tree"]`), or an error naming the subcommands there are.
pub fn page(command: clap::Command, path: &[String]) -> Result<Vec<u8>, String> {
    let mut command = prepared(command);
    let source = source_of(&command);
    let mut walked = String::from("playbook");
    for name in path {
        let found = subcommands(&command)
            .find(|s| s.get_name() == name || s.get_all_aliases().any(|a| a == name))
            .cloned();
        let Some(found) = found else {
            let names: Vec<&str> = subcommands(&command).map(clap::Command::get_name).collect();
            return Err(if names.is_empty() {
                format!("`{walked}` has no subcommands, so no page `{walked} {name}`")
            } else {
                let hint = playbook_hir::suggest::closest(name, names.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                format!(
                    "`{walked}` has no subcommand `{name}`: {hint}its subcommands are {}",
                    names.join(", ")
                )
            });
        };
        walked.push(' ');
        walked.push_str(name);
        command = found;
    }
    page_of(command, &source).map(|(_, text)| text)
}

/// Writes the page of `command` and of each of its subcommands, at every depth, into the
/// folder `dir` (created when missing), and returns the files written, `playbook.1` first.
pub fn write_pages(command: clap::Command, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create the folder `{}`: {error}", dir.display()))?;
    let mut pages = Vec::new();
    let command = prepared(command);
    let source = source_of(&command);
    collect_pages(command, &source, &mut pages)?;
    let mut written = Vec::with_capacity(pages.len());
    for (name, text) in pages {
        let path = dir.join(name);
        std::fs::write(&path, text)
            .map_err(|error| format!("cannot write `{}`: {error}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The pages of `command` and its subcommands, parents before children. The command line
/// is a few levels deep, so the recursion is bounded by its definition.
fn collect_pages(
    command: clap::Command,
    source: &str,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), String> {
    let children: Vec<clap::Command> = subcommands(&command).cloned().collect();
    out.push(page_of(command, source)?);
    for child in children {
        collect_pages(child, source, out)?;
    }
    Ok(())
}
