// Rules on Route 53 records declared more than once: ACM's DNS validation record (the same for a
// name in every region, so multi-region programs tend to declare it once per region) and any
// other simple record. Route 53 holds one record set per zone, name and type (and set identifier).
import { groupRecords, policiesOf } from "./recordsView";
import { GroupRule, ResourceSnapshot } from "./types";
import {
    T,
    bool,
    dependsOn,
    dnsName,
    given,
    hasUnknown,
    label,
    list,
    ofType,
    otherLabels,
    str,
} from "./values";

/** Whether a record certainly has no routing policy and no set identifier. */
const simpleRecord = (r: ResourceSnapshot): boolean =>
    (!given(r.inputs.setIdentifier) || r.inputs.setIdentifier === "") &&
    policiesOf(r)?.length === 0;

/** Simple records of one record set (zone, name and type), only where there are several. */
const declaredTwice = (resources: readonly ResourceSnapshot[]): ResourceSnapshot[][] =>
    groupRecords(ofType(resources, T.record).filter(simpleRecord)).filter((g) => g.length > 1);

/** Whether a group is ACM's validation record: a `_`-name CNAME tied to a certificate. */
function isValidationRecord(group: ResourceSnapshot[], resources: readonly ResourceSnapshot[]) {
    const certificates = ofType(resources, T.certificate);
    const validations = ofType(resources, T.certificateValidation);
    return group.some(
        (r) =>
            str(r.inputs.type)?.toUpperCase() === "CNAME" &&
            (str(r.inputs.name) ?? "").startsWith("_") &&
            ((list(r.inputs.records) ?? []).some((v) =>
                (str(v) ?? "").toLowerCase().includes(".acm-validations.aws"),
            ) ||
                certificates.some((c) => dependsOn(r, c)) ||
                validations.some((v) => dependsOn(v, r))),
    );
}

/**
 * What a declaration lacks to share a record safely: `allowOverwrite: true` (UPSERT instead of a
 * CREATE that fails on an existing record) and `retainOnDelete` (a destroy leaves it for the
 * others). Neither is held against it when unknown (a policy pack never sees retainOnDelete).
 */
function lacks(r: ResourceSnapshot): string[] {
    const overwrite = r.inputs.allowOverwrite;
    return [
        ...(bool(overwrite) === true || (given(overwrite) && bool(overwrite) === undefined)
            ? []
            : ["allowOverwrite: true"]),
        ...(r.options.retainOnDelete === false ? ["retainOnDelete"] : []),
    ];
}

/** How a message names a record set. */
function recordSet(r: ResourceSnapshot): string {
    return `${dnsName(str(r.inputs.name) ?? "")} ${(str(r.inputs.type) ?? "").toUpperCase()} in zone ${str(r.inputs.zoneId) ?? ""}`;
}

export const validationRecordSharedRule: GroupRule = {
    id: "validation-record-shared",
    scope: "deployment",
    severity: "error",
    description:
        "ACM's DNS validation record for a name is declared once, or by declarations that all have allowOverwrite: true and retainOnDelete.",
    remediation:
        "Declare the validation record once (one aws.route53.Record per distinct name, its fqdn passed to every region's CertificateValidation), or give every declaration allowOverwrite: true and the retainOnDelete resource option.",
    url: "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
    example: [
        'for (const region of ["us-east-1", "eu-west-1"]) {',
        '    const cert = new aws.acm.Certificate(`cert-${region}`, { domainName: "api.example.com", validationMethod: "DNS", region });',
        "    const o = cert.domainValidationOptions[0];",
        "    new aws.route53.Record(`validation-${region}`, { // the same CNAME in both regions",
        "        zoneId, name: o.resourceRecordName, type: o.resourceRecordType, records: [o.resourceRecordValue], ttl: 300,",
        "    });",
        "}",
    ].join("\n"),
    check: (resources) =>
        declaredTwice(resources)
            .filter((group) => isValidationRecord(group, resources))
            .flatMap((group) =>
                group
                    .filter((r) => lacks(r).length > 0)
                    .map((r) => ({
                        resource: r,
                        message: `ACM validation record ${recordSet(r)} is also declared by ${otherLabels(r, group)}, and ${label(r)} has no ${lacks(r).join(" and no ")}: ACM uses the same record for a name in every region, so the second create fails with "already exists", or destroying one declaration deletes the record the other certificate needs to renew. Declare the record once, or give every declaration allowOverwrite: true and retainOnDelete.`,
                    })),
            ),
};

/** A record's value as Route 53 stores it, or undefined when any part is unknown. */
function recordValue(r: ResourceSnapshot): string | undefined {
    const value = {
        ttl: r.inputs.ttl,
        records: (list(r.inputs.records) ?? []).map((v) => str(v)?.toLowerCase() ?? v).sort(),
        aliases: r.inputs.aliases ?? [],
    };
    return hasUnknown(value) ? undefined : JSON.stringify(value);
}

export const recordDuplicateRule: GroupRule = {
    id: "record-duplicate",
    scope: "deployment",
    severity: "error",
    description:
        "A simple Route 53 record (same zone, name and type, no set identifier) is declared by one resource, or by several with allowOverwrite: true, retainOnDelete and the same value.",
    remediation:
        "Declare the record once and share it (pass its fqdn where it is needed), or make every declaration identical with allowOverwrite: true and retainOnDelete.",
    url: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_Change.html",
    example: [
        'new aws.route53.Record("www-a", { zoneId, name: "www.example.com", type: "CNAME", ttl: 60, records: ["a.example.net"] });',
        'new aws.route53.Record("www-b", { zoneId, name: "www.example.com", type: "CNAME", ttl: 60, records: ["b.example.net"] });',
    ].join("\n"),
    check: (resources) =>
        declaredTwice(resources)
            .filter((group) => !isValidationRecord(group, resources))
            .flatMap((group) => {
                const unsafe = group.filter((r) => lacks(r).length > 0);
                if (unsafe.length > 0) {
                    return unsafe.map((r) => ({
                        resource: r,
                        message: `Record ${recordSet(r)} is also declared by ${otherLabels(r, group)}, and ${label(r)} has no ${lacks(r).join(" and no ")}: Route 53 holds one such record, so the second create fails with "already exists", or destroying one declaration deletes the record the other relies on. Declare the record once.`,
                    }));
                }
                const values = group.map(recordValue);
                if (values.some((v) => v === undefined) || new Set(values).size === 1) {
                    return [];
                }
                return group.map((r) => ({
                    resource: r,
                    message: `Record ${recordSet(r)} is also declared by ${otherLabels(r, group)} with another value: with allowOverwrite each update replaces the other's value, so the record flips with every deploy. Declare the record once.`,
                }));
            }),
};

export const RECORD_DUPLICATE_RULES = [validationRecordSharedRule, recordDuplicateRule];
