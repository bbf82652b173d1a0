// Every rule's metadata, which the policy pack publishes and its README documents.
import * as assert from "node:assert/strict";
import { RULES, SEVERITIES } from "../../plan/rules";

describe("rules: metadata", () => {
    it("have unique kebab-case ids", () => {
        const ids = RULES.map((r) => r.id);
        assert.deepEqual(
            ids.filter((id, n) => ids.indexOf(id) !== n),
            [],
        );
        for (const id of ids) {
            assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        }
    });

    it("have a severity, a description, a remediation and an example that creates resources", () => {
        for (const rule of RULES) {
            assert.ok(SEVERITIES.includes(rule.severity), rule.id);
            for (const text of [rule.description, rule.remediation, rule.example]) {
                assert.ok(text.trim().length > 0, rule.id);
            }
            assert.match(rule.example, /new aws\./, rule.id);
            if (rule.scope === "resource") {
                assert.ok(rule.types.length > 0, rule.id);
            }
        }
    });

    it("have examples without placeholders: self-contained program fragments", () => {
        for (const rule of RULES) {
            assert.doesNotMatch(rule.example, /\.\.\.|\/\*\s*\.\.\.|…/, rule.id);
            assert.doesNotMatch(rule.example, /\bpulumi\./, `${rule.id}: needs only aws`);
        }
    });

    it("link to an AWS documentation page", () => {
        for (const rule of RULES) {
            assert.match(rule.url, /^https:\/\/docs\.aws\.amazon\.com\/[^\s#]+\.html$/, rule.id);
        }
    });
});
