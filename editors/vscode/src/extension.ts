// The Playbook extension: starts `playbook lsp` for the YAML files of the workspace and shows
// what the server offers (diagnostics, completion, hover, navigation, rename, quick fixes,
// formatting). The server decides which YAML files are playbooks, so attaching it to every
// YAML file is safe.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

/** Where a user learns how to install the `playbook` binary. */
const INSTALL_URL = "https://github.com/playbook-lang/playbook#readme";
/** Where the diagnostic codes are documented (`playbook explain CODE` prints the same text). */
const EXPLAIN_URL = "https://github.com/playbook-lang/playbook/blob/main/README.md#using-it";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
/** The `playbook.path` and `playbook.extraArgs` the running server was started with. */
let started: string | undefined;

function serverCommand(): string {
  const config = vscode.workspace.getConfiguration("playbook");
  return JSON.stringify([config.get<string>("path"), config.get<string[]>("extraArgs")]);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Playbook");
  status = vscode.window.createStatusBarItem("playbook.status", vscode.StatusBarAlignment.Left, 0);
  status.name = "Playbook";
  status.command = "playbook.showOutput";
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("playbook.restartServer", () => restart()),
    vscode.commands.registerCommand("playbook.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("playbook.checkWorkspace", () => checkWorkspace()),
    vscode.workspace.onDidChangeConfiguration(() => {
      // Restart only when what starts the server changed (the event also fires for
      // unrelated reloads of the configuration).
      if (serverCommand() !== started) void restart();
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** The binary named by `playbook.path`: the path itself, or the first match on the PATH. */
function resolveBinary(): { name: string; found?: string } {
  const name = vscode.workspace.getConfiguration("playbook").get<string>("path") || "playbook";
  const expanded = name.startsWith("~/") ? path.join(process.env.HOME ?? "", name.slice(2)) : name;
  if (expanded.includes("/") || expanded.includes("\\")) {
    const full = path.isAbsolute(expanded)
      ? expanded
      : path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? "", expanded);
    return { name, found: isExecutable(full) ? full : undefined };
  }
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const ext of exts) {
      const candidate = path.join(dir, expanded + ext);
      if (dir && isExecutable(candidate)) return { name, found: candidate };
    }
  }
  return { name };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function setStatus(text: string, tooltip: string, error = false): void {
  status.text = text;
  status.tooltip = tooltip;
  status.backgroundColor = error ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  status.show();
}

async function start(): Promise<void> {
  started = serverCommand();
  const binary = resolveBinary();
  if (!binary.found) {
    const message =
      `Playbook: the language server \`${binary.name}\` was not found. ` +
      "Install playbook, or set `playbook.path` to the binary.";
    output.appendLine(message);
    setStatus("$(error) Playbook", `\`${binary.name}\` not found: click for the log`, true);
    void vscode.window
      .showErrorMessage(message, "Install Instructions", "Open Settings")
      .then((choice) => {
        if (choice === "Install Instructions") void vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
        if (choice === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "playbook.path");
      });
    return;
  }
  const extraArgs = vscode.workspace.getConfiguration("playbook").get<string[]>("extraArgs") ?? [];
  const serverOptions: ServerOptions = {
    command: binary.found,
    args: ["lsp", ...extraArgs],
  };
  const clientOptions: LanguageClientOptions = {
    // The server's settings: at start, and again on every change of the `playbook` section
    // (`workspace/didChangeConfiguration`), which the server reads without a restart.
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: "playbook" },
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "untitled", language: "yaml" },
    ],
    outputChannel: output,
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => next(uri, diagnostics.map(linkCode)),
    },
  };
  client = new LanguageClient("playbook", "Playbook", serverOptions, clientOptions);
  client.onDidChangeState((e) => {
    const where = `${binary.found} ${["lsp", ...extraArgs].join(" ")}`;
    if (e.newState === State.Starting) setStatus("$(sync~spin) Playbook", `Starting ${where}`);
    if (e.newState === State.Running) setStatus("$(check) Playbook", `Running: ${where}\nClick for the log`);
    if (e.newState === State.Stopped) setStatus("$(circle-slash) Playbook", "Stopped: click for the log", true);
  });
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`Playbook: the server did not start: ${String(err)}`);
    setStatus("$(error) Playbook", "The server did not start: click for the log", true);
  }
}

/** The settings the server reads (see `crates/playbook-lsp/src/settings.rs`). */
function serverSettings(): object {
  const config = vscode.workspace.getConfiguration("playbook");
  return { inlayHints: { templateValues: config.get<boolean>("inlayHints.templateValues") ?? false } };
}

/** Gives the code of a playbook diagnostic (`PB301`) a link to the explanation of the codes. */
function linkCode(d: vscode.Diagnostic): vscode.Diagnostic {
  const code = d.code;
  if (typeof code === "string" && /^PB\d+$/.test(code)) {
    d.code = { value: code, target: vscode.Uri.parse(EXPLAIN_URL) };
  }
  return d;
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (err) {
      output.appendLine(`Playbook: stopping the server: ${String(err)}`);
    }
  }
}

async function restart(): Promise<void> {
  await stop();
  output.appendLine("Playbook: restarting the server");
  await start();
}

/**
 * Runs `playbook check --format short` in each workspace folder as a task, so that the
 * diagnostics of every file (not only the open ones) land in the Problems panel.
 */
async function checkWorkspace(): Promise<void> {
  const binary = resolveBinary();
  if (!binary.found) {
    void vscode.window.showErrorMessage(`Playbook: \`${binary.name}\` was not found; set \`playbook.path\`.`);
    return;
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const task = new vscode.Task(
      { type: "playbook", command: "check" },
      folder,
      "check",
      "playbook",
      new vscode.ProcessExecution(binary.found, ["check", "--format", "short"], { cwd: folder.uri.fsPath }),
      "$playbook",
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
    await vscode.tasks.executeTask(task);
  }
}
