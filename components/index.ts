// The library entry point: `import { RegionalApi, FailoverDomain, AlarmHealthCheck } from "multi-region-api"`.
export {
    AlarmHealthCheck,
    AlarmStatistic,
    ComparisonOperator,
    InsufficientDataHealthStatus,
    SWITCH_METRIC,
    TreatMissingData,
    operatorSwitchArgs,
    operatorSwitchCommands,
    serverErrorGuardArgs,
} from "./alarmHealthCheck";
export type {
    AlarmHealthCheckArgs,
    OperatorSwitchCommands,
    OperatorSwitchScope,
    ServerErrorSource,
    ServerErrorThresholds,
} from "./alarmHealthCheck";
export { FailoverDomain, FailoverRole, RoutedRecordType, RoutingPolicy } from "./failoverDomain";
export type { FailoverDomainArgs, HealthCheckGuard, RegionalEndpoint } from "./failoverDomain";
export { RegionalApi } from "./regionalApi";
export type { Handler, RegionalApiArgs, WafRateLimit, WafRateLimitArgs } from "./regionalApi";
export { PEER_PROBE_DEFAULTS, PeerProbe } from "./peerProbe";
export type { PeerProbeArgs, PeerProbeTarget } from "./peerProbe";
export {
    DERIVED_METRIC_GUARD_DEFAULTS,
    DERIVED_METRIC_GUARD_RULES,
    DERIVED_METRIC_NAMES,
    DerivedMetricGuard,
    DerivedSignal,
} from "./derivedMetricGuard";
export type { DerivedMetricGuardArgs } from "./derivedMetricGuard";
export {
    FAILOVER_OBSERVABILITY_DEFAULTS,
    FailoverObservability,
    HealthCheckRole,
    TABLE_OPERATIONS,
} from "./failoverObservability";
export type {
    FailoverObservabilityArgs,
    NotificationTargets,
    ObservedAlarm,
    ObservedHealthCheck,
    ObservedPeerAlarm,
    ObservedSwitchMetric,
} from "./failoverObservability";
