// The README's operator policy covers every AWS call the operator commands make.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { IAM_ACTIONS, IMPLIED_IAM_ACTIONS } from "../../ops/aws";

const root = path.join(__dirname, "..", "..");

describe("operator permissions", () => {
    it("every AWS call in ops/ has an IAM action, and the README's policy grants it", () => {
        const calls = new Set(
            fs
                .readdirSync(path.join(root, "ops"))
                .flatMap((f) => [
                    ...fs
                        .readFileSync(path.join(root, "ops", f), "utf8")
                        .matchAll(/new (\w+)Command\(/g),
                ])
                .map((m) => m[1]),
        );
        assert.deepEqual([...calls].sort(), Object.keys(IAM_ACTIONS).sort());
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const section = readme.slice(
            readme.indexOf("### Operator permissions"),
            readme.indexOf("**Break-glass role.**"),
        );
        const policy = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]) as {
            Statement: { Action: string | string[]; Resource: string | string[] }[];
        };
        const granted = policy.Statement.flatMap((s) => [s.Action].flat());
        const resourcesOf = (iam: string) =>
            policy.Statement.filter((s) => [s.Action].flat().includes(iam)).flatMap((s) =>
                [s.Resource].flat(),
            );
        const pattern = (r: string) =>
            new RegExp(`^${r.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\*/g, "[^]*")}$`);
        for (const [call, implied] of Object.entries(IMPLIED_IAM_ACTIONS)) {
            assert.ok(call in IAM_ACTIONS, `${call} implies actions but is not a call`);
            for (const iam of implied) {
                assert.ok(
                    granted.includes(iam),
                    `${iam} (for ${call}) is not in the README's policy`,
                );
                assert.ok(section.includes(`\`${iam}\``), `${iam} is not in the README's table`);
            }
        }
        // StartExperiment is authorized on the template and on the experiment it creates; the
        // drill tags, watches and stops that experiment.
        const template = "arn:aws:fis:us-east-1:123456789012:experiment-template/EXTabc";
        const experiment = "arn:aws:fis:us-east-1:123456789012:experiment/EXPabc";
        for (const [iam, arns] of [
            ["fis:StartExperiment", [template, experiment]],
            ["fis:TagResource", [experiment]],
            ["fis:GetExperiment", [experiment]],
            ["fis:StopExperiment", [experiment]],
        ] as const) {
            for (const arn of arns) {
                assert.ok(
                    resourcesOf(iam).some((r) => pattern(r).test(arn)),
                    `no Resource of ${iam} matches ${arn}`,
                );
            }
        }
        for (const action of Object.values(IAM_ACTIONS)) {
            const [iam, apiPath] = action.split(" ");
            assert.ok(granted.includes(iam), `${iam} is not in the README's policy`);
            assert.ok(section.includes(`\`${iam}\``), `${iam} is not in the README's table`);
            if (apiPath) {
                const resources = resourcesOf(iam);
                const arn = `arn:aws:apigateway:eu-west-1::${apiPath.replace(/\{\w+\}/g, "x")}`;
                assert.ok(
                    resources.some((r) => pattern(r).test(arn)),
                    `no Resource of ${iam} matches ${arn}`,
                );
            }
        }
    });
});
