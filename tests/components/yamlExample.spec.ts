// examples/yaml, the consumer in another language, checked as far as it can be without the Pulumi
// CLI. Its `packages` entry must name this repository's package. Then it runs, the way the Pulumi
// YAML runtime would run it: resources in order, `${...}` references resolved, AWS resources
// registered under the harness's mock runtime, and every `multi-region-api:` resource constructed
// by this repository's component package over gRPC (tests/components/componentPackage.ts) with
// the inputs on the wire as the engine sends them. A misspelled property, a wrong enum value or a
// missing argument is refused by the components as it would be in `pulumi up`; a reference to an
// output the package does not have fails here. Finally the offline plan drills the resulting
// graph: the example must fail over and back like the two-stack program.
//
// Not covered: the YAML runtime's own type checking against the schema, and AWS's answers.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import * as aws from "../../components/aws";
import { analyze } from "../../plan/analyze";
import { EvaluatedStack, recordedStack } from "../../plan/evaluate";
import { promiseOf, state } from "../harness";
import { exclusive, FAILOVER_SCENARIOS, restoreHarness } from "../stack/evaluations";
import { construct, outputValue } from "./componentPackage";

const REPO = path.resolve(__dirname, "..", "..");
const EXAMPLE = path.join(REPO, "examples", "yaml");
const PACKAGE = (
    JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { name: string }
).name;
const STACK = "dev";
/** What `pulumi config set` gives the stack (README). */
const STACK_CONFIG = { domainName: "api.example.com", zoneName: "example.com" };

interface YamlResource {
    type: string;
    properties?: Record<string, unknown>;
    options?: {
        provider?: string;
        protect?: boolean;
        ignoreChanges?: string[];
        dependsOn?: string[];
    };
}

interface YamlProgram {
    name: string;
    runtime: string;
    packages: Record<string, string>;
    config: Record<string, { type?: string; default?: unknown; value?: unknown }>;
    resources: Record<string, YamlResource>;
    outputs: Record<string, unknown>;
}

const program = parse(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8")) as YamlProgram;

/** A resource the program declared: an AWS resource in process, or a constructed component. */
type Declared =
    | { kind: "aws"; resource: pulumi.CustomResource }
    | { kind: "component"; component: string; urn: string; state: Record<string, unknown> };

/** A resolved value and the URNs of the resources it came from. */
interface Resolved {
    value: unknown;
    dependencies: string[];
}

const REFERENCE = /\$\{([^}]+)\}/g;
/** A Pulumi YAML resource's keys and the options this check applies (pulumi-yaml's ast). */
const RESOURCE_KEYS = ["type", "properties", "options"];
const OPTIONS = ["provider", "protect", "ignoreChanges", "dependsOn"];

/** The Pulumi YAML runtime's evaluation of this program, as far as the example uses it. */
class Run {
    readonly declared = new Map<string, Declared>();
    private readonly config: Record<string, unknown>;

    constructor(stackConfig: Record<string, string>) {
        this.config = Object.fromEntries(
            Object.entries(program.config)
                .filter(([key]) => !key.includes(":"))
                .map(([key, c]) => [key, stackConfig[key] ?? c.value ?? c.default]),
        );
        for (const [key, value] of Object.entries(this.config)) {
            assert.notEqual(value, undefined, `config ${key} has no value`);
        }
    }

    /** `${name}` or `${name.output}`. */
    private async reference(expression: string, where: string): Promise<Resolved> {
        const [name, ...rest] = expression.split(".");
        if (rest.length === 0 && name in this.config) {
            return { value: this.config[name], dependencies: [] };
        }
        const declared = this.declared.get(name);
        if (!declared) {
            throw new Error(`${where}: \${${expression}} names no config key or earlier resource`);
        }
        const property = rest.join(".");
        if (declared.kind === "aws") {
            const urn = await promiseOf(declared.resource.urn);
            if (!property) {
                return { value: declared.resource, dependencies: [urn] };
            }
            const output = (declared.resource as unknown as Record<string, unknown>)[property];
            assert.ok(
                pulumi.Output.isInstance(output),
                `${where}: ${name} has no output ${property}`,
            );
            return { value: await promiseOf(output), dependencies: [urn] };
        }
        assert.ok(
            property in declared.state,
            `${where}: ${declared.component} has no output ${property}; it has ${Object.keys(declared.state).join(", ")}`,
        );
        return { value: declared.state[property], dependencies: [declared.urn] };
    }

