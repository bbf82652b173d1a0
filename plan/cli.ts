// `npm run plan [-- --json] [-- --stack <name> ...]`: what every stack would deploy and how Route 53
// would answer when regions fail, without the Pulumi CLI or an AWS account.
import { parseArgs } from "node:util";
import { analyze, Plan } from "./analyze";
import { evaluateStack, EvaluatedStack } from "./evaluate";
import { mockRuntime } from "./mockRuntime";
import { planJson, planText } from "./report";
import { stackConfig, stackNames } from "./stackFiles";

const USAGE = `Usage: npm run plan -- [--json] [--stack <name>]...

Evaluates each Pulumi.<stack>.yaml under the Pulumi SDK's mock runtime and reports resources,
outputs, failover drills, the failover time budget and the monthly cost.
  --json          print the plan as JSON (shape in the README)
  --stack <name>  evaluate only this stack (repeatable; default: every stack file)
Exit status: 0 when every drill answers as intended, 1 when one does not, 2 on bad input.`;

/** Evaluates the named stacks (default: all stack files) and analyses them. */
export async function plan(stacks = stackNames()): Promise<Plan> {
    const runtime = mockRuntime({ project: "multi-region-api", stack: stacks[0] ?? "plan" });
    const evaluated: EvaluatedStack[] = [];
    for (const stack of stacks)
        evaluated.push(await evaluateStack(runtime, stack, stackConfig(stack)));
    return analyze(evaluated);
}

async function main(): Promise<number> {
    let options: { json?: boolean; stack?: string[]; help?: boolean };
    try {
        options = parseArgs({
            options: {
                json: { type: "boolean" },
                stack: { type: "string", multiple: true },
                help: { type: "boolean", short: "h" },
            },
        }).values;
    } catch (e) {
        console.error(`${(e as Error).message}\n\n${USAGE}`);
        return 2;
    }
    if (options.help) {
        console.log(USAGE);
        return 0;
    }
    const known = stackNames();
    const unknown = (options.stack ?? []).filter((s) => !known.includes(s));
    if (unknown.length > 0) {
        console.error(`No stack file for ${unknown.join(", ")}; stacks here: ${known.join(", ")}`);
        return 2;
    }
    let result: Plan;
    try {
        result = await plan(options.stack ?? known);
    } catch (e) {
        // Config and component validation errors carry their full explanation in the message.
        console.error((e as Error).message);
        return 2;
    }
    console.log(options.json ? JSON.stringify(planJson(result), null, 2) : planText(result));
    return result.drills.every((d) => d.ok) ? 0 : 1;
}

if (require.main === module) {
    // exitCode, not exit(): exit() would cut off output still being written to a pipe.
    void main().then((code) => {
        process.exitCode = code;
    });
}
