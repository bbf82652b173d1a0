// The Pulumi program: read and validate this stack's config, deploy its region, export outputs.
import { loadStackConfig } from "./stack/config";
import { deployStack } from "./stack/deploy";

const outputs = deployStack(loadStackConfig());

export const region = outputs.region;
export const role = outputs.role;
export const routing = outputs.routing;
export const serviceUrl = outputs.serviceUrl;
export const regionalUrl = outputs.regionalUrl;
export const healthUrl = outputs.healthUrl;
export const tableName = outputs.tableName;
export const apiFunctionName = outputs.apiFunctionName;
export const healthFunctionName = outputs.healthFunctionName;
export const restApiId = outputs.restApiId;
export const stageName = outputs.stageName;
export const recordSetIdentifier = outputs.recordSetIdentifier;
export const endpointHealthCheckId = outputs.endpointHealthCheckId;
export const routedHealthCheckId = outputs.routedHealthCheckId;
export const operatorSwitch = outputs.operatorSwitch;
export const serverErrorAlarmName = outputs.serverErrorAlarmName;