    /** A property value with its references resolved. */
    async resolve(value: unknown, where: string): Promise<Resolved> {
        if (typeof value === "string") {
            const whole = /^\$\{([^}]+)\}$/.exec(value);
            if (whole) {
                return this.reference(whole[1], where);
            }
            const dependencies: string[] = [];
            let text = value;
            for (const [match, expression] of value.matchAll(REFERENCE)) {
                const r = await this.reference(expression, where);
                dependencies.push(...r.dependencies);
                text = text.replace(match, String(r.value));
            }
            return { value: text, dependencies };
        }
        if (Array.isArray(value)) {
            const items = await Promise.all(value.map((v, i) => this.resolve(v, `${where}[${i}]`)));
            return {
                value: items.map((i) => i.value),
                dependencies: items.flatMap((i) => i.dependencies),
            };
        }
        if (value !== null && typeof value === "object") {
            const entries = await Promise.all(
                Object.entries(value).map(
                    async ([k, v]) => [k, await this.resolve(v, `${where}.${k}`)] as const,
                ),
            );
            return {
                value: Object.fromEntries(entries.map(([k, r]) => [k, r.value])),
                dependencies: entries.flatMap(([, r]) => r.dependencies),
            };
        }
        return { value, dependencies: [] };
    }

    /** A value on the wire to the package: what came from a resource as an output value. */
    private async wire(value: unknown, where: string): Promise<unknown> {
        if (typeof value === "string" && REFERENCE.test(value)) {
            REFERENCE.lastIndex = 0;
            const r = await this.resolve(value, where);
            return r.dependencies.length > 0 ? outputValue(r.value, r.dependencies) : r.value;
        }
        if (Array.isArray(value)) {
            return Promise.all(value.map((v, i) => this.wire(v, `${where}[${i}]`)));
        }
        if (value !== null && typeof value === "object") {
            const entries = await Promise.all(
                Object.entries(value).map(async ([k, v]) => [
                    k,
                    await this.wire(v, `${where}.${k}`),
                ]),
            );
            return Object.fromEntries(entries);
        }
        return value;
    }

    private async resources(expressions: string[] | undefined, where: string) {
        return Promise.all(
            (expressions ?? []).map(async (e) => {
                const r = await this.resolve(e, where);
                assert.ok(r.value instanceof pulumi.Resource || r.dependencies.length === 1, where);
                return r;
            }),
        );
    }

    async declare(name: string, r: YamlResource): Promise<void> {
        const provider = r.options?.provider
            ? ((await this.resolve(r.options.provider, `${name}.options.provider`))
                  .value as pulumi.ProviderResource)
            : undefined;
        const dependsOn = await this.resources(r.options?.dependsOn, `${name}.options.dependsOn`);
        const [pkg, ...rest] = r.type.split(":");
        if (r.type === "pulumi:providers:aws") {
            const props = (await this.resolve(r.properties ?? {}, name))
                .value as ConstructorParameters<typeof aws.Provider>[1];
            this.declared.set(name, { kind: "aws", resource: new aws.Provider(name, props) });
        } else if (pkg === "aws") {
            const [module, className] = rest;
            const moduleExports = (aws as unknown as Record<string, Record<string, unknown>>)[
                module
            ];
            const ResourceClass = moduleExports?.[className] as
                | (new (
                      n: string,
                      a: unknown,
                      o: pulumi.CustomResourceOptions,
                  ) => pulumi.CustomResource)
                | undefined;
            assert.ok(ResourceClass, `${name}: ${r.type} is not an AWS resource this check knows`);
            const props = (await this.resolve(r.properties ?? {}, name)).value;
            const resource = new ResourceClass(name, props, {
                provider,
                protect: r.options?.protect,
                ignoreChanges: r.options?.ignoreChanges,
                dependsOn: dependsOn.map((d) => d.value as pulumi.Resource),
            });
            this.declared.set(name, { kind: "aws", resource });
        } else if (pkg === PACKAGE) {
            // YAML accepts `package:Type` for `package:index:Type`.
            const component =
                rest.length === 1 ? rest[0] : (assert.equal(rest[0], "index"), rest[1]);
            const inputs = (await this.wire(r.properties ?? {}, name)) as Record<string, unknown>;
            const providerRef = provider
                ? `${await promiseOf(provider.urn)}::${await promiseOf(provider.id)}`
                : undefined;
            const constructed = await construct(component, name, inputs, {
                providers: providerRef ? { aws: providerRef } : {},
                dependsOn: dependsOn.flatMap((d) => d.dependencies),
            });
            this.declared.set(name, { kind: "component", component, ...constructed });
        } else {
            throw new Error(`${name}: ${r.type} is not a type this check knows`);
        }
    }

    async outputs(): Promise<Record<string, unknown>> {
        const entries = await Promise.all(
            Object.entries(program.outputs).map(
                async ([k, v]) => [k, (await this.resolve(v, `outputs.${k}`)).value] as const,
            ),
        );
        return Object.fromEntries(entries);
    }
}

