// Copies the TextMate grammar and the JSON Schema from the repository's grammar/ folder into
// the extension, so that there is one source of each (the copies are not committed).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ext = join(dirname(fileURLToPath(import.meta.url)), "..");
const grammar = join(ext, "..", "..", "grammar");
const copies = [
  ["playbook-template.tmLanguage.json", "syntaxes"],
  ["playbook.schema.json", "schemas"],
];
for (const [file, dir] of copies) {
  mkdirSync(join(ext, dir), { recursive: true });
  copyFileSync(join(grammar, file), join(ext, dir, file));
}
