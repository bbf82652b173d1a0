// Rules on the TLS certificates of API Gateway custom domains: the certificate's region, the
// names it covers, waiting for its validation, and the length of its first name.
import {
    DOMAIN_TYPES,
    LinkedCertificate,
    certificateFields,
    certificateNames,
    covers,
    customDomainName,
    domainLabel,
    endpointType,
    linkedCertificate,
    reachable,
} from "./apisLinks";
import { GroupRule, ResourceRule, ResourceSnapshot } from "./types";
import { T, dependsOn, label, list, ofType, parseArn, str, unique } from "./values";

const EDGE_CERTIFICATE_REGION = "us-east-1";

/** The region a linked certificate is in, and where that was read. */
interface CertificateRegion {
    region: string;
    /** How the message names the source of the region. */
    source: string;
}

/**
 * The certificate's region: the one in its ARN when known, else that of the certificate or
 * validation the domain depends on when they all agree; undefined when not certain.
 */
function certificateRegion(link: LinkedCertificate): CertificateRegion | undefined {
    if (link.arn !== undefined) {
        const arn = parseArn(link.arn);
        return arn && arn.region !== ""
            ? { region: arn.region, source: `its ARN ${link.arn}` }
            : undefined;
    }
    const sources = [...link.certificates, ...link.validations];
    const regions = unique(sources.map((s) => s.region));
    if (sources.length === 0 || regions.length !== 1 || regions[0] === undefined) {
        return undefined;
    }
    const named = unique(sources.map((s) => label(s))).join(", ");
    return { region: regions[0], source: named };
}

/** China and GovCloud partitions serve edge domains differently: not judged. */
const commercialPartition = (domain: ResourceSnapshot, link: LinkedCertificate): boolean => {
    const partition = link.arn === undefined ? undefined : parseArn(link.arn)?.partition;
    const region = domain.region ?? "";
    return (
        (partition === undefined || partition === "aws") &&
        !region.startsWith("cn-") &&
        !region.startsWith("us-gov-")
    );
};

function certificateRegionProblems(
    domain: ResourceSnapshot,
    resources: readonly ResourceSnapshot[],
): string[] {
    const type = endpointType(domain);
    const fields = certificateFields(domain);
    const name = domainLabel(domain);
    const problems: string[] = [];
    const given = (field: string) => fields.some((f) => f.field === field);
    if (type === "REGIONAL" && given("certificateArn")) {
        problems.push(
            `The REGIONAL ${name} sets certificateArn, the field of EDGE domains: API Gateway refuses it ("Cannot import certificates for EDGE while REGIONAL is active"). Pass the certificate as regionalCertificateArn instead.`,
        );
    }
    if (type === "EDGE" && given("regionalCertificateArn")) {
        problems.push(
            `The EDGE ${name} sets regionalCertificateArn, the field of REGIONAL domains: API Gateway refuses it. Set endpointConfiguration types to "REGIONAL" (what failover between regions needs) or pass a us-east-1 certificate as certificateArn.`,
        );
    }
    const field =
        type === "REGIONAL"
            ? fields.find((f) => f.field !== "certificateArn")
            : type === "EDGE"
              ? fields.find((f) => f.field === "certificateArn")
              : undefined;
    if (field === undefined) {
        return problems;
    }
    const link = linkedCertificate(domain, field.value, resources);
    const found = certificateRegion(link);
    if (found === undefined) {
        return problems;
    }
    if (type === "REGIONAL" && domain.region !== undefined && found.region !== domain.region) {
        problems.push(
            `The REGIONAL ${name} is in ${domain.region} but its certificate is in ${found.region} (${found.source}): API Gateway takes a regional domain's certificate only from the domain's own region, so creating the domain fails. Request or import the certificate in ${domain.region} (region: "${domain.region}") and use that one.`,
        );
    }
    if (
        type === "EDGE" &&
        found.region !== EDGE_CERTIFICATE_REGION &&
        commercialPartition(domain, link)
    ) {
        problems.push(
            `The EDGE ${name} uses a certificate in ${found.region} (${found.source}): edge domains are served by CloudFront, which takes certificates from us-east-1 only, so creating the domain fails. Request the certificate in us-east-1, or make the domain REGIONAL with a certificate of its own region.`,
        );
    }
    return problems;
}

