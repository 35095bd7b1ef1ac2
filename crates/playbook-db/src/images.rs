//! From image names to step manifests.
//!
//! A step call names an image (`registry.example.com/playbook-steps/redis/info:1.2`); its
//! interface is the step manifest found for that image, without tag or digest:
//! 1. by library: the manifest at `<dir>/<rest>/manifest.yaml` of a [`Library`] serves image
//!    `<prefix><rest>`;
//! 2. by `metadata.imageName`, wherever the manifest is. Several manifests may claim one
//!    name (five real ones claim `amazon/aws-cli`): the image then has every one of them as
//!    a candidate, and the check chooses by the call
//!    ([`playbook_check::interface::select`]);
//! 3. for manifests outside every library, by trailing path: image
//!    `us-docker.pkg.dev/x/public/redis/info` matches a manifest at
//!    `<anything>/redis/info/manifest.yaml`. The longest matching suffix wins (then the
//!    shortest folder, then the first path); at least two
//!    path segments must match (one for an image whose path has a single segment), so that
//!    `.../redis/info` does not resolve to `other/info/manifest.yaml`.
//!
//! [`manifest_index`] builds the table once per change of the manifests; [`resolve_image`]
//! is keyed by the interned image, so the check of a playbook depends only on the images it
//! resolves (every candidate of each), not on every manifest of the workspace.

use std::collections::BTreeMap;

pub use playbook_check::interface::{lookup_name, strip_tag_and_digest};

use crate::db::{File, Image, Library, Workspace};
use crate::queries::{lower, open_files};

/// The file names a manifest may have.
const MANIFEST_FILE_NAMES: [&str; 2] = ["manifest.yaml", "manifest.yml"];

/// A path with `\` turned into `/`, without a leading `./` and without a trailing `/`.
fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    path.trim_end_matches('/').to_owned()
}

/// The folder of a manifest file (`a/b/manifest.yaml` -> `a/b`), or `None` when the file is
/// not named like a manifest.
fn manifest_folder(path: &str) -> Option<&str> {
    MANIFEST_FILE_NAMES.iter().find_map(|name| {
        if path == *name {
            Some("")
        } else {
            path.strip_suffix(name)?.strip_suffix('/')
        }
    })
}

/// The image a library serves from the manifest at `path`, if `path` is in the library.
pub fn library_image(library: &Library, path: &str) -> Option<String> {
    let path = normalize_path(path);
    let dir = normalize_path(&library.dir);
    let rel = if dir.is_empty() {
        path.as_str()
    } else {
        path.strip_prefix(&dir)?.strip_prefix('/')?
    };
    let folder = manifest_folder(rel)?;
    if folder.is_empty() {
        return None;
    }
    let mut image = library.prefix.clone();
    if !image.is_empty() && !image.ends_with('/') {
        image.push('/');
    }
    image.push_str(folder);
    Some(image)
}

/// Whether `path` is inside the folder of `library`.
fn in_library(library: &Library, path: &str) -> bool {
    let dir = normalize_path(&library.dir);
    dir.is_empty()
        || normalize_path(path)
            .strip_prefix(&dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The path segments of an image, without the registry host (`us-docker.pkg.dev`,
/// `localhost:5000`).
fn image_segments(image: &str) -> Vec<&str> {
    let mut segments: Vec<&str> = image.split('/').filter(|s| !s.is_empty()).collect();
    let has_host = segments.len() > 1
        && segments
            .first()
            .is_some_and(|s| s.contains('.') || s.contains(':') || *s == "localhost");
    if has_host {
        segments.remove(0);
    }
    segments
}

/// What one file contributes to the [`ManifestIndex`]: whether it holds a step manifest,
/// and the `metadata.imageName` of each (without tag or digest).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ManifestDecls {
    /// The file has at least one `kind: Step` document.
    pub has_manifest: bool,
    /// The `metadata.imageName` values, in document order.
    pub image_names: Vec<String>,
}

/// The manifest declarations of one file. Separate from [`lower`] so that editing a
/// playbook, whose declarations stay empty, does not rebuild the index.
#[salsa::tracked(returns(ref))]
pub fn manifest_decls(db: &dyn salsa::Database, file: File) -> ManifestDecls {
    let lowered = lower(db, file);
    let mut decls = ManifestDecls::default();
    for manifest in lowered.file.manifests() {
        decls.has_manifest = true;
        if let Some(name) = manifest
            .image_name
            .as_ref()
            .and_then(|n| lookup_name(&n.value))
        {
            decls.image_names.push(name.to_owned());
        }
    }
    decls
}

/// A manifest outside every library, found by trailing path.
#[derive(Clone, PartialEq, Eq, Debug)]
struct OutsideManifest {
    /// The folder's path segments.
    segments: Vec<String>,
    file: File,
}

/// The table from images to manifest files.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ManifestIndex {
    /// By library path and by `metadata.imageName`: the candidates of each image. A library
    /// path names one manifest (the first path, when libraries overlap) and wins over
    /// `imageName`; every manifest claiming an `imageName` is a candidate, in path order.
    by_image: BTreeMap<String, Vec<File>>,
    /// Manifests outside every library, in path order.
    outside: Vec<OutsideManifest>,
}

impl ManifestIndex {
    /// Builds the index from the manifest files of a workspace, given in path order.
    pub fn build<'a>(
        libraries: &[Library],
        manifests: impl IntoIterator<Item = (&'a str, File, &'a ManifestDecls)>,
    ) -> ManifestIndex {
        let mut index = ManifestIndex::default();
        let mut by_image_name: BTreeMap<String, Vec<File>> = BTreeMap::new();
        for (path, file, decls) in manifests {
            if !decls.has_manifest {
                continue;
            }
            for library in libraries {
                if let Some(image) = library_image(library, path) {
                    index.by_image.entry(image).or_insert_with(|| vec![file]);
                }
            }
            for name in &decls.image_names {
                let files = by_image_name.entry(name.clone()).or_default();
                // A file with two documents claiming one name is one candidate file.
                if files.last() != Some(&file) {
                    files.push(file);
                }
            }
            if !libraries.iter().any(|l| in_library(l, path)) {
                let path = normalize_path(path);
                if let Some(folder) = manifest_folder(&path) {
                    index.outside.push(OutsideManifest {
                        segments: folder
                            .split('/')
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        file,
                    });
                }
            }
        }
        for (name, files) in by_image_name {
            index.by_image.entry(name).or_insert(files);
        }
        index
    }

    /// The candidate manifest files of an image given without tag or digest: none, one, or
    /// several claiming it as their `metadata.imageName` (in path order, which decides
    /// nothing: the check chooses among them by the call).
    pub fn resolve(&self, image: &str) -> Vec<File> {
        if let Some(files) = self.by_image.get(image) {
            return files.clone();
        }
        self.resolve_by_trailing_path(image).into_iter().collect()
    }

    /// The manifest outside every library whose folder ends with the most of the image's
    /// path.
    fn resolve_by_trailing_path(&self, image: &str) -> Option<File> {
        let wanted = image_segments(image);
        let needed = wanted.len().min(2);
        if needed == 0 {
            return None;
        }
        // The longest match, then the fewest folder segments left unmatched, then the
        // first path.
        let mut best: Option<((usize, usize), File)> = None;
        for manifest in &self.outside {
            let matched = wanted
                .iter()
                .rev()
                .zip(manifest.segments.iter().rev())
                .take_while(|(a, b)| **a == b.as_str())
                .count();
            let score = (matched, usize::MAX - manifest.segments.len());
            if matched >= needed && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, manifest.file));
            }
        }
        best.map(|(_, file)| file)
    }

    /// Every manifest file an image may resolve to (a file may come more than once).
    pub fn files(&self) -> impl Iterator<Item = File> + '_ {
        self.by_image
            .values()
            .flatten()
            .copied()
            .chain(self.outside.iter().map(|m| m.file))
    }

    /// The images known by name (library paths and `imageName`s), sorted.
    pub fn images(&self) -> impl Iterator<Item = &str> + Clone {
        self.by_image.keys().map(String::as_str)
    }
}