describe("examples/yaml: a Pulumi YAML program using the component package", function () {
    this.timeout(60_000);
    let run: Run;
    let outputs: Record<string, unknown>;
    let evaluated: EvaluatedStack;

    before(() =>
        exclusive(async () => {
            await state.start(program.name, STACK, {});
            run = new Run(STACK_CONFIG);
            for (const [name, resource] of Object.entries(program.resources)) {
                await run.declare(name, resource);
            }
            outputs = await run.outputs();
            evaluated = await recordedStack(state, STACK, undefined, outputs);
        }),
    );
    after(() => restoreHarness());

    it("adds this repository as the package it uses (`pulumi package add ../..`)", () => {
        assert.equal(program.runtime, "yaml");
        assert.deepEqual(Object.keys(program.packages), [PACKAGE]);
        const source = path.resolve(EXAMPLE, program.packages[PACKAGE]);
        assert.equal(source, REPO);
        assert.ok(fs.existsSync(path.join(source, "PulumiPlugin.yaml")));
    });

    it("uses only resource keys and options Pulumi YAML has, and gives every resource a provider", () => {
        // The YAML runtime only warns about an unknown key: a misspelled option would be ignored.
        const problems: string[] = [];
        for (const [name, r] of Object.entries(program.resources)) {
            const keys = Object.keys(r).filter((k) => !RESOURCE_KEYS.includes(k));
            const options = Object.keys(r.options ?? {}).filter((k) => !OPTIONS.includes(k));
            problems.push(
                ...[...keys, ...options.map((o) => `options.${o}`)].map((k) => `${name}: ${k}`),
            );
            // pulumi:disable-default-providers lists aws: each AWS resource and component needs one.
            if (!r.type.startsWith("pulumi:providers:") && !r.options?.provider) {
                problems.push(`${name}: no provider`);
            }
        }
        assert.deepEqual(problems, []);
        assert.deepEqual(program.config["pulumi:disable-default-providers"], { value: ["aws"] });
    });

    it("constructs every component through the package, in the regions of its providers", () => {
        const components = [...run.declared.entries()]
            .filter(([, d]) => d.kind === "component")
            .map(([name, d]) => `${(d as { component: string }).component} ${name}`);
        assert.deepEqual(components, [
            "RegionalApi eastApi",
            "RegionalApi westApi",
            "AlarmHealthCheck eastSwitch",
            "FailoverDomain eastRouting",
            "FailoverDomain westRouting",
        ]);
        const regionOf = (type: string, name: string) =>
            evaluated.resources.find((r) => r.type === type && r.name === name)?.provider;
        assert.equal(regionOf("aws:lambda/function:Function", "eastApi-api"), "us-east-1");
        assert.equal(regionOf("aws:lambda/function:Function", "westApi-api"), "eu-west-1");
        assert.equal(
            regionOf("aws:cloudwatch/metricAlarm:MetricAlarm", "eastSwitch-alarm"),
            "eu-west-1",
        );
    });

    it("exports what the README says", () => {
        const put = (value: number) =>
            "aws cloudwatch put-metric-data --region eu-west-1 --namespace HealthCheck --metric-name Failover " +
            `--dimensions Service=api.example.com,Region=us-east-1 --value ${value}`;
        assert.deepEqual(outputs, {
            serviceUrl: "https://api.example.com",
            eastHealthUrl: "https://us-east-1.api.example.com/health",
            westHealthUrl: "https://eu-west-1.api.example.com/health",
            engage: put(1),
            release: put(0),
        });
    });

    it("fails over and back in the offline plan, with no guardrail finding", () => {
        const plan = analyze([evaluated]);
        assert.deepEqual(plan.stacks[STACK].findings, []);
        assert.deepEqual(plan.notDrilled, []);
        assert.deepEqual(
            plan.drills.map((d) => [d.scenario, d.ok]),
            FAILOVER_SCENARIOS.map((scenario) => [scenario, true]),
        );
    });
});
