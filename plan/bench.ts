// `npm run bench`: how evaluating the program scales with latency regions (2, 4, 8, 16), beside a
// floor measured in the same run: as many bare AWS resources registered under the same mock runtime.
import { performance } from "node:perf_hooks";
import * as aws from "../components/aws";
import { analyze } from "./analyze";
import { evaluateStack, EvaluatedStack } from "./evaluate";
import { mockRuntime, MockState, withPlainStacks } from "./mockRuntime";
import { formatTable } from "./report";
import { readProject } from "./stackFiles";

const project = readProject();

const REGIONS = [
    "us-east-1", "eu-west-1", "us-west-2", "ap-southeast-1", "eu-central-1", "ap-northeast-1",
    "us-east-2", "eu-west-2", "ap-southeast-2", "sa-east-1", "ca-central-1", "ap-south-1",
    "eu-north-1", "ap-northeast-2", "us-west-1", "eu-west-3",
]; // prettier-ignore

/**
 * Latency-routing config for region `i` of `regions`: a stack file's worth of settings. Its switch
 * lives in the next region; the first region holds the table.
 */
function latencyConfig(regions: string[], i: number): Record<string, string> {
    const key = (k: string) => `${project.name}:${k}`;
    return {
        "aws:region": regions[i],
        "pulumi:disable-default-providers": `["aws"]`,
        [key("routing")]: "latency",
        [key("domainName")]: "api.example.com",
        [key("zoneName")]: "example.com",
        [key("switchRegion")]: regions[(i + 1) % regions.length],
        [key("tableRegion")]: regions[0],
    };
}

async function evaluateRegions(runtime: MockState, n: number): Promise<EvaluatedStack[]> {
    const regions = REGIONS.slice(0, n);
    const stacks: EvaluatedStack[] = [];
    for (let i = 0; i < n; i++) {
        stacks.push(await evaluateStack(runtime, project, regions[i], latencyConfig(regions, i)));
    }
    return stacks;
}

/** The floor: one stack per region registering `count` bare log groups under one provider. */
async function floor(runtime: MockState, counts: number[]): Promise<void> {
    for (const [i, count] of counts.entries()) {
        await runtime.start(project.name, `floor-${i}`, {});
        const provider = new aws.Provider(`floor-${i}`, { region: REGIONS[i] });
        for (let r = 1; r < count; r++) {
            new aws.cloudwatch.LogGroup(`floor-${i}-${r}`, {}, { provider });
        }
        await runtime.settle();
    }
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
    const start = performance.now();
    const result = await f();
    return [result, performance.now() - start];
}

async function main(): Promise<void> {
    const runtime = mockRuntime({ project: project.name, stack: "bench" });
    await evaluateRegions(runtime, 2); // warm-up: module loading and handler bundling happen once
    const rows: string[][] = [
        [
            "regions",
            "resources",
            "program ms",
            "ms/resource",
            "floor ms",
            "floor ms/resource",
            "ratio",
            "drills",
            "analyze ms",
        ],
    ];
    for (const n of [2, 4, 8, 16]) {
        const [stacks, programMs] = await time(() => evaluateRegions(runtime, n));
        const counts = stacks.map((s) => s.resources.length);
        const resources = counts.reduce((a, b) => a + b, 0);
        const [, floorMs] = await time(() => floor(runtime, counts));
        const [plan, analyzeMs] = await time(() => Promise.resolve(analyze(stacks)));
        const failed = plan.drills.filter((d) => !d.ok).length;
        rows.push([
            String(n),
            String(resources),
            programMs.toFixed(0),
            (programMs / resources).toFixed(2),
            floorMs.toFixed(0),
            (floorMs / resources).toFixed(2),
            (programMs / floorMs).toFixed(2),
            `${plan.drills.length}${failed ? ` (${failed} FAIL)` : ""}`,
            analyzeMs.toFixed(0),
        ]);
    }
    console.log(formatTable(rows, "right"));
}

// As the plan runs: V8's own stack traces (see withPlainStacks).
void withPlainStacks(main);
