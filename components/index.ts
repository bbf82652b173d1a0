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
export type { Handler, RegionalApiArgs, WafRateLimitArgs } from "./regionalApi";
export { PEER_PROBE_DEFAULTS, PeerProbe } from "./peerProbe";
export type { PeerProbeArgs, PeerProbeTarget } from "./peerProbe";
