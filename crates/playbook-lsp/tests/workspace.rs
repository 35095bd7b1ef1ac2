//! The server loads the workspace folder the client opens: its `playbook.toml`, step
//! libraries and playbooks, so that an open playbook is checked against the manifests on
//! disk exactly as `playbook check` checks it; and a closed document goes back to its text on
//! disk. YAML of other tools gets no diagnostics, and a manifest that is somebody else's
//! code (excluded, or in a library outside the project) reports no defect.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{Client, did_open};
use serde_json::{Value, json};

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A server whose client opened the workspace folder `root`, initialized.
async fn client_in(root: &Path) -> (Client, String) {
    let root_uri = format!("file://{}", root.display());
    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": {}, "rootUri": root_uri}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    (client, root_uri)
}

#[tokio::test]
async fn open_playbooks_are_checked_against_the_workspace_libraries() {
    let root = std::env::temp_dir().join(format!("playbook-lsp-workspace-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("steps/redis/info")).unwrap();
    std::fs::write(
        root.join("playbook.toml"),
        "[[library]]\nprefix = \"registry.example.com/\"\npath = \"steps\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("steps/redis/info/manifest.yaml"),
        "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: redis_info\noutputs:\n  - name: info\n    type: json\n",
    )
    .unwrap();
    let playbook = "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: registry.example.com/redis/info\n    id: info\n  - name: registry.example.com/redis/info\n    when: \"{{ $.info.infos }}\"\n";
    std::fs::write(root.join("p.yaml"), playbook).unwrap();

    let (mut client, root_uri) = client_in(&root).await;

    let uri = format!("{root_uri}/p.yaml");
    client.send(&did_open(&uri, 1, playbook)).await;
    let published = client.diagnostics_for(&uri).await;
    // PB404 needs the manifest, which only the workspace on disk provides.
    assert_eq!(codes(&published), ["PB404"], "{published}");

    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&root);
}

/// Editors attach the server to every YAML file: those of other tools get no diagnostics,
/// with or without a workspace folder, when opened and when edited.
#[tokio::test]
async fn yaml_that_is_not_a_playbook_gets_no_diagnostics() {
    let mut client = Client::start();
    client
        .request("initialize", json!({"capabilities": {}}))
        .await;
    client.notify("initialized", json!({})).await;
    for (i, (path, text)) in playbook_test_support::other_yaml().iter().enumerate() {
        let uri = format!("file:///repo/{path}");
        client.send(&did_open(&uri, 1, text)).await;
        let published = client.diagnostics_for(&uri).await;
        assert_eq!(published["diagnostics"], json!([]), "{path}: {published}");
        // Edited into something even less valid: still nothing.
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": 2},
                       "contentChanges": [{"text": format!("{text}\n{{{{ if ${{ bad }} {i}\n")}]}),
            )
            .await;
        let published = client.diagnostics_for(&uri).await;
        assert_eq!(published["diagnostics"], json!([]), "{path}: {published}");
    }
    client.finish(true).await;
}

const DEFECTIVE_MANIFEST: &str = "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: psql_query_cancel\nenvs:\n  - name: DOCKER_USE_SUDO\n    type: bool\n  - name: DOCKER_USE_SUDO\n    type: bool\n";

