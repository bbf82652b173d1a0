// Several regions in one program: deployRegion scopes every name by region, so two regions
// register without a URN clash (the engine would refuse one), while the same region twice clashes
// on every resource. examples/single-stack does this, and the plan proves its routing.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { Plan } from "../../plan/analyze";
import { plan } from "../../plan/cli";
import { RecordedResource } from "../../plan/mockRuntime";
import { readProject } from "../../plan/stackFiles";
import { parseStackConfig } from "../../stack/config";
import { RegionDeployment, deployRegion } from "../../stack/deploy";
import { promiseOf, state } from "../harness";
import { exclusive, project, restoreHarness } from "./evaluations";

const EXAMPLE_DIR = path.join(project.dir, "examples", "single-stack");

const shared = { domainName: "api.example.com", zoneName: "example.com", tableRegion: "us-east-1" };
const primaryConfig = () =>
    parseStackConfig({
        ...shared,
        "aws:region": "us-east-1",
        failoverRole: "PRIMARY",
        switchRegion: "eu-west-1",
    });
const secondaryConfig = () =>
    parseStackConfig({ ...shared, "aws:region": "eu-west-1", failoverRole: "SECONDARY" });

/** Name of the provider resource a registration uses (`urn::id` reference). */
/** The routed records (one per region), by name. */
const routedRecords = <R extends { type: string; name: string }>(all: R[]) =>
    all
        .filter((r) => r.type === "aws:route53/record:Record" && r.name.endsWith("-routing-record"))
        .sort((a, b) => a.name.localeCompare(b.name));

const providerName = (r: RecordedResource) => r.provider?.split("::").slice(-2)[0];

describe("two regions in one program", function () {
    this.timeout(60_000);
    let recorded: RecordedResource[];
    let primary: RegionDeployment;
    let secondary: RegionDeployment;
    const find = (type: string, name: string) =>
        recorded.find((r) => r.type === type && r.name === name)!;

    before(async () => {
        // As examples/single-stack/index.ts does: the program's own providers, one per region.
        recorded = await exclusive(async () => {
            await state.start(project.name, "two-regions", {});
            const useast1 = new aws.Provider("us-east-1", { region: "us-east-1" });
            const euwest1 = new aws.Provider("eu-west-1", { region: "eu-west-1" });
            primary = deployRegion(primaryConfig(), { region: useast1, switch: euwest1 });
            secondary = deployRegion(secondaryConfig(), { region: euwest1 }, primary.table);
            await promiseOf(pulumi.output([primary.outputs, secondary.outputs]));
            await state.settle(); // rejects on a duplicate URN
            return [...state.resources];
        });
    });
    after(restoreHarness);

    it("registers every resource under its own URN", () => {
        const urns = recorded.map((r) => r.urn);
        assert.equal(new Set(urns).size, urns.length);
        assert.deepEqual(
            recorded
                .filter((r) => r.type === "pulumi:providers:aws")
                .map((r) => [r.name, r.inputs.region]),
            [
                ["us-east-1", "us-east-1"],
                ["eu-west-1", "eu-west-1"],
            ],
        );
        // Registration order is asynchronous: compare sorted.
        assert.deepEqual(
            recorded
                .filter((r) => r.type.startsWith("multi-region-api:"))
                .map((r) => r.urn)
                .sort(),
            [
                "urn:pulumi:two-regions::multi-region-api::multi-region-api:index:AlarmHealthCheck::us-east-1-switch",
                "urn:pulumi:two-regions::multi-region-api::multi-region-api:index:FailoverDomain::eu-west-1-routing",
                "urn:pulumi:two-regions::multi-region-api::multi-region-api:index:FailoverDomain::us-east-1-routing",
                "urn:pulumi:two-regions::multi-region-api::multi-region-api:index:RegionalApi::eu-west-1",
                "urn:pulumi:two-regions::multi-region-api::multi-region-api:index:RegionalApi::us-east-1",
            ],
        );
    });

    it("the secondary's replica takes the ARN of the table this program creates, and waits for it", () => {
        const table = find("aws:dynamodb/table:Table", "products");
        const replica = find(
            "aws:dynamodb/tableReplica:TableReplica",
            "eu-west-1-products-replica",
        );
        assert.equal(table.providerRegion, "us-east-1");
        assert.equal(replica.providerRegion, "eu-west-1");
        assert.equal(replica.inputs.globalTableArn, table.state.arn);
        assert.ok(replica.dependsOn.includes(table.urn), replica.dependsOn.join("\n"));
        assert.equal(primary.replica, undefined);
        assert.equal(secondary.table, undefined);
    });

    it("the primary's switch runs on the program's eu-west-1 provider, the rest on us-east-1", () => {
        const providersOf = (prefix: string) => [
            ...new Set(
                recorded
                    .filter((r) => r.custom && r.name.startsWith(prefix))
                    .map((r) => providerName(r)),
            ),
        ];
        assert.deepEqual(providersOf("us-east-1-switch"), ["eu-west-1"]);
        assert.deepEqual(
            recorded
                .filter(
                    (r) =>
                        r.custom &&
                        r.type !== "pulumi:providers:aws" &&
                        !r.name.startsWith("us-east-1-switch"),
                )
                .map((r) => [
                    r.name.startsWith("eu-west-1") ? "eu-west-1" : "us-east-1",
                    providerName(r),
                ])
                .filter(([region, provider]) => region !== provider),
            [],
        );
    });

    it("the routed records: PRIMARY in us-east-1, SECONDARY in eu-west-1, one name", () => {
        assert.deepEqual(
            routedRecords(recorded).map((r) => [
                r.name,
                r.providerRegion,
                r.inputs.name,
                r.inputs.setIdentifier,
                r.inputs.failoverRoutingPolicies,
            ]),
            [
                [
                    "eu-west-1-routing-record",
                    "eu-west-1",
                    "api.example.com",
                    "secondary",
                    [{ type: "SECONDARY" }],
                ],
                [
                    "us-east-1-routing-record",
                    "us-east-1",
                    "api.example.com",
                    "primary",
                    [{ type: "PRIMARY" }],
                ],
            ],
        );
    });
});

