import * as assert from "node:assert/strict";
import { API_RULES } from "../../plan/rules/apis";
import {
    certificateCoverageRule,
    certificateNameLengthRule,
    certificateNotValidatedRule,
    certificateRegionRule,
} from "../../plan/rules/apisCertificates";
import {
    apiMappingDuplicateRule,
    basePathMappingMissingRule,
    websocketDomainSharedRule,
} from "../../plan/rules/apisMappings";
import { recordDuplicateRule, validationRecordSharedRule } from "../../plan/rules/apisRecords";
import { lambdaLeastPrivilegeRule } from "../../plan/rules/iamLeastPrivilege";
import { wildcardResource } from "../../plan/rules/iamPolicy";
import { ResourceSnapshot, UNKNOWN, runRules } from "../../plan/rules";
import { T } from "../../plan/rules/values";
import { dependingOn, finding, findingsOf, options, snap } from "./helpers";

const ARN_USE1 = "arn:aws:acm:us-east-1:123456789012:certificate/0c5b1d2e";
const ARN_EUW1 = "arn:aws:acm:eu-west-1:123456789012:certificate/7f3a9b40";

/** One region of the project: a certificate, its validation, and a REGIONAL domain using it. */
function regionalDomain(region = "us-east-1", arn = ARN_USE1) {
    const cert = snap(
        T.certificate,
        `${region}-cert`,
        {
            domainName: "api.example.com",
            subjectAlternativeNames: [`${region}.api.example.com`],
            validationMethod: "DNS",
        },
        { region },
    );
    const validation = snap(
        T.certificateValidation,
        `${region}-cert-validation`,
        { certificateArn: arn },
        { region, ...dependingOn(cert) },
    );
    const domain = snap(
        T.domainName,
        `${region}-service-domain`,
        {
            domainName: "api.example.com",
            endpointConfiguration: { types: "REGIONAL" },
            regionalCertificateArn: arn,
            securityPolicy: "TLS_1_2",
        },
        { region, ...dependingOn(validation) },
    );
    return { cert, validation, domain };
}

