// The pack's entry point: the Pulumi CLI requires this folder, and package.json "main" names this
// file. In a clone of the repository it loads the TypeScript source, which the CLI compiles with
// ts-node. Installed as a dependency (under node_modules, where ts-node compiles nothing), it loads
// the JavaScript that `npm run build` compiled into dist/.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "index.ts");
const installed = __dirname.split(path.sep).includes("node_modules");
require(
    fs.existsSync(source) && !installed
        ? source
        : path.join(__dirname, "..", "dist", "policy", "index.js"),
);