/// The manifest declarations of the files no editor has open, in path order (files
/// without a manifest left out). Apart from [`manifest_index`] so that a keystroke in an
/// open document does not re-validate every file's declarations: this query reads only texts
/// that change rarely, and salsa re-validates it at once (see
/// [`AnalysisHost::set_file_texts`](crate::AnalysisHost::set_file_texts)).
#[salsa::tracked(returns(ref))]
pub fn settled_manifest_decls(
    db: &dyn salsa::Database,
    workspace: Workspace,
) -> Vec<(String, File, ManifestDecls)> {
    workspace
        .files(db)
        .iter()
        .filter(|(_, file)| !*file.open(db))
        .filter_map(|(path, file)| {
            let decls = manifest_decls(db, *file);
            decls
                .has_manifest
                .then(|| (path.clone(), *file, decls.clone()))
        })
        .collect()
}

/// The index of every step manifest of the workspace: those of the files no editor has
/// open ([`settled_manifest_decls`]) and those of the open ones.
#[salsa::tracked(returns(ref))]
pub fn manifest_index(db: &dyn salsa::Database, workspace: Workspace) -> ManifestIndex {
    let libraries = workspace.libraries(db);
    let mut decls: Vec<(&str, File, &ManifestDecls)> = settled_manifest_decls(db, workspace)
        .iter()
        .map(|(path, file, decls)| (path.as_str(), *file, decls))
        .collect();
    for (path, file) in open_files(db) {
        decls.push((path.as_str(), *file, manifest_decls(db, *file)));
    }
    decls.sort_by(|a, b| a.0.cmp(b.0));
    ManifestIndex::build(libraries, decls)
}

/// The candidate manifest files of an image (without tag or digest), see
/// [`ManifestIndex::resolve`].
#[salsa::tracked(returns(ref))]
pub fn resolve_image<'db>(db: &'db dyn salsa::Database, image: Image<'db>) -> Vec<File> {
    manifest_index(db, Workspace::get(db)).resolve(image.name(db))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_images() {
        let library = Library {
            prefix: "reg.io/steps".into(),
            dir: "./lib/steps/".into(),
            missing: false,
        };
        assert_eq!(
            library_image(&library, "lib/steps/redis/info/manifest.yaml").as_deref(),
            Some("reg.io/steps/redis/info")
        );
        assert_eq!(
            library_image(&library, "lib\\steps\\redis\\manifest.yml").as_deref(),
            Some("reg.io/steps/redis")
        );
        assert_eq!(library_image(&library, "lib/steps/manifest.yaml"), None);
        assert_eq!(library_image(&library, "lib/stepsx/a/manifest.yaml"), None);
        assert_eq!(library_image(&library, "lib/steps/a/other.yaml"), None);
        assert!(in_library(&library, "lib/steps/a/other.yaml"));
        assert!(!in_library(&library, "lib/stepsx/a/manifest.yaml"));
    }

    #[test]
    fn image_segments_drop_the_registry() {
        assert_eq!(
            image_segments("us-docker.pkg.dev/x/public/redis/info"),
            ["x", "public", "redis", "info"]
        );
        assert_eq!(image_segments("amazon/aws-cli"), ["amazon", "aws-cli"]);
        assert_eq!(image_segments("localhost/a"), ["a"]);
        assert_eq!(image_segments("redis"), ["redis"]);
    }
}
