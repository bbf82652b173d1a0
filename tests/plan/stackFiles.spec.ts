// Reading stack files as the Pulumi CLI hands them to a program: values a program cannot receive
// (non-finite numbers) and settings Pulumi would ignore (a misspelled `config:`) are refused by
// name, never passed on as a missing value.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackConfig } from "../../plan/stackFiles";

describe("stack files", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "mra-stackfiles-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const read = (yaml: string) => {
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), yaml);
        return () => readStackConfig("dev", dir);
    };

    it("objects and numbers become JSON, strings stay, keys get the project's namespace", () => {
        assert.deepEqual(
            read("config:\n  aws:region: us-east-1\n  size: 3\n  check:\n    interval: 10\n")(),
            {
                values: {
                    "aws:region": "us-east-1",
                    "demo:size": "3",
                    "demo:check": '{"interval":10}',
                },
                secretKeys: [],
            },
        );
    });

    it("refuses NaN and infinities (YAML .nan, .inf, 1e400), naming the key", () => {
        const cases: [string, string][] = [
            ["  check:\n    interval: .nan\n", "[demo:check.interval] is NaN"],
            ["  check:\n    interval: -.inf\n", "[demo:check.interval] is -Infinity"],
            ["  size: 1e400\n", "[demo:size] is Infinity"],
        ];
        for (const [yaml, what] of cases) {
            assert.throws(read(`config:\n${yaml}`), {
                message: `Pulumi.dev.yaml: ${what}, which configuration cannot carry (JSON has no such number): give a finite number`,
            });
        }
    });

    it("refuses a top-level key Pulumi would ignore, such as a misspelled config", () => {
        assert.throws(read("conf:\n  aws:region: us-east-1\n"), {
            message:
                'Pulumi.dev.yaml: "conf" is not a stack file setting; the settings are config, secretsprovider, encryptedkey, encryptionsalt, environment',
        });
    });
});