describe("the same region twice in one program", function () {
    this.timeout(60_000);
    after(restoreHarness);

    it("settle() rejects, naming every URN registered twice", async () => {
        const { error, recorded } = await exclusive(async () => {
            await state.start(project.name, "same-region", {});
            const providers = {
                region: new aws.Provider("aws-us-east-1", { region: "us-east-1" }),
                switch: new aws.Provider("aws-eu-west-1-switch", { region: "eu-west-1" }),
            };
            deployRegion(primaryConfig(), providers);
            deployRegion(primaryConfig(), providers);
            const error = await state.settle().then(
                () => undefined,
                (e: unknown) => e,
            );
            return { error, recorded: [...state.resources] };
        });
        // Every resource but the two shared providers is registered twice: each second
        // registration is a duplicate, named in the order it came.
        const twice = recorded.filter((r, i) => recorded.findIndex((x) => x.urn === r.urn) !== i);
        const deployed = recorded.filter((r) => r.type !== "pulumi:providers:aws");
        assert.equal(deployed.length, 2 * twice.length);
        assert.deepEqual(new Set(twice.map((r) => r.urn)), new Set(deployed.map((r) => r.urn)));
        assert.ok(error instanceof pulumi.RunError, String(error));
        assert.equal(
            error.message,
            `Duplicate resource URNs (the Pulumi engine refuses these): ${twice.map((r) => r.urn).join(", ")}`,
        );
        for (const urn of [
            "urn:pulumi:same-region::multi-region-api::aws:dynamodb/table:Table::products",
            "urn:pulumi:same-region::multi-region-api::multi-region-api:index:RegionalApi::us-east-1",
            "urn:pulumi:same-region::multi-region-api::multi-region-api:index:FailoverDomain$aws:route53/record:Record::us-east-1-routing-record",
        ]) {
            assert.ok(
                twice.some((r) => r.urn === urn),
                urn,
            );
        }
    });
});

