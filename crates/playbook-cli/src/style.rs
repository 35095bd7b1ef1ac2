//! Small pieces of terminal text shared by the commands: counted nouns and ANSI colours.

/// `n word`, with the plural the words of this tool take (`1 file`, `2 files`,
/// `2 step libraries`).
pub(crate) fn plural(n: usize, word: &str) -> String {
    match (n, word.strip_suffix('y')) {
        (1, _) => format!("1 {word}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {word}s"),
    }
}

/// ANSI colours, or plain text when `self.0` is false.
pub(crate) struct Paint(pub(crate) bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    pub(crate) fn green(&self, text: &str) -> String {
        self.wrap("32", text)
    }
    pub(crate) fn yellow(&self, text: &str) -> String {
        self.wrap("33", text)
    }
    pub(crate) fn red(&self, text: &str) -> String {
        self.wrap("31", text)
    }
    pub(crate) fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    pub(crate) fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
}
