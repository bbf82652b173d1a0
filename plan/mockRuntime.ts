// The Pulumi SDK's mock runtime, set up to stand in for AWS: the unit tests and `multi-region-api plan` both
// evaluate the program through it. It records every registration with its provider's region and
// its resource options, and answers with the state AWS would compute (ARNs, regional domain names,
// ACM validation records) so that the resource graph reads like a real deployment.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
// Internal SDK modules (no public API exposes these): the live monitor, to see resource options
// that `MockResourceArgs` omits, and the RPC queue, to know when a program has finished registering.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): MockMonitor | undefined;
    waitForRPCs(): Promise<void>;
};

// The SDK's registration state: a resource whose inputs fail (an invoke it took a value from was
// refused) is failed through `failPendingRegistration`, and only there are its name and type known.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkState = require("@pulumi/pulumi/runtime/state") as {
    failPendingRegistration: (res: object, err: unknown) => void;
    getPendingResourceRegistrations(): Map<
        object,
        { type: string; name: string; inputProperty?: string }
    >;
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    specialSigKey: string;
    specialSecretSig: string;
};

/** What the records (and so the plan's JSON) show in place of a secret input. */
export const REDACTED_SECRET = "[secret]";

/**
 * The inputs with every secret replaced by {@link REDACTED_SECRET}. The SDK hands secrets to mocks
 * wrapped (pushed up to the top-level property), so nothing secret is recorded or printed.
 */
function redactSecrets(inputs: Record<string, unknown>): Record<string, unknown> {
    const isSecret = (v: unknown) =>
        typeof v === "object" &&
        v !== null &&
        (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
    return Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [k, isSecret(v) ? REDACTED_SECRET : v]),
    );
}

interface MockMonitor {
    registerResource: (req: RegisterRequest, cb: unknown) => unknown;
    newUrn(parent: string, type: string, name: string): string;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDependenciesList(): string[];
    getIgnorechangesList(): string[];
    getAliasurnsList(): string[];
    getAliasesList(): {
        getUrn(): string;
        hasSpec(): boolean;
        getSpec():
            | {
                  getName(): string;
                  getType(): string;
                  getParenturn(): string;
                  getNoparent(): boolean;
              }
            | undefined;
    }[];
}

/**
 * An alias as the SDK sends it: a URN it resolved itself, or a spec the engine resolves (only the
 * parts set; the engine fills the rest from the resource, and aliases its children after it).
 */
export type RecordedAlias =
    string | { name?: string; type?: string; parentUrn?: string; noParent?: true };

function recordedAliases(req: RegisterRequest): RecordedAlias[] {
    const specs = req.getAliasesList().map((alias): RecordedAlias => {
        const spec = alias.hasSpec() ? alias.getSpec() : undefined;
        if (!spec) {
            return alias.getUrn();
        }
        return {
            ...(spec.getName() ? { name: spec.getName() } : {}),
            ...(spec.getType() ? { type: spec.getType() } : {}),
            ...(spec.getParenturn() ? { parentUrn: spec.getParenturn() } : {}),
            ...(spec.getNoparent() ? { noParent: true as const } : {}),
        };
    });
    return [...req.getAliasurnsList(), ...specs];
}

/** Account id the mock runtime reports (the documentation account). */
const MOCK_ACCOUNT_ID = "123456789012";

/** One registered resource, as the engine would see it. */
export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent resource, or undefined for a top-level resource. */
    parent: string | undefined;
    /** Provider reference (`urn::id`) or undefined for components and default providers. */
    provider: string | undefined;
    /**
     * Region the resource is managed in, as the engine would resolve it: the resource's own
     * `region` input (provider v7), else its explicit provider's `region`, else, for a resource of
     * the AWS package with no explicit provider, the default provider's (the stack's `aws:region`);
     * null for components, providers and when none is set.
     */
    providerRegion: string | null;
    custom: boolean;
    id: string;
    inputs: Record<string, unknown>;
    /** Inputs plus what AWS would compute. */
    state: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    dependsOn: string[];
    ignoreChanges: string[];
    aliases: RecordedAlias[];
}

/** One invoke (data source lookup) and what the mock runtime answered. */
export type RecordedInvoke = pulumi.runtime.MockCallArgs & { result: Record<string, unknown> };

