// Runs the compiled consumer program (program.js) under the Pulumi SDK's mock runtime, as
// `pulumi up` would evaluate it, and prints one JSON object: the program's exports (resolved),
// every resource type it registered, and the code of every Lambda function (its files and the
// sha256 of its index.js), proving that the installed package finds and bundles its handlers.
//
// The mocks stand in for AWS as plainly as possible. Invokes are answered per provider: getRegion
// answers with the `region` of the aws provider the invoke was made with, so a program using one
// provider per region sees each region; an invoke without an explicit regional provider, or one
// not mocked here, is an error rather than a silent default.
"use strict";
const { createHash } = require("node:crypto");
const pulumi = require("@pulumi/pulumi");

const ACCOUNT = "123456789012";
const registered = [];
/** Region of each explicit aws provider, by its name. */
const providerRegions = new Map();

/** The region of the aws provider a reference (`urn::id`) points to, if it is an explicit one. */
function regionOf(providerRef) {
    if (!providerRef) return undefined;
    // urn:pulumi:<stack>::<project>::<type, after its parents' types and `$`>::<name>::<id>
    const parts = providerRef.split("::");
    const type = (parts[2] ?? "").split("$").pop();
    if (type !== "pulumi:providers:aws") return undefined;
    return providerRegions.get(parts.slice(3, -1).join("::"));
}

process.on("unhandledRejection", (e) => {
    console.error(e);
    process.exit(1);
});

pulumi.runtime.setMocks(
    {
        newResource(a) {
            registered.push(a);
            if (a.type === "pulumi:providers:aws") {
                const known = providerRegions.get(a.name);
                if (known !== undefined && known !== a.inputs.region) {
                    throw new Error(`two aws providers named ${a.name} in different regions`);
                }
                providerRegions.set(a.name, a.inputs.region);
            }
            const region = a.inputs.region ?? regionOf(a.provider) ?? "us-east-1";
            const state = {
                ...a.inputs,
                name: a.inputs.name ?? a.name,
                fqdn: a.inputs.name,
                arn: `arn:${a.name}`,
            };
            if (a.type === "aws:acm/certificate:Certificate") {
                state.domainValidationOptions = [
                    a.inputs.domainName,
                    ...(a.inputs.subjectAlternativeNames ?? []),
                ].map((domainName) => ({
                    domainName,
                    resourceRecordName: `_x.${domainName}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: "_y.acm-validations.aws.",
                }));
            }
            if (a.type === "aws:apigateway/domainName:DomainName") {
                Object.assign(state, {
                    regionalDomainName: `d-${a.name}.execute-api.${region}.amazonaws.com`,
                    regionalZoneId: "ZAPIGW",
                });
            }
            return { id: `${a.name}-id`, state };
        },
        call(a) {
            switch (a.token) {
                case "aws:index/getRegion:getRegion": {
                    const region = regionOf(a.provider);
                    if (!region) {
                        throw new Error(
                            `${a.token} made without an explicit aws provider with a region (provider: ${a.provider})`,
                        );
                    }
                    return {
                        id: region,
                        name: region,
                        region,
                        endpoint: `ec2.${region}.amazonaws.com`,
                        description: region,
                    };
                }
                case "aws:index/getCallerIdentity:getCallerIdentity":
                    return {
                        id: ACCOUNT,
                        accountId: ACCOUNT,
                        arn: `arn:aws:iam::${ACCOUNT}:user/mock`,
                        userId: "MOCK",
                    };
                case "aws:index/getPartition:getPartition":
                    return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
                case "aws:route53/getZone:getZone": {
                    const name = String(a.inputs.name).replace(/\.$/, "");
                    const zoneId = `Z${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`;
                    return { id: zoneId, zoneId, name, privateZone: false };
                }
                default:
                    throw new Error(`unmocked invoke ${a.token}`);
            }
        },
    },
    "consumer",
    "dev",
    false,
);

const resolved = (value) => new Promise((resolve) => pulumi.output(value).apply(resolve));

(async () => {
    const program = require("./program.js");
    const exports = {};
    for (const [name, value] of Object.entries(program)) exports[name] = await resolved(value);
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    const lambdas = {};
    for (const r of registered.filter((r) => r.type === "aws:lambda/function:Function")) {
        const assets = await r.inputs.code.assets; // archives arrive with promised contents
        const text = await assets["index.js"]?.text;
        lambdas[r.name] = {
            files: Object.keys(assets).sort(),
            bytes: text?.length,
            sha256: text === undefined ? null : createHash("sha256").update(text).digest("hex"),
        };
    }
    console.log(
        JSON.stringify({
            exports,
            types: [...new Set(registered.map((r) => r.type))].sort(),
            lambdas,
        }),
    );
})().catch((e) => {
    console.error(e);
    process.exit(1);
});
