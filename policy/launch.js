// The pack's entry point: the Pulumi CLI requires this folder, and package.json "main" names this
// file. In a clone of the repository it loads the TypeScript source, which the CLI compiles with
// ts-node; in the published npm package (no TypeScript sources, and ts-node skips node_modules) it
// loads the copy `npm run build` compiled into dist/.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "index.ts");
require(fs.existsSync(source) ? source : path.join(__dirname, "..", "dist", "policy", "index.js"));
