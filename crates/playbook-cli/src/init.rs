//! `playbook init [DIR]`: writes a commented `playbook.toml` for a repository, with the
//! step libraries found in it, and says what to do next.
//!
//! The step libraries are found from the files themselves ([`detect`], pure):
//!
//! 1. Every YAML file under the folder is read as `playbook check` would walk it (hidden
//!    files walked, `.git` not entered, `.gitignore` honoured even outside git). Its step
//!    manifests (`kind: Step` in a file named `manifest.yaml` or `manifest.yml`, without a
//!    `metadata.imageName`, which is found by name and needs no library) give the folders
//!    that could serve an image: `steps/redis/info` for `steps/redis/info/manifest.yaml`.
//! 2. The images the playbooks call (tag and digest left out) are matched against those
//!    folders by their trailing path: image `reg.io/team/redis/info` and folder
//!    `steps/redis/info` share `redis/info`, so prefix `reg.io/team/` would be served from
//!    the folder `steps`. Every split of the shared trailing path is a candidate library.
//! 3. The candidate that serves the most images is kept (on a tie, the one whose folder
//!    holds the most manifests, then the one whose folder is not the root, then the shorter
//!    folder); the images it serves are set aside and the rest are matched again, until no
//!    candidate serves an image. Two libraries never share a prefix.
//! 4. Manifests under no library found that way (a library no playbook calls yet) are
//!    grouped by their top folder, and get a library whose prefix is a placeholder to
//!    correct, said so in the file and in the output.
//!
//! The file lists every setting `playbook.toml` supports: those found are written, the rest
//! are commented out with their default value, so that uncommenting a line gives a valid
//! setting.

use crate::style::plural;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use playbook_hir::ir::Step;
use playbook_workspace::CONFIG_FILE_NAME;
use rayon::prelude::*;

/// What `playbook init` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// The repository's folder (created when missing).
    pub dir: PathBuf,
    /// Overwrite an existing `playbook.toml`.
    pub force: bool,
}

/// What a run prints and its exit code: 0 written, 2 not written (a `playbook.toml` exists
/// already without `--force`, or an I/O failure).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: u8,
}

/// What [`detect`] found in a repository.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Detected {
    /// The step libraries to configure, in the order of their folders.
    pub libraries: Vec<DetectedLibrary>,
    /// Files with at least one playbook document (Playbook, Step or Trigger).
    pub playbook_files: usize,
    /// Step manifests, those with a `metadata.imageName` among them.
    pub manifests: usize,
    /// Step manifests found by their `metadata.imageName` (no library needed).
    pub named_manifests: usize,
    /// Distinct images the playbooks call (tag and digest left out), templates left out.
    pub images: usize,
}

/// A `[[library]]` to write.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DetectedLibrary {
    /// The image prefix, ending in `/`.
    pub prefix: String,
    /// The folder, relative to the repository, with `/`; `.` for the repository itself.
    pub path: String,
    /// The manifests under the folder.
    pub manifests: usize,
    /// The images of the playbooks this library serves (0 for a guessed prefix).
    pub images: usize,
    /// An image the library serves, with the manifest that describes it, as an example.
    pub example: Option<(String, String)>,
    /// The prefix is a placeholder: no playbook calls an image of this folder yet.
    pub guessed: bool,
}