/// A manifest of the project reports its defect as a warning (PB520); the same manifest is
/// silent where it is somebody else's code: excluded in `playbook.toml`, or in a library
/// folder outside the project, whether the server loaded it or it is opened later.
#[tokio::test]
async fn manifest_defects_are_warnings_and_never_in_somebody_elses_code() {
    let base = std::env::temp_dir().join(format!("playbook-lsp-foreign-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let root = base.join("project");
    let files = [
        (
            "project/playbook.toml",
            "exclude = [\"vendor/**\"]\n\n[[library]]\nprefix = \"registry.example.com/\"\npath = \"steps\"\n\n[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = \"../shared-steps\"\n",
        ),
        (
            "project/steps/psql/cancel/manifest.yaml",
            DEFECTIVE_MANIFEST,
        ),
        (
            "project/vendor/psql/cancel/manifest.yaml",
            DEFECTIVE_MANIFEST,
        ),
        ("shared-steps/psql/cancel/manifest.yaml", DEFECTIVE_MANIFEST),
    ];
    for (path, text) in files {
        let path = base.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let (mut client, root_uri) = client_in(&root).await;

    let own = format!("{root_uri}/steps/psql/cancel/manifest.yaml");
    client.send(&did_open(&own, 1, DEFECTIVE_MANIFEST)).await;
    let published = client.diagnostics_for(&own).await;
    assert_eq!(codes(&published), ["PB520"], "{published}");
    assert_eq!(published["diagnostics"][0]["severity"], 2, "a warning");

    for foreign in [
        format!("{root_uri}/vendor/psql/cancel/manifest.yaml"),
        format!(
            "file://{}/shared-steps/psql/cancel/manifest.yaml",
            base.display()
        ),
        // Not on disk yet: excluded all the same.
        format!("{root_uri}/vendor/new/manifest.yaml"),
    ] {
        client
            .send(&did_open(&foreign, 1, DEFECTIVE_MANIFEST))
            .await;
        let published = client.diagnostics_for(&foreign).await;
        assert_eq!(
            codes(&published),
            Vec::<String>::new(),
            "{foreign}: {published}"
        );
    }
    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&base);
}

// ---------------------------------------------------------------------------------------------
// Workspace sync: file watching, configuration reload, workspace folders.

/// A fresh folder under the temporary directory, removed first if a previous run left it.
fn fresh_folder(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("playbook-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

const LIBRARY_CONFIG: &str = "[[library]]\nprefix = \"registry.example.com/\"\npath = \"steps\"\n";

fn manifest_with_output(output: &str) -> String {
    format!(
        "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: redis_info\noutputs:\n  - name: {output}\n    type: json\n"
    )
}

/// A playbook that reads output `infos` of a step of image `image`.
fn playbook_reading_infos(image: &str) -> String {
    format!(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: {image}\n    id: info\n  - name: {image}\n    when: \"{{{{ $.info.infos }}}}\"\n"
    )
}

/// A server for a client that registers file watchers, in `root`: returns it once the
/// server asked to watch files (the request is answered), with the watchers it asked for.
async fn watching_client_in(root: &Path) -> (Client, Value) {
    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": common::rich_capabilities(), "rootUri": file_uri(root)}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    let registration = client
        .wait_for(|m| common::is_request(m, "client/registerCapability"))
        .await;
    client.respond(&registration, Value::Null).await;
    let registration = registration["params"]["registrations"][0].clone();
    (client, registration)
}

/// The server registers watchers for YAML files and `playbook.toml` (the client matches them
/// in every workspace folder), and for a library folder outside the workspace folder with a
/// relative pattern; a client that cannot register them is not asked.
#[tokio::test]
async fn file_watchers_are_registered_when_the_client_can() {
    let base = fresh_folder("watchers");
    let root = base.join("project");
    write(
        &root.join("playbook.toml"),
        "[[library]]\nprefix = \"registry.example.com/\"\npath = \"../shared-steps\"\n",
    );
    write(
        &base.join("shared-steps/redis/info/manifest.yaml"),
        &manifest_with_output("info"),
    );
    let (client, registration) = watching_client_in(&root).await;
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let watchers = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap();
    let patterns: Vec<Value> = watchers.iter().map(|w| w["globPattern"].clone()).collect();
    assert!(patterns.contains(&json!("**/*.{yaml,yml}")), "{patterns:?}");
    assert!(
        patterns.contains(&json!("**/playbook.toml")),
        "{patterns:?}"
    );
    let library = json!({"baseUri": file_uri(&base.join("shared-steps")), "pattern": "**/manifest.{yaml,yml}"});
    assert!(patterns.contains(&library), "{patterns:?}");
    client.finish(true).await;

    // A client that says nothing of dynamic registration is not asked (the request would be
    // among the messages read before the document's diagnostics and a response).
    let (mut client, root_uri) = client_in(&root).await;
    let uri = format!("{root_uri}/p.yaml");
    client.send(&did_open(&uri, 1, "a: 1\n")).await;
    client.diagnostics_for(&uri).await;
    client.server_text(&uri).await;
    assert!(!client.has_pending(|m| common::is_request(m, "client/registerCapability")));
    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&base);
}

/// A manifest changed, deleted and created on disk (not open in the editor) changes the
/// diagnostics of the open playbook that calls it, once the client reports the change.
#[tokio::test]
async fn a_manifest_changed_on_disk_updates_the_diagnostics_of_its_callers() {
    let root = fresh_folder("watched-manifest");
    write(&root.join("playbook.toml"), LIBRARY_CONFIG);
    let manifest = root.join("steps/redis/info/manifest.yaml");
    write(&manifest, &manifest_with_output("info"));
    let playbook = playbook_reading_infos("registry.example.com/redis/info");
    write(&root.join("p.yaml"), &playbook);
    let (mut client, _) = watching_client_in(&root).await;
    let uri = file_uri(&root.join("p.yaml"));
    client.send(&did_open(&uri, 1, &playbook)).await;
    assert_eq!(codes(&client.diagnostics_for(&uri).await), ["PB404"]);

    let changed = |kind: u32| json!({"changes": [{"uri": file_uri(&manifest), "type": kind}]});
    // The manifest now declares `infos`: the read resolves.
    write(&manifest, &manifest_with_output("infos"));
    client
        .notify("workspace/didChangeWatchedFiles", changed(2))
        .await;
    let published = client.diagnostics_for(&uri).await;
    assert_eq!(codes(&published), Vec::<String>::new(), "{published}");

    // Deleted: the image is unknown.
    std::fs::remove_file(&manifest).unwrap();
    client
        .notify("workspace/didChangeWatchedFiles", changed(3))
        .await;
    let published = client.diagnostics_for(&uri).await;
    assert!(!codes(&published).is_empty(), "{published}");
    assert!(
        !codes(&published).contains(&"PB404".to_owned()),
        "{published}"
    );

    // Created again, with the old output: PB404 is back.
    write(&manifest, &manifest_with_output("info"));
    client
        .notify("workspace/didChangeWatchedFiles", changed(1))
        .await;
    assert_eq!(codes(&client.diagnostics_for(&uri).await), ["PB404"]);

    // The open document's text wins over the disk: an event for it changes nothing.
    write(
        &root.join("p.yaml"),
        "apiVersion: stackpulse.io/v1\nkind: Playbook\n",
    );
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri, "type": 2}]}),
        )
        .await;
    assert_eq!(client.server_text(&uri).await, playbook);
    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&root);
}