export interface MockState {
    readonly resources: RecordedResource[];
    readonly invokes: RecordedInvoke[];
    /**
     * Switches to another project and stack: fresh monitor, empty records, the given config (with
     * `secretKeys`, the full keys set as secrets).
     */
    start(
        project: string,
        stack: string,
        config: Record<string, string>,
        secretKeys?: string[],
    ): Promise<void>;
    /**
     * Resolves once every registration and invoke started so far has completed; rejects with a
     * `pulumi.RunError`, as the engine would fail the update, when two resources had the same URN
     * or an invoke had no offline answer (naming each, and the resources and stack outputs that
     * took its result). With `whole`, as a program's evaluation needs, it also rejects when any
     * resource failed to register, a stack output failed or the program left a rejection
     * unhandled: nothing goes missing silently. (Without it, a test may fail a resource on
     * purpose, check the error, and settle.)
     */
    settle(whole?: boolean): Promise<void>;
    /** Records that the program's stack output `output` failed with `err`, for settle(). */
    outputFailed(output: string, err: unknown): void;
    reset(): void;
}

const digest = (s: string, n = 12) => createHash("sha256").update(s).digest("hex").slice(0, n);

/**
 * Route 53's hosted zone id for every CloudFront distribution: a fixed AWS value, the only real
 * zone id the mock runtime hands out ("Specify Z2FDTNDATAQYW2": Route 53 API reference,
 * AliasTarget, https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html).
 */
export const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";

/** API Gateway's regional hosted zone id, kept visibly fake (not AWS's) so no one copies it. */
const apiGatewayZoneId = (region: string) => `ZMOCKAPIGW${region.replace(/-/g, "").toUpperCase()}`;

function resourceRegion(state: Record<string, unknown>, region: string | null): string {
    return (state.region as string | undefined) ?? region ?? "us-east-1";
}

/** The endpoint type of an API Gateway (REST) custom domain: AWS's default is EDGE. */
function endpointTypeOf(config: unknown): string {
    const types = (config as { types?: unknown } | undefined)?.types;
    const type = Array.isArray(types) ? (types as unknown[])[0] : types;
    return typeof type === "string" ? type : "EDGE";
}

/** The id AWS assigns: a 10-character API id for API Gateway APIs, else `<name>-id`. */
function physicalId(type: string, name: string, region: string | null): string {
    if (type === "aws:apigatewayv2/api:Api") {
        return digest(`${region ?? "us-east-1"}/${name}`, 10);
    }
    if (type === "aws:fis/experimentTemplate:ExperimentTemplate") {
        return `EXT${digest(`${region ?? "us-east-1"}/${name}`, 14).toUpperCase()}`;
    }
    return `${name}-id`;
}

