// The README's "Add a region" section, followed literally: both stacks switched to latency routing
// as its Configuration section says, plus the third stack file exactly as the README writes it.
// The new region must need nothing but that file: its replica, API, drain switch and latency
// record, with every latency drill answering as intended.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { analyze, Plan } from "../../plan/analyze";
import { EvaluatedStack, evaluateStack } from "../../plan/evaluate";
import { state } from "../harness";
import { PROFILES, configOf, exclusive, project, restoreHarness } from "./evaluations";

/** The stack file the README's `cat > Pulumi.uswest2.yaml <<'YAML'` command writes. */
function readmeStackFile(): Record<string, string> {
    const readme = fs.readFileSync(path.join(project.dir, "README.md"), "utf8");
    const found = /cat > Pulumi\.uswest2\.yaml <<'YAML'\n([\s\S]*?)\nYAML\n/.exec(readme);
    assert.ok(found, "the README's Add a region section writes Pulumi.uswest2.yaml");
    const file = parse(found[1]) as { config: Record<string, string> };
    return file.config;
}

describe("adding a region (the README's Add a region section)", () => {
    let uswest2: EvaluatedStack;
    let plan: Plan;
    before(async () => {
        const file = readmeStackFile();
        // A new stack sees Pulumi.yaml's project values and its own file, nothing else.
        const projectValues = configOf("secondary", {
            "aws:region": undefined,
            failoverRole: undefined,
            domainName: undefined,
            zoneName: undefined,
            tableRegion: undefined,
        });
        uswest2 = await exclusive(() =>
            evaluateStack(state, project, "uswest2", { ...projectValues, ...file }),
        );
        const [primary, secondary] = await Promise.all([
            PROFILES.latencyPrimary(),
            PROFILES.latencySecondary(),
        ]);
        plan = analyze([primary.evaluated, secondary.evaluated, uswest2]);
    });
    after(restoreHarness);

    it("the stack file names only the region, routing, names, its switch and the table's region", () => {
        assert.deepEqual(readmeStackFile(), {
            "aws:region": "us-west-2",
            "multi-region-api:routing": "latency",
            "multi-region-api:domainName": "api.example.com",
            "multi-region-api:zoneName": "example.com",
            "multi-region-api:switchRegion": "us-east-1",
            "multi-region-api:tableRegion": "us-east-1",
        });
    });

    it("deploys a replica of the us-east-1 table, its API, a drain switch in us-east-1 and a latency record", () => {
        const byType = (type: string) => uswest2.resources.filter((r) => r.type === type);
        assert.deepEqual(
            byType("aws:dynamodb/tableReplica:TableReplica").map((r) => [r.name, r.provider]),
            [["us-west-2-products-replica", "us-west-2"]],
        );
        assert.equal(byType("aws:dynamodb/table:Table").length, 0);
        assert.deepEqual(
            byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => [r.name, r.provider]),
            [["us-west-2-switch-alarm", "us-east-1"]],
        );
        const records = byType("aws:route53/record:Record").filter(
            (r) => r.name === "us-west-2-routing-record",
        );
        assert.deepEqual(
            records.map((r) => [r.inputs.setIdentifier, r.inputs.latencyRoutingPolicies]),
            [["us-west-2", [{ region: "us-west-2" }]]],
        );
    });

    it("every latency drill of the three regions answers as intended", () => {
        assert.equal(plan.drills.length, 12);
        assert.deepEqual(
            plan.drills.filter((d) => !d.ok).map((d) => d.scenario),
            [],
        );
        const nearUswest2 = plan.drills.filter((d) => d.scenario.includes("client near us-west-2"));
        assert.deepEqual(
            nearUswest2.map((d) => [d.scenario, d.answer.region]),
            [
                ["api.example.com latency: client near us-west-2, all healthy", "us-west-2"],
                ["api.example.com latency: client near us-west-2, us-west-2 down", "eu-west-1"],
                [
                    "api.example.com latency: client near us-west-2, us-west-2 drained by its switch",
                    "eu-west-1",
                ],
                ["api.example.com latency: client near us-west-2, every region down", "us-west-2"],
            ],
        );
    });
});
