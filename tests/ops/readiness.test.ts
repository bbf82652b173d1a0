// `readiness` with AWS mocked and each region's /health on loopback.
import { strict as assert } from "node:assert";
import { eachTestLab, PRIMARY, runCli, SECONDARY } from "./fixtures";

describe("operator readiness", () => {
    const env = eachTestLab();

    const readiness = async (...extra: string[]) => {
        const r = await runCli([
            "readiness",
            "--outputs",
            ...env.files.paths,
            "--resolver",
            env.lab.dns.address,
            "--json",
            ...extra,
        ]);
        const parsed = JSON.parse(r.out.join("\n")) as {
            ready: boolean;
            rows: {
                check: string;
                region: string;
                verdict: string;
                detail: string;
                action: string;
            }[];
        };
        return { code: r.code, ...parsed };
    };
    const verdicts = (rows: { check: string; region: string; verdict: string }[]) =>
        rows.map((r) => `${r.region} ${r.check} ${r.verdict}`);

    it("answers every check ok for two ready regions", async () => {
        const r = await readiness();
        assert.equal(r.code, 0);
        assert.equal(r.ready, true);
        assert.deepEqual(verdicts(r.rows), [
            "us-east-1 health ok",
            "us-east-1 switch ok",
            "us-east-1 certificate ok",
            "us-east-1 domain ok",
            "us-east-1 domain ok",
            "us-east-1 table ok",
            "us-east-1 capacity ok",
            "us-east-1 capacity ok",
            "us-east-1 endpoint-check ok",
            "us-east-1 replication ok",
            "eu-west-1 health ok",
            "eu-west-1 certificate ok",
            "eu-west-1 domain ok",
            "eu-west-1 domain ok",
            "eu-west-1 table ok",
            "eu-west-1 capacity ok",
            "eu-west-1 capacity ok",
            "eu-west-1 endpoint-check ok",
            "eu-west-1 replication ok",
            "all code ok",
            "all code ok",
            "all routes ok",
        ]);
        const detail = (check: string, region: string) =>
            r.rows.filter((x) => x.check === check && x.region === region).map((x) => x.detail);
        assert.deepEqual(detail("certificate", SECONDARY), [
            "ISSUED, expires 2027-06-09 (200 days), renewal SUCCESS",
        ]);
        assert.deepEqual(detail("domain", SECONDARY), [
            "api.example.test: AVAILABLE, mapped to rest-eu-west-1/v1",
            "eu-west-1.api.example.test: AVAILABLE, mapped to rest-eu-west-1/v1",
        ]);
        assert.deepEqual(detail("replication", SECONDARY), ["us-east-1 → eu-west-1: 400 ms"]);
        assert.deepEqual(detail("table", SECONDARY), [
            "products ACTIVE; replica in eu-west-1: ACTIVE; all replicas: us-east-1 ACTIVE, eu-west-1 ACTIVE",
        ]);
        assert.deepEqual(detail("code", "all"), [
            "api function: same code (hash-a)",
            "health function: same code (hash-a)",
        ]);
        assert.deepEqual(detail("routes", "all"), ["same 3 routes everywhere"]);
        assert.ok(r.rows.filter((x) => x.verdict === "ok").every((x) => x.action === ""));
    });

    it("fails, with what to do, for each way a region is not ready", async () => {
        env.lab.region(SECONDARY).healthy = false;
        env.aws.preset(PRIMARY, 1);
        env.aws.replicaStatus = "CREATING";
        env.aws.replicationMs = 200_000;
        env.aws.reservedConcurrency = 0;
        env.aws.routes[SECONDARY] = ["GET /products/{id}", "GET /health"];
        const r = await readiness();
        assert.equal(r.code, 1);
        assert.equal(r.ready, false);
        const fails = r.rows
            .filter((x) => x.verdict === "fail")
            .map((x) => `${x.region} ${x.check}: ${x.detail} → ${x.action}`);
        assert.deepEqual(fails, [
            "us-east-1 switch: alarm us-east-1-switch-alarm in eu-west-1: ALARM (takes the region out of DNS) → release it: multi-region-api failback --to us-east-1",
            "us-east-1 capacity: api-us-east-1: reserved concurrency 0 (the function is switched off) → aws lambda delete-function-concurrency --region us-east-1 --function-name api-us-east-1, or pulumi up",
            "us-east-1 capacity: health-us-east-1: reserved concurrency 0 (the function is switched off) → aws lambda delete-function-concurrency --region us-east-1 --function-name health-us-east-1, or pulumi up",
            "us-east-1 replication: eu-west-1 → us-east-1: 200000 ms → recent writes have not arrived: data written before failover may be missing",
            `eu-west-1 health: http://eu-west-1.api.example.test:${env.lab.regions[0].port}/health: UNHEALTHY from eu-west-1: status 503 → the region cannot serve: see its health function's log and the table`,
            "eu-west-1 table: products ACTIVE; replica in eu-west-1: CREATING; all replicas: us-east-1 ACTIVE, eu-west-1 CREATING → this region's replica is not ACTIVE: its reads and writes would fail or not replicate",
            "eu-west-1 capacity: api-eu-west-1: reserved concurrency 0 (the function is switched off) → aws lambda delete-function-concurrency --region eu-west-1 --function-name api-eu-west-1, or pulumi up",
            "eu-west-1 capacity: health-eu-west-1: reserved concurrency 0 (the function is switched off) → aws lambda delete-function-concurrency --region eu-west-1 --function-name health-eu-west-1, or pulumi up",
            "eu-west-1 replication: us-east-1 → eu-west-1: 200000 ms → recent writes have not arrived: data written before failover may be missing",
            "all routes: PUT /products/{id} only in us-east-1 → clients would get 404 after failover: deploy every stack from the same commit",
        ]);
    });

    it("warns on an expiring certificate, throttling, different code and missing replication data", async () => {
        env.aws.certificateDays = 12;
        env.aws.throttles = 3;
        env.aws.codeHash[SECONDARY] = "hash-b";
        env.aws.replicationMs = undefined;
        const r = await readiness("--region", SECONDARY);
        assert.equal(r.code, 0);
        assert.deepEqual(
            r.rows
                .filter((x) => x.verdict === "warn")
                .map((x) => `${x.region} ${x.check}: ${x.detail} → ${x.action}`),
            [
                "eu-west-1 certificate: ISSUED, expires 2026-12-03 (12 days), renewal SUCCESS → ACM has not renewed it: check its DNS validation record is still in the zone",
                "eu-west-1 capacity: api-eu-west-1: 3 throttles in 15 min → it throttles already: raise the account's concurrency quota in this region before moving traffic here",
                "eu-west-1 capacity: health-eu-west-1: 3 throttles in 15 min → it throttles already: raise the account's concurrency quota in this region before moving traffic here",
                "eu-west-1 replication: us-east-1 → eu-west-1: no ReplicationLatency data in 15 min → no writes lately, or replication has stalled: write a test item and read it here",
                "all code: api function: us-east-1 hash-a, eu-west-1 hash-b → the regions run different code: deploy every stack from the same commit",
                "all code: health function: us-east-1 hash-a, eu-west-1 hash-b → the regions run different code: deploy every stack from the same commit",
            ],
        );
        assert.ok(r.rows.every((x) => x.region !== PRIMARY || x.check === "code"));
    });

    it("fails the rows of a region that does not answer, within the deadline", async () => {
        env.aws.down.add(SECONDARY);
        const r = await readiness("--region", SECONDARY);
        assert.equal(r.code, 1);
        const failed = r.rows.filter((x) => x.verdict === "fail");
        assert.deepEqual(
            failed.map((x) => `${x.check} ${x.detail}`),
            [
                "certificate could not check: eu-west-1 unreachable: acm:DescribeCertificate had no answer within 1 s",
                "domain could not check: eu-west-1 unreachable: apigateway:GET /domainnames/{name} had no answer within 1 s",
                "table could not check: eu-west-1 unreachable: dynamodb:DescribeTable had no answer within 1 s",
                "capacity could not check: eu-west-1 unreachable: cloudwatch:GetMetricData had no answer within 1 s",
            ],
        );
        // Comparisons across regions cannot be made, which says nothing more against eu-west-1.
        assert.deepEqual(
            r.rows
                .filter((x) => x.region === "all")
                .map((x) => `${x.check} ${x.verdict} ${x.detail}`),
            [
                "code warn could not check: eu-west-1 unreachable: lambda:GetFunctionConfiguration had no answer within 1 s",
                "routes warn could not check: eu-west-1 unreachable: apigateway:GET /restapis/{id}/resources had no answer within 1 s",
            ],
        );
    });

    it("does not fail a region because another region or Route 53's API (us-east-1) is down", async () => {
        env.aws.down.add(PRIMARY);
        const r = await readiness("--region", SECONDARY);
        assert.equal(r.code, 0, JSON.stringify(r.rows, null, 1));
        assert.deepEqual(
            r.rows
                .filter((x) => x.verdict !== "ok")
                .map((x) => `${x.region} ${x.check} ${x.verdict}: ${x.detail} → ${x.action}`),
            [
                "eu-west-1 endpoint-check warn: could not check: us-east-1 unreachable: route53:GetHealthCheckStatus had no answer within 1 s → not a problem of eu-west-1: check again when us-east-1 answers",
                "eu-west-1 replication warn: could not check: us-east-1 unreachable: cloudwatch:GetMetricData had no answer within 1 s → not a problem of eu-west-1: check again when us-east-1 answers",
                "all code warn: could not check: us-east-1 unreachable: lambda:GetFunctionConfiguration had no answer within 1 s → not a finding: check again when us-east-1 answers",
                "all routes warn: could not check: us-east-1 unreachable: apigateway:GET /restapis/{id}/resources had no answer within 1 s → not a finding: check again when us-east-1 answers",
            ],
        );
    });

    it("refuses a region the service does not have", async () => {
        const r = await runCli([
            "readiness",
            "--outputs",
            ...env.files.paths,
            "--region",
            "ap-south-1",
        ]);
        assert.equal(r.code, 2);
        assert.deepEqual(r.err, [
            "--region ap-south-1: not a region of api.example.test; its regions: us-east-1, eu-west-1",
        ]);
        const bad = await runCli([
            "readiness",
            "--outputs",
            ...env.files.paths,
            "--region",
            "east",
        ]);
        assert.equal(bad.code, 2);
    });
});
