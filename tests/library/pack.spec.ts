// Packs the library as `npm publish` would, installs the tarball into a scratch project the way a
// real install does (only the package's declared dependencies are resolvable), type-checks a
// program that uses the components against the packed declarations, and runs it under the SDK's
// mocks.
//
// Cost: the work runs in child processes started when mocha loads this file, so it proceeds on a
// second core while the other spec files run; the tests below only await it. `npm test` builds
// dist/ (tsc) before mocha, so packing skips the prepack build (`--ignore-scripts`); a missing or
// stale build fails the test instead of packing old code. Nothing is fetched from the registry:
// the scratch project's node_modules holds the extracted package plus links to the repository's
// copies of its `dependencies` (and `peerDependencies`, `optionalDependencies`, and typescript for
// the check). The scratch project lives under the OS temp directory, so module resolution never
// walks up into the repository's node_modules: an import of a devDependency from the shipped code
// fails here as it would for a user. The type check (consumer/typecheck.js) is strict with
// skipLibCheck off for the program and for every .d.ts we ship, but does not check third-party
// declarations (checking @pulumi/aws's own 3,000 files would cost 10 s and is not our concern).
import * as assert from "node:assert/strict";
import { ChildProcess, execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { bundleHandler, HandlerName } from "../../components/handlerBundle";
import { RULES } from "../../plan/rules";
import { startPack, unary } from "../policy/launch";

/**
 * What consumer/program.ts does under run-under-mocks.js: update together with program.ts (a
 * failure prints the actual values).
 */
const EXPECTED = {
    /** The program's exports, resolved. */
    exports: {
        healthCheckIds: ["shop-east-routing-calculated-id", "shop-west-routing-endpoint-id"],
        healthUrl: "https://us-east-1.shop.example.net/health",
        engage:
            "aws cloudwatch put-metric-data --region eu-west-1 --namespace HealthCheck " +
            "--metric-name Failover --dimensions Service=shop.example.net,Region=us-east-1 --value 1",
    },
    /** The library's component types the program registers. */
    componentTypes: [
        "multi-region-api:index:AlarmHealthCheck",
        "multi-region-api:index:FailoverDomain",
        "multi-region-api:index:RegionalApi",
    ],
    /** Every Lambda function the program registers, and the handler it must bundle. */
    lambdas: {
        "shop-east-api": "api",
        "shop-east-health": "health",
        "shop-west-api": "api",
        "shop-west-health": "health",
    } as Record<string, HandlerName>,
};

const root = path.join(__dirname, "..", "..");
const PACKAGE = "multi-region-api";
/** Appended to each shipped .d.ts in a copy of the package: the check must report it. */
const INJECTED = `import { X } from "not-installed";export declare const x: X;`;
/** A package with an error in its declarations, which the check must not report. */
const THIRD_PARTY = "third-party-with-errors";

/**
 * Problems with the emitted library in `repo`'s dist/: every components/*.ts, and every source
 * the emitted components require outside dist/components (functions/health/token.ts), must have
 * its .js emitted and not older than the source; and every shipped .js must still have a source.
 */
function staleBuild(repo: string): string[] {
    const advice = "run `npm run build` (npm test does)";
    const problems: string[] = [];
    const componentSources = fs
        .readdirSync(path.join(repo, "components"))
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.endsWith(".spec.ts"))
        .sort();
    const pending = componentSources.map((f) => `components/${f}`);
    const seen = new Set<string>();
    while (pending.length > 0) {
        const source = pending.shift()!;
        if (seen.has(source)) {
            continue;
        }
        seen.add(source);
        const emitted = `dist/${source.replace(/\.ts$/, ".js")}`;
        const src = fs.statSync(path.join(repo, source));
        const out = fs.statSync(path.join(repo, emitted), { throwIfNoEntry: false });
        if (!out || out.mtimeMs < src.mtimeMs) {
            problems.push(`${emitted} is missing or older than ${source}: ${advice}`);
            continue;
        }
        const code = fs.readFileSync(path.join(repo, emitted), "utf8");
        for (const [, request] of code.matchAll(/require\("(\.\.?\/[^"]*)"\)/g)) {
            const target = path
                .relative(
                    path.join(repo, "dist"),
                    path.resolve(path.dirname(path.join(repo, emitted)), request),
                )
                .split(path.sep)
                .join("/")
                .replace(/\.js$/, "");
            for (const candidate of [`${target}.ts`, `${target}/index.ts`]) {
                if (fs.existsSync(path.join(repo, candidate))) {
                    pending.push(candidate);
                    break;
                }
            }
        }
    }
    const distComponents = path.join(repo, "dist", "components");
    for (const f of fs.existsSync(distComponents) ? fs.readdirSync(distComponents) : []) {
        if (f.endsWith(".js") && !componentSources.includes(f.replace(/\.js$/, ".ts"))) {
            problems.push(
                `dist/components/${f} has no source components/${f.replace(/\.js$/, ".ts")} ` +
                    "but would be shipped: remove dist/ and run `npm run build`",
            );
        }
    }
    return problems;
}

