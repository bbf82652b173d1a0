// Rules on what a custom domain serves: a domain DNS sends clients to needs an API mapped to it
// (or routing rules), and each path of a domain maps to one API only.
import { DOMAIN_TYPES, customDomainName, domainLabel } from "./apisLinks";
import { GroupRule, ResourceSnapshot } from "./types";
import {
    T,
    dependsOn,
    dnsName,
    first,
    given,
    groupBy,
    label,
    list,
    obj,
    ofType,
    otherLabels,
    str,
} from "./values";

const MAPPING_TYPES = [T.basePathMapping, T.apiMappingV2];

/** The names clients reach a custom domain by in DNS (its targets), when the snapshot has them. */
function targetNames(domain: ResourceSnapshot): string[] {
    const config = obj(first(domain.inputs.domainNameConfiguration));
    return [
        domain.inputs.regionalDomainName,
        domain.inputs.cloudfrontDomainName,
        config?.targetDomainName,
    ]
        .map(str)
        .filter((n): n is string => n !== undefined && n !== "")
        .map(dnsName);
}

/** The names a record answers with: its alias targets and its record values. */
function recordTargets(record: ResourceSnapshot): string[] {
    const aliases = (list(record.inputs.aliases) ?? []).map((a) => str(obj(a)?.name));
    const values = (list(record.inputs.records) ?? []).map(str);
    return [...aliases, ...values]
        .filter((n): n is string => n !== undefined && n !== "")
        .map(dnsName);
}

/** The Route 53 records that send clients to `domain` (by target name, or by dependency). */
function recordsTo(domain: ResourceSnapshot, resources: readonly ResourceSnapshot[]) {
    const targets = targetNames(domain);
    return ofType(resources, T.record).filter(
        (r) => dependsOn(r, domain) || recordTargets(r).some((t) => targets.includes(t)),
    );
}

/**
 * Whether a mapping or routing rule may serve `domain`: it depends on the domain, or names it
 * (same DNS name, same region when both are known). One whose domain name is unknown and that
 * depends on no other custom domain is given the benefit of the doubt.
 */
function mayServe(
    server: ResourceSnapshot,
    domain: ResourceSnapshot,
    domains: readonly ResourceSnapshot[],
): boolean {
    if (dependsOn(server, domain)) {
        return true;
    }
    const named = str(server.inputs.domainName);
    if (named === undefined) {
        return given(server.inputs.domainName) && !domains.some((d) => dependsOn(server, d));
    }
    const name = customDomainName(domain);
    const sameRegion =
        server.region === undefined ||
        domain.region === undefined ||
        server.region === domain.region;
    return (name === undefined || dnsName(named) === name) && sameRegion;
}

/** What a domain's routing mode lets serve it; undefined when unknown or unrecognised. */
function servedBy(domain: ResourceSnapshot): { mappings: boolean; rules: boolean } | undefined {
    const mode = domain.inputs.routingMode;
    if (!given(mode)) {
        return { mappings: true, rules: false };
    }
    switch (str(mode)?.toUpperCase()) {
        case "BASE_PATH_MAPPING_ONLY":
        case "API_MAPPING_ONLY":
            return { mappings: true, rules: false };
        case "ROUTING_RULE_ONLY":
            return { mappings: false, rules: true };
        case "ROUTING_RULE_THEN_BASE_PATH_MAPPING":
        case "ROUTING_RULE_THEN_API_MAPPING":
            return { mappings: true, rules: true };
        default:
            return undefined;
    }
}

