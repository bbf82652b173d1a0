// `status` against the loopback lab (real DNS and HTTP) with AWS mocked.
import { strict as assert } from "node:assert";
import type { ServiceStatus } from "../../ops/status";
import { eachTestLab, outputFiles, PRIMARY, runCli, SECONDARY, SERVICE } from "./fixtures";

describe("operator status", () => {
    const env = eachTestLab();

    const status = (...extra: string[]) =>
        runCli([
            "status",
            "--outputs",
            ...env.files.paths,
            "--resolver",
            env.lab.dns.address,
            ...extra,
        ]);

    it("shows the authoritative answer, the region serving, Route 53's checks, alarms and /health", async () => {
        const r = await status("--json");
        assert.equal(r.code, 0, r.err.join("\n"));
        const s = JSON.parse(r.out.join("\n")) as ServiceStatus;
        assert.deepEqual(s.answer, {
            values: ["127.0.0.1"],
            server: env.lab.dns.address,
            region: PRIMARY,
        });
        assert.equal(s.served?.servedBy, PRIMARY);
        assert.equal(s.served?.healthy, true);
        assert.equal(s.route53Problem, undefined);
        assert.deepEqual(
            s.regions.map((x) => [
                x.region,
                x.checks.map((c) => `${c.role} ${c.healthy} ${c.detail}`),
            ]),
            [
                [
                    PRIMARY,
                    [
                        "endpoint true healthy (3/3 checkers)",
                        "routed true healthy",
                        "switch true healthy",
                    ],
                ],
                [SECONDARY, ["endpoint true healthy (3/3 checkers)"]],
            ],
        );
        assert.deepEqual(s.regions[0].alarms, [
            {
                role: "switch",
                name: "us-east-1-switch-alarm",
                region: SECONDARY,
                state: "OK",
                metric: {
                    namespace: "HealthCheck",
                    metricName: "Failover",
                    dimensions: { Service: SERVICE, Region: PRIMARY },
                },
            },
        ]);
        assert.deepEqual(
            s.regions.map((x) => [x.health.healthy, x.health.servedBy, x.health.address]),
            [
                [true, PRIMARY, "127.0.0.1"],
                [true, SECONDARY, "127.0.0.2"],
            ],
        );
        // The service name and each regional name were asked of the zone's server.
        assert.ok(env.lab.dns.questions.includes(`${SERVICE} A`));
        assert.ok(env.lab.dns.questions.includes(`${SECONDARY}.${SERVICE} A`));
    });

    it("prints a table for people", async () => {
        const r = await status();
        assert.equal(r.code, 0);
        const text = r.out.join("\n");
        assert.match(
            text,
            new RegExp(
                `DNS answer from ${env.lab.dns.address.replace(/\./g, "\\.")}: 127\\.0\\.0\\.1 → us-east-1`,
            ),
        );
        assert.match(text, /Served: healthy from us-east-1 \(200, \d+ ms\)/);
        assert.match(
            text,
            /us-east-1 +primary +PRIMARY +endpoint healthy \(3\/3 checkers\); routed healthy; switch healthy +switch OK in eu-west-1 +healthy from us-east-1/,
        );
        assert.match(
            text,
            /eu-west-1 +secondary +SECONDARY +endpoint healthy \(3\/3 checkers\) +- +healthy from eu-west-1/,
        );
    });

    it("still shows DNS, /health and the switch alarm when us-east-1 (Route 53's API) is unreachable", async () => {
        env.aws.down.add(PRIMARY);
        const r = await status("--json");
        assert.equal(r.code, 0);
        const s = JSON.parse(r.out.join("\n")) as ServiceStatus;
        assert.match(
            s.route53Problem ?? "",
            /^Route 53's view of a check is unavailable: its API and metrics live in us-east-1, which is unreachable \(us-east-1 unreachable: route53:GetHealthCheckStatus had no answer within 1 s\)$/,
        );
        assert.equal(s.answer.region, PRIMARY);
        assert.deepEqual(
            s.regions.flatMap((x) => x.checks.map((c) => [c.healthy, c.detail])),
            [
                [undefined, "unknown (see below)"],
                [undefined, "unknown (see below)"],
                [undefined, "unknown (see below)"],
                [undefined, "unknown (see below)"],
            ],
        );
        assert.equal(s.regions[0].alarms[0].state, "OK");
        assert.equal(s.regions[1].health.healthy, true);
        const text = (await status()).out.join("\n");
        assert.match(
            text,
            /which is unreachable .*\. The DNS answer, \/health and alarm states above are current\./,
        );
    });

    it("names access denied instead of failing", async () => {
        env.aws.denied.add("all");
        const s = JSON.parse((await status("--json")).out.join("\n")) as ServiceStatus;
        assert.match(
            s.route53Problem ?? "",
            /access denied: route53:GetHealthCheckStatus in us-east-1 \(AccessDenied\); the operator role needs it \(README, "Operator permissions"\)/,
        );
        assert.match(
            s.regions[0].alarms[0].problem ?? "",
            /access denied: cloudwatch:DescribeAlarms in eu-west-1/,
        );
        assert.equal(s.served?.servedBy, PRIMARY);
    });

    it("says when a region's /health fails and which region serves", async () => {
        env.lab.region(PRIMARY).healthy = false;
        env.lab.answer(SECONDARY);
        const s = JSON.parse((await status("--json")).out.join("\n")) as ServiceStatus;
        assert.equal(s.answer.region, SECONDARY);
        assert.equal(s.served?.servedBy, SECONDARY);
        assert.deepEqual(
            [s.regions[0].health.healthy, s.regions[0].health.problem],
            [false, "status 503"],
        );
    });
});

describe("operator status: telling the region apart", () => {
    const env = eachTestLab();

    it("follows a CNAME record to its API Gateway target, resolved by --resolver, and probes there", async () => {
        env.files.remove();
        env.files = outputFiles(env.lab, (_region, o) => ({ ...o, recordType: "CNAME" }));
        env.lab.dns.set(SERVICE, "CNAME", [
            `d-${SECONDARY}.execute-api.${SECONDARY}.amazonaws.com`,
        ]);
        const r = await runCli([
            "status",
            "--json",
            "--outputs",
            ...env.files.paths,
            "--resolver",
            env.lab.dns.address,
        ]);
        const s = JSON.parse(r.out.join("\n")) as ServiceStatus;
        assert.deepEqual(s.answer.values, [
            `d-${SECONDARY}.execute-api.${SECONDARY}.amazonaws.com`,
        ]);
        assert.equal(s.answer.region, SECONDARY);
        assert.deepEqual([s.served?.address, s.served?.servedBy], ["127.0.0.2", SECONDARY]);
    });

    it("tells the region by who served when the answer's addresses match no region's", async () => {
        // API Gateway's address sets rotate: the targets' addresses may share none with the answer.
        for (const r of [PRIMARY, SECONDARY]) {
            env.lab.dns.set(`${r}.${SERVICE}`, "A", ["127.0.0.9"]);
            env.lab.dns.set(`d-${r}.execute-api.${r}.amazonaws.com`, "A", ["127.0.0.9"]);
        }
        const r = await runCli([
            "status",
            "--json",
            "--outputs",
            ...env.files.paths,
            "--resolver",
            env.lab.dns.address,
        ]);
        const s = JSON.parse(r.out.join("\n")) as ServiceStatus;
        assert.deepEqual(
            [s.answer.values, s.answer.region, s.answer.regionFrom],
            [["127.0.0.1"], PRIMARY, "served-by"],
        );
    });
});
