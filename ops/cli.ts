// The operator subcommands of `multi-region-api`: status, readiness, failover, failback, drill.
import { Command, InvalidArgumentError, Option } from "commander";
import { isIP } from "node:net";
import type { OpsContext, OpsRuntime } from "./context";
import type { OutputSources, Service } from "./outputs";

// The modules behind the commands load on use: the AWS SDK clients would add most of a second to
// `--help` and to every mistyped option.
interface CommonOptions extends OutputSources {
    json?: boolean;
    resolver?: string;
}

function seconds(name: string, min: number, max: number) {
    return (value: string) => {
        const n = Number(value);
        if (!Number.isFinite(n) || n < min || n > max) {
            throw new InvalidArgumentError(`${name} is seconds from ${min} to ${max}`);
        }
        return n;
    };
}

function region(value: string): string {
    if (!/^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(value)) {
        throw new InvalidArgumentError(`expected an AWS region such as us-east-1, got "${value}"`);
    }
    return value;
}

/** `1.1.1.1`, `1.1.1.1:53`, `::1` or `[::1]:53`: node's resolver takes addresses, not names. */
function resolverAddress(value: string): string {
    const bracketed = /^\[([^\]]+)\]:\d{1,5}$/.exec(value)?.[1];
    const host = bracketed ?? (isIP(value) ? value : value.replace(/:\d{1,5}$/, ""));
    if (!isIP(host)) {
        throw new InvalidArgumentError(
            `expected an IP address, optionally with a port (1.1.1.1, 1.1.1.1:53, [::1]:53), got "${value}"`,
        );
    }
    return value;
}

function withSources(cmd: Command): Command {
    return cmd
        .option(
            "--stack <name...>",
            "read these stacks' outputs with `pulumi stack output --json` (default: every Pulumi.<stack>.yaml of the project)",
        )
        .option(
            "--outputs <file...>",
            "read stack outputs from files written by `pulumi stack output --json > <stack>.json` (no Pulumi CLI needed)",
        )
        .option("--project <dir>", "the Pulumi project directory", ".")
        .option(
            "--resolver <address[:port]>",
            "DNS resolver for the name servers' and API Gateway targets' addresses (default: this machine's)",
            resolverAddress,
        )
        .option("--json", "print JSON for scripts");
}

/** Runs an operator command: loads the service, maps errors to exit statuses (2 bad input, 1 AWS). */
async function run(
    rt: OpsRuntime,
    options: CommonOptions,
    body: (ctx: OpsContext, service: Service) => Promise<number>,
): Promise<number> {
    const [{ loadService, OperatorInputError }, { AwsCallError }] = await Promise.all([
        import("./outputs"),
        import("./aws"),
    ]);
    const ctx: OpsContext = {
        ...rt.context,
        dns: options.resolver ? { ...rt.context.dns, resolver: options.resolver } : rt.context.dns,
    };
    try {
        const service = await loadService(options, rt.readStack);
        return await body(ctx, service);
    } catch (e) {
        if (e instanceof OperatorInputError) {
            ctx.err(e.message);
            return 2;
        }
        if (e instanceof AwsCallError) {
            ctx.err(e.message);
            return 1;
        }
        throw e;
    }
}

/**
 * The signals that end a command early: Ctrl-C, a CI job cancelled or a `timeout` wrapper
 * (SIGTERM), a closed terminal or SSH session (SIGHUP). SIGKILL cannot be caught: a drill killed
 * that way leaves the switch as it was (README).
 */
const INTERRUPTS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Aborts on an interrupt (the handler keeps Node from exiting, so cleanup can run). `undoing`:
 * what the command undoes before it ends.
 */
