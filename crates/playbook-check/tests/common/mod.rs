//! The checker's fixture harness, shared by the test files of this crate.
//!
//! A fixture is a list of files, each introduced by a header line:
//! `//- manifest IMAGE` (a step manifest serving image IMAGE; several may serve one image),
//! `//- playbook` or `//- trigger`. A line `//- library PREFIX DIR` configures a library
//! (`//- library PREFIX DIR missing`: one whose folder does not exist); without one, no
//! image is reported unknown.
//! The output lists each diagnostic of the playbooks and triggers as
//! `file:line:col CODE severity message [label] (help)`.

#![allow(dead_code)]

use std::fmt::Write as _;

use expect_test::Expect;
use playbook_check::interface::strip_tag_and_digest;
use playbook_check::{Library, Workspace};
use playbook_hir::ir::{Item, Playbook, StepManifest};

pub struct Fixture {
    /// Each file's header, text and items.
    files: Vec<(String, String, Vec<Item>)>,
    /// The problems found while lowering each file (most fixtures have none), rendered
    /// before the checks' findings.
    lowering: Vec<Vec<playbook_diagnostics::Diagnostic>>,
    images: Vec<(String, usize)>,
    /// (prefix, folder, missing)
    libraries: Vec<(String, String, bool)>,
    secrets: Option<Vec<String>>,
    /// How many times a check asked for the file's source (which parses it again).
    pub source_asked: std::cell::Cell<usize>,
}

impl Workspace for Fixture {
    fn source(&self) -> Option<(&str, &playbook_syntax::SyntaxTree)> {
        self.source_asked.set(self.source_asked.get() + 1);
        None
    }

    fn manifests(&self, image: &str) -> Vec<&StepManifest> {
        let image = strip_tag_and_digest(image);
        self.images
            .iter()
            .filter(|(i, _)| i == image)
            .flat_map(|(_, file)| self.files[*file].2.iter())
            .filter_map(|i| match i {
                Item::Step(m) => Some(&**m),
                _ => None,
            })
            .collect()
    }

    fn libraries(&self) -> Vec<Library<'_>> {
        self.libraries
            .iter()
            .map(|(prefix, dir, missing)| Library {
                prefix,
                dir,
                missing: *missing,
            })
            .collect()
    }

    fn image_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.images.iter().map(|(i, _)| i.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    fn known_secrets(&self) -> Option<&[String]> {
        self.secrets.as_deref()
    }

    fn playbook(&self, name: &str) -> Option<&Playbook> {
        self.files
            .iter()
            .flat_map(|f| f.2.iter())
            .find_map(|i| match i {
                Item::Playbook(p) if p.name.as_ref().is_some_and(|n| n.value == name) => Some(p),
                _ => None,
            })
    }

    fn playbook_names(&self) -> Vec<String> {
        self.files
            .iter()
            .flat_map(|f| f.2.iter())
            .filter_map(|i| match i {
                Item::Playbook(p) => p.name.as_ref().map(|n| n.value.clone()),
                _ => None,
            })
            .collect()
    }
}

pub fn fixture(src: &str, secrets: Option<&[&str]>) -> Fixture {
    let mut files = Vec::new();
    let mut lowering = Vec::new();
    let mut images = Vec::new();
    let mut libraries = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut finish = |current: Option<(String, String)>,
                      files: &mut Vec<(String, String, Vec<Item>)>| {
        if let Some((header, text)) = current {
            let parse = playbook_syntax::parse(&text);
            assert!(
                parse.errors().is_empty(),
                "{header}: syntax errors {:?}",
                parse.errors()
            );
            let lowered = playbook_hir::lower(parse.tree());
            lowering.push(lowered.diagnostics);
            files.push((header, text, lowered.file.items));
        }
    };
    for line in src.lines() {
        if let Some(header) = line.strip_prefix("//- ") {
            finish(current.take(), &mut files);
            if let Some(library) = header.strip_prefix("library ") {
                let words: Vec<&str> = library.split_whitespace().collect();
                let [prefix, dir, rest @ ..] = words.as_slice() else {
                    panic!("`//- library PREFIX DIR [missing]`, not `{header}`");
                };
                libraries.push(((*prefix).to_owned(), (*dir).to_owned(), rest == ["missing"]));
                continue;
            }
            if let Some(image) = header.strip_prefix("manifest ") {
                images.push((image.to_owned(), files.len()));
            }
            current = Some((header.to_owned(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    finish(current, &mut files);
    Fixture {
        files,
        lowering,
        images,
        libraries,
        secrets: secrets.map(|s| s.iter().map(|s| s.to_string()).collect()),
        source_asked: std::cell::Cell::new(0),
    }
}

pub fn render(fixture: &Fixture) -> String {
    let mut out = String::new();
    for ((header, text, items), lowering) in fixture.files.iter().zip(&fixture.lowering) {
        let checked = items.iter().flat_map(|item| match item {
            Item::Playbook(p) => playbook_check::check_playbook(p, fixture),
            Item::Trigger(t) => playbook_check::check_trigger(t, fixture),
            Item::Test(t) => playbook_check::check_test(t, fixture),
            Item::Step(_) => Vec::new(),
        });
        for d in lowering.iter().cloned().chain(checked) {
            {
                let _ = write!(
                    out,
                    "{header}:{}",
                    playbook_test_support::diagnostic_line(text, &d)
                );
                out.push('\n');
            }
        }
    }
    out
}

pub fn check(src: &str, expect: Expect) {
    expect.assert_eq(&render(&fixture(src, None)));
}

pub fn check_with_secrets(src: &str, secrets: &[&str], expect: Expect) {
    expect.assert_eq(&render(&fixture(src, Some(secrets))));
}

pub const REDIS_INFO: &str = r#"//- manifest lib/redis/info
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis_info
envs:
  - name: REDIS_IP
    type: string
    required: true
  - name: REDIS_PASSWORD
    type: string
  - name: VERBOSE
    type: bool
  - name: TIMEOUT
    type: int
outputs:
  - name: info
    type: json
    example: '{"Clients": {"connected_clients": "2"}, "Memory": {"used_memory_human": "900K"},}'
  - name: version
    type: string
  - name: items
    type: json
    example: '[{"name": "a", "size": 1}]'
"#;

pub const SLACK: &str = r#"//- manifest lib/slack/post
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: slack_post
envs:
  - name: TEXT
    type: string
    required: true
integrations: [slack]
"#;

pub fn with_library(playbook: &str) -> String {
    format!("{REDIS_INFO}{SLACK}//- playbook\n{playbook}")
}
