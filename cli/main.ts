// `multi-region-api <command>`: the project's one command line (package.json `bin`).
import { Command, CommanderError } from "commander";
import { addOperatorCommands } from "../ops/cli";
import type { OpsRuntime } from "../ops/context";

/**
 * Exit status for bad input (unknown option, missing argument), as distinct from a failed drill or
 * a guardrail error (1).
 */
const BAD_INPUT = 2;

export function program(runtime?: OpsRuntime): Command {
    const cli = new Command("multi-region-api")
        .description(
            "Multi-region API failover on AWS: the offline plan, and the operator commands (status, readiness, failover, failback, drill).",
        )
        .exitOverride()
        .showHelpAfterError();
    cli.command("plan")
        .summary(
            "what each stack deploys, its failover drills, budget, cost and guardrails (offline)",
        )
        .description(
            "Evaluate each Pulumi.<stack>.yaml of a project under the Pulumi SDK's mock runtime and report resources, outputs, failover drills, the failover time budget and the monthly cost. No Pulumi CLI or AWS account needed.\nExit status: 0 when every drill answers as intended and no guardrail finds an error, 1 otherwise, 2 on bad input.",
        )
        .option("--json", "print the plan as JSON (shape in the README)")
        .option("--stack <name...>", "evaluate only these stacks (default: every stack file)")
        .option("--project <dir>", "the Pulumi project directory", ".")
        .action(async (options: { json?: boolean; stack?: string[]; project: string }) => {
            // Loaded on use: the plan needs the Pulumi SDK, which `--help` and a mistyped option
            // should not wait for (it doubled their time).
            const { runPlan } = await import("../plan/cli");
            process.exitCode = await runPlan(options);
        });
    if (runtime) {
        // Usage errors and help go where the rest of the command's output goes.
        cli.configureOutput({
            writeOut: (s) => runtime.context.out(s.trimEnd()),
            writeErr: (s) => runtime.context.err(s.trimEnd()),
        });
    }
    addOperatorCommands(cli, runtime);
    return cli;
}

/** Runs the command line; resolves to the exit status. */
export async function main(argv: string[], runtime?: OpsRuntime): Promise<number> {
    try {
        await program(runtime).parseAsync(argv, { from: "user" });
        return Number(process.exitCode ?? 0);
    } catch (e) {
        if (e instanceof CommanderError) {
            return e.exitCode === 0 ? 0 : BAD_INPUT;
        }
        throw e;
    }
}