// ---- The pipeline, started at load -------------------------------------------------------------

const children = new Set<ChildProcess>();
const childEnv = { ...process.env };
delete childEnv.NODE_PATH;

/** Runs a program asynchronously, bounded by `timeout` ms; rejects with its output on failure. */
function run(
    file: string,
    args: string[],
    opts: { cwd: string; timeout: number },
): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            file,
            args,
            {
                ...opts,
                env: childEnv,
                encoding: "utf8",
                maxBuffer: 64 << 20,
                killSignal: "SIGKILL",
            },
            (error, stdout, stderr) => {
                children.delete(child);
                if (!error) {
                    return resolve(stdout);
                }
                const why = error.killed ? `killed after ${opts.timeout} ms` : `exit ${error.code}`;
                const command = [path.basename(file), ...args].join(" ");
                reject(
                    new Error(`${command} (in ${opts.cwd}) failed, ${why}:\n${stderr}${stdout}`),
                );
            },
        );
        children.add(child);
    });
}

interface Packed {
    tarball: string;
    /** Paths in the tarball, as `npm pack --json` lists them. */
    files: string[];
}

interface Manifest {
    main?: string;
    bin?: string | Record<string, string>;
    types?: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
}

interface Consumer {
    dir: string;
    /** node_modules/multi-region-api, extracted from the tarball. */
    installed: string;
    manifest: Manifest;
}

interface CheckResult {
    diagnostics: string[];
    checked: string[];
    files: number;
}

const timings: Record<string, number> = {};
const loaded = Date.now();
const mark = (stage: string) => () => {
    timings[stage] = Date.now() - loaded;
};

const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mra-consumer-")));

/** Folders Node or TypeScript would search for packages from the scratch project, beyond its own. */
function leaks(): string[] {
    const ancestors: string[] = [];
    for (let dir = path.dirname(scratch); ; dir = path.dirname(dir)) {
        ancestors.push(path.join(dir, "node_modules"));
        if (path.dirname(dir) === dir) {
            break;
        }
    }
    const home = os.homedir();
    const globals = [
        path.join(home, ".node_modules"),
        path.join(home, ".node_libraries"),
        path.resolve(process.execPath, "..", "..", "lib", "node"),
    ];
    return [...ancestors, ...globals].filter((dir) => fs.existsSync(dir));
}

async function pack(): Promise<Packed> {
    const found = leaks();
    if (found.length > 0) {
        throw new Error(
            `${found.join(", ")} would let the scratch project in ${scratch} resolve packages ` +
                "that are not the package's dependencies: remove them, or set TMPDIR elsewhere",
        );
    }
    const problems = staleBuild(root);
    if (problems.length > 0) {
        throw new Error(problems.join("\n"));
    }
    const out = await run(
        "npm",
        [
            "pack",
            "--ignore-scripts",
            "--json",
            "--pack-destination",
            scratch,
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ],
        { cwd: root, timeout: 60_000 },
    );
    const [info] = JSON.parse(out.slice(out.indexOf("["))) as {
        filename: string;
        files: { path: string }[];
    }[];
    return { tarball: path.join(scratch, info.filename), files: info.files.map((f) => f.path) };
}

