//! Reading the text of a file (or of standard input) at the edge of the tool, with the
//! errors a user can act on: a missing or unreadable file, text that is not UTF-8 (with the
//! line and column of the first bad byte), and files too large for 32-bit offsets.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

use playbook_diagnostics::LineIndex;

/// The largest text the tool accepts: offsets inside the core are `u32`.
pub const MAX_LEN: u64 = u32::MAX as u64;

/// Why a text could not be read. `path` is the name shown to the user.
#[derive(Debug)]
pub enum ReadError {
    Io {
        path: String,
        error: io::Error,
    },
    NotUtf8 {
        path: String,
        line: u32,
        column: u32,
    },
    TooLarge {
        path: String,
        len: u64,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { path, error } => write!(f, "cannot read `{path}`: {error}"),
            ReadError::NotUtf8 { path, line, column } => write!(
                f,
                "`{path}` is not valid UTF-8 (invalid byte at line {line}, column {column})"
            ),
            ReadError::TooLarge { path, len } => write!(
                f,
                "`{path}` is too large ({len} bytes); files larger than 4 GiB are not supported"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads the file at `path`, reported to the user as `name`.
pub fn read_file(path: &Path, name: &str) -> Result<String, ReadError> {
    let io_error = |error| ReadError::Io {
        path: name.to_owned(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if metadata.is_dir() {
        return Err(io_error(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    if metadata.len() > MAX_LEN {
        return Err(ReadError::TooLarge {
            path: name.to_owned(),
            len: metadata.len(),
        });
    }
    read_all(file, name)
}

/// Reads standard input entirely, reported to the user as `name`.
pub fn read_stdin(name: &str) -> Result<String, ReadError> {
    read_all(io::stdin().lock(), name)
}

/// Reads `reader` to its end (never more than [`MAX_LEN`] bytes plus one, so that a file
/// growing while read or an endless stream is refused rather than exhausting memory).
fn read_all(reader: impl Read, name: &str) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| ReadError::Io {
            path: name.to_owned(),
            error,
        })?;
    let len = bytes.len() as u64;
    if len > MAX_LEN {
        return Err(ReadError::TooLarge {
            path: name.to_owned(),
            len,
        });
    }
    decode_utf8(bytes, name)
}

/// The text of `bytes`, or where its first invalid UTF-8 byte is (1-based line, and 1-based
/// column counted in characters).
pub fn decode_utf8(bytes: Vec<u8>, name: &str) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let prefix = error
            .as_bytes()
            .get(..valid)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        let index = LineIndex::new(prefix);
        let end = u32::try_from(prefix.len()).unwrap_or(u32::MAX);
        let line = index.line_col(end).line;
        ReadError::NotUtf8 {
            path: name.to_owned(),
            line: line.saturating_add(1),
            column: index.char_col(end, prefix).saturating_add(1),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located_by_line_and_character_column() {
        let error = decode_utf8(b"a: 1\nb: \xc3\xa9\xff\n".to_vec(), "x.yaml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "`x.yaml` is not valid UTF-8 (invalid byte at line 2, column 5)"
        );
        let error = decode_utf8(b"\xfe".to_vec(), "y.yml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "`y.yml` is not valid UTF-8 (invalid byte at line 1, column 1)"
        );
    }

    #[test]
    fn valid_utf8_is_returned_unchanged() {
        let text = decode_utf8("é: \"ü\"\r\n".as_bytes().to_vec(), "x").unwrap();
        assert_eq!(text, "é: \"ü\"\r\n");
    }

    #[test]
    fn missing_file_names_the_path_and_the_os_error() {
        let path = std::env::temp_dir().join("playbook-cli-unit-missing-file.yaml");
        let error = read_file(&path, "missing.yaml").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("cannot read `missing.yaml`: "),
            "{message}"
        );
    }
}