export const certificateRegionRule: GroupRule = {
    id: "certificate-region",
    scope: "stack",
    severity: "error",
    description:
        "A REGIONAL custom domain uses a certificate from its own region in regionalCertificateArn; an EDGE domain one from us-east-1 in certificateArn.",
    remediation:
        "Request or import an ACM certificate in the domain's region (us-east-1 for EDGE domains) and pass it in the field of the domain's endpoint type: regionalCertificateArn for REGIONAL, certificateArn for EDGE.",
    url: "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html",
    example: [
        'const cert = new aws.acm.Certificate("cert", { domainName: "api.example.com", validationMethod: "DNS", region: "us-east-1" });',
        'new aws.apigateway.DomainName("api", {',
        '    domainName: "api.example.com",',
        '    endpointConfiguration: { types: "REGIONAL" },',
        '    region: "eu-west-1",',
        "    regionalCertificateArn: cert.arn, // us-east-1 certificate for a eu-west-1 domain",
        "});",
    ].join("\n"),
    check: (resources) =>
        ofType(resources, ...DOMAIN_TYPES).flatMap((domain) =>
            certificateRegionProblems(domain, resources).map((message) => ({
                resource: domain,
                message,
            })),
        ),
};

/** The certificate field the domain serves with (the one of its endpoint type). */
function servingCertificate(domain: ResourceSnapshot) {
    const type = endpointType(domain);
    const fields = certificateFields(domain);
    return type === "EDGE"
        ? fields.find((f) => f.field === "certificateArn")
        : fields.find((f) => f.field !== "certificateArn");
}

function coverageProblem(
    domain: ResourceSnapshot,
    resources: readonly ResourceSnapshot[],
): string | undefined {
    const host = customDomainName(domain);
    const field = servingCertificate(domain);
    if (host === undefined || field === undefined) {
        return undefined;
    }
    const { certificates } = linkedCertificate(domain, field.value, resources);
    const named = certificates.map((c) => ({ certificate: c, names: certificateNames(c) }));
    if (named.length === 0 || named.some((n) => n.names === undefined)) {
        return undefined;
    }
    if (named.some((n) => n.names?.some((name) => covers(name, host)))) {
        return undefined;
    }
    const which = named.map((n) => `${label(n.certificate)} (${n.names?.join(", ")})`).join("; ");
    const dot = host.indexOf(".");
    const wildcard = dot > 0 ? ` (or *.${host.slice(dot + 1)})` : "";
    return `The ${domainLabel(domain)} uses certificate ${which}, which does not cover ${host}: clients of https://${host} get a certificate for other names and refuse the connection. Add ${host}${wildcard} to the certificate's domainName or subjectAlternativeNames.`;
}

export const certificateCoverageRule: GroupRule = {
    id: "certificate-coverage",
    scope: "stack",
    severity: "error",
    description:
        "The certificate of a custom domain names the domain, exactly or by a one-label wildcard (*.example.com).",
    remediation:
        "Add the custom domain name (or the wildcard of its parent) to the certificate's domainName or subjectAlternativeNames.",
    url: "https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-specify-certificate-for-custom-domain-name.html",
    example: [
        'const cert = new aws.acm.Certificate("cert", { domainName: "*.example.com", validationMethod: "DNS" });',
        'new aws.apigateway.DomainName("api", {',
        '    domainName: "v1.api.example.com", // two labels below example.com: *.example.com does not cover it',
        '    endpointConfiguration: { types: "REGIONAL" },',
        "    regionalCertificateArn: cert.arn,",
        "});",
    ].join("\n"),
    check: (resources) =>
        ofType(resources, ...DOMAIN_TYPES).flatMap((domain) => {
            const message = coverageProblem(domain, resources);
            return message === undefined ? [] : [{ resource: domain, message }];
        }),
};

/** Validation methods under which ACM issues the certificate only once ownership is proven. */
const VALIDATED_METHODS = ["DNS", "EMAIL"];

const validationMethod = (c: ResourceSnapshot): string | undefined => {
    const method = str(c.inputs.validationMethod)?.toUpperCase();
    return method !== undefined && VALIDATED_METHODS.includes(method) ? method : undefined;
};