/// Runs `playbook init`: finds the libraries, writes `<dir>/playbook.toml` and says what to
/// do next. `cwd` is the folder paths are shown relative to.
pub fn run_in(cwd: &Path, options: &Options) -> Outcome {
    let dir = cwd.join(&options.dir);
    let target = dir.join(CONFIG_FILE_NAME);
    let shown = shown_path(cwd, &target);
    let fail = |message: String| Outcome {
        stdout: String::new(),
        stderr: format!("error: {message}\n"),
        exit_code: 2,
    };
    let existing = match std::fs::symlink_metadata(&target) {
        Ok(metadata) if !options.force => {
            let what = if metadata.is_dir() {
                "is a folder"
            } else {
                "exists already"
            };
            return fail(format!(
                "`{shown}` {what}: not overwritten (pass --force to replace it)"
            ));
        }
        Ok(metadata) if metadata.is_dir() => {
            return fail(format!(
                "`{shown}` is a folder: it cannot be replaced by a file"
            ));
        }
        Ok(_) => match playbook_workspace::read_text(&target) {
            Ok(text) => Some(text),
            Err(error) => return fail(format!("cannot read `{shown}`: {error}")),
        },
        Err(_) => None,
    };
    if let Err(error) = std::fs::create_dir_all(&dir) {
        return fail(format!(
            "cannot create the folder `{}`: {error}",
            shown_path(cwd, &dir)
        ));
    }
    let (files, mut warnings) = read_yaml_files(&dir);
    let detected = detect(&files);
    let text = config_text(&detected);
    let written = match &existing {
        Some(read) => crate::write::write_atomic(&target, read, &text),
        None => create_new(&target, &text),
    };
    if let Err(error) = written {
        return fail(format!("cannot write `{shown}`: {error}"));
    }
    // A `playbook.toml` further up made this folder part of another project; now it is one
    // of its own.
    let real_dir = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
    if let Some(outer) = real_dir.parent().and_then(playbook_workspace::find_config) {
        warnings.push(format!(
            "note: `{}` applied to this folder until now; `{shown}` makes the folder a project of its own",
            shown_path(cwd, &outer)
        ));
    }
    let mut stderr = String::new();
    for warning in warnings {
        stderr.push_str(&warning);
        stderr.push('\n');
    }
    let check = if options.dir.as_os_str().is_empty() || options.dir == Path::new(".") {
        "playbook check".to_owned()
    } else {
        format!(
            "playbook check {}",
            shell_word(&options.dir.display().to_string())
        )
    };
    Outcome {
        stdout: report(&shown, existing.is_some(), &detected, &check),
        stderr,
        exit_code: 0,
    }
}

/// Writes a new file, failing if one appeared since it was looked for.
fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// `path` relative to `cwd` when under it, with `/`.
fn shown_path(cwd: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    let text = shown.display().to_string();
    let text = text.strip_prefix("./").unwrap_or(&text);
    if text.is_empty() {
        ".".to_owned()
    } else {
        text.to_owned()
    }
}

