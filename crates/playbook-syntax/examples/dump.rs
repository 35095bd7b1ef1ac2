//! Prints the errors and events of a file (development helper).
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let parse = playbook_syntax::parse(&text);
    for e in parse.errors() {
        println!(
            "{:?} {} {} | {:?} | {:?}",
            e.range, e.code.id, e.message, e.label, e.help
        );
    }
    print!("{}", playbook_syntax::events::to_events(parse.tree()));
}