describe("API rules", () => {
    describe("certificate-region", () => {
        const rule = certificateRegionRule;

        it("passes a REGIONAL domain with a validated certificate of its own region", () => {
            const { cert, validation, domain } = regionalDomain();
            // A created domain's state shows the unused edge field as "".
            const created = { ...domain, inputs: { ...domain.inputs, certificateArn: "" } };
            assert.deepEqual(findingsOf(rule, [cert, validation, domain]), []);
            assert.deepEqual(findingsOf(rule, [cert, validation, created]), []);
        });

        it("reports a REGIONAL domain whose certificate ARN is in another region", () => {
            const { cert, validation } = regionalDomain("us-east-1");
            const domain = snap(
                T.domainName,
                "eu-domain",
                {
                    domainName: "api.example.com",
                    endpointConfiguration: { types: ["REGIONAL"] },
                    regionalCertificateArn: ARN_USE1,
                },
                { region: "eu-west-1", ...dependingOn(validation) },
            );
            assert.deepEqual(findingsOf(rule, [cert, validation, domain]), [
                finding(
                    rule,
                    domain,
                    `The REGIONAL custom domain api.example.com (eu-domain) is in eu-west-1 but its certificate is in us-east-1 (its ARN ${ARN_USE1}): API Gateway takes a regional domain's certificate only from the domain's own region, so creating the domain fails. Request or import the certificate in eu-west-1 (region: "eu-west-1") and use that one.`,
                ),
            ]);
        });

        it("reads the region of the certificate the domain depends on while the ARN is unknown", () => {
            const { cert, validation } = regionalDomain("us-east-1");
            const domain = snap(
                T.domainNameV2,
                "http-domain",
                {
                    domainName: "api.example.com",
                    domainNameConfiguration: {
                        certificateArn: UNKNOWN,
                        endpointType: "REGIONAL",
                        securityPolicy: "TLS_1_2",
                    },
                },
                { region: "eu-west-1", ...dependingOn(validation) },
            );
            assert.deepEqual(findingsOf(rule, [cert, validation, domain]), [
                finding(
                    rule,
                    domain,
                    `The REGIONAL custom domain api.example.com (http-domain) is in eu-west-1 but its certificate is in us-east-1 (us-east-1-cert, us-east-1-cert-validation): API Gateway takes a regional domain's certificate only from the domain's own region, so creating the domain fails. Request or import the certificate in eu-west-1 (region: "eu-west-1") and use that one.`,
                ),
            ]);
        });

        it("reports the edge field certificateArn on a REGIONAL domain", () => {
            const domain = snap(T.domainName, "api", {
                domainName: "api.example.com",
                endpointConfiguration: { types: "REGIONAL" },
                certificateArn: UNKNOWN,
            });
            assert.deepEqual(findingsOf(rule, [domain]), [
                finding(
                    rule,
                    domain,
                    'The REGIONAL custom domain api.example.com (api) sets certificateArn, the field of EDGE domains: API Gateway refuses it ("Cannot import certificates for EDGE while REGIONAL is active"). Pass the certificate as regionalCertificateArn instead.',
                ),
            ]);
        });

        it("reports an EDGE domain with a certificate outside us-east-1, or the regional field", () => {
            const edge = snap(
                T.domainName,
                "edge",
                { domainName: "api.example.com", certificateArn: ARN_EUW1 },
                { region: "eu-west-1" },
            );
            const regionalField = snap(T.domainName, "edge-regional-field", {
                domainName: "www.example.com",
                endpointConfiguration: { types: "edge" },
                regionalCertificateArn: ARN_USE1,
            });
            const fine = snap(
                T.domainName,
                "edge-fine",
                {
                    domainName: "app.example.com",
                    endpointConfiguration: { types: "EDGE" },
                    certificateArn: ARN_USE1,
                },
                { region: "eu-west-1" },
            );
            assert.deepEqual(findingsOf(rule, [edge, regionalField, fine]), [
                finding(
                    rule,
                    edge,
                    `The EDGE custom domain api.example.com (edge) uses a certificate in eu-west-1 (its ARN ${ARN_EUW1}): edge domains are served by CloudFront, which takes certificates from us-east-1 only, so creating the domain fails. Request the certificate in us-east-1, or make the domain REGIONAL with a certificate of its own region.`,
                ),
                finding(
                    rule,
                    regionalField,
                    'The EDGE custom domain www.example.com (edge-regional-field) sets regionalCertificateArn, the field of REGIONAL domains: API Gateway refuses it. Set endpointConfiguration types to "REGIONAL" (what failover between regions needs) or pass a us-east-1 certificate as certificateArn.',
                ),
            ]);
        });
    });

    describe("certificate-coverage", () => {
        const rule = certificateCoverageRule;

        it("passes names covered exactly or by a one-label wildcard, in any case", () => {
            const { cert, validation, domain } = regionalDomain();
            const regional = snap(
                T.domainName,
                "regional-domain",
                {
                    domainName: "US-EAST-1.api.example.com.",
                    endpointConfiguration: { types: "REGIONAL" },
                    regionalCertificateArn: ARN_USE1,
                },
                dependingOn(validation),
            );
            const wildcard = snap(T.certificate, "wildcard", {
                domainName: "*.Example.com",
                validationMethod: "DNS",
            });
            const www = snap(
                T.domainName,
                "www",
                {
                    domainName: "www.example.com",
                    endpointConfiguration: { types: "REGIONAL" },
                    regionalCertificateArn: UNKNOWN,
                },
                dependingOn(wildcard),
            );
            assert.deepEqual(
                findingsOf(rule, [cert, validation, domain, regional, wildcard, www]),
                [],
            );
        });

        it("reports a name the certificate does not cover (a wildcard covers one label)", () => {
            const wildcard = snap(T.certificate, "wildcard", {
                domainName: "*.example.com",
                subjectAlternativeNames: ["example.com"],
                validationMethod: "DNS",
            });
            const domain = snap(
                T.domainName,
                "v1",
                {
                    domainName: "v1.api.example.com",
                    endpointConfiguration: { types: "REGIONAL" },
                    regionalCertificateArn: UNKNOWN,
                },
                dependingOn(wildcard),
            );
            assert.deepEqual(findingsOf(rule, [wildcard, domain]), [
                finding(
                    rule,
                    domain,
                    "The custom domain v1.api.example.com (v1) uses certificate wildcard (*.example.com, example.com), which does not cover v1.api.example.com: clients of https://v1.api.example.com get a certificate for other names and refuse the connection. Add v1.api.example.com (or *.api.example.com) to the certificate's domainName or subjectAlternativeNames.",
                ),
            ]);
        });

        it("finds the certificate by its ARN when the snapshot carries the certificate's arn", () => {
            const cert = snap(T.certificate, "cert", {
                domainName: "api.example.com",
                arn: ARN_USE1,
            });
            const domain = snap(T.domainNameV2, "other", {
                domainName: "other.example.com",
                domainNameConfiguration: { certificateArn: ARN_USE1, endpointType: "REGIONAL" },
            });
            assert.deepEqual(findingsOf(rule, [cert, domain]), [
                finding(
                    rule,
                    domain,
                    "The custom domain other.example.com (other) uses certificate cert (api.example.com), which does not cover other.example.com: clients of https://other.example.com get a certificate for other names and refuse the connection. Add other.example.com (or *.example.com) to the certificate's domainName or subjectAlternativeNames.",
                ),
            ]);
        });
    });

    describe("certificate-not-validated", () => {
        const rule = certificateNotValidatedRule;

        it("reports a domain using a DNS-validated certificate's arn directly", () => {
            const cert = snap(T.certificate, "cert", {
                domainName: "api.example.com",
                validationMethod: "dns",
            });
            const domain = snap(
                T.domainName,
                "api",
                {
                    domainName: "api.example.com",
                    endpointConfiguration: { types: "REGIONAL" },
                    regionalCertificateArn: UNKNOWN,
                },
                dependingOn(cert),
            );
            assert.deepEqual(findingsOf(rule, [cert, domain]), [
                finding(
                    rule,
                    domain,
                    "The custom domain api.example.com (api) uses certificate cert (DNS validation) without waiting for an aws.acm.CertificateValidation: on a first deploy the domain is created while ACM still has the certificate PENDING_VALIDATION, and API Gateway refuses it. Pass a CertificateValidation's certificateArn to the domain instead of the certificate's arn.",
                ),
            ]);
        });

        it("passes a domain that waits for the validation, directly or through another resource", () => {
            const { cert, validation, domain } = regionalDomain();
            const alsoCert = snap(
                T.domainName,
                "also-cert",
                { domainName: "api.example.com", regionalCertificateArn: ARN_USE1 },
                dependingOn(cert, validation),
            );
            const waiter = snap("aws:index/waiter:Waiter", "waiter", {}, dependingOn(validation));
            const throughWaiter = snap(
                T.domainName,
                "through-waiter",
                { domainName: "api.example.com", regionalCertificateArn: UNKNOWN },
                dependingOn(cert, waiter),
            );
            const imported = snap(T.certificate, "imported", { certificateBody: "PEM" });
            const usesImported = snap(
                T.domainName,
                "uses-imported",
                { domainName: "api.example.com", regionalCertificateArn: UNKNOWN },
                dependingOn(imported),
            );
            assert.deepEqual(
                findingsOf(rule, [
                    cert,
                    validation,
                    domain,
                    alsoCert,
                    waiter,
                    throughWaiter,
                    imported,
                    usesImported,
                ]),
                [],
            );
        });
    });

    describe("certificate-name-length", () => {
        const rule = certificateNameLengthRule;
        const long = `${"a".repeat(50)}.example.com`; // 62 characters
        const tooLong = `${"b".repeat(53)}.example.com`; // 65 characters

        it("passes a first name of 64 characters and a long alternative name", () => {
            const cert = snap(T.certificate, "cert", {
                domainName: `${"c".repeat(52)}.example.com`,
                subjectAlternativeNames: [`${"d".repeat(60)}.${"e".repeat(60)}.example.com`, long],
            });
            assert.deepEqual(findingsOf(rule, [cert]), []);
        });

        it("reports a first name over 64 characters and an alternative name over 253", () => {
            const huge = `${"f".repeat(63)}.${"g".repeat(63)}.${"h".repeat(63)}.${"i".repeat(50)}.example.com`;
            const cert = snap(T.certificate, "cert", {
                domainName: tooLong,
                subjectAlternativeNames: [huge, UNKNOWN],
            });
            assert.deepEqual(findingsOf(rule, [cert]), [
                finding(
                    rule,
                    cert,
                    `Certificate cert has domainName ${tooLong} of 65 characters: ACM refuses a first name (the certificate's Common Name) longer than 64, so the request fails. Put a name of at most 64 characters first (for example a parent wildcard) and ${tooLong} in subjectAlternativeNames.`,
                ),
                finding(
                    rule,
                    cert,
                    `Certificate cert has subject alternative name ${huge} of 254 characters: ACM refuses names longer than 253, so the request fails. Use a shorter name.`,
                ),
            ]);
        });
    });

    describe("validation-record-shared", () => {
        const rule = validationRecordSharedRule;
        const NAME = "_3f1d.api.example.com.";
        const VALUE = "_9c2e.acm-validations.aws.";

        /** The service name's validation record as one region's stack declares it. */
        const validationRecord = (
            stack: string,
            allowOverwrite: unknown,
            retainOnDelete: boolean | typeof UNKNOWN,
            more: Record<string, unknown> = {},
        ) =>
            snap(
                T.record,
                "cert-validation-service",
                {
                    zoneId: "Z123",
                    name: NAME,
                    type: "CNAME",
                    records: [VALUE],
                    ttl: 300,
                    allowOverwrite,
                    ...more,
                },
                {
                    stack,
                    urn: `urn:pulumi:${stack}::proj::${T.record}::cert-validation-service`,
                    options: options([], retainOnDelete),
                },
            );

        it("passes one record per stack when every declaration overwrites and is retained", () => {
            const records = [
                validationRecord("primary", true, true),
                validationRecord("secondary", "true", true, { name: "_3F1D.API.example.com" }),
            ];
            assert.deepEqual(findingsOf(rule, records), []);
        });

        it("a policy pack, which never sees retainOnDelete, judges allowOverwrite alone", () => {
            const overwriting = [
                validationRecord("primary", true, UNKNOWN),
                validationRecord("secondary", true, UNKNOWN),
            ];
            assert.deepEqual(findingsOf(rule, overwriting), []);
            const creating = validationRecord("secondary", undefined, UNKNOWN);
            assert.deepEqual(findingsOf(rule, [overwriting[0], creating]), [
                finding(
                    rule,
                    creating,
                    'ACM validation record _3f1d.api.example.com CNAME in zone Z123 is also declared by primary/cert-validation-service, and secondary/cert-validation-service has no allowOverwrite: true: ACM uses the same record for a name in every region, so the second create fails with "already exists", or destroying one declaration deletes the record the other certificate needs to renew. Declare the record once, or give every declaration allowOverwrite: true and retainOnDelete.',
                ),
            ]);
        });

        it("reports each declaration that would fail or delete the record of the other region", () => {
            const primary = validationRecord("primary", true, true);
            const secondary = validationRecord("secondary", undefined, false);
            assert.deepEqual(findingsOf(rule, [primary, secondary]), [
                finding(
                    rule,
                    secondary,
                    'ACM validation record _3f1d.api.example.com CNAME in zone Z123 is also declared by primary/cert-validation-service, and secondary/cert-validation-service has no allowOverwrite: true and no retainOnDelete: ACM uses the same record for a name in every region, so the second create fails with "already exists", or destroying one declaration deletes the record the other certificate needs to renew. Declare the record once, or give every declaration allowOverwrite: true and retainOnDelete.',
                ),
            ]);
        });

        it("applies within the one visible stack when the deployment is not whole", () => {
            const cert = snap(T.certificate, "cert", { domainName: "api.example.com" });
            const record = (name: string, retain: boolean) =>
                snap(
                    T.record,
                    name,
                    { zoneId: "Z123", name: NAME, type: "cname", records: [UNKNOWN], ttl: 60 },
                    { options: options([cert], retain) },
                );
            const a = record("validation-a", true);
            const b = record("validation-b", false);
            assert.deepEqual(findingsOf(rule, [cert, a, b], { wholeDeployment: false }), [
                finding(
                    rule,
                    a,
                    'ACM validation record _3f1d.api.example.com CNAME in zone Z123 is also declared by validation-b, and validation-a has no allowOverwrite: true: ACM uses the same record for a name in every region, so the second create fails with "already exists", or destroying one declaration deletes the record the other certificate needs to renew. Declare the record once, or give every declaration allowOverwrite: true and retainOnDelete.',
                ),
                finding(
                    rule,
                    b,
                    'ACM validation record _3f1d.api.example.com CNAME in zone Z123 is also declared by validation-a, and validation-b has no allowOverwrite: true and no retainOnDelete: ACM uses the same record for a name in every region, so the second create fails with "already exists", or destroying one declaration deletes the record the other certificate needs to renew. Declare the record once, or give every declaration allowOverwrite: true and retainOnDelete.',
                ),
            ]);
        });
    });

    describe("record-duplicate", () => {
        const rule = recordDuplicateRule;
        const record = (
            name: string,
            value: string,
            more: Record<string, unknown> = {},
            retain = false,
        ) =>
            snap(
                T.record,
                name,
                {
                    zoneId: "Z123",
                    name: "www.example.com",
                    type: "CNAME",
                    ttl: 60,
                    records: [value],
                    ...more,
                },
                { options: options([], retain) },
            );

        it("reports a simple record declared twice", () => {
            const a = record("www-a", "a.example.net");
            const b = record("www-b", "b.example.net", { allowOverwrite: true }, true);
            assert.deepEqual(findingsOf(rule, [a, b]), [
                finding(
                    rule,
                    a,
                    'Record www.example.com CNAME in zone Z123 is also declared by www-b, and www-a has no allowOverwrite: true and no retainOnDelete: Route 53 holds one such record, so the second create fails with "already exists", or destroying one declaration deletes the record the other relies on. Declare the record once.',
                ),
            ]);
        });

        it("reports shared declarations whose values differ, and passes identical ones", () => {
            const shared = { allowOverwrite: true };
            const a = record("www-a", "a.example.net", shared, true);
            const b = record("www-b", "b.example.net", shared, true);
            const same = [
                record("same-a", "A.example.net", { ...shared, name: "app.example.com" }, true),
                record("same-b", "a.example.net", { ...shared, name: "app.example.com" }, true),
            ];
            const routed = [
                record("routed-a", "a.example.net", {
                    name: "api.example.com",
                    setIdentifier: "a",
                    weightedRoutingPolicies: [{ weight: 1 }],
                }),
                record("routed-b", "b.example.net", {
                    name: "api.example.com",
                    setIdentifier: "b",
                    weightedRoutingPolicies: [{ weight: 1 }],
                }),
            ];
            const message = (other: string) =>
                `Record www.example.com CNAME in zone Z123 is also declared by ${other} with another value: with allowOverwrite each update replaces the other's value, so the record flips with every deploy. Declare the record once.`;
            assert.deepEqual(findingsOf(rule, [a, b, ...same, ...routed]), [
                finding(rule, a, message("www-b")),
                finding(rule, b, message("www-a")),
            ]);
        });

        it("compares zone ids as Route 53 does", () => {
            const a = record("www-a", "a.example.net");
            const b = record("www-b", "a.example.net", { zoneId: "/hostedzone/z123" });
            assert.deepEqual(findingsOf(rule, [a, b]), [
                finding(
                    rule,
                    a,
                    'Record www.example.com CNAME in zone Z123 is also declared by www-b, and www-a has no allowOverwrite: true and no retainOnDelete: Route 53 holds one such record, so the second create fails with "already exists", or destroying one declaration deletes the record the other relies on. Declare the record once.',
                ),
                finding(
                    rule,
                    b,
                    'Record www.example.com CNAME in zone /hostedzone/z123 is also declared by www-a, and www-b has no allowOverwrite: true and no retainOnDelete: Route 53 holds one such record, so the second create fails with "already exists", or destroying one declaration deletes the record the other relies on. Declare the record once.',
                ),
            ]);
        });

        it("passes a record declared once, and records of other zones, names or types", () => {
            const resources = [
                record("www", "a.example.net"),
                record("other-zone", "a.example.net", { zoneId: "Z456" }),
                record("other-name", "a.example.net", { name: "app.example.com" }),
                record("other-type", "a.example.net", { type: "TXT" }),
                record("later", "a.example.net", { zoneId: UNKNOWN }),
            ];
            assert.deepEqual(findingsOf(rule, resources), []);
        });
    });

    describe("base-path-mapping-missing", () => {
        const rule = basePathMappingMissingRule;
        const routedTo = (name: string, domain: ResourceSnapshot, more = {}) =>
            snap(
                T.record,
                name,
                {
                    zoneId: "Z123",
                    name: "api.example.com",
                    type: "A",
                    setIdentifier: "primary",
                    failoverRoutingPolicies: [{ type: "PRIMARY" }],
                    aliases: [{ name: UNKNOWN, zoneId: UNKNOWN, evaluateTargetHealth: true }],
                },
                { ...dependingOn(domain), ...more },
            );

        it("reports a domain a record routes to with no mapping", () => {
            const { domain } = regionalDomain();
            const record = routedTo("routing-record", domain);
            assert.deepEqual(findingsOf(rule, [domain, record]), [
                finding(
                    rule,
                    domain,
                    "The custom domain api.example.com (us-east-1-service-domain) in us-east-1 receives clients from record routing-record, but no API is mapped to it (no aws.apigateway.BasePathMapping or aws.apigatewayv2.ApiMapping): API Gateway has no API to send them to and answers every request with an error (403 Forbidden). Map an API stage to the domain in us-east-1.",
                ),
            ]);
            assert.deepEqual(findingsOf(rule, [domain, record], { wholeDeployment: false }), []);
        });

        it("passes a mapping that depends on the domain or names it in the same region", () => {
            const use1 = regionalDomain("us-east-1").domain;
            const euw1 = regionalDomain("eu-west-1", ARN_EUW1).domain;
            const mapping = snap(
                T.basePathMapping,
                "mapping",
                { domainName: UNKNOWN, restApi: UNKNOWN },
                dependingOn(use1),
            );
            const byName = snap(
                T.apiMappingV2,
                "by-name",
                { domainName: "API.example.com", apiId: "a1", stage: "live" },
                { region: "eu-west-1" },
            );
            const resources = [
                use1,
                euw1,
                mapping,
                byName,
                routedTo("use1-record", use1),
                routedTo("euw1-record", euw1),
            ];
            assert.deepEqual(findingsOf(rule, resources), []);
        });

        it("finds records by the domain's target name, and mappings in another region do not count", () => {
            const domain = snap(
                T.domainNameV2,
                "http",
                {
                    domainName: "api.example.com",
                    domainNameConfiguration: {
                        certificateArn: ARN_EUW1,
                        endpointType: "REGIONAL",
                        targetDomainName: "d-abc.execute-api.eu-west-1.amazonaws.com",
                    },
                },
                { region: "eu-west-1" },
            );
            const cname = snap(T.record, "cname", {
                zoneId: "Z123",
                name: "api.example.com",
                type: "CNAME",
                ttl: 10,
                records: ["d-abc.execute-api.eu-west-1.amazonaws.com."],
            });
            const elsewhere = snap(T.apiMappingV2, "us-mapping", {
                domainName: "api.example.com",
                apiId: "a1",
                stage: "live",
            });
            assert.deepEqual(findingsOf(rule, [domain, cname, elsewhere]), [
                finding(
                    rule,
                    domain,
                    "The custom domain api.example.com (http) in eu-west-1 receives clients from record cname, but no API is mapped to it (no aws.apigateway.BasePathMapping or aws.apigatewayv2.ApiMapping): API Gateway has no API to send them to and answers every request with an error (403 Forbidden). Map an API stage to the domain in eu-west-1.",
                ),
            ]);
        });

        it("asks for a routing rule when the domain's routing mode uses only those", () => {
            const domain = snap(T.domainName, "rules", {
                domainName: "api.example.com",
                endpointConfiguration: { types: "REGIONAL" },
                regionalCertificateArn: ARN_USE1,
                routingMode: "ROUTING_RULE_ONLY",
            });
            const mapping = snap(T.basePathMapping, "mapping", { domainName: "api.example.com" });
            const record = routedTo("record", domain);
            const routingRule = snap(T.routingRuleV2, "rule", { domainName: "api.example.com" });
            assert.deepEqual(findingsOf(rule, [domain, mapping, record]), [
                finding(
                    rule,
                    domain,
                    "The custom domain api.example.com (rules) in us-east-1 receives clients from record record, but its routingMode ROUTING_RULE_ONLY needs an aws.apigatewayv2.RoutingRule and it has none: API Gateway has no API to send them to and answers every request with an error (403 Forbidden). Map an API stage to the domain in us-east-1.",
                ),
            ]);
            assert.deepEqual(findingsOf(rule, [domain, record, routingRule]), []);
        });
    });

    describe("api-mapping-duplicate", () => {
        const rule = apiMappingDuplicateRule;
        const mapping = (
            type: string,
            name: string,
            inputs: Record<string, unknown>,
            region = "us-east-1",
        ) => snap(type, name, { domainName: "api.example.com", ...inputs }, { region });

        it("reports two mappings of one path of a domain, across mapping kinds", () => {
            const root = mapping(T.basePathMapping, "root", { restApi: "r1", basePath: "(none)" });
            const alsoRoot = mapping(T.apiMappingV2, "also-root", {
                apiId: "a1",
                apiMappingKey: "",
            });
            const message = (other: string) =>
                `The empty base path (the root) of custom domain api.example.com in us-east-1 is also mapped by ${other}: API Gateway keeps one mapping per path of a domain, so the second create fails ("Base path already exists for this domain name"). Give each API its own path, or map the path once.`;
            const v1 = mapping(T.basePathMapping, "v1", { restApi: "r1", basePath: "v1" });
            const alsoV1 = mapping(T.basePathMapping, "also-v1", { restApi: "r2", basePath: "v1" });
            assert.deepEqual(findingsOf(rule, [root, alsoRoot, v1, alsoV1]), [
                finding(rule, alsoRoot, message("root")),
                finding(
                    rule,
                    alsoV1,
                    'Base path v1 of custom domain api.example.com in us-east-1 is also mapped by v1: API Gateway keeps one mapping per path of a domain, so the second create fails ("Base path already exists for this domain name"). Give each API its own path, or map the path once.',
                ),
                finding(rule, root, message("also-root")),
                finding(
                    rule,
                    v1,
                    'Base path v1 of custom domain api.example.com in us-east-1 is also mapped by also-v1: API Gateway keeps one mapping per path of a domain, so the second create fails ("Base path already exists for this domain name"). Give each API its own path, or map the path once.',
                ),
            ]);
        });

        it("passes different paths, and one path in two regions", () => {
            const resources = [
                mapping(T.basePathMapping, "root", { restApi: "r1" }),
                mapping(T.basePathMapping, "v1", { restApi: "r1", basePath: "v1" }),
                mapping(T.basePathMapping, "eu-root", { restApi: "r2" }, "eu-west-1"),
            ];
            assert.deepEqual(findingsOf(rule, resources), []);
        });
    });

    describe("websocket-domain-shared", () => {
        const rule = websocketDomainSharedRule;
        const api = (name: string, protocolType: unknown) => snap(T.apiV2, name, { protocolType });
        const ws = api("ws", "websocket");
        const http = api("http", "HTTP");
        const rest = snap(T.restApi, "rest", { endpointConfiguration: { types: "REGIONAL" } });
        const domain = snap(T.domainNameV2, "domain", {
            domainName: "api.example.com",
            domainNameConfiguration: { certificateArn: ARN_USE1, endpointType: "REGIONAL" },
        });
        const apiMapping = (
            name: string,
            target: ResourceSnapshot,
            domainName: unknown,
            key: string,
        ) =>
            snap(
                T.apiMappingV2,
                name,
                { domainName, apiId: UNKNOWN, stage: UNKNOWN, apiMappingKey: key },
                dependingOn(target, domain),
            );

        it("reports a WebSocket API mapped to a domain that also maps REST or HTTP APIs", () => {
            const wsMapping = apiMapping("ws-mapping", ws, UNKNOWN, "ws");
            const httpMapping = apiMapping("http-mapping", http, "api.example.com", "v2");
            const restMapping = snap(T.basePathMapping, "rest-mapping", {
                domainName: "API.example.com",
                restApi: UNKNOWN,
                basePath: "v1",
            });
            assert.deepEqual(
                findingsOf(rule, [ws, http, rest, domain, wsMapping, httpMapping, restMapping]),
                [
                    finding(
                        rule,
                        wsMapping,
                        "ws-mapping maps a WebSocket API to custom domain api.example.com in us-east-1, which http-mapping (HTTP), rest-mapping (REST) also map: a custom domain of a WebSocket API can't be mapped to REST or HTTP APIs, so API Gateway refuses the second mapping. Give the WebSocket API a custom domain of its own.",
                    ),
                ],
            );
        });

        it("passes a WebSocket API on a domain of its own, and mappings of unknown APIs", () => {
            const wsMapping = apiMapping("ws-mapping", ws, "ws.example.com", "");
            const restMapping = apiMapping("rest-mapping", rest, "api.example.com", "");
            const unknownApi = snap(T.apiMappingV2, "unknown-api", {
                domainName: "ws.example.com",
                apiId: UNKNOWN,
                stage: UNKNOWN,
            });
            const unknownProtocol = apiMapping(
                "unknown-protocol",
                api("other", UNKNOWN),
                "ws.example.com",
                "x",
            );
            assert.deepEqual(
                findingsOf(rule, [
                    ws,
                    rest,
                    domain,
                    wsMapping,
                    restMapping,
                    unknownApi,
                    unknownProtocol,
                ]),
                [],
            );
        });
    });

    describe("lambda-least-privilege", () => {
        const rule = lambdaLeastPrivilegeRule;
        const trust = (service: string) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" },
                ],
            });
        const role = (
            name: string,
            more: Record<string, unknown> = {},
            service = "lambda.amazonaws.com",
        ) => snap(T.role, name, { assumeRolePolicy: trust(service), ...more });
        const doc = (...statements: Record<string, unknown>[]) =>
            JSON.stringify({ Version: "2012-10-17", Statement: statements });

        it("passes the project's grants: named actions on its table and its log group's streams", () => {
            const fnRole = role("api-role");
            const policy = snap(
                T.rolePolicy,
                "api-policy",
                {
                    role: "api-role-id",
                    policy: doc(
                        {
                            Effect: "Allow",
                            Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
                            Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/products",
                        },
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource:
                                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/api:*",
                        },
                        { Effect: "Deny", Action: "*", Resource: "*" },
                    ),
                },
                dependingOn(fnRole),
            );
            const apigwRole = role("apigw-logs-role", {}, "apigateway.amazonaws.com");
            const admin = snap(
                T.rolePolicyAttachment,
                "apigw-admin",
                {
                    role: "apigw-logs-role",
                    policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
                },
                dependingOn(apigwRole),
            );
            const basic = snap(
                T.rolePolicyAttachment,
                "basic",
                {
                    role: UNKNOWN,
                    policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                },
                dependingOn(fnRole),
            );
            assert.deepEqual(findingsOf(rule, [fnRole, policy, apigwRole, admin, basic]), []);
        });

        it("passes actions AWS grants only on every resource: PutMetricData, X-Ray writes", () => {
            const fnRole = role("switch-role");
            const policy = snap(
                T.rolePolicy,
                "switch-policy",
                {
                    role: "switch-role-id",
                    policy: doc(
                        {
                            Effect: "Allow",
                            Action: "cloudwatch:PutMetricData",
                            Resource: "*",
                            Condition: { StringEquals: { "cloudwatch:namespace": "HealthCheck" } },
                        },
                        {
                            Effect: "Allow",
                            Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                            Resource: "*",
                        },
                    ),
                },
                dependingOn(fnRole),
            );
            assert.deepEqual(findingsOf(rule, [fnRole, policy]), []);
            // Beside another action, the wildcard resource grants that action everywhere.
            const mixed = {
                ...policy,
                inputs: {
                    ...policy.inputs,
                    policy: doc({
                        Effect: "Allow",
                        Action: ["cloudwatch:PutMetricData", "dynamodb:GetItem"],
                        Resource: "*",
                    }),
                },
            };
            assert.deepEqual(findingsOf(rule, [fnRole, mixed]), [
                finding(
                    rule,
                    mixed,
                    'Role switch-role, which Lambda assumes, is granted too much through RolePolicy switch-policy: statement 1 allows Resource "*". A bug or a compromised dependency in the function could then act on far more than its own resources; grant only the actions it calls, on the ARNs of the resources it uses.',
                ),
            ]);
        });

        it("reports wildcard actions and resources in a RolePolicy", () => {
            const fnRole = role("fn-role");
            const policy = snap(
                T.rolePolicy,
                "fn-policy",
                {
                    role: UNKNOWN,
                    policy: doc(
                        {
                            Sid: "Table",
                            Effect: "Allow",
                            Action: "dynamodb:*",
                            Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/*",
                        },
                        {
                            Effect: "Allow",
                            Action: ["s3:GetObject"],
                            Resource: ["arn:aws:s3:::assets/*", "arn:aws:s3:::*"],
                        },
                        {
                            Effect: "Allow",
                            Action: "logs:PutLogEvents",
                            Resource: "arn:aws:logs:us-east-1:123456789012:log-group:*",
                        },
                    ),
                },
                dependingOn(fnRole),
            );
            assert.deepEqual(findingsOf(rule, [fnRole, policy]), [
                finding(
                    rule,
                    policy,
                    'Role fn-role, which Lambda assumes, is granted too much through RolePolicy fn-policy: statement Table allows Action "dynamodb:*" and Resource "arn:aws:dynamodb:us-east-1:123456789012:table/*"; statement 2 allows Resource "arn:aws:s3:::*"; statement 3 allows Resource "arn:aws:logs:us-east-1:123456789012:log-group:*". A bug or a compromised dependency in the function could then act on far more than its own resources; grant only the actions it calls, on the ARNs of the resources it uses.',
                ),
            ]);
        });

        it("links a policy by dependency when its role value is an id, not by another role's name", () => {
            // The plan's snapshots carry the role's name (state) and the mock id as the policy's role.
            const fnRole = role("fn-role", { name: "fn-role" });
            const otherRole = role("other-role", { name: "other-role" });
            const broad = doc({
                Effect: "Allow",
                Action: "sqs:*",
                Resource: "arn:aws:sqs:us-east-1:123456789012:jobs",
            });
            const byId = snap(
                T.rolePolicy,
                "by-id",
                { role: "fn-role-id", policy: broad },
                dependingOn(fnRole),
            );
            const forOther = snap(
                T.rolePolicy,
                "for-other",
                { role: "other-role", policy: broad },
                dependingOn(fnRole, otherRole),
            );
            const tail =
                "A bug or a compromised dependency in the function could then act on far more than its own resources; grant only the actions it calls, on the ARNs of the resources it uses.";
            assert.deepEqual(findingsOf(rule, [fnRole, otherRole, byId, forOther]), [
                finding(
                    rule,
                    byId,
                    `Role fn-role, which Lambda assumes, is granted too much through RolePolicy by-id: statement 1 allows Action "sqs:*". ${tail}`,
                ),
                finding(
                    rule,
                    forOther,
                    `Role other-role, which Lambda assumes, is granted too much through RolePolicy for-other: statement 1 allows Action "sqs:*". ${tail}`,
                ),
            ]);
        });

        it("reports NotAction in an inline policy object and broad managed policies", () => {
            const fnRole = role("fn-role", {
                name: "fn-role",
                inlinePolicies: [
                    {
                        name: "everything-but-iam",
                        policy: {
                            Version: "2012-10-17",
                            Statement: { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
                        },
                    },
                ],
                managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", UNKNOWN],
            });
            const attachment = snap(T.rolePolicyAttachment, "admin", {
                role: "fn-role",
                policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
            });
            const otherRole = snap(T.rolePolicyAttachment, "other-role", {
                role: "another-role",
                policyArn: "arn:aws:iam::aws:policy/PowerUserAccess",
            });
            const tail =
                "A bug or a compromised dependency in the function could then act on far more than its own resources; grant only the actions it calls, on the ARNs of the resources it uses.";
            assert.deepEqual(findingsOf(rule, [fnRole, attachment, otherRole]), [
                finding(
                    rule,
                    attachment,
                    `Role fn-role, which Lambda assumes, is granted too much through RolePolicyAttachment admin: the AWS managed policy AdministratorAccess grants broad actions on every resource. ${tail}`,
                ),
                finding(
                    rule,
                    fnRole,
                    `Role fn-role, which Lambda assumes, is granted too much through its inline policy everything-but-iam: statement 1 allows NotAction (every action but "iam:*") and Resource "*". ${tail}`,
                ),
                finding(
                    rule,
                    fnRole,
                    `Role fn-role, which Lambda assumes, is granted too much through its managedPolicyArns: the AWS managed policy AmazonDynamoDBFullAccess grants broad actions on every resource. ${tail}`,
                ),
            ]);
        });

        it("reports a customer managed policy attached to a Lambda role", () => {
            const fnRole = role("fn-role");
            const policy = snap(T.policy, "broad", {
                policy: doc({
                    Effect: "Allow",
                    Action: "sqs:SendMessage",
                    NotResource: ["arn:aws:sqs:us-east-1:123456789012:audit"],
                }),
            });
            const attachment = snap(
                T.policyAttachment,
                "attach",
                { roles: [UNKNOWN], policyArn: UNKNOWN },
                dependingOn(fnRole, policy),
            );
            assert.deepEqual(findingsOf(rule, [fnRole, policy, attachment]), [
                finding(
                    rule,
                    attachment,
                    'Role fn-role, which Lambda assumes, is granted too much through PolicyAttachment attach, policy broad: statement 1 allows NotResource (every resource but "arn:aws:sqs:us-east-1:123456789012:audit"). A bug or a compromised dependency in the function could then act on far more than its own resources; grant only the actions it calls, on the ARNs of the resources it uses.',
                ),
            ]);
        });

        it("tells a resource wildcard from a wildcard qualifier of a named resource", () => {
            const broad = [
                "*",
                "arn:aws:lambda:us-east-1:123456789012:function:*",
                "arn:aws:sqs:us-east-1:123456789012:*",
                "arn:aws:dynamodb:*:*:table/*",
                "arn:aws:s3:::*/*",
            ];
            const named = [
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/api:*",
                "arn:aws:dynamodb:us-east-1:123456789012:table/products/index/*",
                "arn:aws:s3:::assets/*",
                "arn:aws:lambda:us-east-1:123456789012:function:api:*",
                "arn:aws:dynamodb:*:*:table/products",
                "not-an-arn",
            ];
            assert.deepEqual(broad.filter(wildcardResource), broad);
            assert.deepEqual(named.filter(wildcardResource), []);
        });
    });

    it("reports nothing and never throws on unknown values and odd shapes", () => {
        const fnRole = snap(T.role, "fn-role", {
            assumeRolePolicy: {
                Statement: { Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] } },
            },
            inlinePolicies: [
                UNKNOWN,
                { name: UNKNOWN, policy: UNKNOWN },
                { policy: "{not json" },
                3,
            ],
            managedPolicyArns: [UNKNOWN],
        });
        const retained = { options: options([], true) };
        const odd: ResourceSnapshot[] = [
            snap(T.certificate, "cert", {
                domainName: UNKNOWN,
                subjectAlternativeNames: UNKNOWN,
                validationMethod: UNKNOWN,
            }),
            snap(T.certificate, "odd-cert", { domainName: 42, subjectAlternativeNames: "x" }),
            snap(T.certificateValidation, "validation", { certificateArn: UNKNOWN }),
            snap(T.domainName, "domain", {
                domainName: UNKNOWN,
                endpointConfiguration: UNKNOWN,
                regionalCertificateArn: UNKNOWN,
                routingMode: UNKNOWN,
            }),
            snap(T.domainName, "odd-domain", {
                domainName: ["api.example.com"],
                endpointConfiguration: { types: [UNKNOWN] },
                regionalCertificateArn: "not-an-arn",
            }),
            snap(T.domainNameV2, "v2", {
                domainName: "a.example.com",
                domainNameConfiguration: UNKNOWN,
            }),
            snap(T.basePathMapping, "mapping", { domainName: UNKNOWN, basePath: UNKNOWN }),
            snap(T.apiMappingV2, "api-mapping", { domainName: 7, apiMappingKey: null }),
            snap(T.record, "r1", {
                zoneId: UNKNOWN,
                name: "a.example.com",
                type: "A",
                aliases: UNKNOWN,
            }),
            snap(T.record, "r2", { zoneId: "Z1", name: UNKNOWN, type: "CNAME", records: UNKNOWN }),
            ...["r3", "r4"].map((name) =>
                snap(
                    T.record,
                    name,
                    {
                        zoneId: "Z1",
                        name: "b.example.com",
                        type: "A",
                        records: [UNKNOWN],
                        allowOverwrite: UNKNOWN,
                    },
                    retained,
                ),
            ),
            snap(T.role, "role", { assumeRolePolicy: UNKNOWN, inlinePolicies: UNKNOWN }),
            snap(T.role, "lambda-role", {
                assumeRolePolicy: {
                    Statement: [{ Effect: "Allow", Principal: { Service: UNKNOWN } }],
                },
                managedPolicyArns: UNKNOWN,
            }),
            fnRole,
            snap(
                T.rolePolicy,
                "policy",
                {
                    role: UNKNOWN,
                    policy: {
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: UNKNOWN,
                                Resource: [UNKNOWN],
                                NotAction: UNKNOWN,
                            },
                            "x",
                            null,
                        ],
                    },
                },
                dependingOn(fnRole),
            ),
            snap(
                T.rolePolicyAttachment,
                "attachment",
                { role: UNKNOWN, policyArn: UNKNOWN },
                dependingOn(fnRole),
            ),
        ];
        assert.deepEqual(runRules(API_RULES, odd, { wholeDeployment: true }), []);
        assert.deepEqual(runRules(API_RULES, odd, { wholeDeployment: false }), []);
    });
});
