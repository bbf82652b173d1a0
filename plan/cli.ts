// The `plan` subcommand: what every stack of a Pulumi project would deploy and how Route 53 would
// answer when regions fail, without the Pulumi CLI or an AWS account.
import * as path from "node:path";
import type { Plan } from "./analyze";
import type { ConfigFinding } from "../stack/crossStack";
import type { EvaluatedStack } from "./evaluate";
import type { MockState } from "./mockRuntime";
import { planJson, planText } from "./report";
import { PROJECT_DIR, Project, readProject, readStackConfig, stackNames } from "./stackFiles";

/**
 * Evaluates the named stacks of `project` (default: all its stack files) and analyses them, on
 * `runtime` (default: the mock runtime, installed now; a process has one).
 */
export async function plan(
    project: Project,
    stacks = stackNames(project.dir),
    runtime?: MockState,
): Promise<Plan> {
    const wholeDeployment = stackNames(project.dir).every((s) => stacks.includes(s));
    // Loaded on use: they need the Pulumi SDK, which bad input should not wait for.
    const [{ analyze }, { evaluateStack }, { mockRuntime, withPlainStacks }] = await Promise.all([
        import("./analyze"),
        import("./evaluate"),
        import("./mockRuntime"),
    ]);
    runtime ??= mockRuntime({ project: project.name, stack: stacks[0] ?? "plan" });
    const evaluated: EvaluatedStack[] = [];
    const failures: string[] = [];
    await withPlainStacks(async () => {
        for (const stack of stacks) {
            try {
                evaluated.push(await evaluateStack(runtime, project, stack));
            } catch (e) {
                // Several stacks are evaluated in turn: say which one is wrong, and go on so that
                // every stack's mistakes are reported in one run.
                failures.push(`Stack ${stack}: ${(e as Error).message}`);
            }
        }
    });
    if (failures.length > 0) {
        throw new Error(failures.join("\n"));
    }
    const result = analyze(evaluated, wholeDeployment);
    result.crossStack = await crossStackConfig(project, stacks, wholeDeployment);
    return result;
}

/**
 * Configuration mistakes across the `stacks` of this repository's two-stack program (other
 * programs have other settings: nothing to say about them).
 */
export async function crossStackConfig(
    project: Project,
    stacks: string[],
    wholeDeployment: boolean,
): Promise<ConfigFinding[]> {
    if (path.resolve(project.main) !== path.join(PROJECT_DIR, "index.ts")) {
        return [];
    }
    const [{ crossStackFindings }, { stackConfigOf }] = await Promise.all([
        import("../stack/crossStack"),
        import("../stack/config"),
    ]);
    const configs = Object.fromEntries(
        stacks.map((s) => {
            const { values, secretKeys } = readStackConfig(s, project.dir);
            return [s, stackConfigOf(values, secretKeys, project.name)];
        }),
    );
    return crossStackFindings(configs, project.name, wholeDeployment);
}

export interface PlanOptions {
    json?: boolean;
    stack?: string[];
    project: string;
}

/** Whether the plan finds nothing that blocks a deploy: every drill as intended, no error finding. */
export function planPasses(p: Plan): boolean {
    return (
        p.drills.every((d) => d.ok) &&
        p.crossStack.length === 0 &&
        Object.values(p.stacks).every((s) => s.findings.every((f) => f.severity !== "error"))
    );
}

/**
 * Runs the plan and prints it. Returns the exit status: 0 when every drill answers as intended
 * and no guardrail finds an error, 1 otherwise, 2 on bad input (unknown project or stack, invalid
 * configuration).
 */
export async function runPlan(options: PlanOptions): Promise<number> {
    let result: Plan;
    try {
        const project = readProject(path.resolve(options.project));
        const known = stackNames(project.dir);
        const unknown = (options.stack ?? []).filter((s) => !known.includes(s));
        if (unknown.length > 0) {
            throw new Error(
                `No stack file for ${unknown.join(", ")}; stacks here: ${known.join(", ")}`,
            );
        }
        result = await plan(project, options.stack ?? known);
    } catch (e) {
        // Config and component validation errors carry their full explanation in the message.
        console.error((e as Error).message);
        return 2;
    }
    console.log(options.json ? JSON.stringify(planJson(result), null, 2) : planText(result));
    return planPasses(result) ? 0 : 1;
}