function unmappedProblem(
    domain: ResourceSnapshot,
    resources: readonly ResourceSnapshot[],
): string | undefined {
    const records = recordsTo(domain, resources);
    const served = servedBy(domain);
    if (records.length === 0 || served === undefined) {
        return undefined;
    }
    const domains = ofType(resources, ...DOMAIN_TYPES);
    const types = [
        ...(served.mappings ? MAPPING_TYPES : []),
        ...(served.rules ? [T.routingRuleV2] : []),
    ];
    if (ofType(resources, ...types).some((s) => mayServe(s, domain, domains))) {
        return undefined;
    }
    const where = domain.region === undefined ? "" : ` in ${domain.region}`;
    const from = `receives clients from record ${records.map(label).join(", ")}`;
    const missing = served.mappings
        ? "no API is mapped to it (no aws.apigateway.BasePathMapping or aws.apigatewayv2.ApiMapping)"
        : `its routingMode ${str(domain.inputs.routingMode) ?? ""} needs an aws.apigatewayv2.RoutingRule and it has none`;
    return `The ${domainLabel(domain)}${where} ${from}, but ${missing}: API Gateway has no API to send them to and answers every request with an error (403 Forbidden). Map an API stage to the domain${where}.`;
}

export const basePathMappingMissingRule: GroupRule = {
    id: "base-path-mapping-missing",
    scope: "deployment",
    severity: "error",
    description:
        "A custom domain that a Route 53 record sends clients to has an API mapped to it in its region (a BasePathMapping or ApiMapping, or routing rules when its routingMode uses them).",
    remediation:
        "Create an aws.apigateway.BasePathMapping (or aws.apigatewayv2.ApiMapping) from the domain to an API stage in every region the record can send clients to.",
    url: "https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html",
    example: [
        'const domain = new aws.apigateway.DomainName("api", { domainName: "api.example.com", endpointConfiguration: { types: "REGIONAL" }, regionalCertificateArn });',
        'new aws.route53.Record("api", {',
        '    zoneId, name: "api.example.com", type: "A",',
        "    aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: true }],",
        "}); // and no BasePathMapping for the domain",
    ].join("\n"),
    check: (resources, ctx) =>
        // Only the whole deployment shows that no stack maps the domain.
        ctx.wholeDeployment
            ? ofType(resources, ...DOMAIN_TYPES).flatMap((domain) => {
                  const message = unmappedProblem(domain, resources);
                  return message === undefined ? [] : [{ resource: domain, message }];
              })
            : [],
};

/** The path a mapping takes on its domain ("" for the root), undefined when unknown. */
function mappingPath(mapping: ResourceSnapshot): string | undefined {
    const raw =
        mapping.type === T.basePathMapping ? mapping.inputs.basePath : mapping.inputs.apiMappingKey;
    if (!given(raw)) {
        return "";
    }
    const path = str(raw);
    return path === "(none)" ? "" : path;
}

/** A mapping's place: region, domain name and path, when all are known. */
function mappingPlace(mapping: ResourceSnapshot): string | undefined {
    const domain = str(mapping.inputs.domainName);
    const path = mappingPath(mapping);
    return mapping.region === undefined || domain === undefined || path === undefined
        ? undefined
        : JSON.stringify([mapping.region, dnsName(domain), path]);
}

export const apiMappingDuplicateRule: GroupRule = {
    id: "api-mapping-duplicate",
    scope: "deployment",
    severity: "error",
    description:
        "Each base path of a custom domain (in one region) is mapped once, by one BasePathMapping or ApiMapping.",
    remediation:
        "Give each API its own base path on the domain, or map the path once and share that mapping.",
    url: "https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html",
    example: [
        'new aws.apigateway.BasePathMapping("orders", { domainName: "api.example.com", restApi: ordersApi.id, stageName: "live", basePath: "v1" });',
        'new aws.apigateway.BasePathMapping("invoices", { domainName: "api.example.com", restApi: invoicesApi.id, stageName: "live", basePath: "v1" });',
    ].join("\n"),
    check: (resources) =>
        [...groupBy(ofType(resources, ...MAPPING_TYPES), mappingPlace).values()]
            .filter((group) => group.length > 1)
            .flatMap((group) =>
                group.map((m) => {
                    const path = mappingPath(m);
                    const what = path ? `Base path ${path}` : "The empty base path (the root)";
                    const domain = dnsName(str(m.inputs.domainName) ?? "");
                    return {
                        resource: m,
                        message: `${what} of custom domain ${domain} in ${m.region ?? ""} is also mapped by ${otherLabels(m, group)}: API Gateway keeps one mapping per path of a domain, so the second create fails ("Base path already exists for this domain name"). Give each API its own path, or map the path once.`,
                    };
                }),
            ),
};

