// The command line through the project's real bin, as the README documents it: `npx
// multi-region-api plan --json | jq ...` through a shell pipe. The plan's JSON is over 64 KiB (one
// pipe buffer; tests/plan/plan.spec.ts checks), so a bin that exits before stdout drains would hand
// jq a cut-off document and the pipeline would fail. Bad input must exit 2 with its reason on stderr.
//
// Cost: a plan run is a child process of about 2.5 s CPU, bad input and help a few tenths. All of
// them start when mocha loads this file, so they run on the second core while the other spec files
// run; the tests below only await them, each bounded by a timeout. The file is named to sort last
// (mocha runs files in path order), so the tests wait for the children as late as possible.
import * as assert from "node:assert/strict";
import { exec } from "node:child_process";
import * as path from "node:path";
import { FAILOVER_SCENARIOS } from "./evaluations";

const root = path.join(__dirname, "..", "..");
/** Bound of each run; the tests wait a little longer so a timeout reports as such. */
const TIMEOUT_MS = 60_000;

const env = { ...process.env };
// Flags meant for this mocha process (a debugger, a loader) are not for the children.
delete env.NODE_OPTIONS;

interface Run {
    command: string;
    /** Exit status; null when the run was killed (see `signal`). */
    status: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
}

/** Runs `command` with bash in the repository root; resolves whatever its outcome. */
function sh(command: string): Promise<Run> {
    return new Promise((resolve) => {
        exec(
            command,
            { cwd: root, env, shell: "/bin/bash", timeout: TIMEOUT_MS, maxBuffer: 64 << 20 },
            (error, stdout, stderr) => {
                resolve({
                    command,
                    status: error ? (typeof error.code === "number" ? error.code : null) : 0,
                    signal: error?.signal ?? null,
                    stdout,
                    stderr,
                });
            },
        );
    });
}

/** The package's bin, as `npx multi-region-api` runs it (npx itself adds half a second). */
const bin = "node bin/multi-region-api.js";

/**
 * `jq` behind a reader that pauses a second after the first byte. The plan's writes then fill the
 * pipe (64 KiB) and the rest waits in Node's write queue, which a bin that ends with
 * `process.exit()` drops: jq then reports a parse error. With a prompt reader that bug hides on
 * Linux, where a pipe write goes through at once as far as the reader keeps up.
 */
const SLOW_JQ = `jq() { IFS= read -r -n 1 first; sleep 1; { printf %s "$first"; cat; } | command jq "$@"; }`;

// Started now, awaited below.
const runs = {
    // Any program: a health check Route 53 refuses, and nothing routed (so no drill fails).
    guardrailError: sh(`${bin} plan --project tests/stack/fixtures/bad-health-check`),
    // The README's pipeline, verbatim; pipefail makes a failing `plan` fail it too.
    jsonThroughJq: sh(
        `set -o pipefail; ${SLOW_JQ}; npx multi-region-api plan --json | jq '.drills[] | {scenario, ok}'`,
    ),
    // The example's plan itself is checked in-process (example.spec.ts); here, that --project
    // reads another project's stack files.
    otherProject: sh(`${bin} plan --project examples/single-stack --stack primary`),
    unknownOption: sh(`${bin} plan --jsn`),
    unknownStack: sh(`${bin} plan --stack tertiary`),
    help: sh(`${bin} --help`),
    // A reader that is gone before the plan writes (`true` exits at once): every write fails with
    // EPIPE, however short the output, so one stack is enough.
    readerGone: sh(`set -o pipefail; ${bin} plan --stack secondary --json | true`),
};

/** Awaits a run; fails with its output when it was killed. */
async function finished(run: Promise<Run>): Promise<Run> {
    const r = await run;
    assert.equal(r.signal, null, `${r.command} was killed (${r.signal}):\n${r.stderr}`);
    return r;
}

describe("command line (bin/multi-region-api.js)", function () {
    this.timeout(TIMEOUT_MS + 10_000);

    it("`npx multi-region-api plan --json | jq ...` reads the whole document: every drill ok", async () => {
        const r = await finished(runs.jsonThroughJq);
        assert.equal(r.status, 0, r.stderr);
        // jq prints one pretty object per drill.
        const drills = r.stdout
            .trim()
            .split(/\n(?=\{)/)
            .map((o) => JSON.parse(o) as unknown);
        assert.deepEqual(
            drills,
            FAILOVER_SCENARIOS.map((scenario) => ({ scenario, ok: true })),
        );
    });

    it("--project reads the stack files of that project: examples/single-stack has only dev", async () => {
        const r = await finished(runs.otherProject);
        assert.deepEqual(
            [r.status, r.stdout, r.stderr],
            [2, "", "No stack file for primary; stacks here: dev\n"],
        );
    });
    it("a guardrail error is printed under its stack and exits 1, every drill ok or not", async () => {
        const r = await finished(runs.guardrailError);
        assert.deepEqual([r.status, r.stderr], [1, ""]);
        assert.match(
            r.stdout,
            /\n {2}Guardrails: 1 error, no warnings, no advice\n {4}error health-check-settings \(api\): requestInterval is 20: Route 53 checks every 10 or 30 seconds only and refuses any other interval; set 10 \(fast, an extra charge\) or 30\.\n/,
        );
        assert.ok(
            r.stdout.endsWith(
                "\nNo drills: nothing is routed.\n1 guardrail error: fix it before deploying (listed above).\n",
            ),
            r.stdout,
        );
    });

    it("an unknown option exits 2 with the error and the usage on stderr", async () => {
        const r = await finished(runs.unknownOption);
        assert.deepEqual([r.status, r.stdout], [2, ""]);
        assert.ok(
            r.stderr.startsWith(
                "error: unknown option '--jsn'\n(Did you mean --json?)\n\nUsage: multi-region-api plan [options]\n",
            ),
            r.stderr,
        );
    });

    it("an unknown stack exits 2 naming the stacks there are", async () => {
        const r = await finished(runs.unknownStack);
        assert.deepEqual(
            [r.status, r.stdout, r.stderr],
            [2, "", "No stack file for tertiary; stacks here: primary, secondary\n"],
        );
    });

    it("a reader that stops early (`| head`, `| true`) ends the plan quietly: exit 0, no stack trace", async () => {
        const r = await finished(runs.readerGone);
        assert.deepEqual([r.status, r.stdout, r.stderr], [0, "", ""]);
    });
    it("--help exits 0 and lists the plan and operator commands", async () => {
        const r = await finished(runs.help);
        assert.deepEqual([r.status, r.stderr], [0, ""]);
        assert.ok(r.stdout.startsWith("Usage: multi-region-api [options] [command]\n"), r.stdout);
        assert.deepEqual(
            [...r.stdout.matchAll(/^ {2}(\w+) \[options\] +\S/gm)].map((m) => m[1]),
            ["plan", "status", "readiness", "failover", "failback", "drill"],
        );
    });
});
