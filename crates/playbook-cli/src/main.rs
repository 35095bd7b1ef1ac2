//! The `playbook` binary: parses the command line, reads files and standard input, writes
//! to the terminal and sets the exit code. All the work is done by the `playbook_cli`
//! library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use playbook_cli::check::{Format, Options, StdinInput};
use playbook_cli::completions::Shell;
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
    /// Write a commented `playbook.toml` for a repository, with the step libraries found in
    /// it, and say what to do next.
    ///
    /// Every setting of `playbook.toml` is written: the step libraries found are set, the
    /// other settings are commented out with their default value. A library is found from
    /// its manifests (`manifest.yaml` files of `kind: Step`) and from the images the
    /// playbooks call: image `reg.io/team/redis/info` and `steps/redis/info/manifest.yaml`
    /// give the prefix `reg.io/team/` and the folder `steps`. Manifests that no playbook
    /// calls yet get a placeholder prefix, to correct. The folder is walked as `playbook
    /// check` walks it (`.gitignore` honoured), and created when missing.
    #[command(
        after_help = "Exit codes: 0 written, 2 `playbook.toml` exists already (without --force), or usage or I/O failure."
    )]
    Init(InitArgs),
    /// Run the tests of playbooks: each case of each test file runs its playbook offline
    /// and checks what ran and what was rendered.
    ///
    /// Test files are `*.test.yaml` (or `*.test.yml`) files of `kind: PlaybookTest`, found
    /// under the given paths as `playbook check` finds files (a file named here is run
    /// whatever its name). Each case gives parameters, an event and mocked step outputs,
    /// and expects steps to run or be skipped, inputs to render to a value, or the run to
    /// fail. One line per case, then each failure on its line of the test file, then a
    /// summary. See docs/testing.md for the format.
    #[command(
        after_help = "Exit codes: 0 every case passed, 1 a case failed or a test file has errors, 2 usage or I/O failure."
    )]
    Test(TestArgs),
    /// Dry-run a playbook: each step in order, whether it runs and why, and the inputs it
    /// would get.
    ///
    /// The templates are rendered as the platform renders them (Go's text/template with
    /// sprig), from the parameters given with `--param`, else their defaults, the event
    /// given with `--event`, and the examples of the step manifests for the outputs of
    /// earlier steps. For each step: its `when` and the decision, then its `env`, `args`,
    /// `runner` and `envFrom`, and where its outputs come from. Loops show each iteration's
    /// key and value and their `break`. Nothing is run and no secret is read: `secret NAME`
    /// renders as `<secret:NAME>`.
    #[command(
        after_help = "Exit codes: 0 the run went through, 1 a template failed (or the file has syntax errors), 2 usage or I/O failure."
    )]
    Render(RenderArgs),
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
    /// Print the shell completion script for bash, zsh, fish, PowerShell or Elvish.
    ///
    /// The script completes subcommands, options and their values, paths, and the codes
    /// of `playbook explain`. Install it once (and again after upgrading playbook).
    #[command(after_long_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page of `playbook` or of a subcommand (roff, for `man`), or write
    /// every page into a folder.
    ///
    /// There is one page per command, as for git: `playbook(1)` lists the subcommands,
    /// `playbook-check(1)` and the others describe each one with all its options.
    #[command(after_long_help = MAN_HELP)]
    Man(ManArgs),
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
struct TestArgs {
    /// Test files and folders to run.
    #[arg(value_name = "PATHS", default_value = ".")]
    paths: Vec<PathBuf>,
    /// Run only the cases whose name (or `FILE::NAME`) contains this text.
    #[arg(long, value_name = "NAME")]
    filter: Option<String>,
    /// How to print the results.
    #[arg(long, value_enum, default_value_t = TestFormatArg::Human)]
    format: TestFormatArg,
    /// When to colour the output: `auto` colours only when standard output is a terminal
    /// and NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(clap::Args, Debug)]
struct RenderArgs {
    /// The playbook file.
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    file: PathBuf,
    /// A parameter's value (repeatable): `--param Namespace=prod`.
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,
    /// The triggering event, a JSON file (`$.event`); `-` reads it from standard input.
    #[arg(long, value_name = "FILE.json", value_hint = clap::ValueHint::FilePath)]
    event: Option<PathBuf>,
    /// The playbook to run when the file holds several (its `metadata.name`).
    #[arg(long, value_name = "NAME")]
    playbook: Option<String>,
    /// `human`, or `json` for tools.
    #[arg(long, value_enum, default_value_t = RenderFormat::Human)]
    format: RenderFormat,
    /// When to colour: `auto` colours only when standard output is a terminal and NO_COLOR
    /// is not set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum TestFormatArg {
    /// One line per case, then the failures on the test files' lines.
    Human,
    /// JSON (version 1): `{"version":1,"passed":N,"failed":N,"cases":[...]}`.
    Json,
    /// JUnit XML, for CI.
    Junit,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum RenderFormat {
    /// One line a step, with its inputs below it.
    Human,
    /// The run as one JSON document.
    Json,
}

/// `NAME=VALUE`.
fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

#[derive(clap::Args, Debug)]
struct InitArgs {
    /// The repository's folder.
    #[arg(value_name = "DIR", default_value = ".", value_hint = clap::ValueHint::DirPath)]
    dir: PathBuf,
    /// Replace an existing `playbook.toml`.
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args, Debug)]
struct ManArgs {
    /// The subcommand whose page to print (`check`, `debug tree`); none for `playbook`
    /// itself.
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "dir")]
    command: Vec<String>,
    /// Write every page (`playbook.1`, `playbook-check.1`, ...) into this folder, created
    /// when missing, and list the files written.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    dir: Option<PathBuf>,
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
  playbook test playbooks/                Run the test files (*.test.yaml) of the playbooks
  playbook init                           Write a commented playbook.toml for this repository
  playbook explain PB302                  What a diagnostic code means and how to fix it
  playbook graph p.yaml > flow.mmd        Draw a playbook's data flow (Mermaid; --format dot, svg)
  playbook lsp                            The language server, for editors (over stdio)
  playbook completions bash               The completion script for bash (zsh, fish, ...)
  playbook man check                      The manual page of `playbook check`
  playbook debug tree p.yaml              Show the syntax tree and the YAML syntax errors
  playbook debug events p.yaml            Show the yaml-test-suite event stream
  playbook debug templates p.yaml         Show the template actions and their positions

