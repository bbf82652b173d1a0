// policy/README.md and policy/whole-deployment.json say what RULES holds: regenerate them with
// `npm run policy-readme` whenever a rule is added or changed.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { RULES } from "../../plan/rules";
import { REGENERATE, expectedFiles } from "../../policy/readme";

const root = path.join(__dirname, "..", "..");

describe("policy pack: README and whole-deployment.json", () => {
    it("are up to date with RULES", () => {
        const stale = Object.entries(expectedFiles(RULES))
            .filter(([file, text]) => fs.readFileSync(file, "utf8") !== text)
            .map(([file]) => path.relative(root, file));
        if (stale.length > 0) {
            assert.fail(
                `${stale.join(" and ")} out of date with plan/rules: run \`${REGENERATE}\` and commit the result`,
            );
        }
    });

    it("document every rule and its AWS page", () => {
        const readme = fs.readFileSync(
            path.join(__dirname, "..", "..", "policy", "README.md"),
            "utf8",
        );
        for (const rule of RULES) {
            assert.ok(readme.includes(`### \`${rule.id}\``), `${rule.id} is not documented`);
            assert.ok(readme.includes(rule.url), `${rule.id}'s AWS link is missing`);
        }
    });
});
