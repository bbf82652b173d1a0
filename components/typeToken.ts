// The components' Pulumi type tokens. Loaded as a source-based component package
// (PulumiPlugin.yaml), Pulumi names the package after package.json's `name` and constructs a
// component only when its token is `<that name>:index:<class name>`
// (https://www.pulumi.com/docs/iac/guides/building-extending/packages/source-based-plugin/), so
// the tokens use the npm name. Stacks deployed before 0.1.0 registered the components as
// `multiregion:index:<class name>`: an alias keeps their resources (no replacement).
import * as pulumi from "@pulumi/pulumi";

/** The Pulumi package name: package.json's `name`. */
export const PACKAGE_NAME = "multi-region-api";
const PREVIOUS_PACKAGE_NAME = "multiregion";

/** The type token of component class `component`. */
export function componentType(component: string): string {
    return `${PACKAGE_NAME}:index:${component}`;
}

/** `urn` as the earlier tokens named it: every component of ours in its type chain renamed. */
export function previousUrn(urn: string): string {
    const parts = urn.split("::");
    if (parts.length >= 4) {
        parts[2] = parts[2].split(`${PACKAGE_NAME}:index:`).join(`${PREVIOUS_PACKAGE_NAME}:index:`);
    }
    return parts.join("::");
}

/**
 * `opts` plus an alias to the component's URN under the earlier token. The alias names the parent
 * by its earlier URN too, so a component nested in another of ours (a guard's AlarmHealthCheck)
 * resolves to its old URN, and its children inherit the alias. Caller aliases are kept.
 */
export function withPreviousType(
    component: string,
    opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions {
    const parent = opts?.parent;
    return pulumi.mergeOptions(opts, {
        aliases: [
            {
                type: `${PREVIOUS_PACKAGE_NAME}:index:${component}`,
                ...(parent ? { parent: parent.urn.apply(previousUrn) } : {}),
            },
        ],
    });
}