/// A changed `playbook.toml` reloads the configuration and the libraries: a library prefix
/// corrected on disk makes the open playbook's image known.
#[tokio::test]
async fn a_changed_playbook_toml_reloads_the_libraries() {
    let root = fresh_folder("watched-config");
    let config = root.join("playbook.toml");
    write(
        &config,
        "[[library]]\nprefix = \"wrong.example.com/\"\npath = \"steps\"\n",
    );
    write(
        &root.join("steps/redis/info/manifest.yaml"),
        &manifest_with_output("infos"),
    );
    let playbook = playbook_reading_infos("registry.example.com/redis/info");
    let (mut client, _) = watching_client_in(&root).await;
    let config_uri = file_uri(&config);
    client.diagnostics_for(&config_uri).await;
    let uri = file_uri(&root.join("p.yaml"));
    client.send(&did_open(&uri, 1, &playbook)).await;
    let before = client.diagnostics_for(&uri).await;
    assert!(!codes(&before).is_empty(), "{before}");

    write(&config, LIBRARY_CONFIG);
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": config_uri, "type": 2}]}),
        )
        .await;
    // The configuration's own diagnostics, then the open playbook's, checked anew.
    client.diagnostics_for(&config_uri).await;
    let after = client.diagnostics_for(&uri).await;
    assert_eq!(codes(&after), Vec::<String>::new(), "{after}");
    // The open document kept the client's text.
    assert_eq!(client.server_text(&uri).await, playbook);

    // A broken configuration is reported on the file.
    write(&config, "[[library]]\nprefix = 3\n");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": config_uri, "type": 2}]}),
        )
        .await;
    let problems = client.diagnostics_for(&config_uri).await;
    assert!(!codes(&problems).is_empty(), "{problems}");
    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&root);
}

fn playbook_named(name: &str) -> String {
    format!(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: {name}\nsteps:\n  - name: reg.io/steps/redis/info\n"
    )
}

/// Every workspace folder that shares the first one's configuration is loaded (a duplicate
/// playbook name across two folders is found); a folder with a `playbook.toml` of its own
/// is not, and the client is told; folders added later are loaded.
#[tokio::test]
async fn every_workspace_folder_with_the_same_configuration_is_loaded() {
    let base = fresh_folder("folders");
    let (a, b, c) = (base.join("a"), base.join("b"), base.join("c"));
    write(&a.join("x.yaml"), &playbook_named("dup"));
    write(&b.join("y.yaml"), &playbook_named("dup"));
    write(&c.join("playbook.toml"), "");
    write(&c.join("z.yaml"), &playbook_named("dup"));
    let folder = |path: &Path, name: &str| json!({"uri": file_uri(path), "name": name});

    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": {}, "workspaceFolders": [folder(&a, "a"), folder(&c, "c")]}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    let warning = client
        .wait_for(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains("is not loaded"))
        })
        .await;
    assert!(
        warning["params"]["message"]
            .as_str()
            .unwrap()
            .contains(&c.display().to_string()),
        "{warning}"
    );
    let x = file_uri(&a.join("x.yaml"));
    client.send(&did_open(&x, 1, &playbook_named("dup"))).await;
    let alone = client.diagnostics_for(&x).await;
    assert!(!codes(&alone).contains(&"PB603".to_owned()), "{alone}");

    // Folder b is added: its playbook has the same name.
    client
        .notify(
            "workspace/didChangeWorkspaceFolders",
            json!({"event": {"added": [folder(&b, "b")], "removed": []}}),
        )
        .await;
    let both = client.diagnostics_for(&x).await;
    assert!(codes(&both).contains(&"PB603".to_owned()), "{both}");
    // And removed again.
    client
        .notify(
            "workspace/didChangeWorkspaceFolders",
            json!({"event": {"added": [], "removed": [folder(&b, "b")]}}),
        )
        .await;
    let again = client.diagnostics_for(&x).await;
    assert!(!codes(&again).contains(&"PB603".to_owned()), "{again}");
    client.finish(true).await;

    // Both folders given at `initialize` are loaded.
    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": {}, "workspaceFolders": [folder(&a, "a"), folder(&b, "b")]}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    client.send(&did_open(&x, 1, &playbook_named("dup"))).await;
    let both = client.diagnostics_for(&x).await;
    assert!(codes(&both).contains(&"PB603".to_owned()), "{both}");
    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&base);
}
