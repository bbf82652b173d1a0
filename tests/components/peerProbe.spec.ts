import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { PEER_PROBE_DEFAULTS, PeerProbe, PeerProbeArgs } from "../../components/peerProbe";
import { bundleHandler } from "../../components/handlerBundle";
import { PEER_METRIC_NAME, peerConfigFromEnv } from "../../functions/peer";
import { RecordedResource } from "../../plan/mockRuntime";
import { RULES, runRules } from "../../plan/rules";
import { lambdaLeastPrivilegeRule } from "../../plan/rules/iamLeastPrivilege";
import { created, ofType, promiseOf, reset, state } from "../harness";
import {
    assertTags,
    childrenOf,
    component,
    failureOf,
    inventory,
    rejectsBeforeRegistering,
    urnOf,
    withPlainStacks,
    withoutSerializingPrefixes,
    ruleSnapshot,
} from "./helpers";

const TYPE = "multi-region-api:index:PeerProbe";
const ACCOUNT = "123456789012";
const TOKEN = "mra-health-ok";
const USE1_HEALTH = "https://us-east-1.api.example.com/health";
const USW2_HEALTH = "https://us-west-2.api.example.com/health";

const args: PeerProbeArgs = {
    serviceName: "api.example.com",
    peers: [{ region: "us-east-1", healthUrl: USE1_HEALTH, searchString: TOKEN }],
};

/** Every child a PeerProbe named `n` watching `regions` registers, as `type name`, sorted. */
function expectedInventory(n: string, regions: string[]): string[] {
    return [
        `aws:cloudwatch/eventRule:EventRule ${n}-schedule`,
        `aws:cloudwatch/eventTarget:EventTarget ${n}-target`,
        `aws:cloudwatch/logGroup:LogGroup ${n}-logs`,
        ...regions.map((r) => `aws:cloudwatch/metricAlarm:MetricAlarm ${n}-${r}-alarm`),
        `aws:iam/role:Role ${n}-role`,
        `aws:iam/rolePolicy:RolePolicy ${n}-policy`,
        `aws:lambda/function:Function ${n}-function`,
        `aws:lambda/permission:Permission ${n}-invoke`,
    ].sort();
}

function provider(region: string) {
    return new aws.Provider(`aws-${region}`, { region });
}

/** Waits until `probes` have resolved their outputs and every registration has settled. */
async function settled(...probes: PeerProbe[]) {
    await Promise.all(
        probes.flatMap((p) => [
            promiseOf(p.alarmArns),
            promiseOf(p.function.arn),
            promiseOf(p.namespace),
        ]),
    );
    await state.settle();
}

/** The children of the PeerProbe `name`, keyed by name. */
function childrenByName(name: string): Record<string, RecordedResource> {
    return Object.fromEntries(childrenOf(component(TYPE, name)).map((c) => [c.name, c]));
}

/**
 * `o` without its undefined values. The mock runtime computes no `name` or `arn` for EventBridge
 * rules (AWS does), so the target's `rule` and the permission's `sourceArn`, taken from them, are
 * absent under mocks (and so is the dependency they carry); once it computes them, the
 * expectations below include them.
 */
