//! A snapshot of the server's state, taken under the state lock and then read without it, on
//! a blocking thread: a handle to the database (a clone of the host's [`RootDatabase`],
//! which sees the inputs as they were when it was taken), the open documents' URIs and
//! versions, the workspace folders, the negotiated encoding and the client's capabilities.
//!
//! An edit made while a snapshot is read cancels the queries the snapshot runs (see
//! [`crate::server`]); a snapshot is dropped as soon as its request is answered or cancelled,
//! because the edit waits for every snapshot to be gone before it changes the database.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use playbook_db::{File, RootDatabase};
use playbook_diagnostics::{LineIndex, TextRange, TextSize};
use tower_lsp_server::ls_types::{Location, Position, Range, Uri};

use crate::capabilities::ClientCaps;
use crate::position::{self, Encoding};

/// What a request reads: see the module documentation.
pub(crate) struct Snapshot {
    pub(crate) db: RootDatabase,
    pub(crate) encoding: Encoding,
    pub(crate) caps: ClientCaps,
    /// The `[format]` settings in use.
    pub(crate) format: playbook_workspace::FormatConfig,
    /// The client's settings.
    pub(crate) settings: crate::settings::Settings,
    /// The open documents by key: their URI and version.
    pub(crate) documents: HashMap<String, (Uri, i32)>,
    /// The workspace folders, the first one first.
    pub(crate) roots: Vec<PathBuf>,
}

/// A file of the snapshot with what converting positions in it needs.
pub(crate) struct Doc<'s> {
    pub(crate) file: File,
    pub(crate) uri: Uri,
    pub(crate) text: &'s str,
    pub(crate) index: &'s LineIndex,
}

impl Doc<'_> {
    /// The byte offset of an LSP position (clamped into the text).
    pub(crate) fn offset(&self, position: Position, encoding: Encoding) -> TextSize {
        position::offset(self.text, self.index, position, encoding)
    }

    /// The LSP range of a byte range.
    pub(crate) fn range(&self, range: TextRange, encoding: Encoding) -> Range {
        position::range(self.text, self.index, range, encoding)
    }

    /// The byte range of an LSP range.
    pub(crate) fn text_range(&self, range: Range, encoding: Encoding) -> TextRange {
        position::text_range(self.text, self.index, range, encoding)
    }
}

impl Snapshot {
    /// The file named `key` (see [`crate::document_key`]), shown to the client as `uri`.
    pub(crate) fn doc(&self, key: &str, uri: Uri) -> Option<Doc<'_>> {
        let file = playbook_ide::file(&self.db, key)?;
        let text = file.text(&self.db).as_str();
        Some(Doc {
            file,
            uri,
            text,
            index: playbook_ide::line_index(&self.db, file),
        })
    }

    /// The file at `path`, a path key the core chose (a file of a result), with its URI.
    pub(crate) fn doc_at(&self, path: &str) -> Option<Doc<'_>> {
        let uri = self.uri_of(path)?;
        self.doc(path, uri)
    }

    /// The URI of a path key: the open document's URI when it is open, else a `file:` URI
    /// (a relative path is taken from the first workspace folder), else the key itself when
    /// it is a URI (an unsaved buffer that was closed).
    pub(crate) fn uri_of(&self, path: &str) -> Option<Uri> {
        uri_of_path(&self.documents, &self.roots, path)
    }

    /// The version of the open document named `path`, if it is open.
    pub(crate) fn version_of(&self, path: &str) -> Option<i32> {
        self.documents.get(path).map(|(_, version)| *version)
    }
}

/// See [`Snapshot::uri_of`].
pub(crate) fn uri_of_path(
    documents: &HashMap<String, (Uri, i32)>,
    roots: &[PathBuf],
    path: &str,
) -> Option<Uri> {
    if let Some((uri, _)) = documents.get(path) {
        return Some(uri.clone());
    }
    let as_path = Path::new(path);
    if as_path.is_absolute() {
        return Uri::from_file_path(as_path);
    }
    if has_scheme(path) {
        return path.parse().ok();
    }
    roots
        .first()
        .and_then(|root| Uri::from_file_path(root.join(as_path)))
}

/// Whether `key` starts with a URI scheme (`untitled:`), as the key of a document that is
/// not a file does. A single letter is a Windows drive, not a scheme.
fn has_scheme(key: &str) -> bool {
    let Some((scheme, _)) = key.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Files of a result, each converted once: the many locations of a workspace-wide answer
/// (references of a parameter read in every file) share their file's line index.
pub(crate) struct Docs<'s> {
    snapshot: &'s Snapshot,
    docs: HashMap<String, Option<Doc<'s>>>,
}

impl<'s> Docs<'s> {
    pub(crate) fn new(snapshot: &'s Snapshot) -> Docs<'s> {
        Docs {
            snapshot,
            docs: HashMap::new(),
        }
    }

    /// The file at `path`, if the snapshot has it.
    pub(crate) fn get(&mut self, path: &str) -> Option<&Doc<'s>> {
        let snapshot = self.snapshot;
        self.docs
            .entry(path.to_owned())
            .or_insert_with(|| snapshot.doc_at(path))
            .as_ref()
    }

    /// The location of a byte range of the file at `path`.
    pub(crate) fn location(&mut self, path: &str, range: TextRange) -> Option<Location> {
        let encoding = self.snapshot.encoding;
        let doc = self.get(path)?;
        Some(Location {
            uri: doc.uri.clone(),
            range: doc.range(range, encoding),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        let uri = |s: &str| -> Uri { s.parse().expect("a URI") };
        let mut documents = HashMap::new();
        documents.insert("/w/open.yaml".to_owned(), (uri("file:///w/open.yaml?x"), 3));
        let roots = [PathBuf::from("/w")];
        let of = |path: &str| uri_of_path(&documents, &roots, path).map(|u| u.as_str().to_owned());
        assert_eq!(of("/w/open.yaml").as_deref(), Some("file:///w/open.yaml?x"));
        assert_eq!(of("/w/a b.yaml").as_deref(), Some("file:///w/a%20b.yaml"));
        assert_eq!(
            of("steps/m.yaml").as_deref(),
            Some("file:///w/steps/m.yaml")
        );
        assert_eq!(
            of("untitled:Untitled-1").as_deref(),
            Some("untitled:Untitled-1")
        );
        assert!(!has_scheme("C:/w/a.yaml"));
    }
}