/** A consumer project in `dir`: the extracted package, links to its dependencies, our sources. */
async function consumer(packed: Packed, dir: string): Promise<Consumer> {
    const installed = path.join(dir, "node_modules", PACKAGE);
    fs.mkdirSync(installed, { recursive: true });
    await run("tar", ["-xzf", packed.tarball, "-C", installed, "--strip-components=1"], {
        cwd: dir,
        timeout: 30_000,
    });
    const manifest = JSON.parse(
        fs.readFileSync(path.join(installed, "package.json"), "utf8"),
    ) as Manifest;
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    const wanted = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
        ...optional,
        "typescript",
    ]);
    for (const name of wanted) {
        const target = path.join(root, "node_modules", name);
        if (!fs.existsSync(path.join(target, "package.json"))) {
            if (optional.includes(name)) {
                continue;
            }
            throw new Error(`${name}, a dependency of the package, is not in node_modules: npm ci`);
        }
        const link = path.join(dir, "node_modules", name);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(target, link, "junction");
    }
    const sources = path.join(__dirname, "consumer");
    for (const file of fs.readdirSync(sources)) {
        if (file !== "program.js") {
            fs.copyFileSync(path.join(sources, file), path.join(dir, file));
        }
    }
    // The README's library example, as a newcomer would copy it, is checked beside program.ts.
    fs.writeFileSync(path.join(dir, README_EXAMPLE), readmeExample());
    const tsconfigFile = path.join(dir, "tsconfig.json");
    const tsconfig = JSON.parse(fs.readFileSync(tsconfigFile, "utf8")) as { files: string[] };
    tsconfig.files.push(README_EXAMPLE);
    fs.writeFileSync(tsconfigFile, JSON.stringify(tsconfig));
    return { dir, installed, manifest };
}

const README_EXAMPLE = "readme-example.ts";

/** The TypeScript block of the README's "Using the components from another program" section. */
function readmeExample(): string {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.split("## Using the components from another program")[1] ?? "";
    const block = /```ts\n([\s\S]*?)```/.exec(section);
    if (!block) {
        throw new Error(
            "README.md: no ts example under 'Using the components from another program'",
        );
    }
    return block[1];
}

/**
 * Gives the consumer a third-party package whose declarations have an error, and imports it: the
 * check must resolve it but not report its error (it checks our declarations, not others').
 */
function plantThirdPartyError(broken: Consumer): void {
    const dir = path.join(broken.dir, "node_modules", THIRD_PARTY);
    fs.mkdirSync(dir);
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: THIRD_PARTY, version: "1.0.0", types: "index.d.ts" }),
    );
    fs.writeFileSync(path.join(dir, "index.d.ts"), "export declare const y: NotAType;\n");
    fs.appendFileSync(path.join(broken.dir, "program.ts"), `\nimport "${THIRD_PARTY}";\n`);
}

/** Appends INJECTED to every shipped .d.ts; returns the diagnostic each must cause. */
function inject(broken: Consumer, packed: Packed): string[] {
    return packed.files
        .filter((f) => f.endsWith(".d.ts"))
        .map((f) => {
            const file = path.join(broken.installed, f);
            let text = fs.readFileSync(file, "utf8");
            if (!text.endsWith("\n")) {
                text += "\n";
            }
            fs.writeFileSync(file, `${text}${INJECTED}\n`);
            const line = text.split("\n").length;
            const column = INJECTED.indexOf('"not-installed"') + 1;
            return (
                `node_modules/${PACKAGE}/${f}(${line},${column}): error TS2307: ` +
                "Cannot find module 'not-installed' or its corresponding type declarations."
            );
        });
}

