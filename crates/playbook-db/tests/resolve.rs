//! From images to manifests: library paths, `metadata.imageName`, trailing paths, and tags
//! and digests ignored.
//!
//! The `index_*` tests build the [`ManifestIndex`] from given declarations; the `host_*`
//! tests go through whole files and need the YAML parser.

use playbook_db::images::{ManifestDecls, ManifestIndex};
use playbook_db::{AnalysisHost, File, Library, RootDatabase};

fn library() -> Library {
    Library {
        prefix: "reg.io/steps/".into(),
        dir: "steps".into(),
        missing: false,
    }
}

/// Resolves `images` in an index of manifest files given as (path, imageName).
fn resolve_in(
    libraries: &[Library],
    manifests: &[(&str, Option<&str>)],
    images: &[&str],
) -> Vec<Vec<String>> {
    let db = RootDatabase::new(None);
    let entries: Vec<(&str, File, ManifestDecls)> = manifests
        .iter()
        .map(|(path, image_name)| {
            let file = File::new(&db, (*path).to_owned(), String::new());
            let decls = ManifestDecls {
                has_manifest: true,
                image_names: image_name.iter().map(|n| (*n).to_owned()).collect(),
            };
            (*path, file, decls)
        })
        .collect();
    let index = ManifestIndex::build(
        libraries,
        entries
            .iter()
            .map(|(path, file, decls)| (*path, *file, decls)),
    );
    images
        .iter()
        .map(|image| {
            index
                .resolve(image)
                .iter()
                .map(|f| f.path(&db).clone())
                .collect()
        })
        .collect()
}

#[test]
fn index_by_library_path() {
    assert_eq!(
        resolve_in(
            &[library()],
            &[
                ("steps/redis/info/manifest.yaml", None),
                ("steps/manifest.yaml", None),
                ("elsewhere/redis/info/notes.yaml", None),
            ],
            &[
                "reg.io/steps/redis/info",
                "reg.io/steps/redis",
                "reg.io/steps"
            ],
        ),
        [
            vec!["steps/redis/info/manifest.yaml".to_owned()],
            Vec::<String>::new(),
            Vec::<String>::new()
        ]
    );
}

#[test]
fn index_by_image_name_where_the_library_path_does_not_claim_it() {
    assert_eq!(
        resolve_in(
            &[library()],
            &[
                ("steps/azure/cli/manifest.yaml", Some("microsoft/azure-cli")),
                ("steps/a/manifest.yaml", Some("reg.io/steps/b")),
                ("steps/b/manifest.yaml", None),
            ],
            &[
                "microsoft/azure-cli",
                "reg.io/steps/azure/cli",
                "reg.io/steps/b"
            ],
        ),
        [
            vec!["steps/azure/cli/manifest.yaml".to_owned()],
            vec!["steps/azure/cli/manifest.yaml".to_owned()],
            vec!["steps/b/manifest.yaml".to_owned()],
        ]
    );
}

#[test]
fn index_by_trailing_path_outside_every_library() {
    let manifests = [
        ("vendor/redis/info/manifest.yaml", None),
        ("vendor/cache/redis/info/manifest.yaml", None),
        ("tools/aws-cli/manifest.yml", None),
        ("steps/kafka/lag/manifest.yaml", None),
    ];
    assert_eq!(
        resolve_in(
            &[library()],
            &manifests,
            &[
                // Two segments match.
                "us-docker.pkg.dev/x/public/redis/info",
                // Three segments match: the longest suffix wins.
                "us-docker.pkg.dev/x/cache/redis/info",
                // Only `info` matches: not enough.
                "us-docker.pkg.dev/x/public/info",
                // A single-segment image path needs one.
                "aws-cli",
                // Manifests inside a library are found by their library path only.
                "other.io/kafka/lag",
            ],
        ),
        [
            vec!["vendor/redis/info/manifest.yaml".to_owned()],
            vec!["vendor/cache/redis/info/manifest.yaml".to_owned()],
            Vec::<String>::new(),
            vec!["tools/aws-cli/manifest.yml".to_owned()],
            Vec::<String>::new(),
        ]
    );
}