function interruptible<T>(
    rt: OpsRuntime,
    body: (signal: AbortSignal) => Promise<T>,
    undoing = "the switch is restored where the command engaged it",
): Promise<T> {
    const abort = new AbortController();
    const onInterrupt = (signal: string) => {
        rt.context.err(`Interrupted (${signal}): finishing up (${undoing})…`);
        abort.abort();
    };
    for (const s of INTERRUPTS) {
        rt.interrupts.on(s, onInterrupt);
    }
    return body(abort.signal).finally(() => {
        for (const s of INTERRUPTS) {
            rt.interrupts.off(s, onInterrupt);
        }
    });
}

export function addOperatorCommands(cli: Command, runtime?: OpsRuntime): void {
    const done = (code: number) => {
        process.exitCode = code;
    };
    withSources(
        cli
            .command("status")
            .summary("where the service name points, and each region's checks, alarms and /health")
            .description(
                "Where the service name points now (asked of the zone's own name servers), Route 53's view of each region's checks (us-east-1), the switch and guard alarms, and each region's /health.\nExit status: 0 (it reports; it does not judge), 2 on bad input.",
            ),
    ).action(async (options: CommonOptions) => {
        const rt = runtime ?? (await import("./context")).defaultRuntime();
        done(
            await run(rt, options, async (ctx, service) => {
                const { serviceStatus, statusText } = await import("./status");
                const s = await serviceStatus(ctx, service);
                ctx.out(options.json ? JSON.stringify(s, null, 2) : statusText(s));
                return 0;
            }),
        );
    });
    withSources(
        cli
            .command("readiness")
            .summary("can each region take the traffic now? ok / warn / fail rows")
            .description(
                "Can a region take the traffic right now? Health, switch and guards, certificate, custom domains and mappings, table replica and replication latency, throttling, and code and routes compared across regions; each row ok / warn / fail with what to do.\nExit status: 0 when nothing fails, 1 otherwise, 2 on bad input.",
            )
            .option("--region <region>", "only this region's rows (and the comparisons)", region),
    ).action(async (options: CommonOptions & { region?: string }) => {
        const rt = runtime ?? (await import("./context")).defaultRuntime();
        done(
            await run(rt, options, async (ctx, service) => {
                const [{ regionNamed }, { readiness, readinessPasses, readinessText }] =
                    await Promise.all([import("./outputs"), import("./readiness")]);
                const regions = options.region
                    ? [regionNamed(service, options.region, "--region")]
                    : undefined;
                const rows = await readiness(ctx, service, { regions });
                ctx.out(
                    options.json
                        ? JSON.stringify({ ready: readinessPasses(rows), rows }, null, 2)
                        : readinessText(rows),
                );
                return readinessPasses(rows) ? 0 : 1;
            }),
        );
    });
    for (const command of ["failover", "failback"] as const) {
        const flag = command === "failover" ? "--from" : "--to";
        withSources(
            cli
                .command(command)
                .summary(
                    command === "failover"
                        ? "take a region out of DNS with its switch (no Route 53 or us-east-1 call)"
                        : "bring a region back by releasing its switch",
                )
                .description(
                    command === "failover"
                        ? "Take a region out of DNS: engage its operator switch (one PutMetricData call in the switch's region; no Route 53 or us-east-1 call), after checking the other region can take the traffic. Then watch the zone's name servers until the answer moves.\nExit status: 0 when DNS moved (or with --no-wait once flipped), 1 when refused, not confirmed, or DNS did not move in time (the switch stays as asked), 2 on bad input, 130 on Ctrl-C while watching."
                        : "Bring a region back: release its operator switch (one PutMetricData call in the switch's region), after checking the region is ready. Then watch until DNS answers it again.\nExit status as for failover.",
                )
                .requiredOption(
                    `${flag} <region>`,
                    command === "failover" ? "the region to take out" : "the region to bring back",
                    region,
                )
                .option("--yes", "do not ask for confirmation")
                .option("--force", "flip even when the region taking the traffic fails readiness")
                .option("--no-wait", "do not watch DNS after flipping")
                .addOption(
                    new Option("--timeout <seconds>", "how long to watch DNS")
                        .default(600)
                        .argParser(seconds("--timeout", 0.1, 3600)),
                )
                .addOption(
                    new Option("--interval <seconds>", "between DNS polls")
                        .default(5)
                        .argParser(seconds("--interval", 0.05, 300)),
                ),
        ).action(
            async (
                options: CommonOptions & {
                    from?: string;
                    to?: string;
                    yes?: boolean;
                    force?: boolean;
                    wait: boolean;
                    timeout: number;
                    interval: number;
                },
            ) => {
                const rt = runtime ?? (await import("./context")).defaultRuntime();
                done(
                    await run(rt, options, (ctx, service) =>
                        interruptible(rt, async (signal) =>
                            (await import("./switch")).runSwitchCommand(
                                ctx,
                                service,
                                command,
                                (options.from ?? options.to)!,
                                {
                                    ...options,
                                    timeoutSeconds: options.timeout,
                                    intervalSeconds: options.interval,
                                },
                                rt.confirm,
                                signal,
                            ),
                        ),
                    ),
                );
            },
        );
    }
    withSources(
        cli
            .command("drill")
            .summary(
                "fail over and back with the switch (or break a region with FIS: --chaos), timing each step against the plan's budget",
            )
            .description(
                "Fail a region over with its switch and back, timing each step (switch flipped → switch alarm → Route 53 check → DNS answer → first response from the other region) beside the offline plan's budget. Shows live progress; releases the switch on Ctrl-C, timeout or error; writes a JSON report a later run can compare with.\nWith --chaos <experiment>: break the region for real with its AWS FIS experiment (api-fails, slow) instead, and time the automatic failover (experiment running → the region's /health failing → Route 53 endpoint check unhealthy → DNS answer → first response from the other region); then stop the experiment and time the failback. The experiment is stopped on Ctrl-C, timeout or error; it costs $0.10 per minute it runs.\nExit status: 0 when both phases completed, 1 when refused, timed out, failed or the experiment ended by itself, 2 on bad input, 130 on Ctrl-C.",
            )
            .option("--from <region>", "the region to take out (default: the PRIMARY)", region)
            .option(
                "--chaos <experiment>",
                "break the region with this FIS experiment of its stack (output chaos.experiments: api-fails, slow) instead of flipping its switch",
            )
            .option(
                "--region <region>",
                "with --chaos: the region to break, the same as --from (default: the PRIMARY)",
                region,
            )
            .option("--yes", "do not ask for confirmation")
            .option("--force", "drill even when the other region fails readiness")
            .addOption(
                new Option("--timeout <seconds>", "the whole drill, both phases")
                    .default(1200)
                    .argParser(seconds("--timeout", 0.1, 7200)),
            )
            .addOption(
                new Option("--interval <seconds>", "between polls")
                    .default(5)
                    .argParser(seconds("--interval", 0.05, 300)),
            )
            .option(
                "--plan <file>",
                "plan JSON (`multi-region-api plan --json > plan.json`) for the budget (default: run the plan of the project)",
            )
            .option("--report <file>", "write the drill's JSON report here")
            .option("--compare <file>", "a previous drill's report, to show each step's change"),
    ).action(
        async (
            options: CommonOptions & {
                from?: string;
                chaos?: string;
                region?: string;
                yes?: boolean;
                force?: boolean;
                timeout: number;
                interval: number;
                plan?: string;
                report?: string;
                compare?: string;
            },
        ) => {
            const rt = runtime ?? (await import("./context")).defaultRuntime();
            done(
                await run(rt, options, (ctx, service) =>
                    interruptible(
                        rt,
                        async (signal) =>
                            (await import("./drill")).runDrill(
                                ctx,
                                service,
                                {
                                    ...options,
                                    timeoutSeconds: options.timeout,
                                    intervalSeconds: options.interval,
                                    tty: rt.tty && !options.json,
                                },
                                rt.confirm,
                                signal,
                                options.project,
                            ),
                        options.chaos === undefined
                            ? undefined
                            : "the experiment the drill started is stopped",
                    ),
                ),
            );
        },
    );
}