/** The protocol of the API a mapping maps: REST, HTTP or WEBSOCKET; undefined when unknown. */
function mappedProtocol(
    mapping: ResourceSnapshot,
    resources: readonly ResourceSnapshot[],
): string | undefined {
    // Base path mappings map REST APIs only.
    if (mapping.type === T.basePathMapping) {
        return "REST";
    }
    const apis = ofType(resources, T.restApi, T.apiV2).filter((a) => dependsOn(mapping, a));
    const protocols = new Set(
        apis.map((a) =>
            a.type === T.restApi ? "REST" : str(a.inputs.protocolType)?.toUpperCase(),
        ),
    );
    const [only] = [...protocols];
    return protocols.size === 1 ? only : undefined;
}

/** The custom domain a mapping maps (region and DNS name), by its name or its dependency. */
function mappedDomain(
    mapping: ResourceSnapshot,
    resources: readonly ResourceSnapshot[],
): string | undefined {
    const named = str(mapping.inputs.domainName);
    if (named !== undefined) {
        return mapping.region === undefined
            ? undefined
            : `custom domain ${dnsName(named)} in ${mapping.region}`;
    }
    const [domain, ...more] = ofType(resources, ...DOMAIN_TYPES).filter((d) =>
        dependsOn(mapping, d),
    );
    const name = domain && customDomainName(domain);
    return more.length > 0 || name === undefined || domain.region === undefined
        ? undefined
        : `custom domain ${name} in ${domain.region}`;
}

export const websocketDomainSharedRule: GroupRule = {
    id: "websocket-domain-shared",
    scope: "deployment",
    severity: "error",
    description:
        "A custom domain mapped to a WebSocket API maps no REST or HTTP API (and the other way round).",
    remediation:
        "Give the WebSocket API a custom domain of its own (for example ws.example.com), with its own certificate name and records.",
    url: "https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-custom-domain-names.html",
    example: [
        'const ws = new aws.apigatewayv2.Api("ws", { protocolType: "WEBSOCKET", routeSelectionExpression: "$request.body.action" });',
        'new aws.apigatewayv2.ApiMapping("ws", { domainName: "api.example.com", apiId: ws.id, stage: wsStage.id, apiMappingKey: "ws" });',
        'new aws.apigateway.BasePathMapping("rest", { domainName: "api.example.com", restApi: rest.id, stageName: "live" });',
    ].join("\n"),
    check: (resources) => {
        const mappings = ofType(resources, ...MAPPING_TYPES).flatMap((mapping) => {
            const protocol = mappedProtocol(mapping, resources);
            return protocol === undefined ? [] : [{ mapping, protocol }];
        });
        const byDomain = groupBy(mappings, (m) => mappedDomain(m.mapping, resources));
        return [...byDomain].flatMap(([domain, mapped]) => {
            const others = mapped.filter((m) => m.protocol !== "WEBSOCKET");
            return others.length === 0
                ? []
                : mapped
                      .filter((m) => m.protocol === "WEBSOCKET")
                      .map(({ mapping }) => ({
                          resource: mapping,
                          message: `${label(mapping)} maps a WebSocket API to ${domain}, which ${others.map((o) => `${label(o.mapping)} (${o.protocol})`).join(", ")} also ${others.length > 1 ? "map" : "maps"}: a custom domain of a WebSocket API can't be mapped to REST or HTTP APIs, so API Gateway refuses the second mapping. Give the WebSocket API a custom domain of its own.`,
                      }));
        });
    },
};

export const MAPPING_RULES = [
    basePathMappingMissingRule,
    apiMappingDuplicateRule,
    websocketDomainSharedRule,
];
