//! Completion: what may be typed at the cursor, in templates (paths, functions, variables)
//! and in the YAML around them (step inputs, images, structural keys, enum values).
//!
//! The cursor's place in the YAML is found first (`place`): at a key of which mapping, or
//! at the value of which key, even in a file that does not parse (a key without its `:`, an
//! unclosed `{{`, an empty line). A value whose cursor is inside a `{{ ... }}` completes as a
//! template (`template`), with what the check recorded of the site (the steps run before
//! it, the loops around it); anything else completes from the format's shape and the
//! workspace (`yaml`): the inputs of the step's manifest, the images of the libraries, the
//! playbooks a trigger may name.
//!
//! Every item replaces a source range that holds the cursor and lies on one line, and is
//! written as its scalar needs it (escaped in a double-quoted scalar, doubled quotes in a
//! single-quoted one). Text inserted over several lines (a key whose value is a mapping) is
//! indented as the document needs it, from column 0: the client must insert it as is.

mod place;
mod template;
mod yaml;

use std::cell::OnceCell;

use playbook_db::File;
use playbook_db::queries::{WorkspaceView, parse};
use playbook_diagnostics::{TextRange, TextSize};

/// What a completion item is, for its icon.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CompletionKind {
    Parameter,
    Step,
    Output,
    Field,
    Context,
    Function,
    Variable,
    Keyword,
    Property,
    Value,
    Image,
    Playbook,
}

/// One completion item.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// One line shown beside the label (a type, a signature).
    pub detail: Option<String>,
    /// Markdown shown for the selected item.
    pub documentation: Option<String>,
    /// The range the item replaces (what has been typed of it).
    pub replace: TextRange,
    /// The text inserted; a snippet (`$1`, `${1:placeholder}`, `$0`) when `snippet`.
    pub insert: String,
    pub snippet: bool,
    /// Sorts the items (required inputs before optional ones); the label when `None`.
    pub sort: Option<String>,
}

impl Completion {
    /// An item that inserts its label over `replace`.
    pub(crate) fn new(label: impl Into<String>, kind: CompletionKind, replace: TextRange) -> Self {
        let label = label.into();
        Completion {
            insert: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            replace,
            snippet: false,
            sort: None,
        }
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        self.detail = (!detail.is_empty()).then_some(detail);
        self
    }

    pub(crate) fn with_doc(mut self, doc: impl Into<String>) -> Self {
        let doc = doc.into();
        self.documentation = (!doc.is_empty()).then_some(doc);
        self
    }

    /// The documentation `doc` makes, when `docs` wants this item's (it is built only then:
    /// an output's example is parsed and pretty-printed for it).
    pub(crate) fn with_doc_from(self, docs: &CompletionDocs, doc: impl FnOnce() -> String) -> Self {
        if docs.wants(&self.label) {
            self.with_doc(doc())
        } else {
            self
        }
    }

    pub(crate) fn with_insert(mut self, insert: impl Into<String>) -> Self {
        self.insert = insert.into();
        self.snippet = false;
        self
    }

    pub(crate) fn with_snippet(mut self, snippet: impl Into<String>) -> Self {
        self.insert = snippet.into();
        self.snippet = true;
        self
    }

    pub(crate) fn with_sort(mut self, sort: impl Into<String>) -> Self {
        self.sort = Some(sort.into());
        self
    }

    /// The key the items are ordered by.
    fn sort_key(&self) -> &str {
        self.sort.as_deref().unwrap_or(&self.label)
    }
}

/// Which items get their documentation: the Markdown that is often most of an item's size
/// and of its cost (an output's example parsed and pretty-printed). A client that resolves
/// the documentation of the item it shows asks for none, then for one item's.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub enum CompletionDocs {
    /// Every item's.
    #[default]
    All,
    /// No item's.
    None,
    /// Only the documentation of the items with this label.
    Of(String),
}

impl CompletionDocs {
    fn wants(&self, label: &str) -> bool {
        match self {
            CompletionDocs::All => true,
            CompletionDocs::None => false,
            CompletionDocs::Of(wanted) => wanted == label,
        }
    }
}

/// The completions at `offset` of `file`, in order (each item's [`Completion::sort`], then
/// its label), without duplicates, each with its documentation.
pub fn completions(db: &dyn salsa::Database, file: File, offset: TextSize) -> Vec<Completion> {
    completions_with(db, file, offset, &CompletionDocs::All)
}

/// [`completions`], with the documentation of the items `docs` says.
pub fn completions_with(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
    docs: &CompletionDocs,
) -> Vec<Completion> {
    let text = file.text(db);
    if offset as usize > text.len() || !text.is_char_boundary(offset as usize) {
        return Vec::new();
    }
    let view = WorkspaceView::for_file(db, file);
    let analysis = OnceCell::new();
    // In a template the check recorded, its record says all: the syntax tree (a parse of
    // the whole file) is not needed.
    if yaml::in_open_action(text, offset)
        && let Some(playbook) = crate::context::playbook_at(db, file, offset)
        && let Some(analysis) = analysis
            .get_or_init(|| Some(playbook_check::outline_playbook(playbook, &view)))
            .as_ref()
        && let Some(items) = yaml::site_template(analysis, offset, docs)
    {
        return finish(items, text, offset, docs);
    }
    let tree = parse(db, file).tree();
    let Some(place) = place::locate(tree, offset) else {
        return Vec::new();
    };
    let shared = yaml::Shared {
        view: &view,
        analysis: &analysis,
        docs,
    };
    let items = yaml::complete(db, file, tree, &place, offset, shared);
    finish(items, text, offset, docs)
}

/// Sorts the items, drops duplicates and any item whose range is not one line of the text
/// around the cursor, and the documentation `docs` does not want (the costly kinds are not
/// even built: [`Completion::with_doc_from`]).
fn finish(
    mut items: Vec<Completion>,
    text: &str,
    offset: TextSize,
    docs: &CompletionDocs,
) -> Vec<Completion> {
    for item in &mut items {
        if !docs.wants(&item.label) {
            item.documentation = None;
        }
    }
    items.retain(|item| {
        let range = item.replace;
        range.contains_inclusive(offset)
            && (range.end() as usize) <= text.len()
            && text.is_char_boundary(range.start() as usize)
            && text.is_char_boundary(range.end() as usize)
            && !text
                .get(range.as_usize())
                .is_some_and(|s| s.contains(['\n', '\r']))
    });
    items.sort_by(|a, b| {
        (a.sort_key(), &a.label, &a.insert).cmp(&(b.sort_key(), &b.label, &b.insert))
    });
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert((item.label.clone(), item.insert.clone())));
    items
}
