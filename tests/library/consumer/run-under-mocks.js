// Runs the compiled program under the Pulumi mock runtime and prints what it registered, proving
// that the installed package finds and bundles its Lambda handler sources.
const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks(
    {
        newResource(a) {
            registered.push(a);
            const state = {
                ...a.inputs,
                name: a.inputs.name ?? a.name,
                fqdn: a.inputs.name,
                arn: `arn:${a.name}`,
            };
            if (a.type === "aws:acm/certificate:Certificate") {
                state.domainValidationOptions = [
                    a.inputs.domainName,
                    ...a.inputs.subjectAlternativeNames,
                ].map((domainName) => ({
                    domainName,
                    resourceRecordName: `_x.${domainName}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: "_y.acm-validations.aws.",
                }));
            }
            if (a.type === "aws:apigateway/domainName:DomainName") {
                Object.assign(state, {
                    regionalDomainName: `d-${a.name}.execute-api.us-east-1.amazonaws.com`,
                    regionalZoneId: "ZAPIGW",
                });
            }
            return { id: `${a.name}-id`, state };
        },
        call(a) {
            const answers = {
                "aws:index/getRegion:getRegion": { region: "us-east-1" },
                "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "123456789012" },
                "aws:index/getPartition:getPartition": { partition: "aws" },
                "aws:route53/getZone:getZone": { zoneId: "ZNET", name: "example.net" },
            };
            if (!(a.token in answers)) throw new Error(`unmocked ${a.token}`);
            return answers[a.token];
        },
    },
    "consumer",
    "dev",
    false,
);
const program = require("./program.js");
program.healthUrl.apply(async (url) => {
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    const code = {};
    for (const r of registered.filter((r) => r.type === "aws:lambda/function:Function")) {
        const assets = await r.inputs.code.assets; // archives arrive with promised contents
        code[r.name] = {
            files: Object.keys(assets),
            bytes: (await assets["index.js"].text).length,
        };
        code[r.name].hasHealthToken = (await assets["index.js"].text).includes('"mra-health-ok"');
    }
    console.log(
        JSON.stringify({
            url,
            types: [...new Set(registered.map((r) => r.type))]
                .filter((t) => t.startsWith("multiregion:"))
                .sort(),
            code,
        }),
    );
});