/// `word` quoted for a POSIX shell when it needs it.
fn shell_word(word: &str) -> String {
    let plain = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./+,:@%".contains(c));
    if plain && !word.is_empty() {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Reads the `.yaml` and `.yml` files under `dir` as `playbook check` walks them, as
/// `(path relative to dir with '/', text)`, sorted; and warnings for the files and folders
/// that could not be read.
pub fn read_yaml_files(dir: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| entry.file_name() != ".git");
    let mut paths = Vec::new();
    let mut warnings = Vec::new();
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                let is_yaml = entry.file_type().is_some_and(|t| t.is_file())
                    && entry
                        .path()
                        .extension()
                        .is_some_and(|e| e == "yaml" || e == "yml");
                if is_yaml {
                    paths.push(entry.into_path());
                }
            }
            Err(error) => warnings.push(format!("warning: {error}")),
        }
    }
    let read: Vec<_> = paths
        .par_iter()
        .map(|path| {
            let relative = relative_name(dir, path);
            (relative, playbook_workspace::read_text(path))
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for (relative, text) in read {
        match text {
            Ok(text) => files.push((relative, text)),
            Err(error) => warnings.push(format!("warning: cannot read `{relative}`: {error}")),
        }
    }
    files.sort();
    (files, warnings)
}

fn relative_name(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// What one file holds, for [`detect`].
#[derive(Default)]
struct FileFacts {
    playbook_file: bool,
    /// The folder of the file (relative, components), when it is a manifest a library
    /// could serve.
    manifest_dir: Option<Vec<String>>,
    manifests: usize,
    named: Vec<String>,
    images: Vec<String>,
}

fn facts(path: &str, text: &str) -> FileFacts {
    let mut facts = FileFacts::default();
    if !playbook_workspace::is_playbook_file(text) {
        return facts;
    }
    facts.playbook_file = true;
    let parse = playbook_syntax::parse(text);
    let lowered = playbook_hir::lower(parse.tree());
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let in_manifest_file = file_name == "manifest.yaml" || file_name == "manifest.yml";
    for manifest in lowered.file.manifests() {
        facts.manifests += 1;
        match &manifest.image_name {
            Some(name) => facts.named.push(name.value.clone()),
            None if in_manifest_file => {
                let mut parts: Vec<String> = path.split('/').map(str::to_owned).collect();
                parts.pop();
                facts.manifest_dir = Some(parts);
            }
            None => {}
        }
    }
    for playbook in lowered.file.playbooks() {
        collect_images(&playbook.steps, &mut facts.images);
    }
    facts
}

/// The looked-up names of the images `steps` call, at any depth of blocks and loops.
fn collect_images(steps: &[Step], out: &mut Vec<String>) {
    // Blocks and loops nest as deep as the YAML does, which the parser bounds; a stack keeps
    // the walk off the call stack all the same.
    let mut stack: Vec<&[Step]> = vec![steps];
    while let Some(steps) = stack.pop() {
        for step in steps {
            match step {
                Step::Call(call) => {
                    if let Some(name) = playbook_check::interface::lookup_name(&call.image.value) {
                        out.push(name.to_owned());
                    }
                }
                Step::Block(block) => stack.push(&block.steps),
                Step::Loop(lp) => stack.push(&lp.steps),
            }
        }
    }
}

/// Finds the step libraries of a repository from its YAML files, given as `(path relative
/// to the repository with '/', text)`. See the module documentation for how.
pub fn detect(files: &[(String, String)]) -> Detected {
    let facts: Vec<FileFacts> = files
        .par_iter()
        .map(|(path, text)| facts(path, text))
        .collect();
    let mut detected = Detected::default();
    let mut dirs: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut images: BTreeSet<String> = BTreeSet::new();
    for file in facts {
        detected.playbook_files += usize::from(file.playbook_file);
        detected.manifests += file.manifests;
        detected.named_manifests += file.named.len();
        named.extend(file.named);
        images.extend(file.images);
        // A manifest at the root serves no image of a library: `<prefix>` + "" is no image.
        if let Some(dir) = file.manifest_dir.filter(|d| !d.is_empty()) {
            dirs.insert(dir);
        }
    }
    detected.images = images.len();
    // Images claimed by a manifest's `imageName` are found by that name.
    let mut open: BTreeSet<String> = images.difference(&named).cloned().collect();
    let candidates = candidates(&open, &dirs);
    let mut covered: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut prefixes: BTreeSet<String> = BTreeSet::new();
    loop {
        let best = candidates
            .iter()
            .filter(|(key, _)| !prefixes.contains(&key.1))
            .map(|(key, served)| {
                let served: Vec<&(String, Vec<String>)> = served
                    .iter()
                    .filter(|(image, _)| open.contains(image))
                    .collect();
                let holds = dirs.iter().filter(|d| d.starts_with(&key.0)).count();
                (key, served, holds)
            })
            .filter(|(_, served, _)| !served.is_empty())
            .max_by(|a, b| {
                let rank = |c: &(&(Vec<String>, String), Vec<_>, usize)| {
                    (
                        c.1.len(),
                        c.2,
                        !c.0.0.is_empty(),
                        std::cmp::Reverse(c.0.0.len()),
                    )
                };
                // On a full tie, the first in order (`max_by` keeps the last).
                rank(a).cmp(&rank(b)).then_with(|| b.0.cmp(a.0))
            });
        let Some(((folder, prefix), served, holds)) = best else {
            break;
        };
        let example = served
            .first()
            .map(|(image, dir)| (image.clone(), format!("{}/manifest.yaml", dir.join("/"))));
        for (image, _) in &served {
            open.remove(image);
        }
        covered.extend(dirs.iter().filter(|d| d.starts_with(folder)).cloned());
        prefixes.insert(prefix.clone());
        detected.libraries.push(DetectedLibrary {
            prefix: prefix.clone(),
            path: folder_name(folder),
            manifests: holds,
            images: served.len(),
            example,
            guessed: false,
        });
    }
    // Folders of manifests that no playbook calls yet: one library per top folder.
    let mut unused: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for dir in dirs.iter().filter(|d| !covered.contains(*d)) {
        let top = if dir.len() >= 2 {
            dir[..1].to_vec()
        } else {
            Vec::new()
        };
        *unused.entry(top).or_default() += 1;
    }
    for (folder, manifests) in unused {
        let base = match folder.first() {
            Some(top) => format!("registry.example.com/{}/", placeholder_segment(top)),
            None => "registry.example.com/steps/".to_owned(),
        };
        let mut prefix = base.clone();
        let mut n = 2;
        while prefixes.contains(&prefix) {
            prefix = format!("{}-{n}/", base.trim_end_matches('/'));
            n += 1;
        }
        prefixes.insert(prefix.clone());
        let example = dirs
            .iter()
            .find(|d| d.starts_with(&folder) && !covered.contains(*d))
            .map(|d| {
                let rest = d[folder.len()..].join("/");
                (
                    format!("{prefix}{rest}"),
                    format!("{}/manifest.yaml", d.join("/")),
                )
            });
        detected.libraries.push(DetectedLibrary {
            prefix,
            path: folder_name(&folder),
            manifests,
            images: 0,
            example,
            guessed: true,
        });
    }
    detected
}

/// The candidate libraries `(folder, prefix)` with the images each would serve, and the
/// folder of each image's manifest.
type Candidates = BTreeMap<(Vec<String>, String), Vec<(String, Vec<String>)>>;

fn candidates(images: &BTreeSet<String>, dirs: &BTreeSet<Vec<String>>) -> Candidates {
    // The manifest folders by their last name, so that each image is compared only with
    // the folders that could serve it.
    let mut by_last: BTreeMap<&str, Vec<&Vec<String>>> = BTreeMap::new();
    for dir in dirs {
        if let Some(last) = dir.last() {
            by_last.entry(last.as_str()).or_default().push(dir);
        }
    }
    let mut out: Candidates = BTreeMap::new();
    for image in images {
        let parts: Vec<&str> = image.split('/').collect();
        let Some(last) = parts.last() else { continue };
        for dir in by_last.get(last).into_iter().flatten() {
            // The shared trailing names, leaving at least one name for the prefix.
            let mut shared = 0;
            while shared < parts.len() - 1
                && shared < dir.len()
                && parts[parts.len() - 1 - shared] == dir[dir.len() - 1 - shared]
            {
                shared += 1;
            }
            for k in 1..=shared {
                let folder = dir[..dir.len() - k].to_vec();
                let prefix = format!("{}/", parts[..parts.len() - k].join("/"));
                out.entry((folder, prefix))
                    .or_default()
                    .push((image.clone(), (*dir).clone()));
            }
        }
    }
    out
}

fn folder_name(folder: &[String]) -> String {
    if folder.is_empty() {
        ".".to_owned()
    } else {
        folder.join("/")
    }
}

/// A folder name as a registry path segment: lower case, letters, digits, `-`, `_`, `.`.
fn placeholder_segment(name: &str) -> String {
    let segment: String = name
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let segment = segment.trim_matches(|c| "-_.".contains(c));
    if segment.is_empty() {
        "steps".to_owned()
    } else {
        segment.to_owned()
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of the `playbook.toml` to write. Every setting appears: the libraries found are
/// written, the other settings commented out with their default, each `# key = value` line
/// a valid setting once uncommented.
pub fn config_text(detected: &Detected) -> String {
    let mut out = String::new();
    out.push_str(
        "\
# The configuration of this playbook repository, read by `playbook check`, `playbook fmt`
# and the language server (`playbook lsp`) for every file in this folder and below.
# Written by `playbook init`. Every setting is optional: a setting commented out shows
# its default value or an example. A mistake in this file is reported with its line by
# `playbook check`, like a mistake in a playbook.

# Paths not to check: globs relative to this file. `*` and `?` stay within one folder,
# `**` crosses folders, `{a,b}` is either. Files that `.gitignore` ignores are not checked
# either. For example `[\"vendor/**\", \"**/testdata/**\"]`. Default: nothing excluded.
# exclude = []

# Step libraries: the manifests (`manifest.yaml`, `kind: Step`) that describe the inputs
# and outputs of step images. A library serves the images whose name starts with `prefix`
# from the folder `path` (relative to this file): image `<prefix>redis/info:1.2` is
# `<path>/redis/info/manifest.yaml` (a tag or digest is ignored). Add one `[[library]]`
# per prefix. Manifests with a `metadata.imageName` are found by that name without one.
",
    );
    if detected.libraries.is_empty() {
        out.push_str(
            "\
# No manifest was found in this repository: the steps' images are not checked until a
# library is configured, for example:
# [[library]]
# prefix = \"us-docker.pkg.dev/stackpulse/public/\"
# path = \"steps\"
",
        );
    }
    for library in &detected.libraries {
        out.push('\n');
        let manifests = plural(library.manifests, "manifest");
        if library.guessed {
            let _ = writeln!(
                out,
                "# Found by `playbook init`: {manifests} in `{}`, whose images no playbook calls yet.",
                library.path
            );
            out.push_str(
                "# CHANGE THE PREFIX: it is a placeholder for the registry path the images are\n\
                 # pushed under.\n",
            );
        } else {
            let _ = writeln!(
                out,
                "# Found by `playbook init`: {manifests} in `{}`, serving {} the playbooks call.",
                library.path,
                plural(library.images, "image"),
            );
        }
        if let Some((image, manifest)) = &library.example {
            let _ = writeln!(out, "# Image {image} is {manifest}.");
        }
        out.push_str("[[library]]\n");
        let _ = writeln!(out, "prefix = {}", toml_string(&library.prefix));
        let _ = writeln!(out, "path = {}", toml_string(&library.path));
    }
    out.push_str(
        "
# The secrets that exist in the runtime's secret store. When set, `secret \"NAME\"` and the
# defaults of `secret` parameters must name one of them (PB306, with a did-you-mean).
# Default: not set, any name is accepted.
# [secrets]
# known = [\"GITHUB_API_TOKEN\", \"SLACK_WEBHOOK\"]

# The severity of single checks, by code (`PB302`) or name (`unused-parameter`): `off`,
# `hint`, `warning` or `error`. `playbook explain` lists every check with its default.
# Default: each check's own severity.
# [severity]
# unused-parameter = \"off\"
# PB113 = \"error\"

# How `playbook fmt` and the editor's formatting lay files out.
# [format]
# Spaces per indentation level: 2 or 4.
# indent = 2
# Indent a sequence under its key (`key:` then `  - item`); false puts `- item` at the
# key's column.
# indent-sequences = true
",
    );
    out
}

/// What `playbook init` prints after writing the file: what it found and what to do next.
fn report(shown: &str, replaced: bool, detected: &Detected, check: &str) -> String {
    let mut out = String::new();
    let verb = if replaced { "Replaced" } else { "Wrote" };
    let _ = writeln!(
        out,
        "{verb} {shown}: {} found, {} with {}.",
        plural(detected.playbook_files, "playbook file"),
        plural(detected.libraries.len(), "step library"),
        plural(
            detected.libraries.iter().map(|l| l.manifests).sum(),
            "manifest"
        ),
    );
    for library in &detected.libraries {
        let what = if library.guessed {
            "no image called yet: CHANGE THE PREFIX, a placeholder".to_owned()
        } else {
            format!("serves {}", plural(library.images, "image"))
        };
        let _ = writeln!(
            out,
            "  {:<20} prefix {}  ({}, {what})",
            format!("{}/", library.path.trim_end_matches('/')),
            library.prefix,
            plural(library.manifests, "manifest"),
        );
    }
    if detected.named_manifests > 0 {
        let _ = writeln!(
            out,
            "  and {} found by their metadata.imageName",
            plural(detected.named_manifests, "manifest")
        );
    }
    let repository = env!("CARGO_PKG_REPOSITORY");
    let _ = write!(
        out,
        "
Next:
  1. Check the repository:       {check}
     (`playbook explain CODE` explains a diagnostic; `playbook check --fix` applies the safe fixes)
  2. Set up your editor: the VS Code extension, or Neovim, Helix, Zed and others, run
     `playbook lsp`: see {repository}/blob/main/editors/README.md
  3. Check before each commit, in .pre-commit-config.yaml (https://pre-commit.com):
       repos:
         - repo: {repository}
           rev: <a tag or commit of playbook>
           hooks:
             - id: playbook-check
             - id: playbook-fmt
  4. Shell completion and manual pages: `playbook completions --help`, `playbook man --help`
",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect()
    }

    fn manifest(name: &str) -> String {
        format!("apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: {name}\n")
    }

    fn playbook(images: &[&str]) -> String {
        let mut text = String::from(
            "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nsteps:\n",
        );
        for (i, image) in images.iter().enumerate() {
            let _ = write!(text, "  - name: {image}\n    id: s{i}\n");
        }
        text
    }

    fn summary(detected: &Detected) -> Vec<String> {
        detected
            .libraries
            .iter()
            .map(|l| {
                format!(
                    "{} {} manifests={} images={} guessed={}",
                    l.path, l.prefix, l.manifests, l.images, l.guessed
                )
            })
            .collect()
    }

    #[test]
    fn prefix_is_found_from_the_images_the_playbooks_call() {
        let detected = detect(&files(&[
            ("steps/redis/info/manifest.yaml", &manifest("a")),
            ("steps/redis/slowlog/manifest.yaml", &manifest("b")),
            ("steps/http/request/manifest.yml", &manifest("c")),
            (
                "p.yaml",
                &playbook(&[
                    "reg.io/team/redis/info:1.2",
                    "reg.io/team/http/request@sha256:00",
                    "amazon/aws-cli",
                    "{{ $.params.image }}",
                ]),
            ),
        ]));
        assert_eq!(
            summary(&detected),
            ["steps reg.io/team/ manifests=3 images=2 guessed=false"]
        );
        assert_eq!(detected.playbook_files, 4);
        assert_eq!(detected.manifests, 3);
        assert_eq!(detected.images, 3);
    }

    #[test]
    fn two_prefixes_and_a_library_no_playbook_calls() {
        let detected = detect(&files(&[
            ("lib/a/x/manifest.yaml", &manifest("a")),
            ("vendor/public/b/y/manifest.yaml", &manifest("b")),
            ("unused/c/z/manifest.yaml", &manifest("c")),
            ("single/manifest.yaml", &manifest("d")),
            ("manifest.yaml", &manifest("e")),
            ("p.yaml", &playbook(&["one.io/a/x", "two.io/v/public/b/y"])),
        ]));
        assert_eq!(
            summary(&detected),
            [
                // The shallower folder wins the tie: `vendor`, not `vendor/public`.
                "lib one.io/ manifests=1 images=1 guessed=false",
                "vendor two.io/v/ manifests=1 images=1 guessed=false",
                ". registry.example.com/steps/ manifests=1 images=0 guessed=true",
                "unused registry.example.com/unused/ manifests=1 images=0 guessed=true",
            ]
        );
    }

    #[test]
    fn manifests_found_by_image_name_need_no_library() {
        let named = "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: aws\n  imageName: amazon/aws-cli\n";
        let detected = detect(&files(&[
            ("steps/aws/cmd/manifest.yaml", named),
            ("p.yaml", &playbook(&["amazon/aws-cli"])),
        ]));
        assert_eq!(summary(&detected), Vec::<String>::new());
        assert_eq!(detected.named_manifests, 1);
    }

    #[test]
    fn other_yaml_is_not_counted() {
        let detected = detect(&files(&[
            (".github/workflows/ci.yaml", "on: push\njobs: {}\n"),
            ("k8s/manifest.yaml", "apiVersion: v1\nkind: Pod\n"),
            ("broken.yaml", "kind: Playbook\n  bad: [\n"),
        ]));
        assert_eq!(summary(&detected), Vec::<String>::new());
        assert_eq!(detected.manifests, 0);
    }

    /// A small repository: a library of two steps, a playbook calling both.
    fn small_repository() -> Vec<(String, String)> {
        files(&[
            ("steps/redis/info/manifest.yaml", &manifest("a")),
            ("steps/http/request/manifest.yaml", &manifest("b")),
            (
                "p.yaml",
                &playbook(&["reg.io/team/redis/info:1.2", "reg.io/team/http/request"]),
            ),
        ])
    }

    #[test]
    fn the_written_file() {
        let text = config_text(&detect(&small_repository()));
        expect_test::expect![[r##"
            # The configuration of this playbook repository, read by `playbook check`, `playbook fmt`
            # and the language server (`playbook lsp`) for every file in this folder and below.
            # Written by `playbook init`. Every setting is optional: a setting commented out shows
            # its default value or an example. A mistake in this file is reported with its line by
            # `playbook check`, like a mistake in a playbook.

            # Paths not to check: globs relative to this file. `*` and `?` stay within one folder,
            # `**` crosses folders, `{a,b}` is either. Files that `.gitignore` ignores are not checked
            # either. For example `["vendor/**", "**/testdata/**"]`. Default: nothing excluded.
            # exclude = []

            # Step libraries: the manifests (`manifest.yaml`, `kind: Step`) that describe the inputs
            # and outputs of step images. A library serves the images whose name starts with `prefix`
            # from the folder `path` (relative to this file): image `<prefix>redis/info:1.2` is
            # `<path>/redis/info/manifest.yaml` (a tag or digest is ignored). Add one `[[library]]`
            # per prefix. Manifests with a `metadata.imageName` are found by that name without one.

            # Found by `playbook init`: 2 manifests in `steps`, serving 2 images the playbooks call.
            # Image reg.io/team/http/request is steps/http/request/manifest.yaml.
            [[library]]
            prefix = "reg.io/team/"
            path = "steps"

            # The secrets that exist in the runtime's secret store. When set, `secret "NAME"` and the
            # defaults of `secret` parameters must name one of them (PB306, with a did-you-mean).
            # Default: not set, any name is accepted.
            # [secrets]
            # known = ["GITHUB_API_TOKEN", "SLACK_WEBHOOK"]

            # The severity of single checks, by code (`PB302`) or name (`unused-parameter`): `off`,
            # `hint`, `warning` or `error`. `playbook explain` lists every check with its default.
            # Default: each check's own severity.
            # [severity]
            # unused-parameter = "off"
            # PB113 = "error"

            # How `playbook fmt` and the editor's formatting lay files out.
            # [format]
            # Spaces per indentation level: 2 or 4.
            # indent = 2
            # Indent a sequence under its key (`key:` then `  - item`); false puts `- item` at the
            # key's column.
            # indent-sequences = true
        "##]]
        .assert_eq(&text);
    }

    /// `text` with every commented-out setting (`# key = value`, `# [table]`) uncommented.
    fn uncomment(text: &str) -> String {
        let mut out = String::new();
        for line in text.lines() {
            let setting = line.strip_prefix("# ").filter(|rest| {
                rest.starts_with('[')
                    || rest.split_once(" = ").is_some_and(|(key, _)| {
                        key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    })
            });
            out.push_str(setting.unwrap_or(line));
            out.push('\n');
        }
        out
    }

    #[test]
    fn the_file_loads_without_a_diagnostic_with_or_without_its_comments() {
        let codes = crate::check::known_codes();
        let guessed = files(&[("lib/x/y/manifest.yaml", &manifest("x"))]);
        for (name, repository) in [
            ("a library found", small_repository()),
            ("no library", Vec::new()),
            ("a library no playbook calls", guessed),
        ] {
            let detected = detect(&repository);
            let text = config_text(&detected);
            let (config, diagnostics) = playbook_workspace::parse_config(&text, &codes);
            assert_eq!(diagnostics, [], "{name}:\n{text}");
            let libraries: Vec<(String, String)> = config
                .libraries
                .iter()
                .map(|l| (l.prefix.clone(), l.path.clone()))
                .collect();
            let expected: Vec<(String, String)> = detected
                .libraries
                .iter()
                .map(|l| (l.prefix.clone(), l.path.clone()))
                .collect();
            assert_eq!(libraries, expected, "{name}");
            assert_eq!(config.format, playbook_workspace::FormatConfig::default());
            assert_eq!(config.exclude, Vec::<String>::new());
            assert_eq!(config.known_secrets, None);
            assert_eq!(config.severity, []);

            // Every setting shown, uncommented, is valid, and the defaults are the defaults.
            let uncommented = uncomment(&text);
            let (config, diagnostics) = playbook_workspace::parse_config(&uncommented, &codes);
            assert_eq!(diagnostics, [], "{name}:\n{uncommented}");
            assert_eq!(config.format, playbook_workspace::FormatConfig::default());
            assert_eq!(config.exclude, Vec::<String>::new());
            assert!(config.known_secrets.is_some_and(|known| !known.is_empty()));
            let severity: Vec<&str> = config.severity.iter().map(|s| s.code.as_str()).collect();
            assert_eq!(severity, ["PB302", "PB113"], "{name}");
            assert_eq!(config.libraries.len(), expected.len().max(1), "{name}");
        }
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(toml_string("x\u{1}"), "\"x\\u0001\"");
        assert_eq!(shell_word("my repo"), "'my repo'");
        assert_eq!(shell_word("repo/x"), "repo/x");
        assert_eq!(placeholder_segment("My Steps!"), "my-steps");
    }
}
