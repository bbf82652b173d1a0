// A dashboard and notifications on both stacks: wired to the stack's own checks, switch, guards and
// PeerProbe, exported, priced, and clean under the plan's drills and guardrails.
import * as assert from "node:assert/strict";
import { analyze, Plan } from "../../plan/analyze";
import { planPasses } from "../../plan/cli";
import { parseStackConfig } from "../../stack/config";
import { evaluate, Evaluation, restoreHarness } from "./evaluations";

describe("observability on both stacks", () => {
    let primary: Evaluation;
    let secondary: Evaluation;
    let plan: Plan;

    before(async () => {
        primary = await evaluate("primary", {
            observability: JSON.stringify({ peers: ["eu-west-1"], emails: ["ops@example.com"] }),
            // Chaos watches the same peer: one probe serves both.
            chaos: JSON.stringify({ peers: ["eu-west-1"] }),
        });
        secondary = await evaluate("secondary", {
            observability: JSON.stringify({ peers: ["us-east-1"] }),
        });
        plan = analyze([primary.evaluated, secondary.evaluated]);
    });
    after(() => restoreHarness());

    const named = (e: Evaluation, name: string) => {
        const found = e.recorded.filter((r) => r.name === name);
        assert.equal(found.length, 1, name);
        return found[0];
    };

    it("exports each region's dashboard URL", () => {
        assert.equal(
            primary.evaluated.outputs.dashboardUrl,
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/api-example-com-us-east-1",
        );
        assert.equal(
            secondary.evaluated.outputs.dashboardUrl,
            "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/api-example-com-eu-west-1",
        );
    });

    it("one PeerProbe per region serves chaos and notifications; the composite alarm follows it", () => {
        assert.equal(
            primary.recorded.filter((r) => r.type === "multi-region-api:index:PeerProbe").length,
            1,
        );
        const composite = named(primary, "us-east-1-observability-eu-west-1-peer-alarm");
        assert.equal(
            composite.inputs.alarmRule,
            `ALARM("${String(named(primary, "us-east-1-peers-eu-west-1-alarm").state.arn)}")`,
        );
        assert.deepEqual(
            (primary.evaluated.outputs.chaos as { stopAlarmNames: string[] }).stopAlarmNames,
            ["us-east-1-peers-eu-west-1-alarm"],
        );
    });

    it("notifies on the routed check in us-east-1 and on the switch in its own region", () => {
        const routed = named(primary, "us-east-1-observability-routed-check-alarm");
        assert.equal(routed.inputs.region, "us-east-1");
        assert.deepEqual(routed.inputs.dimensions, {
            HealthCheckId: named(primary, "us-east-1-routing-calculated").id,
        });
        const sw = named(primary, "us-east-1-observability-switch-alarm");
        assert.equal(sw.inputs.region, "eu-west-1");
        assert.deepEqual(sw.inputs.dimensions, { Service: "api.example.com", Region: "us-east-1" });
        assert.equal(
            secondary.recorded.filter((r) => r.name === "eu-west-1-observability-switch-alarm")
                .length,
            0,
        );
    });

    it("drills as intended, passes the guardrails, and prices the dashboard, keys and composite alarm", () => {
        assert.ok(planPasses(plan), JSON.stringify(plan.stacks.primary.findings));
        assert.deepEqual(
            plan.stacks.primary.cost.lines
                .filter((l) => /dashboard|composite|KMS/.test(l.item))
                .map((l) => [l.item, l.count, l.usd]),
            [
                ["CloudWatch dashboard", 1, 3],
                ["CloudWatch composite alarm", 1, 0.5],
                ["KMS key (an SNS topic's; CloudWatch cannot use the AWS-managed one)", 2, 2],
            ],
        );
    });

    it("refuses a topic in a region where none of the stack's alarms lives", () => {
        let message = "";
        try {
            parseStackConfig(
                {
                    "aws:region": "eu-west-1",
                    failoverRole: "SECONDARY",
                    domainName: "api.example.com",
                    zoneName: "example.com",
                    tableRegion: "us-east-1",
                    observability: JSON.stringify({
                        peers: ["us-east-1"],
                        topicArns: [
                            "arn:aws:sns:eu-west-1:123456789012:ops",
                            "arn:aws:sns:ap-south-1:123456789012:ops",
                        ],
                    }),
                },
                "multi-region-api",
            );
        } catch (e) {
            message = (e as Error).message;
        }
        assert.deepEqual(message.split("\n").slice(1), [
            "  - [multi-region-api:observability.topicArns] arn:aws:sns:ap-south-1:123456789012:ops: an alarm only notifies topics of its own region, and this stack's alarms live in eu-west-1, us-east-1",
        ]);
    });

    it("names every mistake in the observability setting", () => {
        let message = "";
        try {
            parseStackConfig(
                {
                    "aws:region": "eu-west-1",
                    failoverRole: "SECONDARY",
                    domainName: "api.example.com",
                    zoneName: "example.com",
                    tableRegion: "us-east-1",
                    observability: JSON.stringify({
                        peers: [],
                        emails: ["ops"],
                        httpsEndpoints: ["http://hooks.example.com"],
                        topicArns: ["arn:aws:sns:eu-west-1:123:t"],
                    }),
                },
                "multi-region-api",
            );
        } catch (e) {
            message = (e as Error).message;
        }
        assert.deepEqual(message.split("\n").slice(1), [
            "  - [multi-region-api:observability.peers] must be a list of 1 to 5 regions (the service's other regions) whose health this region watches and reports (got [])",
            '  - [multi-region-api:observability.emails] must be a list of e-mail addresses (at most 254 characters), each once (got ["ops"])',
            '  - [multi-region-api:observability.httpsEndpoints] must be a list of https:// URLs, each once (got ["http://hooks.example.com"])',
            '  - [multi-region-api:observability.topicArns] must be a list of SNS topic ARNs (arn:aws:sns:<region>:<account>:<name>), each once (got ["arn:aws:sns:eu-west-1:123:t"])',
        ]);
    });
});
