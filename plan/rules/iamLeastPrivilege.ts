// Least privilege for the roles Lambda functions run as: no wildcard actions, no wildcard
// resources, no NotAction/NotResource allows and no broad AWS managed policies, through any of the
// ways a role is granted permissions.
import { broadGrants, policyDocument, trustsService } from "./iamPolicy";
import { GroupRule, ResourceSnapshot } from "./types";
import { T, dependsOn, label, list, obj, ofType, parseArn, str } from "./values";
const LAMBDA_SERVICE = "lambda.amazonaws.com";

/** Whether the role's trust policy lets Lambda assume it. */
function lambdaRole(role: ResourceSnapshot): boolean {
    const doc = policyDocument(role.inputs.assumeRolePolicy);
    return doc !== undefined && trustsService(doc, LAMBDA_SERVICE);
}

/**
 * Whether `value` (a role name given to `attacher`) is `role`: its name, or else (an unknown
 * value, or an id such as the plan's mock ids) the role `attacher` depends on, unless the value
 * names another role.
 */
function namesRole(
    value: unknown,
    role: ResourceSnapshot,
    attacher: ResourceSnapshot,
    roles: readonly ResourceSnapshot[],
): boolean {
    const given = str(value);
    if (given !== undefined && given === str(role.inputs.name)) {
        return true;
    }
    const another = roles.some(
        (r) => r !== role && given !== undefined && str(r.inputs.name) === given,
    );
    return !another && dependsOn(attacher, role);
}

/** AWS managed policies that grant broad access by name. */
const BROAD_MANAGED = /^(AdministratorAccess|PowerUserAccess|.*FullAccess.*)$/;

/** The name of a broad AWS managed policy (account `aws`: `arn:aws:iam::aws:policy/Name`). */
function broadManagedPolicy(arn: string): string | undefined {
    const parsed = parseArn(arn);
    if (parsed?.service !== "iam" || parsed.account !== "aws") {
        return undefined;
    }
    const name = parsed.resource.split("/").pop() ?? "";
    return parsed.resource.startsWith("policy/") && BROAD_MANAGED.test(name) ? name : undefined;
}

/** The customer managed policies (`aws:iam/policy:Policy`) an ARN or a dependency points to. */
function customerPolicies(
    arns: unknown[],
    holder: ResourceSnapshot,
    resources: readonly ResourceSnapshot[],
): ResourceSnapshot[] {
    const known = arns.map(str).filter((a): a is string => a !== undefined);
    return ofType(resources, T.policy).filter((p) => {
        const arn = str(p.inputs.arn);
        return arn !== undefined ? known.includes(arn) : dependsOn(holder, p);
    });
}

/** One way a role is granted too much, found on the resource that grants it. */
interface Grant {
    resource: ResourceSnapshot;
    /** How the message names the source, for example `RolePolicy api-policy`. */
    through: string;
    problems: string[];
}

const documentGrant = (resource: ResourceSnapshot, through: string, policy: unknown): Grant[] => {
    const doc = policyDocument(policy);
    const problems = doc === undefined ? [] : broadGrants(doc);
    return problems.length === 0 ? [] : [{ resource, through, problems }];
};

/** What attaching managed policies (by ARN) grants: broad AWS policies, broad own policies. */
function managedGrants(
    arns: unknown[],
    holder: ResourceSnapshot,
    through: string,
    resources: readonly ResourceSnapshot[],
): Grant[] {
    const broad = arns
        .map(str)
        .filter((a): a is string => a !== undefined)
        .map(broadManagedPolicy)
        .filter((n): n is string => n !== undefined)
        .map((n) => `the AWS managed policy ${n} grants broad actions on every resource`);
    return [
        ...(broad.length === 0 ? [] : [{ resource: holder, through, problems: broad }]),
        ...customerPolicies(arns, holder, resources).flatMap((p) =>
            documentGrant(holder, `${through}, policy ${label(p)}`, p.inputs.policy),
        ),
    ];
}

/** Every grant to `role` that goes beyond named actions on named resources. */
function grantsTo(role: ResourceSnapshot, resources: readonly ResourceSnapshot[]): Grant[] {
    const roles = ofType(resources, T.role);
    const inline = (list(role.inputs.inlinePolicies) ?? []).flatMap((p) => {
        const name = str(obj(p)?.name);
        return documentGrant(
            role,
            name ? `its inline policy ${name}` : "an inline policy",
            obj(p)?.policy,
        );
    });
    const rolePolicies = ofType(resources, T.rolePolicy)
        .filter((p) => namesRole(p.inputs.role, role, p, roles))
        .flatMap((p) => documentGrant(p, `RolePolicy ${label(p)}`, p.inputs.policy));
    const attachments = ofType(resources, T.rolePolicyAttachment)
        .filter((a) => namesRole(a.inputs.role, role, a, roles))
        .flatMap((a) =>
            managedGrants([a.inputs.policyArn], a, `RolePolicyAttachment ${label(a)}`, resources),
        );
    const policyAttachments = ofType(resources, T.policyAttachment)
        .filter((a) => (list(a.inputs.roles) ?? []).some((r) => namesRole(r, role, a, roles)))
        .flatMap((a) =>
            managedGrants([a.inputs.policyArn], a, `PolicyAttachment ${label(a)}`, resources),
        );
    const arns = list(role.inputs.managedPolicyArns) ?? [];
    const managed =
        arns.length === 0 ? [] : managedGrants(arns, role, "its managedPolicyArns", resources);
    return [...inline, ...rolePolicies, ...attachments, ...policyAttachments, ...managed];
}

export const lambdaLeastPrivilegeRule: GroupRule = {
    id: "lambda-least-privilege",
    scope: "stack",
    severity: "error",
    description:
        "Roles Lambda assumes are granted named actions on named resources: no wildcard actions or resources, no Allow with NotAction/NotResource, no AdministratorAccess, PowerUserAccess or *FullAccess managed policies.",
    remediation:
        "Grant each function's role only the actions it calls (dynamodb:GetItem, not dynamodb:*) on the ARNs of the resources it uses (its table, its log group with ':*' for the streams), in a policy of your own.",
    url: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    example: [
        'const role = new aws.iam.Role("fn", { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }) });',
        'new aws.iam.RolePolicy("fn", {',
        "    role: role.id,",
        '    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }] }),',
        "});",
    ].join("\n"),
    check: (resources) =>
        ofType(resources, T.role)
            .filter(lambdaRole)
            .flatMap((role) =>
                grantsTo(role, resources).map((g) => ({
                    resource: g.resource,
                    message: `Role ${label(role)}, which Lambda assumes, is granted too much through ${g.through}: ${g.problems.join("; ")}. A bug or a compromised dependency in the function could then act on far more than its own resources; grant only the actions it calls, on the ARNs of the resources it uses.`,
                })),
            ),
};
