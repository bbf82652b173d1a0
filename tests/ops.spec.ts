// The operator command tests (tests/ops/*.test.ts) mostly wait: on loopback DNS and HTTP servers,
// poll intervals and deadlines. They run in a child mocha started when this file loads, beside
// the CPU-bound specs, and each file's results are asserted here, every failure named.
// Run them alone with: npx mocha --no-config -r ts-node/register --extension ts tests/ops/*.test.ts
import * as assert from "node:assert/strict";
import { ChildProcess, execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..");
const OPS = path.join(__dirname, "ops");
const CHILD_TIMEOUT_MS = 120_000;
const files = fs
    .readdirSync(OPS)
    .filter((f) => f.endsWith(".test.ts"))
    .sort();

interface Result {
    title: string;
    fullTitle: string;
    file: string;
    err: { message?: string; stack?: string };
}
interface Report {
    stats: { tests: number; passes: number; failures: number };
    tests: Result[];
    failures: Result[];
}

const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mra-ops-tests-")), "report.json");
let child: ChildProcess | undefined;
const report = new Promise<Report>((resolve, reject) => {
    child = execFile(
        process.execPath,
        [
            require.resolve("mocha/bin/mocha.js"),
            "--no-config",
            "--require",
            "ts-node/register",
            "--extension",
            "ts",
            "--timeout",
            "20000",
            "--reporter",
            "json",
            "--reporter-option",
            `output=${out}`,
            ...files.map((f) => path.join(OPS, f)),
        ],
        { cwd: REPO, timeout: CHILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (error, _stdout, stderr) => {
            child = undefined;
            try {
                resolve(JSON.parse(fs.readFileSync(out, "utf8")) as Report);
            } catch {
                reject(
                    new Error(`the operator tests did not run: ${error?.message ?? ""}\n${stderr}`),
                );
            } finally {
                fs.rmSync(path.dirname(out), { recursive: true, force: true });
            }
        },
    );
});
// Never an unhandled rejection: each test below awaits it.
report.catch(() => undefined);

describe("operator commands (tests/ops, in a child mocha)", function () {
    this.timeout(CHILD_TIMEOUT_MS + 10_000);
    after(() => child?.kill());

    for (const file of files) {
        it(file, async () => {
            const r = await report;
            const mine = (t: Result) => path.basename(t.file) === file;
            assert.ok(r.tests.some(mine), `no test of ${file} ran`);
            assert.deepEqual(
                r.failures.filter(mine).map((t) => `${t.fullTitle}: ${t.err.message ?? ""}`),
                [],
            );
        });
    }
});
