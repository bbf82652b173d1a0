import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import * as pulumi from "@pulumi/pulumi";

/** The Node.js major version the handlers run on: the Lambda runtime and esbuild's target follow it. */
const NODE_MAJOR = 22;

/** The Lambda runtime of the handlers. */
export const LAMBDA_RUNTIME = `nodejs${NODE_MAJOR}.x`;

/** The Lambda handlers shipped with this library (folders under `functions/`). */
export type HandlerName = "api" | "health" | "peer" | "bridge";

/**
 * Where the handler sources are: `functions/` beside `components/` when run from the repository,
 * or beside `dist/` when installed from the npm package (which ships the TypeScript sources).
 */
export function functionsDir(): string {
    const candidates = [
        path.join(__dirname, "..", "functions"),
        path.join(__dirname, "..", "..", "functions"),
    ];
    const found = candidates.find((dir) => fs.existsSync(path.join(dir, "api", "index.ts")));
    if (!found) {
        throw new Error(
            `multi-region-api: Lambda handler sources not found (looked in ${candidates.join(", ")})`,
        );
    }
    return found;
}

const bundles = new Map<HandlerName, string>();

/**
 * Bundles one handler with esbuild into a single CommonJS file, once per process. The AWS SDK v3
 * is provided by the Lambda runtime, so it stays external. Paths in the output are relative to the
 * functions folder (names of files outside it are dropped), no surrounding tsconfig is read, and
 * nothing time- or machine-dependent is embedded, so the same sources always give the same bytes
 * and a second `pulumi up` shows no code diff.
 */
export function bundleHandler(name: HandlerName): string {
    const cached = bundles.get(name);
    if (cached !== undefined) {
        return cached;
    }
    const dir = functionsDir();
    const result = esbuild.buildSync({
        absWorkingDir: dir,
        entryPoints: [path.join(name, "index.ts")],
        bundle: true,
        platform: "node",
        target: `node${NODE_MAJOR}`,
        format: "cjs",
        external: ["@aws-sdk/*"],
        legalComments: "none",
        // Never read a tsconfig.json found around the sources: the bytes must not depend on
        // whether the handlers run from this repository or from an installed package.
        tsconfigRaw: { compilerOptions: { alwaysStrict: true } },
        charset: "utf8",
        write: false,
        logLevel: "silent",
    });
    // esbuild names each bundled file in a comment. A dependency's name depends on where npm put
    // it (`../node_modules/x` in this repository, `../../x` in an installed package): drop those.
    const code = result.outputFiles[0].text.replace(/^\/\/ (\.\.\/)+\S+\n/gm, "");
    bundles.set(name, code);
    return code;
}

/** The handler as a Lambda deployment archive: one `index.js`, handler `index.handler`. */
export function handlerArchive(name: HandlerName): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset(bundleHandler(name)),
    });
}
