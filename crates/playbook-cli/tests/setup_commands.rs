//! End-to-end tests of the commands that set playbook up in a repository and a shell:
//! `playbook init`, `playbook completions` and `playbook man`, run as the binary, with the
//! real bash, zsh, fish and man where the machine has them (a test says what it skips).

mod common;

use std::path::Path;
use std::process::Command;

use common::{run, run_in, stderr, stdout, temp_dir, write};
use playbook_test_support::{workspace_root, write_tree};

/// Every subcommand's name, nested ones included.
const SUBCOMMANDS: &[&str] = &[
    "check",
    "fmt",
    "init",
    "explain",
    "lsp",
    "completions",
    "man",
    "debug",
    "tree",
    "events",
    "templates",
];

/// Whether `program` can be run (it answers `--version`).
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn help_lists_the_setup_commands() {
    let help = stdout(&run(&["--help"]));
    for word in [
        "init",
        "completions",
        "man",
        "playbook init",
        "playbook man check",
    ] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
    let help = stdout(&run(&["completions", "--help"]));
    for word in ["bash", "zsh", "fish", "powershell", "elvish", "Install:"] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
    let help = stdout(&run(&["man", "--help"]));
    for word in ["--dir", "[SUBCOMMAND]", "man -l -"] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
    let help = stdout(&run(&["init", "--help"]));
    for word in ["[DIR]", "--force", "Exit codes"] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
}

