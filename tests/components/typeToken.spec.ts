// The components' type tokens changed from `multiregion:index:*` to `multi-region-api:index:*` (the
// package name Pulumi takes from package.json for a source-based component package). A stack
// deployed with the earlier tokens must find every resource again under its new URN, through
// aliases, instead of creating new ones and deleting the old.
//
// Proof under the mock runtime, with the SDK's own alias code: the mocks normally accept alias
// specs, which the engine resolves (children inherit their parents' aliases there); with that
// feature switched off the SDK resolves every alias to a URN itself, parents' aliases multiplied
// out into their children's, and the runs below record those URNs. Every resource the program
// registers is checked: its earlier URN is its URN or one of its aliases, and no alias names a
// resource that exists now.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { AlarmHealthCheck } from "../../components/alarmHealthCheck";
import { componentType, previousUrn } from "../../components/typeToken";
import { RecordedAlias, RecordedResource } from "../../plan/mockRuntime";
import { inventory } from "./helpers";
import { created, reset, state } from "../harness";
import { evaluate, Evaluation, restoreHarness } from "../stack/evaluations";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeState = require("@pulumi/pulumi/runtime/state") as {
    getStore(): { supportsAliasSpecs: boolean };
};

const SWITCH_ARGS = { namespace: "HealthCheck", metricName: "Failover", threshold: 1 };

/** Every optional component: chaos, observability (PeerProbe), derived guards, the 5XX guard. */
function everything(stack: string, latencyThresholdMs = 1000): Record<string, string> {
    const peers = [stack === "primary" ? "eu-west-1" : "us-east-1"];
    return {
        chaos: JSON.stringify({ peers }),
        observability: JSON.stringify({ peers, emails: ["ops@example.com"] }),
        latencyGuard: JSON.stringify({ threshold: latencyThresholdMs }),
        errorRateGuard: JSON.stringify({ threshold: 5 }),
        serverErrorAlarm: JSON.stringify({ threshold: 0.05, evaluationPeriods: 3 }),
    };
}

/** `evaluate`, with the SDK resolving aliases to URNs itself (no alias specs). */
async function evaluateResolvingAliases(stack: string): Promise<Evaluation> {
    const original = Object.getOwnPropertyDescriptor(state, "start")!;
    const start = state.start.bind(state);
    state.start = async (...args) => {
        await start(...args);
        runtimeState.getStore().supportsAliasSpecs = false;
    };
    try {
        // A configuration no other run evaluates: never a cached run with alias specs.
        return await evaluate(stack, everything(stack, 1001));
    } finally {
        Object.defineProperty(state, "start", original);
    }
}

/**
 * The URN an alias names. The SDK resolves aliases of a resource with a parent; one without (the
 * program runs outside a stack resource under mocks) keeps its spec, resolved here as the engine
 * does: unset parts are the resource's own.
 */