function unvalidatedCertificates(
    domain: ResourceSnapshot,
    resources: readonly ResourceSnapshot[],
): ResourceSnapshot[] {
    const direct = ofType(resources, T.certificate).filter(
        (c) => dependsOn(domain, c) && validationMethod(c) !== undefined,
    );
    if (direct.length === 0) {
        return [];
    }
    const upstream = reachable(domain, resources);
    const validations = ofType(resources, T.certificateValidation).filter((v) =>
        upstream.has(v.urn),
    );
    const certificateUrns = new Set(ofType(resources, T.certificate).map((c) => c.urn));
    // A validation that depends on no certificate here may be this one's: benefit of the doubt.
    const waitsFor = (c: ResourceSnapshot) =>
        validations.some(
            (v) => dependsOn(v, c) || !v.options.dependsOn.some((urn) => certificateUrns.has(urn)),
        );
    return direct.filter((c) => !waitsFor(c));
}

export const certificateNotValidatedRule: GroupRule = {
    id: "certificate-not-validated",
    scope: "stack",
    severity: "error",
    description:
        "A custom domain using a DNS- or email-validated ACM certificate waits for its aws.acm.CertificateValidation.",
    remediation:
        "Create an aws.acm.CertificateValidation for the certificate and pass its certificateArn output to the custom domain, so the domain is created once ACM has issued the certificate.",
    url: "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
    example: [
        'const cert = new aws.acm.Certificate("cert", { domainName: "api.example.com", validationMethod: "DNS" });',
        'new aws.apigateway.DomainName("api", {',
        '    domainName: "api.example.com",',
        '    endpointConfiguration: { types: "REGIONAL" },',
        "    regionalCertificateArn: cert.arn, // not the CertificateValidation's certificateArn",
        "});",
    ].join("\n"),
    check: (resources) =>
        ofType(resources, ...DOMAIN_TYPES).flatMap((domain) =>
            unvalidatedCertificates(domain, resources).map((certificate) => ({
                resource: domain,
                message: `The ${domainLabel(domain)} uses certificate ${label(certificate)} (${validationMethod(certificate) ?? ""} validation) without waiting for an aws.acm.CertificateValidation: on a first deploy the domain is created while ACM still has the certificate PENDING_VALIDATION, and API Gateway refuses it. Pass a CertificateValidation's certificateArn to the domain instead of the certificate's arn.`,
            })),
        ),
};

/** ACM's limit on a certificate's first name (its Common Name), and on each other name. */
const FIRST_NAME_MAX = 64;
const ALTERNATIVE_NAME_MAX = 253;

const octets = (name: string) => Buffer.byteLength(name.replace(/\.$/, ""));

export const certificateNameLengthRule: ResourceRule = {
    id: "certificate-name-length",
    scope: "resource",
    types: [T.certificate],
    severity: "error",
    description: `An ACM certificate's domainName is at most ${FIRST_NAME_MAX} characters and each subject alternative name at most ${ALTERNATIVE_NAME_MAX}.`,
    remediation: `Put a name of at most ${FIRST_NAME_MAX} characters first (a parent wildcard such as *.example.com, for example) and the long name in subjectAlternativeNames, which allow ${ALTERNATIVE_NAME_MAX}.`,
    url: "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html",
    example: [
        'new aws.acm.Certificate("cert", {',
        '    domainName: "eu-central-1.orders-and-invoices-service.internal-tools.example.com", // 67 characters',
        '    validationMethod: "DNS",',
        "});",
    ].join("\n"),
    check(r) {
        const problems: string[] = [];
        const first = str(r.inputs.domainName);
        if (first !== undefined && octets(first) > FIRST_NAME_MAX) {
            problems.push(
                `Certificate ${label(r)} has domainName ${first} of ${octets(first)} characters: ACM refuses a first name (the certificate's Common Name) longer than ${FIRST_NAME_MAX}, so the request fails. Put a name of at most ${FIRST_NAME_MAX} characters first (for example a parent wildcard) and ${first} in subjectAlternativeNames.`,
            );
        }
        for (const name of list(r.inputs.subjectAlternativeNames) ?? []) {
            const n = str(name);
            if (n !== undefined && octets(n) > ALTERNATIVE_NAME_MAX) {
                problems.push(
                    `Certificate ${label(r)} has subject alternative name ${n} of ${octets(n)} characters: ACM refuses names longer than ${ALTERNATIVE_NAME_MAX}, so the request fails. Use a shorter name.`,
                );
            }
        }
        return problems;
    },
};

export const CERTIFICATE_RULES = [
    certificateRegionRule,
    certificateCoverageRule,
    certificateNotValidatedRule,
    certificateNameLengthRule,
];
