import * as pulumi from "@pulumi/pulumi";

/**
 * Collects every problem with a component's plain arguments and throws them together, so a user
 * fixes them in one pass. Messages name the component, the instance and the argument:
 * `RegionalApi "primary": [stageName] must be 1-128 letters, digits or underscores (got "a b")`.
 */
export class ArgProblems {
    private readonly problems: string[] = [];

    constructor(
        private readonly component: string,
        private readonly instance: string,
    ) {}

    /** Records `message` (which starts with the bracketed argument name) unless `ok`. */
    check(ok: boolean, message: string): void {
        if (!ok) this.problems.push(message);
    }

    throwIfAny(): void {
        if (this.problems.length > 0) {
            // RunError: the Pulumi CLI prints the message alone, without a stack trace.
            throw new pulumi.RunError(
                `${this.component} "${this.instance}": ${this.problems.join("; ")}`,
            );
        }
    }
}

/** The value of an Input when it is known now (not an Output or a Promise), else undefined. */
export function known<T>(input: pulumi.Input<T> | undefined): T | undefined {
    if (input === undefined || pulumi.Output.isInstance(input) || input instanceof Promise) {
        return undefined;
    }
    return input as T;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A lowercase DNS name without a trailing dot, at most 253 characters. */
export function isDnsName(name: string): boolean {
    return (
        name.length <= 253 &&
        name.split(".").length >= 2 &&
        name.split(".").every((l) => LABEL.test(l))
    );
}

/** Whether `name` is `zone` itself or a name below it. */
export function isInZone(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

/** Quotes a value for an error message, whatever its type. */
export function shown(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}

/** Route 53's health checker regions, all of them ([API:HealthCheckConfig] Regions). */
export const HEALTH_CHECKER_REGIONS = [
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
] as const;

/** Regions a latency record may name ([API:ResourceRecordSetRegion], 2026 list). */
export const LATENCY_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1",
    "eu-south-1", "eu-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-east-1", "ap-east-2",
    "sa-east-1", "me-south-1", "me-central-1", "af-south-1", "il-central-1", "mx-central-1",
    "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1", "eusc-de-east-1",
] as const; // prettier-ignore
