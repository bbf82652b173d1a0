// How the API rules link resources: custom domains to their certificates, validations and
// mappings. A link is made by a known value when there is one (an ARN, a domain name) and else by
// `dependsOn`, which the engine knows even while the values are unknown at preview.
import { ResourceSnapshot } from "./types";
import {
    T,
    dependsOn,
    dnsName,
    first,
    isSet,
    label,
    list,
    obj,
    ofType,
    str,
    unique,
} from "./values";

/** API Gateway custom domains of both API versions. */
export const DOMAIN_TYPES = [T.domainName, T.domainNameV2] as const;

/** Every resource `r` depends on, directly or through others (URNs). */
export function reachable(
    r: ResourceSnapshot,
    resources: readonly ResourceSnapshot[],
): Set<string> {
    const byUrn = new Map(resources.map((x) => [x.urn, x]));
    const seen = new Set<string>();
    const todo = [...r.options.dependsOn];
    for (let urn = todo.pop(); urn !== undefined; urn = todo.pop()) {
        if (!seen.has(urn)) {
            seen.add(urn);
            todo.push(...(byUrn.get(urn)?.options.dependsOn ?? []));
        }
    }
    return seen;
}

/** The custom domain's name when known, as DNS compares it. */
export function customDomainName(domain: ResourceSnapshot): string | undefined {
    const name = str(domain.inputs.domainName);
    return name === undefined ? undefined : dnsName(name);
}

/** How a message names a custom domain: its DNS name when known, and its Pulumi name. */
export function domainLabel(domain: ResourceSnapshot): string {
    const name = customDomainName(domain);
    return name === undefined
        ? `custom domain ${label(domain)}`
        : `custom domain ${name} (${label(domain)})`;
}

export type EndpointType = "REGIONAL" | "EDGE" | "PRIVATE";

/**
 * A custom domain's endpoint type, undefined when unknown or unrecognised. REST domains take
 * `endpointConfiguration.types` (a string in @pulumi/aws v7, a list before); without it, a domain
 * given the edge field `certificateArn` is EDGE. HTTP (v2) domains are REGIONAL. Blocks may come
 * as the lone object or as a one-element list.
 */
export function endpointType(domain: ResourceSnapshot): EndpointType | undefined {
    if (domain.type === T.domainNameV2) {
        const configured = obj(first(domain.inputs.domainNameConfiguration))?.endpointType;
        const type = str(configured)?.toUpperCase() ?? (configured === undefined ? "REGIONAL" : "");
        return type === "REGIONAL" ? "REGIONAL" : undefined;
    }
    const config = domain.inputs.endpointConfiguration;
    if (config === undefined || config === null) {
        const edge = certificateFields(domain).some((f) => f.field === "certificateArn");
        return edge ? "EDGE" : undefined;
    }
    const types = obj(first(config))?.types;
    const only: unknown = Array.isArray(types)
        ? types.length === 1
            ? types[0]
            : undefined
        : types;
    const type = str(only)?.toUpperCase();
    return type === "REGIONAL" || type === "EDGE" || type === "PRIVATE" ? type : undefined;
}

/** The certificate field a custom domain sets, and its value (possibly unknown). */
export interface CertificateField {
    field: string;
    value: unknown;
}

/** The certificate fields a custom domain gives (REST domains may wrongly give both kinds). */
export function certificateFields(domain: ResourceSnapshot): CertificateField[] {
    const fields: [string, unknown][] =
        domain.type === T.domainNameV2
            ? [
                  [
                      "domainNameConfiguration.certificateArn",
                      obj(first(domain.inputs.domainNameConfiguration))?.certificateArn,
                  ],
              ]
            : [
                  ["regionalCertificateArn", domain.inputs.regionalCertificateArn],
                  ["certificateArn", domain.inputs.certificateArn],
              ];
    // An engine may show an unset field of a created domain as "" (its state): not given.
    return fields.filter(([, value]) => isSet(value)).map(([field, value]) => ({ field, value }));
}

/** The ACM certificates a validation waits for: by its known ARN, else by dependency. */
function validatedCertificates(
    validation: ResourceSnapshot,
    certificates: readonly ResourceSnapshot[],
): ResourceSnapshot[] {
    const arn = str(validation.inputs.certificateArn);
    return certificates.filter(
        (c) =>
            dependsOn(validation, c) ||
            (arn !== undefined && str(c.inputs.arn) !== undefined && str(c.inputs.arn) === arn),
    );
}

/** What a custom domain's certificate field leads to. */
export interface LinkedCertificate {
    /** The ARN, when known. */
    arn: string | undefined;
    /** The `aws:acm/certificate:Certificate` resources it may be. */
    certificates: ResourceSnapshot[];
    /** The `aws:acm/certificateValidation:CertificateValidation` resources it comes through. */
    validations: ResourceSnapshot[];
}

/**
 * The certificate behind a domain's certificate field: matched by ARN when known (a
 * certificate's `arn` where the snapshot carries it, or a validation's `certificateArn`), else
 * the certificates and validations the domain depends on.
 */
export function linkedCertificate(
    domain: ResourceSnapshot,
    value: unknown,
    resources: readonly ResourceSnapshot[],
): LinkedCertificate {
    const certificates = ofType(resources, T.certificate);
    const validations = ofType(resources, T.certificateValidation);
    const arn = str(value);
    const through = (vs: ResourceSnapshot[]) =>
        unique(vs.flatMap((v) => validatedCertificates(v, certificates)));
    if (arn !== undefined) {
        const byArn = certificates.filter((c) => str(c.inputs.arn) === arn);
        const validationsByArn = validations.filter((v) => str(v.inputs.certificateArn) === arn);
        if (byArn.length > 0 || validationsByArn.length > 0) {
            return {
                arn,
                certificates: unique([...byArn, ...through(validationsByArn)]),
                validations: validationsByArn,
            };
        }
    }
    const direct = validations.filter((v) => dependsOn(domain, v));
    return {
        arn,
        certificates: unique([
            ...certificates.filter((c) => dependsOn(domain, c)),
            ...through(direct),
        ]),
        validations: direct,
    };
}

/** The names a requested certificate covers, or undefined when any is unknown or missing. */
export function certificateNames(certificate: ResourceSnapshot): string[] | undefined {
    const first = str(certificate.inputs.domainName);
    const more = list(certificate.inputs.subjectAlternativeNames);
    if (first === undefined || more === undefined || more.some((n) => str(n) === undefined)) {
        return undefined;
    }
    return unique([first, ...(more as string[])].map(dnsName));
}

/** Whether a certificate name covers a host: the same name, or `*.` plus its parent. */
export function covers(certificateName: string, host: string): boolean {
    const name = dnsName(certificateName);
    const h = dnsName(host);
    if (name === h) {
        return true;
    }
    const dot = h.indexOf(".");
    return name.startsWith("*.") && dot > 0 && name.slice(2) === h.slice(dot + 1);
}
