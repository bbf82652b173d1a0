// Reading stack outputs: from `pulumi stack output --json` or files, every mistake named.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadService, OperatorInputError, pulumiStackOutput } from "../../ops/outputs";
import { PRIMARY, SECONDARY, stackOutputs } from "./fixtures";

describe("operator stack outputs", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "mra-outputs-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, value: unknown) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
        return file;
    };
    const primary = () => stackOutputs(PRIMARY, "127.0.0.1:53", 443);
    const secondary = () => stackOutputs(SECONDARY, "127.0.0.1:53", 443);
    const rejects = (promise: Promise<unknown>, message: string) =>
        assert.rejects(promise, (e: Error) => {
            assert.ok(e instanceof OperatorInputError, String(e));
            assert.equal(e.message, message);
            return true;
        });

    it("reads one service from each stack's outputs, named by stack", async () => {
        const stacks: string[] = [];
        const service = await loadService(
            { stack: ["primary", "secondary"], project: dir },
            (stack) => {
                stacks.push(stack);
                return Promise.resolve(stack === "primary" ? primary() : secondary());
            },
        );
        assert.deepEqual(stacks, ["primary", "secondary"]);
        assert.deepEqual(
            [service.name, service.routing, service.recordType, service.nameServers],
            ["api.example.test", "failover", "A", ["127.0.0.1:53"]],
        );
        assert.deepEqual(
            service.regions.map((r) => [
                r.stack,
                r.region,
                r.failoverRole,
                r.operatorSwitch?.region,
            ]),
            [
                ["primary", PRIMARY, "PRIMARY", SECONDARY],
                ["secondary", SECONDARY, "SECONDARY", undefined],
            ],
        );
    });

    it("names every missing or malformed output of a stack, and how to get them", async () => {
        const old = primary();
        delete old.nameServers;
        delete old.certificateArn;
        const file = write("primary.json", { ...old, recordType: "MX", guards: [{ name: "x" }] });
        await rejects(
            loadService({ outputs: [file, write("secondary.json", secondary())], project: dir }),
            `outputs file ${file}: output "nameServers" is missing; output "recordType" is "MX"; allowed: A, AAAA, CNAME; output "certificateArn" is missing; output "guards[0].alarmName" is missing; output "guards[0].alarmRegion" is missing; output "guards[0].healthCheckId" is missing. Outputs come from \`pulumi stack output --json\` of a stack deployed with this version (run \`pulumi up\` once to export new outputs).`,
        );
    });

    it("reads a region's chaos experiments, and names every mistake in them", async () => {
        const files = (chaos: unknown) => [
            write("primary.json", { ...primary(), chaos }),
            write("secondary.json", { ...secondary(), chaos: null }),
        ];
        const service = await loadService({
            outputs: files({
                region: PRIMARY,
                bucket: "chaos-bucket",
                maxDurationMinutes: 10,
                stopAlarmNames: ["peer-alarm"],
                experiments: { "api-fails": "EXT1", slow: "EXT2" },
            }),
            project: dir,
        });
        assert.deepEqual(service.regions[0].chaos, {
            region: PRIMARY,
            bucket: "chaos-bucket",
            maxDurationMinutes: 10,
            stopAlarmNames: ["peer-alarm"],
            experiments: { "api-fails": "EXT1", slow: "EXT2" },
        });
        assert.equal("chaos" in service.regions[1], false);
        const [file] = files({
            region: SECONDARY,
            maxDurationMinutes: 2.5,
            stopAlarmNames: [],
            experiments: { "api-fails": "" },
        });
        await rejects(
            loadService({ outputs: [file], project: dir }),
            `outputs file ${file}: output "chaos.region" is "eu-west-1", not the stack's region "us-east-1"; output "chaos.bucket" is missing; output "chaos.maxDurationMinutes" must be a whole number of minutes (got 2.5); output "chaos.stopAlarmNames" must be a non-empty list of alarm names (got []); output "chaos.experiments" must map experiment names to template ids (got {"api-fails":""}). Outputs come from \`pulumi stack output --json\` of a stack deployed with this version (run \`pulumi up\` once to export new outputs).`,
        );
        await rejects(
            loadService({ outputs: files("on"), project: dir }),
            `outputs file ${path.join(dir, "primary.json")}: output "chaos" must be an object. Outputs come from \`pulumi stack output --json\` of a stack deployed with this version (run \`pulumi up\` once to export new outputs).`,
        );
    });

    it("refuses stacks that are not one service", async () => {
        const other = { ...secondary(), serviceUrl: "https://other.example.test" };
        await rejects(
            loadService({
                outputs: [write("primary.json", primary()), write("secondary.json", other)],
                project: dir,
            }),
            'the stacks given are not one service: "serviceUrl" differs: primary "http://api.example.test:443/", secondary "https://other.example.test/"',
        );
        const twoPrimaries = { ...secondary(), failoverRole: "PRIMARY" };
        await rejects(
            loadService({
                outputs: [write("primary.json", primary()), write("secondary.json", twoPrimaries)],
                project: dir,
            }),
            "the stacks given are not one service: a failover pair is one PRIMARY and one SECONDARY (got primary PRIMARY, secondary PRIMARY)",
        );
    });

    it("says what is wrong with the files and options", async () => {
        const missing = path.join(dir, "nope.json");
        await rejects(
            loadService({ outputs: [missing], project: dir }),
            `cannot read outputs file ${missing}: ENOENT`,
        );
        const text = write("text.json", "Current stack outputs (3):");
        await rejects(
            loadService({ outputs: [text], project: dir }),
            `outputs file ${text} is not JSON (Unexpected token 'C', "Current st"... is not valid JSON); write it with \`pulumi stack output --json > ${text}\``,
        );
        await rejects(
            loadService({ outputs: [write("list.json", [1])], project: dir }),
            `outputs file ${path.join(dir, "list.json")}: expected the JSON object \`pulumi stack output --json\` prints`,
        );
        await rejects(
            loadService({ stack: ["primary"], outputs: [text], project: dir }),
            "pass either --stack or --outputs, not both",
        );
        await rejects(
            loadService({ project: dir }),
            `no Pulumi.<stack>.yaml in ${dir}: pass --stack <name...>, --outputs <file...> or --project <dir>`,
        );
    });

    it("tells a machine without the Pulumi CLI to use --outputs", async () => {
        const saved = process.env.PATH;
        process.env.PATH = dir;
        try {
            await rejects(
                pulumiStackOutput("primary", dir),
                "the Pulumi CLI is not installed here: on a machine that has it, run `pulumi stack output --json --stack primary > primary.json` and pass --outputs primary.json",
            );
        } finally {
            process.env.PATH = saved;
        }
    });
});