function present(o: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** A registered resource as the guardrails see it (as the offline plan builds it). */

const description = (service: string, peer: string, observer: string, minutes: number) =>
    `${service} in ${peer}, as ${observer} sees it, failed its /health probe (status 200-399 and the search string within 3 s) for ${minutes} consecutive minute(s), or the probe in ${observer} stopped reporting, which counts the same. ${peer} may be unable to take ${observer}'s traffic: do not break or drain ${observer} now. Run \`multi-region-api status\` to see both regions; the probe's log group has each run's result.`;

describe("PeerProbe", () => {
    describe("with defaults, in eu-west-1, watching us-east-1", () => {
        let probe: PeerProbe;
        let c: Record<string, RecordedResource>;

        before(() =>
            withPlainStacks(async () => {
                reset();
                probe = new PeerProbe("euw1-peers", args, {
                    providers: { aws: provider("eu-west-1") },
                });
                await settled(probe);
                c = childrenByName("euw1-peers");
            }),
        );

        it("registers exactly these children, parented to the component, on its provider's region", () => {
            const parent = component(TYPE, "euw1-peers");
            assert.equal(parent.urn, urnOf(TYPE, "euw1-peers"));
            assert.equal(parent.parent, undefined);
            assert.deepEqual(
                inventory(created),
                [
                    `${TYPE} euw1-peers`,
                    ...expectedInventory("euw1-peers", ["us-east-1"]),
                    "pulumi:providers:aws aws-eu-west-1",
                ].sort(),
            );
            for (const child of Object.values(c)) {
                assert.equal(child.parent, parent.urn, `${child.name} parent`);
                assert.equal(child.urn, urnOf(`${TYPE}$${child.type}`, child.name));
                assert.equal(child.providerRegion, "eu-west-1", `${child.name} provider region`);
                assert.equal(child.protect, false, `${child.name} protect`);
            }
        });

        it("looks up its own region once, on its provider", () => {
            const providerRef = `${urnOf("pulumi:providers:aws", "aws-eu-west-1")}::aws-eu-west-1-id`;
            assert.deepEqual(
                state.invokes.map((i): unknown[] => [i.token, i.provider, i.inputs]),
                [["aws:index/getRegion:getRegion", providerRef, {}]],
            );
        });

        it("gives the function a log group and a role that writes its logs and publishes in its namespace alone", () => {
            assert.deepEqual(c["euw1-peers-logs"].inputs, { retentionInDays: 30, tags: {} });
            assert.deepEqual(c["euw1-peers-role"].inputs, {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "lambda.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
                tags: {},
            });
            const policy = c["euw1-peers-policy"].inputs;
            assert.deepEqual(
                { ...policy, policy: JSON.parse(String(policy.policy)) as unknown },
                {
                    role: "euw1-peers-role-id",
                    policy: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: "cloudwatch:PutMetricData",
                                Resource: "*",
                                Condition: {
                                    StringEquals: {
                                        "cloudwatch:namespace": "MultiRegionApi/Peers",
                                    },
                                },
                            },
                            {
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                Resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:euw1-peers-logs:*`,
                            },
                        ],
                    },
                },
            );
        });

        it("runs the peer handler on Lambda nodejs22.x arm64, 128 MB, 10 s, configured by its environment", async () => {
            const fn = c["euw1-peers-function"];
            const { code, ...rest } = fn.inputs;
            const peers = JSON.stringify([
                { region: "us-east-1", healthUrl: USE1_HEALTH, searchString: TOKEN },
            ]);
            assert.deepEqual(rest, {
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                role: `arn:aws:iam::${ACCOUNT}:role/euw1-peers-role`,
                memorySize: 128,
                timeout: 10,
                environment: {
                    variables: {
                        PEERS: peers,
                        SERVICE: "api.example.com",
                        NAMESPACE: "MultiRegionApi/Peers",
                    },
                },
                loggingConfig: { logFormat: "JSON", logGroup: "euw1-peers-logs" },
                tags: {},
            });
            // Created once its role may log and publish: the schedule runs it at once.
            assert.ok(fn.dependsOn.includes(c["euw1-peers-policy"].urn), "depends on its policy");
            assert.ok(code instanceof pulumi.asset.AssetArchive, "code archive");
            const assets = await code.assets;
            assert.deepEqual(Object.keys(assets), ["index.js"]);
            const index = assets["index.js"];
            assert.ok(index instanceof pulumi.asset.StringAsset);
            const text = await index.text;
            assert.equal(text, bundleHandler("peer"));
            // The AWS SDK is the Lambda runtime's; node's own http and https do the probing.
            assert.deepEqual([...new Set(text.match(/require\("[^"]+"\)/g))].sort(), [
                'require("@aws-sdk/client-cloudwatch")',
                'require("node:http")',
                'require("node:https")',
                'require("node:perf_hooks")',
            ]);
            assert.doesNotMatch(text, /node_modules/);
            assert.ok(!text.includes(path.resolve(__dirname, "../..")), "no absolute path");
        });

        it("writes an environment the handler reads back as exactly these peers", () => {
            const variables = (
                c["euw1-peers-function"].inputs.environment as {
                    variables: Record<string, string>;
                }
            ).variables;
            assert.deepEqual(peerConfigFromEnv({ ...variables, AWS_REGION: "eu-west-1" }), {
                ok: true,
                config: {
                    peers: [{ region: "us-east-1", healthUrl: USE1_HEALTH, searchString: TOKEN }],
                    service: "api.example.com",
                    namespace: "MultiRegionApi/Peers",
                    region: "eu-west-1",
                },
            });
        });

        it("runs it every minute, never retrying a run that could not start within a minute", () => {
            const rule = c["euw1-peers-schedule"];
            const fn = c["euw1-peers-function"];
            assert.deepEqual(rule.inputs, {
                description: "Runs the peer probe euw1-peers every minute.",
                scheduleExpression: "rate(1 minute)",
                tags: {},
            });
            const target = c["euw1-peers-target"];
            assert.deepEqual(
                target.inputs,
                present({
                    rule: rule.state.name,
                    arn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:euw1-peers-function`,
                    retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
                }),
            );
            const permission = c["euw1-peers-invoke"];
            assert.deepEqual(
                permission.inputs,
                present({
                    action: "lambda:InvokeFunction",
                    function: "euw1-peers-function",
                    principal: "events.amazonaws.com",
                    sourceArn: rule.state.arn,
                }),
            );
            assert.ok(target.dependsOn.includes(fn.urn), "the target depends on the function");
            assert.ok(
                permission.dependsOn.includes(fn.urn),
                "the permission depends on the function",
            );
        });

        it("alarms after 2 minutes whose lowest PeerHealthy was 0, or that had no data", () => {
            assert.equal(PEER_METRIC_NAME, "PeerHealthy");
            assert.deepEqual(c["euw1-peers-us-east-1-alarm"].inputs, {
                namespace: "MultiRegionApi/Peers",
                metricName: PEER_METRIC_NAME,
                dimensions: {
                    Service: "api.example.com",
                    Peer: "us-east-1",
                    Observer: "eu-west-1",
                },
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: 2,
                datapointsToAlarm: 2,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "breaching",
                alarmDescription: description("api.example.com", "us-east-1", "eu-west-1", 2),
                tags: {},
            });
            // CloudWatch's limit on a description, with room for a 64-character service name.
            assert.ok(
                description("a".repeat(64), "ap-southeast-2", "ap-northeast-3", 10).length <= 1024,
            );
        });

        it("exposes its children, the alarms' ARNs and names in peers' order, and the namespace", async () => {
            assert.deepEqual(await promiseOf(probe.alarmArns), [
                `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:euw1-peers-us-east-1-alarm`,
            ]);
            assert.deepEqual(await promiseOf(probe.alarmNames), ["euw1-peers-us-east-1-alarm"]);
            assert.equal(await promiseOf(probe.namespace), "MultiRegionApi/Peers");
            assert.equal(await promiseOf(probe.function.urn), c["euw1-peers-function"].urn);
            assert.equal(await promiseOf(probe.role.urn), c["euw1-peers-role"].urn);
            assert.equal(await promiseOf(probe.logGroup.urn), c["euw1-peers-logs"].urn);
            assert.equal(await promiseOf(probe.rule.urn), c["euw1-peers-schedule"].urn);
            assert.deepEqual(await Promise.all(probe.alarms.map((a) => promiseOf(a.urn))), [
                c["euw1-peers-us-east-1-alarm"].urn,
            ]);
            assert.deepEqual(PEER_PROBE_DEFAULTS, {
                evaluationPeriods: 2,
                namespace: "MultiRegionApi/Peers",
                logRetentionDays: 30,
            });
        });

        it("trips no guardrail; the least-privilege rule does judge its role", () => {
            const snapshots = created.map(ruleSnapshot);
            assert.deepEqual(runRules(RULES, snapshots, { wholeDeployment: false }), []);
            // The same resources with PutMetricData widened to every CloudWatch action.
            const widened = snapshots.map((s) =>
                s.name === "euw1-peers-policy"
                    ? {
                          ...s,
                          inputs: {
                              ...s.inputs,
                              policy: String(s.inputs.policy).replace(
                                  "cloudwatch:PutMetricData",
                                  "cloudwatch:*",
                              ),
                          },
                      }
                    : s,
            );
            assert.deepEqual(
                runRules([lambdaLeastPrivilegeRule], widened, { wholeDeployment: false }).map(
                    (f) => f.resource,
                ),
                ["euw1-peers-policy"],
            );
        });
    });

    describe("with every setting, two peers and deploy-time URLs, in us-east-1", () => {
        let probe: PeerProbe;
        let c: Record<string, RecordedResource>;
        const tags = { team: "sre" };

        before(() =>
            withPlainStacks(async () => {
                reset();
                probe = new PeerProbe(
                    "use1-peers",
                    {
                        serviceName: pulumi.output("orders.example.com"),
                        peers: [
                            {
                                region: "us-west-2",
                                healthUrl: pulumi.output(USW2_HEALTH),
                                searchString: pulumi.output("orders-ok"),
                            },
                            {
                                region: "eu-west-1",
                                healthUrl: "https://eu-west-1.orders.example.com/health",
                                searchString: "orders-ok",
                            },
                        ],
                        evaluationPeriods: 5,
                        namespace: "Orders/Peers",
                        logRetentionDays: 7,
                        tags,
                    },
                    { providers: { aws: provider("us-east-1") } },
                );
                await settled(probe);
                c = childrenByName("use1-peers");
            }),
        );

        it("registers one alarm per peer beside the same children", () => {
            assert.deepEqual(
                inventory(Object.values(c)),
                expectedInventory("use1-peers", ["us-west-2", "eu-west-1"]),
            );
            for (const child of Object.values(c)) {
                assert.equal(child.providerRegion, "us-east-1", `${child.name} provider region`);
            }
        });

        it("passes every setting on: peers in order, namespace in the policy and the alarms, retention, tags", async () => {
            const variables = (
                c["use1-peers-function"].inputs.environment as {
                    variables: Record<string, string>;
                }
            ).variables;
            assert.deepEqual(variables, {
                PEERS: JSON.stringify([
                    { region: "us-west-2", healthUrl: USW2_HEALTH, searchString: "orders-ok" },
                    {
                        region: "eu-west-1",
                        healthUrl: "https://eu-west-1.orders.example.com/health",
                        searchString: "orders-ok",
                    },
                ]),
                SERVICE: "orders.example.com",
                NAMESPACE: "Orders/Peers",
            });
            const policy = JSON.parse(String(c["use1-peers-policy"].inputs.policy)) as {
                Statement: { Condition?: unknown }[];
            };
            assert.deepEqual(policy.Statement[0].Condition, {
                StringEquals: { "cloudwatch:namespace": "Orders/Peers" },
            });
            assert.deepEqual(c["use1-peers-logs"].inputs, { retentionInDays: 7, tags });
            for (const peer of ["us-west-2", "eu-west-1"]) {
                assert.deepEqual(c[`use1-peers-${peer}-alarm`].inputs, {
                    namespace: "Orders/Peers",
                    metricName: "PeerHealthy",
                    dimensions: {
                        Service: "orders.example.com",
                        Peer: peer,
                        Observer: "us-east-1",
                    },
                    statistic: "Minimum",
                    period: 60,
                    evaluationPeriods: 5,
                    datapointsToAlarm: 5,
                    threshold: 1,
                    comparisonOperator: "LessThanThreshold",
                    treatMissingData: "breaching",
                    alarmDescription: description("orders.example.com", peer, "us-east-1", 5),
                    tags,
                });
            }
            assert.deepEqual(await promiseOf(probe.alarmNames), [
                "use1-peers-us-west-2-alarm",
                "use1-peers-eu-west-1-alarm",
            ]);
            assert.deepEqual(await promiseOf(probe.alarmArns), [
                `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:use1-peers-us-west-2-alarm`,
                `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:use1-peers-eu-west-1-alarm`,
            ]);
            assert.equal(await promiseOf(probe.namespace), "Orders/Peers");
        });

        it("tags every child that takes tags, and no other", () => {
            assertTags(Object.values(c), () => tags, [
                "aws:cloudwatch/eventRule:EventRule",
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "aws:iam/role:Role",
                "aws:lambda/function:Function",
            ]);
        });
    });

    describe("fails the deployment on what is known only then", () => {
        it("a peer that is the probe's own region: neither the function, its target nor the alarm is created", () =>
            withPlainStacks(async () => {
                reset();
                const probe = new PeerProbe(
                    "self",
                    {
                        serviceName: "api.example.com",
                        peers: [
                            { region: "us-east-1", healthUrl: USE1_HEALTH, searchString: TOKEN },
                        ],
                    },
                    { providers: { aws: provider("us-east-1") } },
                );
                const error = await failureOf(probe.alarmArns);
                assert.ok(
                    error instanceof pulumi.ResourceError,
                    `a ResourceError, got ${String(error)}`,
                );
                assert.equal(error.resource, probe);
                assert.equal(
                    withoutSerializingPrefixes(error.message),
                    `PeerProbe "self": [peers] must not list the probe's own region "us-east-1": a region cannot observe itself from outside`,
                );
                await state.settle();
                assert.deepEqual(inventory(created), [
                    "aws:cloudwatch/eventRule:EventRule self-schedule",
                    "aws:cloudwatch/logGroup:LogGroup self-logs",
                    "aws:iam/role:Role self-role",
                    "aws:iam/rolePolicy:RolePolicy self-policy",
                    `${TYPE} self`,
                    "pulumi:providers:aws aws-us-east-1",
                ]);
            }));

        for (const [field, value, problem] of [
            [
                "healthUrl",
                "http://us-east-1.api.example.com/health",
                `must be an https:// URL of the peer's own health path, such as https://eu-west-1.api.example.com/health (got "http://us-east-1.api.example.com/health")`,
            ],
            ["searchString", "", `must be 1-255 characters, as a Route 53 search string (got "")`],
        ] as const) {
            it(`a ${field} known only then and not allowed, with the message a known one gets`, () =>
                withPlainStacks(async () => {
                    reset();
                    const peer = {
                        region: "us-east-1",
                        healthUrl: USE1_HEALTH,
                        searchString: TOKEN,
                        [field]: pulumi.output(value),
                    };
                    const probe = new PeerProbe(
                        "late",
                        { serviceName: "api.example.com", peers: [peer] },
                        { providers: { aws: provider("eu-west-1") } },
                    );
                    const error = await failureOf(probe.function.arn);
                    assert.ok(
                        error instanceof pulumi.ResourceError,
                        `a ResourceError, got ${String(error)}`,
                    );
                    assert.equal(
                        withoutSerializingPrefixes(error.message),
                        `PeerProbe "late": [peers[0].${field}] ${problem}`,
                    );
                    await state.settle();
                    // The same value known at once is refused before anything is registered.
                    await rejectsBeforeRegistering(() => {
                        reset();
                        return new PeerProbe("late", {
                            serviceName: "api.example.com",
                            peers: [{ ...peer, [field]: value }],
                        });
                    }, `PeerProbe "late": [peers[0].${field}] ${problem}`);
                }));
        }
    });

    describe("rejects bad arguments before registering anything", () => {
        before(reset);

        const peer = { region: "us-east-1", healthUrl: USE1_HEALTH, searchString: TOKEN };
        const region = "must be an AWS region such as us-east-1 (a region the AWS SDK lists)";
        const list = "a list of at least one peer, each { region, healthUrl, searchString }";
        const minutes = "must be an integer from 1 to 10 minutes";
        const namespace =
            'must be a CloudWatch namespace: 1-255 letters, digits, spaces or . - _ / # :, not starting with ":" or "AWS/" (reserved for AWS)';
        const cases: [string, string, Record<string, unknown>, string][] = [
            ["no peers", "bad", { peers: [] }, `[peers] must be ${list} (got [])`],
            ["missing peers", "bad", { peers: undefined }, `[peers] is required: ${list}`],
            [
                "peers that are not a list",
                "bad",
                { peers: peer },
                `[peers] must be ${list} (got ${JSON.stringify(peer)})`,
            ],
            [
                "a peer that is not an object",
                "bad",
                { peers: ["us-east-1"] },
                `[peers[0]] must be a peer { region, healthUrl, searchString } (got "us-east-1")`,
            ],
            [
                "an unknown region",
                "bad",
                { peers: [{ ...peer, region: "us-east-9" }] },
                `[peers[0].region] ${region} (got "us-east-9")`,
            ],
            [
                "a missing region",
                "bad",
                { peers: [{ ...peer, region: undefined }] },
                `[peers[0].region] is required: an AWS region such as us-east-1 (a region the AWS SDK lists)`,
            ],
            [
                "a region listed twice",
                "bad",
                { peers: [peer, { ...peer, healthUrl: USW2_HEALTH }] },
                `[peers[1].region] must name a region no other peer names (got "us-east-1" again)`,
            ],
            [
                "a misspelled peer setting",
                "bad",
                { peers: [{ ...peer, searchStrng: "x" }] },
                `[peers[0].searchStrng] is not a setting of [peers[0]]; did you mean searchString? Its settings are region, healthUrl, searchString`,
            ],
            [
                "a health URL over plain HTTP",
                "bad",
                { peers: [{ ...peer, healthUrl: "http://us-east-1.api.example.com/health" }] },
                `[peers[0].healthUrl] must be an https:// URL of the peer's own health path, such as https://eu-west-1.api.example.com/health (got "http://us-east-1.api.example.com/health")`,
            ],
            [
                "a health URL with credentials",
                "bad",
                { peers: [{ ...peer, healthUrl: "https://u:p@us-east-1.api.example.com/health" }] },
                `[peers[0].healthUrl] must be an https:// URL of the peer's own health path, such as https://eu-west-1.api.example.com/health (got "https://u:p@us-east-1.api.example.com/health")`,
            ],
            [
                "a missing health URL and search string",
                "bad",
                { peers: [{ region: "us-east-1" }] },
                `[peers[0].healthUrl] is required: an https:// URL of the peer's own health path, such as https://eu-west-1.api.example.com/health; [peers[0].searchString] is required: 1-255 characters, as a Route 53 search string`,
            ],
            [
                "a search string longer than Route 53's",
                "bad",
                { peers: [{ ...peer, searchString: "s".repeat(256) }] },
                `[peers[0].searchString] must be 1-255 characters, as a Route 53 search string (got "${"s".repeat(256)}")`,
            ],
            [
                "zero minutes",
                "bad",
                { evaluationPeriods: 0 },
                `[evaluationPeriods] ${minutes} (got 0)`,
            ],
            [
                "11 minutes",
                "bad",
                { evaluationPeriods: 11 },
                `[evaluationPeriods] ${minutes} (got 11)`,
            ],
            [
                "fractional minutes",
                "bad",
                { evaluationPeriods: 1.5 },
                `[evaluationPeriods] ${minutes} (got 1.5)`,
            ],
            [
                "an AWS namespace",
                "bad",
                { namespace: "AWS/Lambda" },
                `[namespace] ${namespace} (got "AWS/Lambda")`,
            ],
            ["an empty namespace", "bad", { namespace: "" }, `[namespace] ${namespace} (got "")`],
            [
                "a namespace with a comma",
                "bad",
                { namespace: "a,b" },
                `[namespace] ${namespace} (got "a,b")`,
            ],
            [
                "a retention CloudWatch Logs does not offer",
                "bad",
                { logRetentionDays: 2 },
                `[logRetentionDays] must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 2)`,
            ],
            [
                "a service name that is not a DNS name",
                "bad",
                { serviceName: "API" },
                `[serviceName] must be a lowercase DNS name without a trailing dot, such as example.com; it has a single label (got "API")`,
            ],
            [
                "a missing service name",
                "bad",
                { serviceName: undefined },
                `[serviceName] is required: a lowercase DNS name without a trailing dot, such as example.com`,
            ],
            [
                "a misspelled argument",
                "bad",
                { evaluationPeriod: 3 },
                `[evaluationPeriod] is not an argument of PeerProbe; did you mean evaluationPeriods? Its arguments are serviceName, peers, evaluationPeriods, namespace, logRetentionDays, tags`,
            ],
            [
                "a tag key AWS reserves",
                "bad",
                { tags: { "aws:team": "sre" } },
                `[tags] key "aws:team" must be 1-128 letters, digits, spaces or _ . : / = + - @, not starting with "aws:" (reserved for AWS)`,
            ],
            [
                "a name too long for the function's",
                "p".repeat(48),
                {},
                `[name] must be 1-47 characters from A-Z, a-z, 0-9, "-" and "_": the Lambda function "<name>-function", plus Pulumi's 8-character random suffix, must fit AWS's limit of 64 characters (got "${"p".repeat(48)}", 48 characters)`,
            ],
            [
                "several problems at once",
                "bad",
                { peers: [{ ...peer, region: "mars-1" }, peer, peer], evaluationPeriods: 0 },
                `[peers[0].region] ${region} (got "mars-1"); [peers[2].region] must name a region no other peer names (got "us-east-1" again); [evaluationPeriods] ${minutes} (got 0)`,
            ],
        ];
        for (const [title, name, bad, problems] of cases) {
            it(`rejects ${title}`, async () => {
                await rejectsBeforeRegistering(
                    () => new PeerProbe(name, { ...args, ...bad }),
                    `PeerProbe "${name}": ${problems}`,
                );
            });
        }

        it("accepts a name of exactly 47 characters and the extremes of every range", () =>
            withPlainStacks(async () => {
                reset();
                const euw1 = { providers: { aws: provider("eu-west-1") } };
                const probes = [
                    new PeerProbe("p".repeat(47), { ...args, evaluationPeriods: 1 }, euw1),
                    new PeerProbe(
                        "ten",
                        { ...args, evaluationPeriods: 10, logRetentionDays: 3653 },
                        euw1,
                    ),
                ];
                await settled(...probes);
                assert.deepEqual(
                    ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [
                        a.name,
                        a.inputs.evaluationPeriods,
                    ]),
                    [
                        [`${"p".repeat(47)}-us-east-1-alarm`, 1],
                        ["ten-us-east-1-alarm", 10],
                    ],
                );
            }));
    });
});