/** Computed state per type token: what the AWS provider returns after create. */
function computedState(
    type: string,
    name: string,
    id: string,
    inputs: Record<string, unknown>,
    providerRegion: string | null,
): Record<string, unknown> {
    const region = resourceRegion(inputs, providerRegion);
    const physical = (inputs.name as string | undefined) ?? name;
    const arn = (service: string, resource: string) =>
        `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;
    switch (type) {
        case "aws:iam/role:Role":
            return { name: physical, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${physical}` };
        case "aws:lambda/function:Function":
            return {
                name: physical,
                arn: arn("lambda", `function:${physical}`),
                invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", `function:${physical}`)}/invocations`,
            };
        case "aws:s3/bucket:Bucket": {
            // Autonamed like the provider does: the name, a dash and random lowercase hex.
            const bucket =
                (inputs.bucket as string | undefined) ??
                `${name}-${digest(`${region}/${name}`, 8)}`;
            return { bucket, arn: `arn:aws:s3:::${bucket}` };
        }
        case "aws:cloudwatch/logGroup:LogGroup":
            return { name: physical, arn: arn("logs", `log-group:${physical}`) };
        case "aws:cloudwatch/eventRule:EventRule":
            return { name: physical, arn: arn("events", `rule/${physical}`) };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { name: physical, arn: arn("cloudwatch", `alarm:${physical}`) };
        case "aws:dynamodb/table:Table":
            return {
                name: physical,
                arn: arn("dynamodb", `table/${physical}`),
                streamArn: arn("dynamodb", `table/${physical}/stream/mock`),
            };
        case "aws:dynamodb/tableReplica:TableReplica": {
            const table = String(inputs.globalTableArn).split(":table/")[1];
            return { arn: arn("dynamodb", `table/${table}`) };
        }
        case "aws:apigateway/restApi:RestApi": {
            const apiId = digest(`${region}/${name}`, 10);
            return {
                name: physical,
                rootResourceId: `${apiId}-root`,
                executionArn: arn("execute-api", apiId),
            };
        }
        case "aws:apigateway/stage:Stage":
            return {
                arn: `arn:aws:apigateway:${region}::/restapis/stage/${String(inputs.stageName)}`,
            };
        case "aws:apigateway/domainName:DomainName": {
            // As the provider reads the domain back: the CloudFront distribution's name for an EDGE
            // domain, the regional name and zone for a REGIONAL one, "" for the fields the
            // endpoint type does not have, and CloudFront's fixed zone id always.
            const domain = String(inputs.domainName);
            const endpoint = endpointTypeOf(inputs.endpointConfiguration);
            const configured = (inputs.endpointConfiguration ?? {}) as Record<string, unknown>;
            return {
                arn: `arn:aws:apigateway:${region}::/domainnames/${domain}`,
                endpointConfiguration: { ipAddressType: "ipv4", ...configured, types: endpoint },
                cloudfrontDomainName:
                    endpoint === "EDGE"
                        ? `d${digest(`cloudfront/${domain}`, 13)}.cloudfront.net`
                        : "",
                cloudfrontZoneId: CLOUDFRONT_ZONE_ID,
                regionalDomainName:
                    endpoint === "REGIONAL"
                        ? `d-${digest(`${region}/${domain}`, 10)}.execute-api.${region}.amazonaws.com`
                        : "",
                regionalZoneId: endpoint === "REGIONAL" ? apiGatewayZoneId(region) : "",
            };
        }
        case "aws:apigatewayv2/domainName:DomainName": {
            const domain = String(inputs.domainName);
            const configured = (inputs.domainNameConfiguration ?? {}) as Record<string, unknown>;
            return {
                arn: `arn:aws:apigateway:${region}::/domainnames/${domain}`,
                apiMappingSelectionExpression: "$request.basepath",
                domainNameConfiguration: {
                    ipAddressType: "ipv4",
                    ...configured,
                    targetDomainName: `d-${digest(`${region}/${domain}`, 10)}.execute-api.${region}.amazonaws.com`,
                    hostedZoneId: apiGatewayZoneId(region),
                },
            };
        }
        case "aws:apigatewayv2/api:Api": {
            const scheme = inputs.protocolType === "WEBSOCKET" ? "wss" : "https";
            return {
                arn: `arn:aws:apigateway:${region}::/apis/${id}`,
                apiEndpoint: `${scheme}://${id}.execute-api.${region}.amazonaws.com`,
                executionArn: arn("execute-api", id),
            };
        }
        case "aws:acm/certificate:Certificate": {
            // ACM's validation CNAME depends on the domain name and account, not the region.
            const names = [
                inputs.domainName,
                ...((inputs.subjectAlternativeNames as string[]) ?? []),
            ];
            return {
                arn: arn("acm", `certificate/${digest(`${region}/${name}`, 32)}`),
                domainValidationOptions: names.map((domainName) => ({
                    domainName,
                    resourceRecordName: `_${digest(String(domainName), 32)}.${String(domainName)}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${digest(`value/${String(domainName)}`, 32)}.acm-validations.aws.`,
                })),
            };
        }
        case "aws:route53/record:Record":
            return { fqdn: String(inputs.name).replace(/\.$/, "") };
        case "aws:wafv2/ipSet:IpSet":
        case "aws:wafv2/webAcl:WebAcl": {
            const kind = type === "aws:wafv2/ipSet:IpSet" ? "ipset" : "webacl";
            const aclId = digest(`${region}/${name}`, 32);
            return { arn: arn("wafv2", `regional/${kind}/${physical}/${aclId}`) };
        }
        default:
            return {};
    }
}

// ---- aws.iam.getPolicyDocument, as the provider builds the document ----------------------------
// (terraform-provider-aws, internal/service/iam/policy_document_data_source.go and
// policy_model.go: string sets deduplicated, one element as a string, several sorted in reverse;
// `&{` becomes `${` in resources, principals and condition values; Go's JSON: map keys sorted,
// `<`, `>`, `&` escaped; `json` indented by two spaces, `minifiedJson` compact.)

type Strings = string | string[];
interface Principal {
    type: string;
    identifiers: Strings;
}
interface Condition {
    test: string;
    variable: string;
    values: Strings;
}
/** One statement in the provider's model (field order is the JSON's). */
interface Statement {
    Sid?: string;
    Effect?: string;
    Action?: unknown;
    NotAction?: unknown;
    Resource?: unknown;
    NotResource?: unknown;
    Principal?: Principal[];
    NotPrincipal?: Principal[];
    Condition?: Condition[];
}
interface PolicyDoc {
    Version: string;
    Id?: string;
    Statement: Statement[];
}

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** A string set as the provider writes it: one element as a string, several reverse-sorted. */
function decodeSet(values: unknown): Strings | undefined {
    const set = [...new Set(stringList(values))];
    if (set.length === 0) {
        return undefined;
    }
    return set.length === 1 ? set[0] : set.sort().reverse();
}