const packed = pack().finally(mark("packed"));
const installed = packed.then((p) => consumer(p, path.join(scratch, "consumer")));
const checked = installed.then(async (c) => {
    const p = await packed;
    const broken = await consumer(p, path.join(scratch, "broken"));
    const expected = inject(broken, p);
    plantThirdPartyError(broken);
    const out = JSON.parse(
        await run(process.execPath, ["typecheck.js", c.dir, broken.dir], {
            cwd: c.dir,
            timeout: 120_000,
        }),
    ) as { results: Record<string, CheckResult>; cpuMs: number };
    timings.checkCpu = out.cpuMs;
    return { consumer: out.results[c.dir], broken: out.results[broken.dir], expected };
});
const ran = checked
    .finally(mark("checked"))
    .then(async () => {
        const { dir } = await installed;
        const out = await run(process.execPath, ["run-under-mocks.js"], {
            cwd: dir,
            timeout: 90_000,
        });
        return JSON.parse(out) as {
            exports: Record<string, unknown>;
            types: string[];
            lambdas: Record<string, { files: string[]; bytes: number; sha256: string | null }>;
        };
    })
    .finally(mark("ran"));
// The policy pack as a user of the package runs it: `pulumi preview --policy-pack
// node_modules/multi-region-api/policy`, the CLI starting it in that folder.
const policyPack = installed.then((c) => {
    const started = startPack(path.join(c.installed, "policy"), childEnv);
    children.add(started.child);
    return started.port;
});
// Each is awaited by a test; until then (or if a --grep leaves them out), not unhandled.
const stages = [packed, installed, checked, ran, policyPack];
for (const stage of stages) {
    stage.catch(() => undefined);
}
const settled = Promise.allSettled(stages);

