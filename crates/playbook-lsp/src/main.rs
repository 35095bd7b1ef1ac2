//! A stand-alone `playbook-lsp` binary, for the end-to-end test only: the language server
//! users run is `playbook lsp`, which calls the same [`playbook_lsp::run_stdio`].

fn main() -> std::process::ExitCode {
    playbook_lsp::run_stdio()
}