function aliasUrn(r: RecordedResource, alias: RecordedAlias): string {
    if (typeof alias === "string") {
        return alias;
    }
    const parent = alias.noParent ? undefined : (alias.parentUrn ?? r.parent);
    const parentType = parent?.split("::")[2];
    const type = alias.type ?? r.type;
    const qualified = parentType ? `${parentType}$${type}` : type;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${alias.name ?? r.name}`;
}

/** Resources whose earlier URN is neither their URN nor one of their aliases. */
function lost(recorded: RecordedResource[]): string[] {
    return recorded
        .filter(
            (r) =>
                r.urn !== previousUrn(r.urn) &&
                !r.aliases.some((a) => aliasUrn(r, a) === previousUrn(r.urn)),
        )
        .map((r) => r.urn);
}

describe("type tokens and the aliases to the earlier ones", function () {
    this.timeout(60_000);

    it("previousUrn renames our tokens in the type chain only", () => {
        assert.equal(
            previousUrn(
                "urn:pulumi:prod::multi-region-api::multi-region-api:index:DerivedMetricGuard$multi-region-api:index:AlarmHealthCheck$aws:cloudwatch/metricAlarm:MetricAlarm::multi-region-api:index:x",
            ),
            "urn:pulumi:prod::multi-region-api::multiregion:index:DerivedMetricGuard$multiregion:index:AlarmHealthCheck$aws:cloudwatch/metricAlarm:MetricAlarm::multi-region-api:index:x",
        );
        assert.equal(
            previousUrn("urn:pulumi:prod::app::my:index:Stack$aws:s3/bucket:Bucket::b"),
            "urn:pulumi:prod::app::my:index:Stack$aws:s3/bucket:Bucket::b",
        );
        // Only whole types of ours: a consumer's package whose name ends like ours is theirs.
        assert.equal(
            previousUrn(
                "urn:pulumi:prod::app::acme-multi-region-api:index:Edge$multi-region-api:index:PeerProbe::p",
            ),
            "urn:pulumi:prod::app::acme-multi-region-api:index:Edge$multiregion:index:PeerProbe::p",
        );
    });

    for (const stack of ["primary", "secondary"]) {
        it(`${stack}: every resource keeps its earlier URN, by alias (SDK-resolved URNs)`, async () => {
            const { recorded } = await evaluateResolvingAliases(stack);
            const renamed = recorded.filter((r) => r.urn !== previousUrn(r.urn));
            // Not vacuous: the components and everything under them were renamed.
            assert.ok(renamed.length > 40, `only ${renamed.length} resources renamed`);
            assert.deepEqual(
                [...new Set(renamed.filter((r) => !r.custom).map((r) => r.type))].sort(),
                [
                    "AlarmHealthCheck",
                    "DerivedMetricGuard",
                    "FailoverDomain",
                    "FailoverObservability",
                    "PeerProbe",
                    "RegionalApi",
                ].map(componentType),
            );
            // Under mocks the program runs outside a stack resource, and the SDK resolves no alias of
            // a resource without a parent: the top-level components' are checked as specs below.
            assert.deepEqual(lost(recorded.filter((r) => r.parent !== undefined)), []);
        });
    }

    it("with alias specs (what the engine receives), each component names its earlier type and its parent's earlier URN", async () => {
        const { recorded } = await evaluate("primary", everything("primary"));
        await restoreHarness();
        const components = recorded.filter(
            (r) => !r.custom && r.type.startsWith("multi-region-api:"),
        );
        assert.ok(components.length >= 8);
        for (const c of components) {
            const type = c.type.replace("multi-region-api:", "multiregion:");
            const nested = c.parent !== undefined && c.parent.includes("::multi-region-api:index:");
            assert.deepEqual(
                c.aliases,
                [nested ? { type, parentUrn: previousUrn(c.parent!) } : { type }],
                c.urn,
            );
        }
        // Resources of the AWS provider carry no aliases of ours (the engine derives theirs from
        // their parents'); only the provider's own (s3.Bucket's to BucketV2).
        assert.deepEqual(
            recorded
                .filter((r) => r.custom)
                .flatMap((r) => r.aliases)
                .filter((a) => JSON.stringify(a).includes("multiregion:")),
            [],
        );
    });

    it("under a consumer's own component, the component and its children keep their earlier URNs (SDK-resolved)", async () => {
        reset();
        runtimeState.getStore().supportsAliasSpecs = false;
        try {
            const edge = new pulumi.ComponentResource("acme:index:Edge", "edge");
            new AlarmHealthCheck("switch", SWITCH_ARGS, { parent: edge });
            await state.settle();
        } finally {
            runtimeState.getStore().supportsAliasSpecs = true;
        }
        const renamed = created.filter((r) => r.urn !== previousUrn(r.urn));
        assert.deepEqual(inventory(renamed), [
            "aws:cloudwatch/metricAlarm:MetricAlarm switch-alarm",
            "aws:route53/healthCheck:HealthCheck switch-check",
            `${componentType("AlarmHealthCheck")} switch`,
        ]);
        assert.deepEqual(lost(created), []);
        assert.equal(
            previousUrn(renamed.find((r) => !r.custom)!.urn),
            `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::acme:index:Edge$multiregion:index:AlarmHealthCheck::switch`,
        );
    });

    it("keeps the caller's aliases, and adds their earlier form (a rename in the same update)", async () => {
        reset();
        new AlarmHealthCheck("switch", SWITCH_ARGS, {
            aliases: [
                { name: "old-switch" },
                "urn:pulumi:test::multi-region-api::multi-region-api:index:AlarmHealthCheck::older",
            ],
        });
        await state.settle();
        const component = created.find((r) => r.type === componentType("AlarmHealthCheck"));
        assert.deepEqual(component?.aliases, [
            { name: "old-switch" },
            "urn:pulumi:test::multi-region-api::multi-region-api:index:AlarmHealthCheck::older",
            { type: "multiregion:index:AlarmHealthCheck" },
            { name: "old-switch", type: "multiregion:index:AlarmHealthCheck" },
            "urn:pulumi:test::multi-region-api::multiregion:index:AlarmHealthCheck::older",
        ]);
    });
});
