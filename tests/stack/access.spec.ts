// The stack's access settings end to end: a secret access token from the stack file reaches the
// api function only as digests, never the plan's JSON; the opt-in WAF is wired and priced.
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { analyze } from "../../plan/analyze";
import { REDACTED_SECRET } from "../../plan/mockRuntime";
import { planJson } from "../../plan/report";
import { UNDECRYPTED_SECRET, readStackConfig } from "../../plan/stackFiles";
import { Evaluation, evaluate, key, restoreHarness } from "./evaluations";

const TOKENS = ["1".repeat(64), "rotated-token_~+/".padEnd(40, "x")];
const digest = (t: string) => createHash("sha256").update(t).digest("hex");

describe("stack access settings", function () {
    this.timeout(60000);
    let e: Evaluation;
    before(async () => {
        e = await evaluate(
            "primary",
            {
                accessTokens: TOKENS.join(","),
                publicReads: "false",
                waf: JSON.stringify({ limit: 1000 }),
            },
            ["accessTokens"],
        );
    });
    after(restoreHarness);

    const named = (name: string) => {
        const found = e.recorded.find((r) => r.name === name);
        assert.ok(found, name);
        return found;
    };

    it("hands the api function its environment as a secret the records show redacted", () => {
        assert.equal(named("us-east-1-api").inputs.environment, REDACTED_SECRET);
        assert.deepEqual(named("us-east-1-health").inputs.environment, {
            variables: { TABLE_NAME: "multi-region-api-products" },
        });
    });

    it("never prints a token or its digest in the plan's JSON", () => {
        const json = JSON.stringify(planJson(analyze([e.evaluated])));
        for (const secret of [...TOKENS, ...TOKENS.map(digest)]) {
            assert.ok(!json.includes(secret), "a secret in the plan's JSON");
        }
        assert.ok(json.includes(REDACTED_SECRET));
    });

    it("puts the WAF web ACL on the stage with the default 300 s window, and prices it", () => {
        const acl = named("us-east-1-waf");
        const rules = acl.inputs.rules as { name: string; statement: Record<string, unknown> }[];
        assert.deepEqual(
            rules.map((r) => r.name),
            ["allow-route53-checkers-ipv4", "allow-route53-checkers-ipv6", "per-client-rate-limit"],
        );
        assert.deepEqual(rules[2].statement, {
            rateBasedStatement: { limit: 1000, evaluationWindowSec: 300, aggregateKeyType: "IP" },
        });
        assert.equal(
            named("us-east-1-waf-association").inputs.resourceArn,
            named("us-east-1-stage").state.arn,
        );
        const cost = analyze([e.evaluated]).stacks.primary.cost;
        assert.deepEqual(
            cost.lines.filter((l) => l.item.startsWith("AWS WAF")),
            [
                { item: "AWS WAF web ACL", count: 1, unitUsd: 5, usd: 5 },
                { item: "AWS WAF rule", count: 3, unitUsd: 1, usd: 3 },
            ],
        );
        assert.ok(
            cost.rates.includes(
                "$0.60 per million requests an AWS WAF web ACL inspects, blocked ones included (https://aws.amazon.com/waf/pricing/).",
            ),
        );
    });

    it("reads a stack file's secure value as a secret it cannot decrypt, never as its ciphertext", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mra-secure-"));
        try {
            fs.copyFileSync(
                path.join(__dirname, "../../Pulumi.yaml"),
                path.join(dir, "Pulumi.yaml"),
            );
            fs.writeFileSync(
                path.join(dir, "Pulumi.dev.yaml"),
                "config:\n  aws:region: us-east-1\n  multi-region-api:accessTokens:\n    secure: v1:c2FsdA==:Y2lwaGVydGV4dA==\n",
            );
            const read = readStackConfig("dev", dir);
            assert.deepEqual(read.secretKeys, [key("accessTokens")]);
            assert.equal(read.values[key("accessTokens")], UNDECRYPTED_SECRET);
            assert.equal(read.values["aws:region"], "us-east-1");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