describe("examples/single-stack under the plan", function () {
    this.timeout(60_000);
    let result: Plan;
    before(async () => {
        // plan() installs its own mock runtime; the harness's is put back after.
        result = await exclusive(() => plan(readProject(EXAMPLE_DIR)));
    });
    after(restoreHarness);

    it("one stack, dev, deploying both regions", () => {
        assert.deepEqual(Object.keys(result.stacks), ["dev"]);
        assert.equal(result.stacks.dev.region, "eu-west-1, us-east-1");
        assert.deepEqual(Object.keys(result.stacks.dev.outputs), ["serviceUrl", "regions"]);
        assert.deepEqual(
            Object.entries(
                result.stacks.dev.outputs.regions as Record<string, Record<string, unknown>>,
            ).map(([region, o]) => [
                region,
                o.failoverRole,
                o.setIdentifier,
                (o.operatorSwitch as { region?: string } | undefined)?.region,
                o.regionalHostname,
                o.recordType,
                o.guards,
            ]),
            [
                [
                    "us-east-1",
                    "PRIMARY",
                    "primary",
                    "eu-west-1",
                    "us-east-1.api.example.com",
                    "A",
                    [],
                ],
                [
                    "eu-west-1",
                    "SECONDARY",
                    "secondary",
                    undefined,
                    "eu-west-1.api.example.com",
                    "A",
                    [],
                ],
            ],
        );
    });

    it("all 9 failover drills answer as intended", () => {
        assert.deepEqual(
            result.drills.map((d) => [d.scenario, d.answer.region, d.ok]),
            [
                ["api.example.com failover: all healthy", "us-east-1", true],
                ["api.example.com failover: primary endpoint down (us-east-1)", "eu-west-1", true],
                [
                    "api.example.com failover: operator switch engaged (us-east-1)",
                    "eu-west-1",
                    true,
                ],
                [
                    "api.example.com failover: switch alarm without data, never engaged (us-east-1)",
                    "us-east-1",
                    true,
                ],
                [
                    "api.example.com failover: switch engaged, then no new data (us-east-1)",
                    "eu-west-1",
                    true,
                ],
                ["api.example.com failover: secondary down (eu-west-1)", "us-east-1", true],
                [
                    "api.example.com failover: secondary down, switch engaged (us-east-1)",
                    "us-east-1",
                    true,
                ],
                ["api.example.com failover: both down", "us-east-1", true],
                ["api.example.com failover: both down, switch engaged", "us-east-1", true],
            ],
        );
    });

    it("each routed record lives in, and answers with, exactly its own region", () => {
        const resources = result.stacks.dev.resources;
        const domains = new Map(
            resources
                .filter((r) => r.type === "aws:apigateway/domainName:DomainName")
                .map((r) => [r.state.regionalDomainName, r.provider]),
        );
        assert.deepEqual(
            routedRecords(resources).map((r) => [
                r.name,
                (r.inputs.failoverRoutingPolicies as { type: string }[])[0].type,
                r.provider,
                domains.get((r.inputs.aliases as { name: string }[])[0].name),
            ]),
            [
                ["eu-west-1-routing-record", "SECONDARY", "eu-west-1", "eu-west-1"],
                ["us-east-1-routing-record", "PRIMARY", "us-east-1", "us-east-1"],
            ],
        );
    });

    it("every resource is in the region its name says; the switch in the other one", () => {
        const misplaced = result.stacks.dev.resources
            .filter((r) => r.provider !== null)
            .map((r) => {
                const expected = r.name.startsWith("us-east-1-switch")
                    ? "eu-west-1"
                    : r.name === "products"
                      ? "us-east-1"
                      : (/^(us-east-1|eu-west-1)-/.exec(r.name)?.[1] ?? "?");
                return [r.name, r.provider, expected];
            })
            .filter(([, actual, expected]) => actual !== expected);
        assert.deepEqual(misplaced, []);
    });

    it("the budget and cost of both regions together", () => {
        assert.deepEqual(
            [result.stacks.dev.budget.failoverSeconds, result.stacks.dev.monthlyCostUsd],
            [210, 8.6],
        );
    });
});
