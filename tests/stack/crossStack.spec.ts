// Mistakes only visible across stacks: checked over the validated configuration of every stack
// file, each finding naming the key to change. Pure: no program runs.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { crossStackConfig, plan } from "../../plan/cli";
import { PROJECT_DIR, readProject } from "../../plan/stackFiles";
import { StackConfig, stackConfigOf } from "../../stack/config";
import { crossStackFindings } from "../../stack/crossStack";
import { state } from "../harness";
import { configOf, exclusive, project, restoreHarness } from "./evaluations";

/** The validated config of a stack file of this repository, with `changes`. */
const config = (stack: string, changes: Record<string, string | undefined> = {}): StackConfig =>
    stackConfigOf(configOf(stack, changes), [], project.name);

const findings = (stacks: Record<string, StackConfig>, wholeDeployment = true) =>
    crossStackFindings(stacks, project.name, wholeDeployment).map((f) => [
        f.rule,
        f.key,
        f.stacks.join(","),
        f.message,
    ]);

const LATENCY = { routing: "latency", failoverRole: "" };

describe("cross-stack configuration", () => {
    it("this repository's stacks agree, in failover and latency routing", () => {
        assert.deepEqual(
            findings({ primary: config("primary"), secondary: config("secondary") }),
            [],
        );
        assert.deepEqual(
            findings({
                primary: config("primary", { ...LATENCY, switchRegion: "eu-west-1" }),
                secondary: config("secondary", { ...LATENCY, switchRegion: "us-east-1" }),
            }),
            [],
        );
    });

    it("two stacks in one region", () => {
        assert.deepEqual(
            findings({
                primary: config("primary"),
                secondary: config("secondary", { "aws:region": "us-east-1" }),
            }),
            [
                [
                    "stacks-one-region-each",
                    "aws:region",
                    "primary,secondary",
                    "[aws:region] stacks primary and secondary both deploy us-east-1: their custom domains, table replica and records collide, and one regional outage takes every stack out. Give each stack its own region.",
                ],
            ],
        );
    });

    it("a chaos peer no stack deploys (only over the whole deployment)", () => {
        const stacks = {
            primary: config("primary", { chaos: JSON.stringify({ peers: ["ap-south-1"] }) }),
            secondary: config("secondary", { chaos: JSON.stringify({ peers: ["us-east-1"] }) }),
        };
        assert.deepEqual(findings(stacks), [
            [
                "stacks-chaos-peers",
                "multi-region-api:chaos",
                "primary",
                "[multi-region-api:chaos] peers ap-south-1 of stack primary: no stack deploys it, so its probe watches a region that does not serve (its alarm stays in ALARM and every experiment stops at once). Peers are the other stacks' regions (eu-west-1).",
            ],
        ]);
        assert.deepEqual(findings(stacks, false), []);
        const observed = {
            primary: config("primary", {
                observability: JSON.stringify({ peers: ["eu-west-1", "ap-south-1"] }),
            }),
            secondary: config("secondary"),
        };
        assert.deepEqual(
            findings(observed).map((f) => f.slice(0, 3)),
            [["stacks-observability-peers", "multi-region-api:observability", "primary"]],
        );
    });

    it("a different table name, table region, domain, zone, routing or record type per stack", () => {
        const cases: [Record<string, string>, string][] = [
            [
                { tableName: "orders" },
                '[multi-region-api:tableName] differs between stacks (primary: "multi-region-api-products"; secondary: "orders"): a region reads a table the others do not replicate: after a failover its data is missing, and its replica belongs to a table no stack creates. Set the same value in every stack file.',
            ],
            [
                { tableRegion: "eu-west-1" },
                '[multi-region-api:tableRegion] differs between stacks (primary: "us-east-1"; secondary: "eu-west-1"): the stacks disagree on who creates the global table: two stacks create it, or none does and every replica fails. Set the same value in every stack file.',
            ],
            [
                { domainName: "www.example.com" },
                '[multi-region-api:domainName] differs between stacks (primary: "api.example.com"; secondary: "www.example.com"): each stack routes its own name, so neither name has another region to fail over to. Set the same value in every stack file.',
            ],
            [
                { zoneName: "api.example.com" },
                '[multi-region-api:zoneName] differs between stacks (primary: "example.com"; secondary: "api.example.com"): the stacks write their records to different hosted zones, so clients of one zone never reach the other region. Set the same value in every stack file.',
            ],
            [
                { recordType: "CNAME" },
                '[multi-region-api:recordType] differs between stacks (primary: "alias"; secondary: "CNAME"): an alias A record and a CNAME cannot share a name, so the second stack\'s routed record is refused. Set the same value in every stack file.',
            ],
        ];
        for (const [change, message] of cases) {
            const got = findings({
                primary: config("primary"),
                secondary: config("secondary", change),
            });
            assert.deepEqual(
                got.map((f) => f[3]),
                [message],
            );
            assert.deepEqual(got[0].slice(0, 3), [
                "stacks-same-setting",
                `multi-region-api:${Object.keys(change)[0]}`,
                "primary,secondary",
            ]);
        }
    });

    it("a table region no stack deploys: only when every stack is seen", () => {
        const stacks = {
            primary: config("primary", { tableRegion: "eu-central-1" }),
            secondary: config("secondary", { tableRegion: "eu-central-1" }),
        };
        assert.deepEqual(findings(stacks), [
            [
                "stacks-table-region",
                "multi-region-api:tableRegion",
                "primary,secondary",
                "[multi-region-api:tableRegion] is eu-central-1, which no stack deploys: no stack creates the global table, so every stack's replica fails and no region's /health turns healthy. Set it to one stack's region (eu-west-1, us-east-1).",
            ],
        ]);
        assert.deepEqual(findings(stacks, false), []);
    });

    it("failover roles: two PRIMARY always; a missing SECONDARY only when every stack is seen", () => {
        const twoPrimaries = {
            primary: config("primary"),
            secondary: config("secondary", {
                failoverRole: "PRIMARY",
                switchRegion: "us-east-1",
            }),
        };
        const refused = [
            "stacks-failover-roles",
            "multi-region-api:failoverRole",
            "primary,secondary",
            "[multi-region-api:failoverRole] stacks primary and secondary are both PRIMARY: Route 53 takes one PRIMARY record per name, so one stack's record is refused and its region is never served. Make one stack PRIMARY and one SECONDARY.",
        ];
        const noSecondary = [
            "stacks-failover-roles",
            "multi-region-api:failoverRole",
            "primary,secondary",
            "[multi-region-api:failoverRole] no stack is SECONDARY (stacks: primary, secondary): a failover pair needs one PRIMARY and one SECONDARY, so there is no region to fail over to. Add a stack with failoverRole SECONDARY.",
        ];
        assert.deepEqual(findings(twoPrimaries), [refused, noSecondary]);
        assert.deepEqual(findings(twoPrimaries, false), [refused]);
    });

    describe("in the plan", () => {
        let dir: string;
        before(() => {
            // A copy of the project's stack files whose program is this repository's index.ts.
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "mra-cross-"));
            const yaml = fs
                .readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")
                .replace(
                    /^main: index\.ts$/m,
                    `main: ${path.relative(dir, path.join(PROJECT_DIR, "index.ts"))}`,
                );
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
            fs.copyFileSync(
                path.join(PROJECT_DIR, "Pulumi.primary.yaml"),
                path.join(dir, "Pulumi.primary.yaml"),
            );
            fs.writeFileSync(
                path.join(dir, "Pulumi.secondary.yaml"),
                fs
                    .readFileSync(path.join(PROJECT_DIR, "Pulumi.secondary.yaml"), "utf8")
                    .replace("eu-west-1", "us-east-1"),
            );
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("reads every stack file of this repository's program and names the key", async () => {
            const found = await crossStackConfig(readProject(dir), ["primary", "secondary"], true);
            assert.deepEqual(
                found.map((f) => f.key),
                ["aws:region"],
            );
        });

        it("every stack's configuration errors in one run, each with the key meant", async () => {
            const typos = fs.mkdtempSync(path.join(os.tmpdir(), "mra-typos-"));
            try {
                fs.copyFileSync(path.join(dir, "Pulumi.yaml"), path.join(typos, "Pulumi.yaml"));
                for (const [stack, line] of [
                    ["primary", "multi-region-api:tablename: orders"],
                    ["secondary", 'multi-region-api:serverErorAlarm: "{}"'],
                ]) {
                    const file = `Pulumi.${stack}.yaml`;
                    const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
                    fs.writeFileSync(path.join(typos, file), `${text}  ${line}\n`);
                }
                const settings =
                    "Its settings are routing, failoverRole, domainName, zoneName, switchRegion, healthCheck, tableName, tableRegion, manageApiGatewayAccount, serverErrorAlarm, recordType, recordTtl, accessTokens, publicReads, waf, chaos, observability, latencyGuard, errorRateGuard";
                await assert.rejects(
                    exclusive(() => plan(readProject(typos), undefined, state)),
                    {
                        message:
                            "Stack primary: Invalid stack configuration:\n" +
                            `  - [multi-region-api:tablename] is not a setting of this program; did you mean tableName? ${settings}\n` +
                            "Stack secondary: Invalid stack configuration:\n" +
                            `  - [multi-region-api:serverErorAlarm] is not a setting of this program; did you mean serverErrorAlarm? ${settings}`,
                    },
                );
            } finally {
                fs.rmSync(typos, { recursive: true, force: true });
                await restoreHarness();
            }
        });

        it("has nothing to say about another program's stacks", async () => {
            const other = readProject(path.join(PROJECT_DIR, "examples", "single-stack"));
            assert.deepEqual(await crossStackConfig(other, ["dev"], true), []);
        });
    });
});
