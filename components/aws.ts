// The parts of @pulumi/aws this project uses, imported module by module: importing the package
// root makes TypeScript read all of its ~3,800 declaration files, most of every type-check's time.
// Use it as the package itself: `import * as aws from "./aws"`, then `aws.lambda.Function`.
export * as acm from "@pulumi/aws/acm";
export * as apigateway from "@pulumi/aws/apigateway";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as dynamodb from "@pulumi/aws/dynamodb";
export * as fis from "@pulumi/aws/fis";
export * as iam from "@pulumi/aws/iam";
export * as lambda from "@pulumi/aws/lambda";
export * as route53 from "@pulumi/aws/route53";
export * as s3 from "@pulumi/aws/s3";
export * as ssm from "@pulumi/aws/ssm";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export { Provider } from "@pulumi/aws/provider";
export * as wafv2 from "@pulumi/aws/wafv2";
export { getIpRangesOutput } from "@pulumi/aws/getIpRanges";