const cleanUp = () => {
    for (const child of children) {
        child.kill("SIGKILL");
    }
    if (!process.env.MRA_KEEP_SCRATCH) {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
};
process.once("exit", cleanUp);

// When a --grep leaves out every test below, stop the pipeline once the selected tests are done,
// rather than keep mocha waiting for it.
let selected = false;
after(() => {
    if (!selected) {
        cleanUp();
    }
});

// ---- The tests ---------------------------------------------------------------------------------

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("library import from npm pack output", function () {
    this.timeout(300_000);

    before(() => {
        selected = true;
    });

    after(async () => {
        await settled;
        if (process.env.MRA_PACK_TIMINGS) {
            console.log(`pack.spec pipeline (ms since load): ${JSON.stringify(timings)}`);
        }
        cleanUp();
    });

    it("refuses to pack a missing or stale build", () => {
        const repo = fs.mkdtempSync(path.join(scratch, "repo-"));
        const write = (file: string, text: string, ageSeconds: number) => {
            fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
            fs.writeFileSync(path.join(repo, file), text);
            const t = Date.now() / 1000 - ageSeconds;
            fs.utimesSync(path.join(repo, file), t, t);
        };
        write("components/index.ts", "", 100);
        write("components/a.ts", "", 10);
        write("components/b.ts", "", 100);
        write("functions/health/token.ts", "", 10);
        write(
            "dist/components/index.js",
            'require("./a");require("../functions/health/token");',
            50,
        );
        write("dist/components/a.js", "", 50);
        write("dist/components/gone.js", "", 50);
        write("dist/functions/health/token.js", "", 50);
        const advice = "run `npm run build` (npm test does)";
        assert.deepEqual(staleBuild(repo), [
            `dist/components/a.js is missing or older than components/a.ts: ${advice}`,
            `dist/components/b.js is missing or older than components/b.ts: ${advice}`,
            `dist/functions/health/token.js is missing or older than functions/health/token.ts: ${advice}`,
            "dist/components/gone.js has no source components/gone.ts but would be shipped: " +
                "remove dist/ and run `npm run build`",
        ]);
        write("dist/components/a.js", "", 0);
        write("dist/components/b.js", "", 0);
        write("dist/functions/health/token.js", "", 0);
        fs.rmSync(path.join(repo, "dist/components/gone.js"));
        assert.deepEqual(staleBuild(repo), []);
    });

    it("ships the compiled library, its declarations, the handler sources and the policy pack, nothing else", async () => {
        const { files } = await packed;
        const { installed: dir, manifest } = await installed;
        assert.equal(manifest.main, "dist/components/index.js");
        assert.equal(manifest.types, "dist/components/index.d.ts");
        for (const file of [
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "functions/api/index.ts",
            "functions/health/index.ts",
            "functions/shared/http.ts",
        ]) {
            assert.ok(fs.existsSync(path.join(dir, file)), file);
        }
        for (const absent of [
            "tests",
            "stack",
            "plan",
            "index.ts",
            "dist/stack",
            "dist/plan/evaluate.js",
            "policy/index.ts",
            "functions/api/index.spec.ts",
        ]) {
            assert.ok(!fs.existsSync(path.join(dir, absent)), `${absent} must not be shipped`);
        }
        // npm adds package.json, README, LICENSE and the `bin` scripts whatever `files` says.
        const bins = Object.values(
            typeof manifest.bin === "string" ? { bin: manifest.bin } : (manifest.bin ?? {}),
        ).map((f) => path.posix.normalize(f));
        const library =
            /^(package\.json|README\.md|LICENSE(\.\w+)?|dist\/.+|functions\/.+\.ts|policy\/(PulumiPolicy\.yaml|package\.json|launch\.js|README\.md|whole-deployment\.json))$/;
        const unexpected = files.filter(
            (f) => !(library.test(f) || bins.includes(f)) || f.endsWith(".spec.ts"),
        );
        assert.deepEqual(unexpected, [], "shipped files outside the library");
    });

    it("ships the policy pack: started from node_modules as the Pulumi CLI starts it, it serves every rule", async () => {
        const client = new AnalyzerClient(
            `127.0.0.1:${await policyPack}`,
            grpc.credentials.createInsecure(),
        );
        try {
            const info = await unary<AnalyzerInfo>((done) =>
                client.getAnalyzerInfo(new Empty(), done),
            );
            assert.equal(info.getName(), "multi-region-api-guardrails");
            assert.deepEqual(
                info.getPoliciesList().map((p) => p.getName()),
                RULES.map((r) => r.id),
            );
        } finally {
            client.close();
        }
    });

    it("type-checks a program using RegionalApi, FailoverDomain and AlarmHealthCheck against the packed declarations (strict, our .d.ts checked)", async () => {
        const { consumer: result } = await checked;
        const { dir } = await installed;
        assert.deepEqual(result.diagnostics, [], result.diagnostics.join("\n"));
        const shipped = (await packed).files
            .filter((f) => f.endsWith(".d.ts"))
            .map((f) => `node_modules/${PACKAGE}/${f}`);
        assert.deepEqual(result.checked, [...shipped, "program.ts", README_EXAMPLE].sort());
        assert.ok(fs.existsSync(path.join(dir, "program.js")), "program.js emitted");
    });

    it("would report an import of a module that is not installed from any shipped declaration", async () => {
        const { broken, expected } = await checked;
        for (const line of expected) {
            assert.ok(broken.diagnostics.includes(line), line);
        }
        // Reported in our files only: third-party declarations (such as THIRD_PARTY's, which the
        // program imports and which has an error) are resolved but not checked.
        const foreign = broken.diagnostics.filter(
            (d) =>
                d.includes(THIRD_PARTY) ||
                (/^[^(]*node_modules\//.test(d) && !d.startsWith(`node_modules/${PACKAGE}/`)),
        );
        assert.deepEqual(foreign, []);
    });

    it("runs that program under mocks, bundling the shipped handlers exactly as the repository does", async () => {
        const result = await ran;
        assert.deepEqual(result.exports, EXPECTED.exports);
        assert.deepEqual(
            result.types.filter((t) => t.startsWith("multi-region-api:")),
            EXPECTED.componentTypes,
        );
        const bundles = new Map(
            (["api", "health"] as const).map((h) => [sha256(bundleHandler(h)), h]),
        );
        const bundled = Object.fromEntries(
            Object.entries(result.lambdas).map(([name, l]) => [
                name,
                {
                    files: l.files,
                    handler: (l.sha256 && bundles.get(l.sha256)) ?? `other code (${l.bytes} bytes)`,
                },
            ]),
        );
        const expected = Object.fromEntries(
            Object.entries(EXPECTED.lambdas).map(([name, handler]) => [
                name,
                { files: ["index.js"], handler },
            ]),
        );
        assert.deepEqual(bundled, expected);
    });
});
