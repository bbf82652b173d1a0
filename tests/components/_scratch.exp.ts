import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionalApi } from "../../components/regionalApi";
import { FailoverDomain, RoutingPolicy } from "../../components/failoverDomain";
import { created, promiseOf, state, reset } from "../harness";

describe("exp", () => {
    it("api", async () => {
        reset();
        const t = Date.now();
        const p = new aws.Provider("use1", { region: "us-east-1" });
        const api = new RegionalApi("use1", { serviceName: "api.example.com", zoneName: "example.com", tableName: "products", tags: { a: "b" } }, { providers: { aws: p } });
        await promiseOf(api.healthUrl);
        await state.settle();
        console.log("took", Date.now() - t);
        for (const r of created) console.log(r.type, r.name, r.urn, r.parent, r.providerRegion, JSON.stringify(r.dependsOn));
        const fn = created.find((r) => r.type === "aws:lambda/function:Function")!;
        console.log(Object.keys(fn.inputs), typeof fn.inputs.code, fn.inputs.code?.constructor?.name, JSON.stringify(fn.inputs.code).slice(0, 300));
        console.log(JSON.stringify(state.invokes.map(i => [i.token, i.provider, i.inputs])));
        console.log(await promiseOf(api.apiHandler.function.urn));
    });
    it("loop", async () => {
        reset();
        const p = new aws.Provider("use1b", { region: "us-east-1" });
        process.on("unhandledRejection", (e) => console.log("UNHANDLED", String(e)));
        const d = new FailoverDomain("loop", {
            endpoint: { region: "us-east-1", serviceName: "api.example.com", hostedZoneId: "Z1", regionalDomainName: "d.x", regionalZoneId: "Z2", regionalHostname: "api.example.com", healthPath: "/health", healthSearchString: "ok" },
            routingPolicy: RoutingPolicy.Latency,
        }, { providers: { aws: p } });
        const pr = (o: any) => (o as any).promise();
        for (const [k, o] of [["fqdn", d.endpointHealthCheck.fqdn], ["hcid", d.healthCheckId], ["urn", d.endpointHealthCheck.urn], ["rec", d.record.fqdn]] as const) {
            try { console.log(k, await Promise.race([pr(o), new Promise((r) => setTimeout(() => r("TIMEOUT"), 2000))])); } catch (e) { console.log(k, "REJECT", (e as Error).constructor.name, (e as Error).message); }
        }
        try { await state.settle(); console.log("settled"); } catch (e) { console.log("settle rejected", String(e)); }
        console.log(created.map((r) => r.type + " " + r.name));
    });
});