// ---------------------------------------------------------------------------------------
// completions

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(&["completions", shell]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        let script = stdout(&output);
        assert!(script.len() > 1000, "{shell}: {script}");
        for name in SUBCOMMANDS {
            assert!(script.contains(name), "{shell}: `{name}` missing");
        }
        // fish writes long options without their dashes (`-l format`).
        for option in ["format", "stdin-filename", "unsafe-fixes", "force", "dir"] {
            assert!(script.contains(option), "{shell}: `{option}` missing");
        }
    }
    // Scripts that complete a positional argument's values offer the codes to `explain`.
    for shell in ["bash", "zsh"] {
        let script = stdout(&run(&["completions", shell]));
        for code in ["PB302", "unused-parameter", "PB901"] {
            assert!(script.contains(code), "{shell}: `{code}` missing");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = run(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("possible values"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "");
}

/// Runs `script` in `shell -c` with the binary's folder first on the PATH.
fn shell(shell: &str, script: &str) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_playbook"));
    let dir = bin.parent().unwrap_or(Path::new("."));
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![dir.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    Command::new(shell)
        .arg("-c")
        .arg(script)
        .env("PATH", std::env::join_paths(paths).unwrap_or_default())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {shell}: {e}"))
}

#[test]
fn bash_loads_the_script_and_completes() {
    if !installed("bash") {
        eprintln!("note: bash is not installed; the bash completion test is skipped");
        return;
    }
    let output = shell(
        "bash",
        r#"source <(playbook completions bash) && complete -p playbook
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=();
  _playbook playbook "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; echo "${COMPREPLY[*]}"; }
complete_words playbook ch
complete_words playbook c
complete_words playbook check --format ''
complete_words playbook explain PB30
complete_words playbook debug t
complete_words playbook completions ''
"#,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        [
            "complete -o bashdefault -o default -o nosort -F _playbook playbook",
            "check",
            "check completions",
            "human short json sarif github",
            "PB301 PB302 PB303 PB304 PB305 PB306",
            "tree templates",
            "-h --help bash elvish fish powershell zsh",
        ]
    );
}

#[test]
fn zsh_and_fish_load_their_scripts() {
    if installed("zsh") {
        let output = shell(
            "zsh",
            "autoload -U compinit && compinit -u && source <(playbook completions zsh) \
             && print $_comps[playbook]",
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(stdout(&output), "_playbook\n");
    } else {
        eprintln!("note: zsh is not installed; the zsh completion test is skipped");
    }
    if installed("fish") {
        let output = shell(
            "fish",
            "playbook completions fish | source; complete -C 'playbook ch'; \
             complete -C 'playbook check --format '",
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(text.starts_with("check\tCheck playbook files"), "{text}");
        for format in ["human\t", "short\t", "json\t", "sarif\t", "github\t"] {
            assert!(text.contains(format), "`{format}` missing from:\n{text}");
        }
    } else {
        eprintln!("note: fish is not installed; the fish completion test is skipped");
    }
}

// ---------------------------------------------------------------------------------------
// man

#[test]
fn the_page_of_playbook_is_roff_listing_every_subcommand() {
    let output = run(&["man"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(
        page.contains("\n.TH PLAYBOOK 1 \" \" \"playbook 0.1.0\" \"Playbook Manual\"\n"),
        "{page}"
    );
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH SUBCOMMANDS",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "`{section}` missing from:\n{page}");
    }
    assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
    for name in [
        "check",
        "fmt",
        "init",
        "explain",
        "lsp",
        "completions",
        "man",
    ] {
        let entry = format!("\nplaybook\\-{name}(1)\n");
        assert!(page.contains(&entry), "`{entry}` missing from:\n{page}");
    }
    // `help` is not a page.
    assert!(!page.contains("playbook\\-help"), "{page}");
    // The examples keep their columns.
    assert!(page.contains(".nf\nplaybook check "), "{page}");
}

#[test]
fn a_subcommand_has_its_own_page() {
    let page = stdout(&run(&["man", "debug", "tree"]));
    assert!(page.contains("\n.TH PLAYBOOK-DEBUG-TREE 1 "), "{page}");
    assert!(page.contains("playbook debug tree"), "{page}");
    let page = stdout(&run(&["man", "check"]));
    for word in [
        "\\-\\-format",
        "\\-\\-stdin\\-filename",
        "\\-\\-unsafe\\-fixes",
    ] {
        assert!(page.contains(word), "`{word}` missing from:\n{page}");
    }
    assert!(
        page.contains(".SH \"EXIT STATUS\"\n0 no errors found"),
        "{page}"
    );
}

#[test]
fn an_unknown_page_is_an_error_with_a_suggestion() {
    let output = run(&["man", "chek"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `playbook` has no subcommand `chek`: did you mean `check`? its subcommands are \
         check, fmt, init, test, render, explain, graph, lsp, completions, man, debug\n"
    );
    assert_eq!(stdout(&output), "");
    let output = run(&["man", "lsp", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`playbook lsp` has no subcommands"));
}

/// `man -l` renders the page: the text a reader sees.
fn rendered(page: &Path) -> String {
    let output = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("cannot run man: {e}"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn every_page_is_written_and_renders_with_man() {
    let dir = temp_dir("man-pages");
    let output = run(&["man", "--dir", &dir.join("man1").display().to_string()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written: Vec<String> = stdout(&output)
        .lines()
        .map(|line| {
            Path::new(line)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        written,
        [
            "playbook.1",
            "playbook-check.1",
            "playbook-fmt.1",
            "playbook-init.1",
            "playbook-test.1",
            "playbook-render.1",
            "playbook-explain.1",
            "playbook-graph.1",
            "playbook-lsp.1",
            "playbook-completions.1",
            "playbook-man.1",
            "playbook-debug.1",
            "playbook-debug-tree.1",
            "playbook-debug-events.1",
            "playbook-debug-templates.1",
        ]
    );
    if !installed("man") || !installed("groff") {
        eprintln!("note: man or groff is not installed; the pages are not rendered");
        return;
    }
    let text = rendered(&dir.join("man1/playbook.1"));
    for word in [
        "PLAYBOOK(1)",
        "Playbook Manual",
        "SUBCOMMANDS",
        "playbook-init(1)",
        "playbook-completions(1)",
        "EXIT STATUS",
        // The examples keep their columns.
        "playbook init                           Write a commented playbook.toml",
    ] {
        assert!(text.contains(word), "`{word}` missing from:\n{text}");
    }
    for name in &written {
        let text = rendered(&dir.join("man1").join(name));
        assert!(text.contains("NAME"), "{name}:\n{text}");
        assert!(text.contains("playbook 0.1.0"), "{name}:\n{text}");
    }
    let text = rendered(&dir.join("man1/playbook-completions.1"));
    assert!(
        text.contains("fish        playbook completions fish > ~/.config/fish/completions/"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------
// init

const MANIFEST: &str = "\
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: curl
  version: 1.0.0
  description: Fetch a URL
  vendor: curl
  type: hydration
envs:
  - name: URL
    description: The URL.
    type: string
    required: true
    example: https://example.com
outputs:
  - name: status
    type: int
    description: The HTTP status.
    example: \"200\"
";

/// A repository whose playbook calls `reg.io/team/curl`, served by `steps/curl/manifest.yaml`:
/// one trailing name is too little for a manifest outside every library, so the call has no
/// known interface (and its misspelt output `stauts` goes unnoticed) until a library says
/// where the manifests of its prefix are.
fn small_repository(dir: &Path) {
    write_tree(
        dir,
        &format!(
            "\
//- steps/curl/manifest.yaml
{MANIFEST}
//- probe.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: probe
parameters:
  - name: url
    type: var
steps:
  - name: reg.io/team/curl:1.0
    id: fetch
    env:
      URL: '{{{{ $.params.url }}}}'
  - name: reg.io/team/curl:1.0
    id: again
    env:
      URL: 'status {{{{ $.fetch.stauts }}}}'
//- .github/workflows/ci.yml
on: push
jobs: {{}}
"
        ),
    );
}

#[test]
fn init_finds_the_library_that_check_then_uses() {
    let dir = temp_dir("init-small");
    small_repository(&dir);
    let before = run_in(&dir, &["check", "--format", "short"], b"");
    assert_eq!(before.status.code(), Some(0), "{}", stderr(&before));
    assert_eq!(stdout(&before), "");

    let output = run_in(&dir, &["init"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let report = stdout(&output);
    assert!(
        report.starts_with(
            "Wrote playbook.toml: 2 playbook files found, 1 step library with 1 manifest.\n  \
             steps/               prefix reg.io/team/  (1 manifest, serves 1 image)\n"
        ),
        "{report}"
    );
    for next in [
        "playbook check",
        "editors/README.md",
        ".pre-commit-config.yaml",
        "id: playbook-check",
        "playbook completions",
    ] {
        assert!(report.contains(next), "`{next}` missing from:\n{report}");
    }

    // The project's own loader reads it without a word.
    let text = std::fs::read_to_string(dir.join("playbook.toml")).unwrap_or_default();
    let codes = playbook_cli::check::known_codes();
    let (config, diagnostics) = playbook_workspace::parse_config(&text, &codes);
    assert_eq!(diagnostics, [], "{text}");
    assert_eq!(config.libraries.len(), 1);
    assert_eq!(config.libraries[0].prefix, "reg.io/team/");
    assert_eq!(config.libraries[0].path, "steps");

    // `playbook check` now knows the step's interface from the library.
    let after = run_in(&dir, &["check", "--format", "short"], b"");
    assert_eq!(
        stdout(&after),
        "probe.yaml:16:31: warning[PB404] step `fetch` has no output `stauts`\n"
    );
}

#[test]
fn init_refuses_to_overwrite_unless_forced() {
    let dir = temp_dir("init-force");
    small_repository(&dir);
    write(&dir, "playbook.toml", b"# mine\n");
    let output = run_in(&dir, &["init"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `playbook.toml` exists already: not overwritten (pass --force to replace it)\n"
    );
    assert_eq!(stdout(&output), "");
    assert_eq!(
        std::fs::read_to_string(dir.join("playbook.toml")).unwrap_or_default(),
        "# mine\n"
    );

    let output = run_in(&dir, &["init", "--force"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("Replaced playbook.toml:"));
    let text = std::fs::read_to_string(dir.join("playbook.toml")).unwrap_or_default();
    assert!(text.contains("prefix = \"reg.io/team/\""), "{text}");
}

#[test]
fn init_in_a_new_folder_and_an_empty_one() {
    let dir = temp_dir("init-new");
    let output = run_in(&dir, &["init", "new repo"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.starts_with(
            "Wrote new repo/playbook.toml: 0 playbook files found, 0 step libraries with 0 manifests.\n"
        ),
        "{report}"
    );
    assert!(report.contains("playbook check 'new repo'"), "{report}");
    let text = std::fs::read_to_string(dir.join("new repo/playbook.toml")).unwrap_or_default();
    assert!(text.contains("# [[library]]\n"), "{text}");
    let (_, diagnostics) =
        playbook_workspace::parse_config(&text, &playbook_cli::check::known_codes());
    assert_eq!(diagnostics, []);
    // `playbook check` runs with it: nothing to check yet.
    let output = run_in(&dir.join("new repo"), &["check"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    // A folder inside that project becomes a project of its own, and is told so.
    let output = run_in(&dir, &["init", "new repo/sub"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "note: `new repo/playbook.toml` applied to this folder until now; \
         `new repo/sub/playbook.toml` makes the folder a project of its own\n"
    );
}

#[test]
fn init_on_the_example_repository_finds_its_library() {
    let dir = temp_dir("init-examples");
    let examples = workspace_root().join("playbooks");
    let copy = dir.join("playbooks");
    copy_tree(&examples, &copy);
    std::fs::remove_file(copy.join("playbook.toml")).unwrap_or_default();
    let output = run_in(&copy, &["init"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(
            "  steps/               prefix registry.example.com/playbook-steps/  (20 manifests, serves 20 images)\n"
        ),
        "{}",
        stdout(&output)
    );
    let output = run_in(&copy, &["check"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stderr(&output), "checked 40 files: no problems found\n");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_default();
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}
