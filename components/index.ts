// The library entry point: `import { RegionalApi, FailoverDomain, AlarmHealthCheck } from "multi-region-api"`.
export type {
    AlarmHealthCheckArgs,
    AlarmStatistic,
    ComparisonOperator,
    InsufficientDataHealthStatus,
    OperatorSwitchScope,
} from "./alarmHealthCheck";
export {
    AlarmHealthCheck,
    ROUTE53_STATISTICS,
    SWITCH_METRIC,
    operatorSwitchArgs,
    validateAlarmHealthCheckArgs,
} from "./alarmHealthCheck";
export type { FailoverDomainArgs, FailoverRole, RoutingPolicy } from "./failoverDomain";
export {
    DEFAULT_CHECKER_REGIONS,
    FailoverDomain,
    validateFailoverDomainArgs,
} from "./failoverDomain";
export type { RegionalApiArgs } from "./regionalApi";
export { LOG_RETENTION_DAYS, RegionalApi, validateRegionalApiArgs } from "./regionalApi";
export { HEALTH_CHECKER_REGIONS, LATENCY_REGIONS } from "./validation";
export { HEALTH_TOKEN } from "../functions/health/token";
