//! The `playbook` binary: parses the command line, reads files and standard input, writes
//! to the terminal and sets the exit code. All the work is done by the `playbook_cli`
//! library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use playbook_cli::check::{Format, Options, StdinInput};
use playbook_cli::debug;
use playbook_cli::source::{ReadError, read_file, read_stdin};

/// Checks playbooks: YAML files with Go-template expressions that enrich, diagnose and fix
/// production alerts.
#[derive(Parser, Debug)]
#[command(name = "playbook", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check playbook files: YAML and template syntax, structure, and every parameter,
    /// secret and step-output reference against the step manifests.
    ///
    /// Every `.yaml` and `.yml` file under the given paths that holds playbook documents
    /// (Playbook, Step, Trigger) is checked; `.gitignore` and the `exclude` globs of
    /// `playbook.toml` are honoured, and the step libraries it names are read. A path naming
    /// a file is checked whatever its extension, and a named file that is not a playbook
    /// file (a CI workflow, Ansible, Kubernetes) is skipped with a note. The given paths are
    /// checked against the rest of their project (the folder of `playbook.toml`, else the
    /// current folder), whose files are read but not reported. Diagnostics go to standard
    /// output, the summary line and I/O errors to standard error.
    #[command(
        after_help = "Exit codes: 0 no errors found (warnings allowed), 1 errors found, 2 usage or I/O failure."
    )]
    Check(CheckArgs),
    /// Format playbook files in place: one layout for the whole repository.
    ///
    /// The files are found as `playbook check` finds them (`.gitignore` and the `exclude`
    /// globs of `playbook.toml` honoured, playbook files only), and laid out with the
    /// `[format]` settings of `playbook.toml`: 2-space indentation (or 4), sequences indented
    /// under their key, one space after `:` and `-`, `[a, b]` and `{a: 1}`, no trailing spaces,
    /// at most one blank line in a row, one final line break. Scalars (templates among them),
    /// comments, document markers and the line ending are kept as they are. A file with YAML
    /// syntax errors is not formatted: its errors are printed and it is left as it is. Files
    /// are written atomically, and only when they change.
    #[command(
        after_help = "Exit codes: 0 done (with --check or --diff: nothing to change), 1 files would be reformatted (--check, --diff) or have YAML syntax errors, 2 usage or I/O failure."
    )]
    Fmt(FmtArgs),
    /// Explain a diagnostic code: what it means, why it matters, an example and the fix.
    ///
    /// Without a code, list every code with its default severity and summary.
    Explain {
        /// A code (`PB302`) or its name (`unused-parameter`).
        code: Option<String>,
    },
    /// Draw the data flow of a playbook: parameters, steps, blocks and loops, and an edge for
    /// every parameter or step output a step reads.
    ///
    /// Steps that never run (a `when` that is always false) and outputs nobody reads are
    /// marked; a dotted edge is a root-form read (`.data`), drawn to the step the check
    /// resolves it to. The file is read in the context of its project (`playbook.toml` and
    /// its step libraries), so every step finds its manifest. Mermaid renders in GitHub
    /// Markdown and pull requests; DOT is for Graphviz; SVG is laid out by playbook itself.
    #[command(
        after_help = "Exit codes: 0 drawn, 1 the file has syntax errors, 2 usage or I/O failure (not a playbook file, no such playbook)."
    )]
    Graph(GraphArgs),
    /// Run the language server over standard input and output, for editors.
    ///
    /// The server loads the workspace folder the editor opens (its `playbook.toml`, step
    /// libraries and playbooks) and publishes the diagnostics of `playbook check` as you type.
    Lsp,
    /// Print the parsers' internal views of one file (for people working on playbook).
    #[command(subcommand)]
    Debug(DebugCommand),
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Files and folders to check.
    #[arg(
        value_name = "PATHS",
        default_value = ".",
        conflicts_with = "stdin_filename"
    )]
    paths: Vec<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Exit with 1 when warnings are found, not only errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Check standard input instead of files, as the file NAME (in its project, in place of
    /// the file on disk), reporting it under that name.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// When to colour the output: `auto` colours only when standard output is a terminal
    /// and NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Apply the safe fixes (a did-you-mean with one candidate, quoting a value, `secret`,
    /// removing an unused suppression), then report what is left. Changed files are
    /// rewritten in place; with --stdin-filename the fixed text goes to standard output and
    /// the report to standard error.
    #[arg(long)]
    fix: bool,
    /// With --fix, apply the unsafe fixes too: they add placeholders to fill in (a call's
    /// missing inputs, a parameter declaration) or choose for you (a key, a type, a
    /// playbook). Without --fix, count them among the fixable problems.
    #[arg(long)]
    unsafe_fixes: bool,
}

