#!/usr/bin/env node
// The project's command line. Its sources are TypeScript, run through ts-node without type-checking
// (`npm test` type-checks them), the same way Pulumi runs the program it evaluates.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const main = path.join(root, "cli", "main.ts");
if (!fs.existsSync(main)) {
    console.error(
        "multi-region-api: the command line runs from a clone of the repository (after npm ci); the npm package ships the component library only.",
    );
    process.exit(2);
}
require("ts-node").register({ project: path.join(root, "tsconfig.json"), transpileOnly: true });
// A reader that stops early (`| head`) closes the pipe: nothing more to say, and no stack trace.
process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") {
        process.exit(0);
    }
    throw error;
});
require(main)
    .main(process.argv.slice(2))
    .then(
        (code) => {
            // exitCode, not exit(): exit() would cut off output still being written to a pipe.
            process.exitCode = code;
        },
        (error) => {
            console.error(error instanceof Error ? error.message : String(error));
            process.exitCode = 1;
        },
    );
