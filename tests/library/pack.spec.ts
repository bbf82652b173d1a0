// Packs the library, installs the tarball into a scratch project, type-checks a program that uses
// all three components against the packed declarations, and runs it under the SDK's mocks.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleHandler } from "../../components/handlerBundle";

const root = path.join(__dirname, "..", "..");
const npm = (args: string[], cwd: string) =>
    execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });

describe("library import from npm pack output", function () {
    this.timeout(180_000);
    let scratch: string;
    let tarball: string;

    before(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mra-consumer-"));
        const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", scratch], root));
        tarball = path.join(scratch, packed[0].filename);
        fs.writeFileSync(
            path.join(scratch, "package.json"),
            JSON.stringify({ name: "consumer", private: true }),
        );
        for (const file of fs.readdirSync(path.join(__dirname, "consumer"))) {
            fs.copyFileSync(path.join(__dirname, "consumer", file), path.join(scratch, file));
        }
        const typescript = JSON.parse(
            fs.readFileSync(path.join(root, "node_modules", "typescript", "package.json"), "utf8"),
        ).version;
        npm(["install", tarball, `typescript@${typescript}`, "--prefer-offline"], scratch);
    });

    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("ships the compiled library, its declarations and the handler sources, nothing else", () => {
        const installed = path.join(scratch, "node_modules", "multi-region-api");
        const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
        assert.equal(manifest.main, "dist/components/index.js");
        assert.equal(manifest.types, "dist/components/index.d.ts");
        for (const file of [
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "functions/api/index.ts",
            "functions/health/index.ts",
            "functions/shared/http.ts",
        ]) {
            assert.ok(fs.existsSync(path.join(installed, file)), file);
        }
        for (const absent of [
            "tests",
            "stack",
            "plan",
            "index.ts",
            "dist/stack",
            "functions/api/index.spec.ts",
        ]) {
            assert.ok(
                !fs.existsSync(path.join(installed, absent)),
                `${absent} must not be shipped`,
            );
        }
    });

    it("type-checks a program using RegionalApi, FailoverDomain and AlarmHealthCheck (strict, no skipLibCheck)", () => {
        execFileSync(
            process.execPath,
            [path.join(scratch, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
            {
                cwd: scratch,
                encoding: "utf8",
            },
        );
        assert.ok(fs.existsSync(path.join(scratch, "program.js")));
    });

    it("runs that program under mocks, bundling the shipped handlers exactly as the repository does", () => {
        const result = JSON.parse(
            execFileSync(process.execPath, ["run-under-mocks.js"], {
                cwd: scratch,
                encoding: "utf8",
            }),
        );
        assert.deepEqual(result, {
            url: "https://us-east-1.shop.example.net/health",
            types: [
                "multiregion:index:AlarmHealthCheck",
                "multiregion:index:FailoverDomain",
                "multiregion:index:RegionalApi",
            ],
            code: {
                "shop-api": {
                    files: ["index.js"],
                    bytes: bundleHandler("api").length,
                    hasHealthToken: false,
                },
                "shop-health": {
                    files: ["index.js"],
                    bytes: bundleHandler("health").length,
                    hasHealthToken: true,
                },
            },
        });
    });
});