Exit codes: 0 no errors found, 1 errors found, 2 usage or I/O failure.";

const COMPLETIONS_HELP: &str = "\
Install:
  bash        playbook completions bash > ~/.local/share/bash-completion/completions/playbook
  zsh         playbook completions zsh > ~/.zfunc/_playbook
              (with `fpath+=~/.zfunc` before `compinit` in ~/.zshrc)
  fish        playbook completions fish > ~/.config/fish/completions/playbook.fish
  PowerShell  playbook completions powershell | Out-String | Invoke-Expression
              (in the file $PROFILE names)
  Elvish      eval (playbook completions elvish | slurp)
              (in ~/.config/elvish/rc.elv)

A new shell loads the script.";

const MAN_HELP: &str = "\
Install:
  playbook man --dir ~/.cargo/share/man/man1
  man playbook-check

man finds the pages in share/man beside a folder of the PATH (~/.cargo/bin).

Examples:
  playbook man                            The page of playbook, listing the subcommands
  playbook man debug tree                 The page of `playbook debug tree`
  playbook man check | man -l -           Read a page without installing it";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check(&args),
        Command::Fmt(args) => fmt(&args),
        Command::Test(args) => test(&args),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Graph(args) => graph(&args),
        Command::Lsp => return playbook_lsp::run_stdio(),
        Command::Init(args) => init(&args),
        Command::Render(args) => render(&args),
        Command::Completions { shell } => completions(shell),
        Command::Man(args) => man(&args),
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

fn test(args: &TestArgs) -> u8 {
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let options = playbook_cli::testing::Options {
        paths: args.paths.clone(),
        filter: args.filter.clone(),
        format: match args.format {
            TestFormatArg::Human => playbook_cli::testing::Format::Human,
            TestFormatArg::Json => playbook_cli::testing::Format::Json,
            TestFormatArg::Junit => playbook_cli::testing::Format::Junit,
        },
        color,
    };
    let outcome = playbook_cli::testing::run(&options);
    let _ = std::io::stderr()
        .lock()
        .write_all(outcome.stderr.as_bytes());
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

fn init(args: &InitArgs) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => {
            eprintln!("error: cannot read the current directory: {error}");
            return 2;
        }
    };
    let options = playbook_cli::init::Options {
        dir: args.dir.clone(),
        force: args.force,
    };
    let outcome = playbook_cli::init::run_in(&cwd, &options);
    let _ = std::io::stderr()
        .lock()
        .write_all(outcome.stderr.as_bytes());
    let _ = std::io::stdout()
        .lock()
        .write_all(outcome.stdout.as_bytes());
    outcome.exit_code
}

fn render(args: &RenderArgs) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => {
            eprintln!("error: cannot read the current directory: {error}");
            return 2;
        }
    };
    let event = match &args.event {
        None => None,
        Some(path) => {
            let name = path.display().to_string();
            let text = if name == "-" {
                read_stdin(&name)
            } else {
                read_file(path, &name)
            };
            match text {
                Ok(text) => Some((name, text)),
                Err(error) => {
                    report_read_error(&error);
                    return 2;
                }
            }
        }
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let options = playbook_cli::dry_run::Options {
        file: args.file.clone(),
        params: args.params.clone(),
        event,
        playbook: args.playbook.clone(),
        format: match args.format {
            RenderFormat::Human => playbook_cli::dry_run::Format::Human,
            RenderFormat::Json => playbook_cli::dry_run::Format::Json,
        },
        color,
    };
    let outcome = playbook_cli::dry_run::run_in(&cwd, &options);
    let _ = std::io::stdout()
        .lock()
        .write_all(outcome.stdout.as_bytes());
    let mut stderr = std::io::stderr().lock();
    for line in &outcome.stderr {
        let _ = writeln!(stderr, "{line}");
    }
    outcome.code
}

fn completions(shell: Shell) -> u8 {
    let script = playbook_cli::completions::script(shell, Cli::command());
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&script);
    let _ = stdout.flush();
    0
}

fn man(args: &ManArgs) -> u8 {
    if let Some(dir) = &args.dir {
        return match playbook_cli::man::write_pages(Cli::command(), dir) {
            Ok(written) => {
                for path in written {
                    println!("{}", path.display());
                }
                0
            }
            Err(message) => {
                eprintln!("error: {message}");
                2
            }
        };
    }
    match playbook_cli::man::page(Cli::command(), &args.command) {
        Ok(page) => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(&page);
            let _ = stdout.flush();
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
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