#[test]
fn index_without_libraries_resolves_by_trailing_path_and_image_name() {
    assert_eq!(
        resolve_in(
            &[],
            &[
                ("steps/redis/info/manifest.yaml", None),
                ("x/manifest.yaml", Some("microsoft/azure-cli"))
            ],
            &["reg.io/steps/redis/info", "microsoft/azure-cli", "redis"],
        ),
        [
            vec!["steps/redis/info/manifest.yaml".to_owned()],
            vec!["x/manifest.yaml".to_owned()],
            Vec::<String>::new()
        ]
    );
}

#[test]
fn index_lists_the_images_it_knows_by_name() {
    let db = RootDatabase::new(None);
    let file = File::new(&db, "steps/redis/info/manifest.yaml".into(), String::new());
    let decls = ManifestDecls {
        has_manifest: true,
        image_names: vec!["redis/info-alias".into()],
    };
    let index = ManifestIndex::build(
        &[library()],
        [("steps/redis/info/manifest.yaml", file, &decls)],
    );
    assert_eq!(
        index.images().collect::<Vec<_>>(),
        ["redis/info-alias", "reg.io/steps/redis/info"]
    );
}

const MANIFEST: &str = "apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: info
";

#[test]
fn host_resolves_by_library_path_ignoring_tags_and_digests() {
    let mut host = AnalysisHost::new();
    host.set_libraries(vec![library()]);
    host.set_file_text("steps/redis/info/manifest.yaml", MANIFEST.into());
    host.set_file_text("steps/redis/notes.yaml", MANIFEST.into());
    for image in [
        "reg.io/steps/redis/info",
        "reg.io/steps/redis/info:1.2",
        "reg.io/steps/redis/info@sha256:0123456789abcdef",
        "reg.io/steps/redis/info:1.2@sha256:0123456789abcdef",
    ] {
        assert_eq!(
            host.resolve_image(image),
            ["steps/redis/info/manifest.yaml"],
            "{image}"
        );
    }
    assert_eq!(host.resolve_image("reg.io/steps/redis"), Vec::<&str>::new());
    assert_eq!(
        host.resolve_image("{{ $.params.image }}"),
        Vec::<&str>::new()
    );
}

#[test]
fn host_resolves_by_image_name() {
    let mut host = AnalysisHost::new();
    host.set_libraries(vec![library()]);
    host.set_file_text(
        "vendor/azure/manifest.yaml",
        "apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: azure-cli
  imageName: microsoft/azure-cli:2.61
"
        .into(),
    );
    assert_eq!(
        host.resolve_image("microsoft/azure-cli:latest"),
        ["vendor/azure/manifest.yaml"]
    );
}

#[test]
fn host_resolves_by_trailing_path() {
    let mut host = AnalysisHost::new();
    host.set_file_text("vendor/redis/info/manifest.yaml", MANIFEST.into());
    host.set_file_text("vendor/cache/redis/info/manifest.yaml", MANIFEST.into());
    assert_eq!(
        host.resolve_image("us-docker.pkg.dev/x/public/redis/info"),
        ["vendor/redis/info/manifest.yaml"]
    );
    assert_eq!(
        host.resolve_image("us-docker.pkg.dev/x/cache/redis/info:3"),
        ["vendor/cache/redis/info/manifest.yaml"]
    );
}

#[test]
fn host_follows_library_changes() {
    let mut host = AnalysisHost::new();
    host.set_file_text("steps/info/manifest.yaml", MANIFEST.into());
    assert_eq!(host.resolve_image("reg.io/lib/info"), Vec::<&str>::new());
    let lib = Library {
        prefix: "reg.io/lib".into(),
        dir: "steps".into(),
        missing: false,
    };
    host.set_libraries(vec![lib.clone()]);
    assert_eq!(
        host.resolve_image("reg.io/lib/info"),
        ["steps/info/manifest.yaml"]
    );
    assert_eq!(host.libraries(), [lib]);
    host.set_libraries(vec![Library {
        prefix: "reg.io/lib".into(),
        dir: "other".into(),
        missing: false,
    }]);
    assert_eq!(host.resolve_image("reg.io/lib/info"), Vec::<&str>::new());
}