const policyVars = (v: Strings | undefined): Strings | undefined =>
    typeof v === "string" ? v.replace(/&\{/g, "${") : v?.map((x) => x.replace(/&\{/g, "${"));

function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function principalJson(set: Principal[]): unknown {
    if (set.length === 1 && set[0].type === "*") {
        const ids = set[0].identifiers;
        if (ids === "*" || (Array.isArray(ids) && ids.length === 1 && ids[0] === "*")) {
            return "*";
        }
    }
    const raw: Record<string, Strings> = {};
    for (const p of set) {
        const had = raw[p.type];
        const before = had === undefined ? [] : typeof had === "string" ? [had] : had;
        if (Array.isArray(p.identifiers)) {
            raw[p.type] = [...before, ...[...p.identifiers].sort().reverse()];
        } else {
            raw[p.type] = had === undefined ? p.identifiers : [...before, p.identifiers];
        }
    }
    return sortedKeys(raw);
}

function conditionJson(set: Condition[]): unknown {
    const raw: Record<string, Record<string, string[]>> = {};
    for (const c of set) {
        raw[c.test] ??= {};
        raw[c.test][c.variable] = [
            ...(raw[c.test][c.variable] ?? []),
            ...(typeof c.values === "string" ? [c.values] : c.values),
        ];
    }
    return sortedKeys(
        Object.fromEntries(
            Object.entries(raw).map(([test, vars]) => [
                test,
                sortedKeys(
                    Object.fromEntries(
                        Object.entries(vars).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
                    ),
                ),
            ]),
        ),
    );
}

/** The document as Go's encoder writes it (fields in struct order, empty ones omitted). */
function policyJsonValue(doc: PolicyDoc): Record<string, unknown> {
    const statement = (s: Statement) => {
        const out: Record<string, unknown> = {};
        const put = (k: string, v: unknown) => {
            if (v !== undefined && v !== null && v !== "") {
                out[k] = v;
            }
        };
        put("Sid", s.Sid);
        put("Effect", s.Effect);
        put("Action", s.Action);
        put("NotAction", s.NotAction);
        put("Resource", s.Resource);
        put("NotResource", s.NotResource);
        put("Principal", s.Principal?.length ? principalJson(s.Principal) : undefined);
        put("NotPrincipal", s.NotPrincipal?.length ? principalJson(s.NotPrincipal) : undefined);
        put("Condition", s.Condition?.length ? conditionJson(s.Condition) : undefined);
        return out;
    };
    const out: Record<string, unknown> = {};
    if (doc.Version) {
        out.Version = doc.Version;
    }
    if (doc.Id) {
        out.Id = doc.Id;
    }
    if (doc.Statement.length > 0) {
        out.Statement = doc.Statement.map(statement);
    }
    return out;
}

/** Go's encoding/json escapes these (HTML safety) where JSON.stringify does not. */
const goJson = (text: string) =>
    text.replace(
        /[<>&\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );

/** Statements from a `sourcePolicyDocuments` / `overridePolicyDocuments` JSON, as Go reads them. */
function parsedDoc(json: string, what: string): PolicyDoc {
    let parsed: Record<string, unknown>;
    try {
        parsed = JSON.parse(json) as Record<string, unknown>;
    } catch (e) {
        throw new Error(`writing IAM Policy Document: merging ${what}: ${(e as Error).message}`);
    }
    const principals = (v: unknown): Principal[] | undefined => {
        if (v === undefined || v === null) {
            return undefined;
        }
        if (typeof v === "string") {
            return [{ type: "*", identifiers: ["*"] }];
        }
        return Object.entries(v as Record<string, unknown>).map(([type, ids]) => ({
            type,
            identifiers: typeof ids === "string" ? ids : stringList(ids).sort(),
        }));
    };
    const conditions = (v: unknown): Condition[] | undefined =>
        v === undefined || v === null
            ? undefined
            : Object.entries(v as Record<string, Record<string, unknown>>).flatMap(([test, vars]) =>
                  Object.entries(vars).map(([variable, values]) => ({
                      test,
                      variable,
                      values:
                          typeof values === "string"
                              ? [values]
                              : typeof values === "boolean"
                                ? String(values)
                                : stringList(values),
                  })),
              );
    const statements = (parsed.Statement ?? []) as Record<string, unknown>[];
    if (!Array.isArray(statements)) {
        throw new Error(
            `writing IAM Policy Document: merging ${what}: json: cannot unmarshal object into Go struct field iamPolicyDoc.Statement`,
        );
    }
    return {
        Version: typeof parsed.Version === "string" ? parsed.Version : "",
        Id: typeof parsed.Id === "string" ? parsed.Id : undefined,
        Statement: statements.map((s) => ({
            Sid: s.Sid as string | undefined,
            Effect: s.Effect as string | undefined,
            Action: s.Action,
            NotAction: s.NotAction,
            Resource: s.Resource,
            NotResource: s.NotResource,
            Principal: principals(s.Principal),
            NotPrincipal: principals(s.NotPrincipal),
            Condition: conditions(s.Condition),
        })),
    };
}

/** `IAMPolicyDoc.Merge`: a later document's Id wins, its Version upgrades, same Sids are replaced. */
function merge(into: PolicyDoc, doc: PolicyDoc): void {
    if (doc.Id) {
        into.Id = doc.Id;
    }
    if (doc.Version > into.Version) {
        into.Version = doc.Version;
    }
    for (const s of doc.Statement) {
        const same = s.Sid ? into.Statement.findIndex((t) => t.Sid === s.Sid) : -1;
        if (same >= 0) {
            into.Statement[same] = s;
        } else {
            into.Statement.push(s);
        }
    }
}

/** `aws:iam/getPolicyDocument:getPolicyDocument`, computed as the provider computes it. */
export function policyDocument(inputs: Record<string, unknown>): Record<string, unknown> {
    const version = (inputs.version as string | undefined) ?? "2012-10-17";
    const merged: PolicyDoc = { Version: "", Statement: [] };
    const sids = new Set<string>();
    stringList(inputs.sourcePolicyDocuments).forEach((json, i) => {
        const source = parsedDoc(json, `source document ${i}`);
        source.Statement.forEach((s, j) => {
            if (s.Sid) {
                if (sids.has(s.Sid)) {
                    throw new Error(
                        `writing IAM Policy Document: merging source document ${i}: duplicate Sid (${s.Sid}) in source_policy_documents (statement ${j}). Remove the Sid or ensure Sids are unique.`,
                    );
                }
                sids.add(s.Sid);
            }
        });
        merge(merged, source);
    });
    const given = (inputs.statements ?? []) as Record<string, unknown>[];
    const own = new Set<string>();
    const statements = given.map((s): Statement => {
        const sid = (s.sid as string | undefined) ?? "";
        if (sid && own.has(sid)) {
            throw new Error(
                `writing IAM Policy Document: duplicate Sid (${sid}). Remove the Sid or ensure the Sid is unique.`,
            );
        }
        own.add(sid);
        const principals = (v: unknown) =>
            ((v ?? []) as { type: string; identifiers: string[] }[]).map((p) => ({
                type: p.type,
                identifiers: policyVars(decodeSet(p.identifiers)) ?? [],
            }));
        return {
            Sid: sid,
            Effect: (s.effect as string | undefined) ?? "Allow",
            Action: decodeSet(s.actions),
            NotAction: decodeSet(s.notActions),
            Resource: policyVars(decodeSet(s.resources)),
            NotResource: policyVars(decodeSet(s.notResources)),
            Principal: principals(s.principals),
            NotPrincipal: principals(s.notPrincipals),
            Condition: ((s.conditions ?? []) as Record<string, unknown>[]).map((c) => {
                const values = policyVars(stringList(c.values)) as string[];
                return {
                    test: String(c.test),
                    variable: String(c.variable),
                    values: values.length === 1 ? values[0] : values,
                };
            }),
        };
    });
    merge(merged, {
        Version: version,
        Id: inputs.policyId as string | undefined,
        Statement: statements,
    });
    stringList(inputs.overridePolicyDocuments).forEach((json, i) =>
        merge(merged, parsedDoc(json, `override document ${i}`)),
    );
    const value = policyJsonValue(merged);
    const json = goJson(JSON.stringify(value, null, 2));
    return {
        ...inputs,
        id: String(crc32(json)),
        json,
        minifiedJson: goJson(JSON.stringify(value)),
        version,
        statements: given.map((s) => ({
            ...s,
            effect: (s.effect as string | undefined) ?? "Allow",
        })),
    };
}

/** A region's short code in availability zone ids: `eu-west-1` → `euw1`, `ap-southeast-2` → `apse2`. */
function zoneIdPrefix(region: string): string {
    const parts = region.split("-");
    const direction = parts
        .slice(1, -1)
        .map((p) =>
            /^(north|south)(east|west)$/.test(p) ? `${p[0]}${p[5]}` : p === "gov" ? "g" : p[0],
        )
        .join("");
    return `${parts[0]}${direction}${parts[parts.length - 1]}`;
}

/** What the mock runtime answers for an invoke, by token, given its inputs and region. */
type Answer = (inputs: Record<string, unknown>, region: string) => Record<string, unknown>;

const ANSWERS: Record<string, Answer> = {
    "aws:index/getRegion:getRegion": (_inputs, r) => ({
        id: r,
        name: r,
        region: r,
        endpoint: `ec2.${r}.amazonaws.com`,
        description: r,
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: MOCK_ACCOUNT_ID,
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`,
        userId: "MOCK",
    }),
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
    }),
    // Documentation prefixes (RFC 5737, RFC 3849): clearly not AWS's ranges.
    "aws:index/getIpRanges:getIpRanges": (inputs) => ({
        id: "mock",
        services: inputs.services,
        cidrBlocks: ["192.0.2.0/24", "198.51.100.0/24"],
        ipv6CidrBlocks: ["2001:db8::/32"],
        createDate: "2026-01-01-00-00-00",
        syncToken: 0,
    }),
    // Three zones, <region>a to c; their ids follow AWS's form (`euw1-az1`).
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, r) => {
        const excludedNames = stringList(inputs.excludeNames);
        const excludedIds = stringList(inputs.excludeZoneIds);
        const zones = ["a", "b", "c"]
            .map((letter, i) => ({ name: `${r}${letter}`, id: `${zoneIdPrefix(r)}-az${i + 1}` }))
            .filter((z) => !excludedNames.includes(z.name) && !excludedIds.includes(z.id));
        return {
            ...inputs,
            id: r,
            region: r,
            names: zones.map((z) => z.name),
            zoneIds: zones.map((z) => z.id),
            groupNames: zones.map(() => r),
        };
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => policyDocument(inputs),
    "aws:route53/getZone:getZone": (inputs) => {
        const zoneName = String(inputs.name).replace(/\.$/, "");
        const zoneId = `ZMOCK${digest(zoneName, 10).toUpperCase()}`;
        // A delegation set in Route 53's form: four servers, one per top-level domain.
        const ns = digest(`ns/${zoneName}`, 24);
        const nameServers = ["com", "net", "org", "co.uk"].map((tld, i) => {
            const n = parseInt(ns.slice(6 * i, 6 * i + 4), 16) % 2048;
            const nn = parseInt(ns.slice(6 * i + 4, 6 * i + 6), 16) % 64;
            return `ns-${n}.awsdns-${String(nn).padStart(2, "0")}.${tld}`;
        });
        return { id: zoneId, zoneId, name: zoneName, privateZone: false, nameServers };
    },
    // AWS's public parameters of the FIS Lambda extension hold the layer version ARN of the
    // region (https://docs.aws.amazon.com/fis/latest/userguide/actions-lambda-extension-arns.html);
    // the mock's comes from the mock account. Any other parameter is a private one: no answer.
    "aws:ssm/getParameter:getParameter": (inputs, r) => {
        const name = String(inputs.name);
        const fis =
            /^\/aws\/service\/fis\/lambda-extension\/AWS-FIS-extension-(arm64|x86_64)\/1\.x\.x$/.exec(
                name,
            );
        if (!fis) {
            throw new Error(
                `${unansweredMessage("aws:ssm/getParameter:getParameter")} (parameter ${name})`,
            );
        }
        const value = `arn:aws:lambda:${r}:${MOCK_ACCOUNT_ID}:layer:aws-fis-extension-${fis[1]}:1`;
        return {
            id: name,
            name,
            arn: `arn:aws:ssm:${r}::parameter${name}`,
            type: "String",
            value,
            insecureValue: value,
            version: 1,
            withDecryption: true,
        };
    },
};

/** The invokes the mock runtime answers, by token. */
export const ANSWERED_INVOKES: readonly string[] = Object.keys(ANSWERS).sort();

/** What the plan says about an invoke it cannot answer, for the error and the user alike. */
const unansweredMessage = (token: string) => `mock runtime: no offline answer for invoke ${token}`;

/** An invoke's or registration's failure, for {@link MockState.settle} to report. */
interface Failure {
    /** The invoke token, for invokes. */
    token?: string;
    /** `type "name"`, for resources that failed to register. */
    resource?: string;
    /** The stack output whose value failed; neither resource nor output: the program's own. */
    output?: string;
    /** The input whose value failed, when known. */
    property?: string;
    message: string;
}

/**
 * Runs `work` with V8's own stack traces, one frame deep. The Pulumi SDK reads `new Error().stack`
 * for every resource, property and RPC; under ts-node each read maps every frame through source
 * maps, which costs more than the rest of an evaluation. Errors thrown meanwhile show one compiled
 * position; the plan prints messages only, and the tests assert messages, never positions.
 */
export async function withPlainStacks<T>(work: () => Promise<T>): Promise<T> {
    const error = Error as { prepareStackTrace?: unknown };
    const [mapStacks, limit] = [error.prepareStackTrace, Error.stackTraceLimit];
    error.prepareStackTrace = undefined;
    Error.stackTraceLimit = 1;
    try {
        return await work();
    } finally {
        error.prepareStackTrace = mapStacks;
        Error.stackTraceLimit = limit;
    }
}

/** What an invoke's result fed: a resource's input (not registered then) or a stack output. */
function fed(f: Failure): string {
    return f.resource
        ? `${f.property ? `the input ${f.property} of ` : ""}${f.resource}, which was therefore not registered`
        : `the stack output ${f.output}`;
}

/** The message settle() rejects with for failed invokes, registrations and stack outputs. */
function failureMessage(invokes: Failure[], others: Failure[], whole: boolean): string {
    const lines: string[] = [];
    const explained = new Set<Failure>();
    for (const token of [...new Set(invokes.map((i) => i.token!))].sort()) {
        const invoke = invokes.find((i) => i.token === token)!;
        const users = others.filter((r) => r.message.includes(invoke.message));
        users.forEach((u) => explained.add(u));
        const use = users.length > 0 ? `; it fed ${users.map(fed).join("; ")}` : "";
        lines.push(
            invoke.message === unansweredMessage(token)
                ? `Invoke ${token} has no offline answer${use}.`
                : `Invoke ${token} failed: ${invoke.message}${use}.`,
        );
    }
    for (const r of whole ? others.filter((r) => !explained.has(r)) : []) {
        lines.push(
            r.resource
                ? `${r.resource} was not registered: ${r.message}`
                : `${r.output ? `Stack output ${r.output}` : "The program"} failed: ${r.message}`,
        );
    }
    if (invokes.some((i) => i.message === unansweredMessage(i.token!))) {
        lines.push(
            `The plan runs the program offline, without AWS, so it cannot look up existing resources (certificates, VPCs, ...): pass such values in through the stack's configuration instead. The invokes it answers: ${ANSWERED_INVOKES.join(", ")}.`,
        );
    }
    return [...new Set(lines)].join("\n");
}

/** Installs the mock runtime for `project`/`stack`. Call once per process. */
export function mockRuntime(opts: { project: string; stack: string }): MockState {
    const resources: RecordedResource[] = [];
    const invokes: RecordedInvoke[] = [];
    const failedInvokes: Failure[] = [];
    const failedRegistrations: Failure[] = [];
    const urns = new Set<string>();
    const duplicates = new Set<string>();
    const providerRegions = new Map<string, string | null>();
    let options:
        | Omit<
              RecordedResource,
              "type" | "name" | "provider" | "providerRegion" | "custom" | "id" | "inputs" | "state"
          >
        | undefined;

    /** The region of an explicit provider reference, else of the default AWS provider. */
    const regionOf = (providerRef: string | undefined, token: string): string | null => {
        if (providerRef) {
            return providerRegions.get(providerRef.split("::").slice(0, -1).join("::")) ?? null;
        }
        // The engine's default provider for the package, configured from the stack's `aws:*`.
        return token.startsWith("aws:") ? (pulumi.runtime.getConfig("aws:region") ?? null) : null;
    };
    const ownRegion = (inputs: Record<string, unknown>) =>
        typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : null;

    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            const inputs = args.inputs as Record<string, unknown>;
            const isProvider = args.type.startsWith("pulumi:providers:");
            const providerRegion =
                args.custom && !isProvider
                    ? (ownRegion(inputs) ?? regionOf(args.provider, args.type))
                    : null;
            const meta = options ?? {
                urn: "",
                parent: undefined,
                protect: false,
                retainOnDelete: false,
                dependsOn: [],
                ignoreChanges: [],
                aliases: [],
            };
            options = undefined;
            const id = args.custom ? physicalId(args.type, args.name, providerRegion) : "";
            let state: Record<string, unknown>;
            try {
                state = {
                    ...inputs,
                    ...computedState(args.type, args.name, id, inputs, providerRegion),
                };
            } catch (e) {
                failedRegistrations.push({
                    resource: `${args.type} "${args.name}"`,
                    message: `the mock runtime could not compute its state: ${(e as Error).message}`,
                });
                throw e;
            }
            if (args.type === "pulumi:providers:aws") {
                providerRegions.set(meta.urn, ownRegion(inputs));
            }
            resources.push({
                type: args.type,
                name: args.name,
                provider: args.provider,
                providerRegion,
                custom: args.custom ?? false,
                id,
                inputs: redactSecrets(inputs),
                state: redactSecrets(state),
                ...meta,
            });
            return { id, state };
        },
        call(args) {
            const inputs = args.inputs as Record<string, unknown>;
            const answer = ANSWERS[args.token];
            let message = unansweredMessage(args.token);
            if (answer) {
                const region =
                    ownRegion(inputs) ?? regionOf(args.provider, args.token) ?? "us-east-1";
                try {
                    const result = answer(inputs, region);
                    invokes.push({ ...args, result });
                    return result;
                } catch (e) {
                    message = (e as Error).message;
                }
            }
            failedInvokes.push({ token: args.token, message });
            // The SDK rethrows a failed invoke as `new Error(err.details)`: carry the message there.
            throw Object.assign(new Error(message), { details: message });
        },
    };

    // A resource whose inputs could not be resolved (an invoke it used failed) is failed here, the
    // one place that still knows its type, name and the input that failed. The SDK then leaves
    // that rejection unhandled (Pulumi's language host would report it): such rejections are
    // recorded for settle(), so they neither crash the process nor dump the error object.
    const reported = new WeakSet<object>();
    /** Whether a program runs: from start() until a settle(true) has reported its failures. */
    let evaluating = true;
    const failPending = sdkState.failPendingRegistration;
    sdkState.failPendingRegistration = (res, err) => {
        const pending = sdkState.getPendingResourceRegistrations().get(res);
        if (pending) {
            const message = err instanceof Error ? err.message : String(err);
            failedRegistrations.push({
                resource: `${pending.type} "${pending.name}"`,
                property: pending.inputProperty,
                message: message.replace(/^(error serializing property "[^"]*": )+/, ""),
            });
        }
        if (typeof err === "object" && err !== null) {
            reported.add(err);
        }
        failPending(res, err);
    };
    process.on("unhandledRejection", (reason) => {
        if (typeof reason === "object" && reason !== null && reported.has(reason)) {
            return;
        }
        const message = reason instanceof Error ? reason.message : String(reason);
        if (failedInvokes.some((f) => message.includes(f.message))) {
            // An invoke's own promise (`aws.acm.getCertificate(...)`) nobody awaited: reported.
            return;
        }
        if (!evaluating) {
            // Not the program's: fail as Node would without this listener.
            throw reason;
        }
        failedRegistrations.push({ message });
    });

    // `MockResourceArgs` carries neither the parent nor protect/retainOnDelete: read them from the
    // request. The SDK calls `newResource` synchronously inside `registerResource`, so the options
    // captured here belong to the very next `newResource` call.
    const instrument = () => {
        const monitor = settings.getMonitor();
        if (!monitor) {
            throw new Error("mock runtime: no monitor after setMocks");
        }
        // The engine qualifies a child's type with its parent's (already qualified) type, except
        // under the root stack resource. The SDK's mock monitor keeps only the parent's last type
        // and so files a grandchild under another URN than the program's, which then fails the
        // grandchild's registerOutputs ("unknown resource"): it names resources as the engine does.
        monitor.newUrn = (parent, type, name) => {
            const parentType = parent ? parent.split("::")[2] : undefined;
            const qualified =
                parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
            return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
        };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, cb) => {
            const parent = req.getParent() || undefined;
            const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
            if (urns.has(urn)) {
                duplicates.add(urn);
            }
            urns.add(urn);
            options = {
                urn,
                parent,
                protect: req.getProtect() ?? false,
                retainOnDelete: req.getRetainondelete() ?? false,
                dependsOn: req.getDependenciesList(),
                ignoreChanges: req.getIgnorechangesList(),
                aliases: recordedAliases(req),
            };
            return register(req, cb);
        };
    };

    // setMocks installs the monitor synchronously; its promise only reports completion.
    const install = (project: string, stack: string) => {
        void pulumi.runtime.setMocks(mocks, project, stack, false);
        instrument();
    };
    install(opts.project, opts.stack);

    const reset = () => {
        resources.length = 0;
        invokes.length = 0;
        failedInvokes.length = 0;
        failedRegistrations.length = 0;
        providerRegions.clear();
        urns.clear();
        duplicates.clear();
    };

    return {
        resources,
        invokes,
        reset,
        outputFailed(output, err) {
            failedRegistrations.push({
                output,
                message: err instanceof Error ? err.message : String(err),
            });
        },
        async start(project, stack, config, secretKeys = []) {
            await settings.waitForRPCs();
            reset();
            evaluating = true;
            install(project, stack);
            pulumi.runtime.setAllConfig(config, secretKeys);
        },
        async settle(whole = false) {
            await settings.waitForRPCs();
            // Rejections the SDK leaves unhandled are reported after the current tick.
            await new Promise((resolve) => setImmediate(resolve));
            const problems: string[] = [];
            if (duplicates.size > 0) {
                problems.push(
                    `Duplicate resource URN${duplicates.size > 1 ? "s" : ""} (the Pulumi engine refuses these): ${[...duplicates].join(", ")}`,
                );
            }
            if (failedInvokes.length > 0 || (whole && failedRegistrations.length > 0)) {
                problems.push(failureMessage(failedInvokes, failedRegistrations, whole));
            }
            evaluating = !whole;
            if (problems.length > 0) {
                throw new pulumi.RunError(problems.join("\n"));
            }
        },
    };
}