#[derive(clap::Args, Debug)]
struct FmtArgs {
    /// Files and folders to format.
    #[arg(
        value_name = "PATHS",
        default_value = ".",
        conflicts_with = "stdin_filename"
    )]
    paths: Vec<PathBuf>,
    /// Write nothing: list the files that would be reformatted, and exit with 1 if there
    /// are any.
    #[arg(long)]
    check: bool,
    /// Write nothing: print the changes as a unified diff, and exit with 1 if there are any.
    #[arg(long)]
    diff: bool,
    /// Format standard input to standard output, as the file NAME (whose `playbook.toml`
    /// settings apply). Text that is not a playbook file comes back unchanged.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// When to colour the diagnostics of files that cannot be parsed: `auto` colours only
    /// when standard error is a terminal and NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(clap::Args, Debug)]
struct GraphArgs {
    /// The playbook file to draw.
    file: PathBuf,
    /// The output format.
    #[arg(long, value_enum, default_value_t = GraphFormatArg::Mermaid)]
    format: GraphFormatArg,
    /// Write the graph to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Draw only the playbook with this `metadata.name` (a file with several playbooks
    /// draws each, as a group of one graph).
    #[arg(long, value_name = "NAME")]
    playbook: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum GraphFormatArg {
    /// A Mermaid flowchart (renders in GitHub Markdown and pull requests).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// An SVG picture, laid out without Graphviz.
    Svg,
}

#[derive(Subcommand, Debug)]
enum DebugCommand {
    /// Print the lossless syntax tree (`KIND@start..end`, byte offsets), then the YAML
    /// syntax errors.
    Tree {
        /// The YAML file to parse (`-` for standard input).
        file: PathBuf,
    },
    /// Print the yaml-test-suite event stream (`+STR`, `+DOC`, `=VAL :text`, ...).
    Events {
        /// The YAML file to parse (`-` for standard input).
        file: PathBuf,
    },
    /// Print every template action found in the file's scalars as `LINE:COL  <parsed
    /// form>`, and the template syntax errors.
    Templates {
        /// The YAML file to parse (`-` for standard input).
        file: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    /// Source lines with labels, for people at a terminal.
    Human,
    /// One line per diagnostic: `path:line:col: severity[CODE] message`.
    Short,
    /// JSON (version 1): `{"version":1,"files_checked":N,"diagnostics":[...]}`.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow annotations (`::error file=...`).
    Github,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum ColorArg {
    /// Colour when standard output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

const AFTER_HELP: &str = "\
Examples:
  playbook check                          Check every YAML file under the current folder
  playbook check playbooks/ --format short
                                          One line per problem, for editors and CI logs
  playbook check --stdin-filename p.yaml < p.yaml
                                          Check standard input, reported as p.yaml
  playbook fmt                            Format every playbook file under the current folder
  playbook fmt --check playbooks/         List the files that are not formatted (for CI)
  playbook fmt --stdin-filename p.yaml < p.yaml
                                          Format standard input to standard output
  playbook check --fix                    Apply the safe fixes, then report what is left
  playbook check --fix --unsafe-fixes     Apply every fix (some leave values to fill in)
  playbook explain PB302                  What a diagnostic code means and how to fix it
  playbook graph p.yaml > flow.mmd        Draw a playbook's data flow (Mermaid; --format dot, svg)
  playbook lsp                            The language server, for editors (over stdio)
  playbook debug tree p.yaml              Show the syntax tree and the YAML syntax errors
  playbook debug events p.yaml            Show the yaml-test-suite event stream
  playbook debug templates p.yaml         Show the template actions and their positions

Exit codes: 0 no errors found, 1 errors found, 2 usage or I/O failure.";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check(&args),
        Command::Fmt(args) => fmt(&args),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Graph(args) => graph(&args),
        Command::Lsp => return playbook_lsp::run_stdio(),
        Command::Debug(command) => debug_command(&command),
    };
    ExitCode::from(code)
}

fn check(args: &CheckArgs) -> u8 {
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Short => Format::Short,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            // Standard input fixed: the report goes to standard error, the text to output.
            let terminal = if args.fix && args.stdin_filename.is_some() {
                std::io::stderr().is_terminal()
            } else {
                std::io::stdout().is_terminal()
            };
            terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let stdin = match &args.stdin_filename {
        Some(name) => match read_stdin(name) {
            Ok(text) => Some(StdinInput {
                name: name.clone(),
                text,
            }),
            Err(error) => {
                report_read_error(&error);
                return 2;
            }
        },
        None => None,
    };
    let options = Options {
        paths: args.paths.clone(),
        stdin,
        format,
        color,
        deny_warnings: args.deny_warnings,
        fix: args.fix,
        unsafe_fixes: args.unsafe_fixes,
    };
    let outcome = playbook_cli::check::run(&options);
    for line in &outcome.stderr {
        eprintln!("{line}");
    }
    // A closed pipe (`playbook check | head`) is not worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(outcome.stdout.as_bytes());
    let _ = stdout.flush();
    for line in outcome.summary.fix_lines() {
        eprintln!("{line}");
    }
    eprintln!("{}", outcome.summary.line());
    let code = outcome.summary.exit_code(args.deny_warnings);
    // The process exits now: the operating system frees the database at once, faster than
    // its destructors would.
    std::mem::forget(outcome.database);
    code
}

fn fmt(args: &FmtArgs) -> u8 {
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let stdin = match &args.stdin_filename {
        Some(name) => match read_stdin(name) {
            Ok(text) => Some(playbook_cli::fmt::StdinInput {
                name: name.clone(),
                text,
            }),
            Err(error) => {
                report_read_error(&error);
                return 2;
            }
        },
        None => None,
    };
    let options = playbook_cli::fmt::Options {
        paths: args.paths.clone(),
        stdin,
        mode: playbook_cli::fmt::Mode {
            check: args.check,
            diff: args.diff,
        },
        color,
    };
    let outcome = playbook_cli::fmt::run(&options);
    let _ = std::io::stderr()
        .lock()
        .write_all(outcome.stderr.as_bytes());
    // A closed pipe (`playbook fmt --diff | head`) is not worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(outcome.stdout.as_bytes());
    let _ = stdout.flush();
    outcome.exit_code
}

fn explain(code: Option<&str>) -> u8 {
    let codes = playbook_cli::explain::catalogue();
    let output = match code {
        None => playbook_cli::explain::list(&codes),
        Some(key) => match playbook_cli::explain::page(key, &codes) {
            Ok(page) => page,
            Err(message) => {
                eprintln!("error: {message}");
                return 2;
            }
        },
    };
    let _ = std::io::stdout().lock().write_all(output.as_bytes());
    0
}

fn graph(args: &GraphArgs) -> u8 {
    use playbook_cli::graph::{Format, Options};
    let options = Options {
        file: args.file.clone(),
        format: match args.format {
            GraphFormatArg::Mermaid => Format::Mermaid,
            GraphFormatArg::Dot => Format::Dot,
            GraphFormatArg::Svg => Format::Svg,
        },
        output: args.output.clone(),
        playbook: args.playbook.clone(),
        color: std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let outcome = playbook_cli::graph::run(&options);
    let _ = std::io::stderr()
        .lock()
        .write_all(outcome.stderr.as_bytes());
    // A closed pipe (`playbook graph p.yaml | head`) is not worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(outcome.stdout.as_bytes());
    let _ = stdout.flush();
    outcome.exit_code
}

fn debug_command(command: &DebugCommand) -> u8 {
    let (DebugCommand::Tree { file }
    | DebugCommand::Events { file }
    | DebugCommand::Templates { file }) = command;
    let (name, read) = if file.as_os_str() == "-" {
        let name = String::from("<stdin>");
        let read = read_stdin(&name);
        (name, read)
    } else {
        let name = file.display().to_string();
        let read = read_file(file, &name);
        (name, read)
    };
    let text = match read {
        Ok(text) => text,
        Err(error) => {
            report_read_error(&error);
            return 2;
        }
    };
    let output = match command {
        DebugCommand::Tree { .. } => debug::tree(&name, &text),
        DebugCommand::Events { .. } => debug::events(&text),
        DebugCommand::Templates { .. } => debug::templates(&text),
    };
    let _ = std::io::stdout().lock().write_all(output.as_bytes());
    0
}

fn report_read_error(error: &ReadError) {
    eprintln!("error: {error}");
}
