// The components' Pulumi type tokens. Loaded as a source-based component package
// (PulumiPlugin.yaml), Pulumi names the package after package.json's `name` and constructs a
// component only when its token is `<that name>:index:<class name>`
// (https://www.pulumi.com/docs/iac/guides/building-extending/packages/source-based-plugin/), so
// the tokens use the npm name. Stacks deployed before 0.2.0 registered the components as
// `multiregion:index:<class name>`: aliases keep their resources (no replacement).
import * as pulumi from "@pulumi/pulumi";

/** The Pulumi package name: package.json's `name`. */
export const PACKAGE_NAME = "multi-region-api";
const PREVIOUS_PACKAGE_NAME = "multiregion";
const CURRENT = `${PACKAGE_NAME}:index:`;
const PREVIOUS = `${PREVIOUS_PACKAGE_NAME}:index:`;

/** The type token of component class `component`. */
export function componentType(component: string): string {
    return `${CURRENT}${component}`;
}

/**
 * `urn` as the earlier tokens named it: each type of ours in its type chain (`a$b$c`) renamed,
 * every other type (a consumer's, AWS's) as it is.
 */
export function previousUrn(urn: string): string {
    const parts = urn.split("::");
    if (parts.length >= 4) {
        parts[2] = parts[2]
            .split("$")
            .map((t) => (t.startsWith(CURRENT) ? PREVIOUS + t.slice(CURRENT.length) : t))
            .join("$");
    }
    return parts.join("::");
}

/** A parent as the earlier tokens named it (its URN, renamed), for an alias. */
function previousParent(parent: pulumi.Resource | pulumi.Input<string>): pulumi.Output<string> {
    const urn = pulumi.Resource.isInstance(parent) ? parent.urn : pulumi.output(parent);
    return urn.apply(previousUrn);
}

/**
 * The parent part of a caller alias's earlier form: none stays none (the resource's own parent,
 * or explicitly top-level), the root stack stays the root stack, any other parent by its earlier
 * URN.
 */
function previousParentOf(alias: pulumi.Alias, resourceParent: pulumi.Resource | undefined) {
    const explicit = Object.prototype.hasOwnProperty.call(alias, "parent");
    const parent = explicit ? alias.parent : resourceParent;
    if (parent === undefined) {
        return explicit ? { parent: undefined } : {};
    }
    return { parent: parent === pulumi.rootStackResource ? parent : previousParent(parent) };
}

/**
 * `opts` plus aliases to the component's URNs under the earlier token: its own, and the earlier
 * form of each alias the caller gives (a rename or move in the same update). Each names its parent
 * by its earlier URN too, so a component nested in another of ours (a guard's AlarmHealthCheck)
 * resolves to its old URN, and its children inherit the alias. Caller aliases are kept.
 */
export function withPreviousType(
    component: string,
    opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions {
    const type = `${PREVIOUS}${component}`;
    const parent = opts?.parent;
    const own: pulumi.Alias = { type, ...(parent ? { parent: previousParent(parent) } : {}) };
    // A caller alias given as an Output or a promise, or naming a type, is kept as it is.
    const callers = (opts?.aliases ?? []).flatMap((alias): (string | pulumi.Alias)[] => {
        if (typeof alias === "string") {
            const previous = previousUrn(alias);
            return previous === alias ? [] : [previous];
        }
        if (pulumi.Output.isInstance(alias) || alias instanceof Promise || alias.type) {
            return [];
        }
        return [{ ...alias, type, ...previousParentOf(alias, parent) }];
    });
    return pulumi.mergeOptions(opts, { aliases: [own, ...callers] });
}
