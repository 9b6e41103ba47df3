/**
 * What the demo AWS account sees on an ordinary day: engineers signing in to the console with MFA and working
 * through the CLI, SDKs and Terraform in an `EngineerAccess` (or `SecurityAudit`) role session they assume
 * with their long-term key and MFA; GitHub Actions deploying through OIDC; and an hourly Lambda rolling up
 * metrics.
 *
 * Invariants:
 * - Each call's parameters are chosen while planning (from `plan.rng`); builders only add ids.
 * - A role session is re-assumed after 55 minutes (the session lasts an hour), and every call in a session
 *   carries the `ASIA…` key its AssumeRole returned, so sessions can be followed across records.
 * - The only failures are realistic AccessDenied answers (engineers reading IAM or the finance bucket).
 */
import {
  assumeRoleResponse,
  assumedRoleIdentity,
  cloudTrailRecord,
  iamUserIdentity,
  iamUserSignInIdentity,
  s3AdditionalData,
  s3BucketResources,
  s3ObjectResources,
  serviceIdentity,
  webIdentity,
  type CloudTrailCallSpec,
} from './cloudtrail-events';
import type { CloudTrailUserIdentity } from './cloudtrail-wire-schema';
import { awsId, type AwsBucket, type AwsIamUser, type DemoAwsAccount, type DemoOrganisation, type DemoUser } from './organisation';
import type { Random } from './random';
import type { Plan } from './timeline';
import { HOUR_MS } from './time-zones';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** What a call does, chosen at plan time; identity, address and agent are added by the session. */
export type CallShape = Omit<CloudTrailCallSpec, 'identity' | 'sourceIp' | 'userAgent' | 'fromConsole'> & {
  /** CLI command name (`md/command#…` in the CLI user agent). */
  readonly command: string;
};

interface CallTemplate {
  readonly weight: number;
  readonly shape: (ctx: CallContext) => CallShape;
}

interface CallContext {
  readonly rng: Random;
  readonly aws: DemoAwsAccount;
  readonly region: string;
  /** ARN of the caller, for AccessDenied messages. */
  readonly callerArn: string;
  readonly roleName: string;
  readonly t: number;
}

const regionalHost = (service: string, region: string): string => `${service}.${region}.amazonaws.com`;

export function s3Key(rng: Random, bucket: AwsBucket, t: number): string {
  const prefix = rng.pick(bucket.prefixes);
  const day = new Date(t - rng.int(0, 20) * 86_400_000).toISOString().slice(0, 10);
  const ext = rng.pick(['csv', 'json.gz', 'parquet', 'pdf', 'png']);
  return `${prefix}${day.replaceAll('-', '/')}/${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}.${ext}`;
}

function bucketNamed(aws: DemoAwsAccount, name: string): AwsBucket {
  const bucket = aws.buckets.find((b) => b.name === name);
  if (!bucket) throw new Error(`the demo account has no bucket ${name}`);
  return bucket;
}

export function s3Call(
  aws: DemoAwsAccount,
  name: 'GetObject' | 'PutObject' | 'ListObjects',
  bucket: AwsBucket,
  key: string,
  bytes: number,
): CallShape {
  const host = `${bucket.name}.s3.${bucket.region}.amazonaws.com`;
  const requestParameters =
    name === 'ListObjects'
      ? { bucketName: bucket.name, Host: host, 'list-type': '2', prefix: key, delimiter: '/', 'encoding-type': 'url' }
      : { bucketName: bucket.name, Host: host, key };
  return {
    eventSource: 's3.amazonaws.com',
    eventName: name,
    region: bucket.region,
    requestParameters,
    responseElements: name === 'PutObject' ? { 'x-amz-server-side-encryption': 'AES256' } : null,
    additionalEventData: s3AdditionalData(name === 'PutObject' ? bytes : 0, name === 'PutObject' ? 0 : bytes),
    readOnly: name !== 'PutObject',
    resources: name === 'ListObjects' ? s3BucketResources(aws.accountId, bucket.name) : s3ObjectResources(aws.accountId, bucket.name, key),
    category: 'Data',
    requestIdStyle: 's3',
    tlsHost: host,
    command: name === 'ListObjects' ? 's3.ls' : 's3.cp',
  };
}

function management(
  service: string,
  eventName: string,
  region: string,
  readOnly: boolean,
  requestParameters: Record<string, unknown> | null,
  command: string,
  global = false,
): CallShape {
  return {
    eventSource: `${service}.amazonaws.com`,
    eventName,
    region: global ? 'us-east-1' : region,
    requestParameters,
    responseElements: null,
    readOnly,
    category: 'Management',
    requestIdStyle: 'uuid',
    tlsHost: global ? `${service}.amazonaws.com` : regionalHost(service, region),
    command,
  };
}

function accessDenied(shape: CallShape, message: string): CallShape {
  return { ...shape, error: { code: 'AccessDenied', message } };
}

/** Calls engineers make from a terminal, by weight. */
const cliCalls: readonly CallTemplate[] = [
  { weight: 4, shape: (c) => management('sts', 'GetCallerIdentity', c.region, true, null, 'sts.get-caller-identity') },
  {
    weight: 10,
    shape: (c) =>
      management(
        'ec2',
        'DescribeInstances',
        c.region,
        true,
        c.rng.chance(0.5)
          ? { instancesSet: {}, filterSet: {} }
          : { instancesSet: { items: [{ instanceId: c.rng.pick(c.aws.instanceIds) }] }, filterSet: {} },
        'ec2.describe-instances',
      ),
  },
  {
    weight: 3,
    shape: (c) =>
      management('ec2', 'DescribeSecurityGroups', c.region, true, { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }, 'ec2.describe-security-groups'),
  },
  {
    weight: 4,
    shape: (c) => ({
      ...management('s3', 'ListBuckets', 'us-east-1', true, { Host: 's3.amazonaws.com' }, 's3.ls', true),
      additionalEventData: s3AdditionalData(0, c.rng.int(2_000, 6_000)),
      requestIdStyle: 's3',
      tlsHost: 's3.amazonaws.com',
    }),
  },
  {
    weight: 6,
    shape: (c) => {
      const bucket = c.rng.pick(c.aws.buckets.filter((b) => !b.sensitive));
      return s3Call(c.aws, 'ListObjects', bucket, c.rng.pick(bucket.prefixes), c.rng.int(1_000, 40_000));
    },
  },
  {
    weight: 12,
    shape: (c) => {
      const bucket = c.rng.pick(c.aws.buckets.filter((b) => !b.sensitive));
      return s3Call(c.aws, 'GetObject', bucket, s3Key(c.rng, bucket, c.t), c.rng.int(800, 25_000_000));
    },
  },
  {
    weight: 5,
    shape: (c) => {
      const bucket = c.rng.pick(c.aws.buckets.filter((b) => !b.sensitive && b.name !== 'acme-demo-logs-archive'));
      return s3Call(c.aws, 'PutObject', bucket, s3Key(c.rng, bucket, c.t), c.rng.int(800, 5_000_000));
    },
  },
  {
    weight: 5,
    shape: (c) => {
      const fn = c.rng.pick(c.aws.functions);
      return {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'Invoke',
        region: fn.region,
        requestParameters: { functionName: fn.arn, invocationType: c.rng.chance(0.8) ? 'RequestResponse' : 'Event' },
        responseElements: null,
        additionalEventData: { functionVersion: `${fn.arn}:$LATEST` },
        readOnly: false,
        resources: [{ accountId: c.aws.accountId, type: 'AWS::Lambda::Function', ARN: fn.arn }],
        category: 'Data',
        requestIdStyle: 'uuid',
        tlsHost: regionalHost('lambda', fn.region),
        command: 'lambda.invoke',
      };
    },
  },
  {
    weight: 3,
    shape: (c) => {
      const fn = c.rng.pick(c.aws.functions);
      return management('lambda', 'GetFunction20150331v2', fn.region, true, { functionName: fn.name }, 'lambda.get-function');
    },
  },
  {
    weight: 4,
    shape: (c) =>
      management('logs', 'DescribeLogGroups', c.region, true, { logGroupNamePrefix: `/aws/lambda/${c.rng.pick(c.aws.functions).name}` }, 'logs.describe-log-groups'),
  },
  {
    weight: 3,
    shape: (c) =>
      management(
        'logs',
        'DescribeLogStreams',
        c.region,
        true,
        { logGroupName: `/aws/lambda/${c.rng.pick(c.aws.functions).name}`, orderBy: 'LastEventTime', descending: true, limit: 50 },
        'logs.describe-log-streams',
      ),
  },
  { weight: 3, shape: (c) => management('dynamodb', 'DescribeTable', c.region, true, { tableName: c.rng.pick(c.aws.tables) }, 'dynamodb.describe-table') },
  {
    weight: 3,
    shape: (c) => management('ssm', 'GetParameter', c.region, true, { name: c.rng.pick(c.aws.parameters), withDecryption: false }, 'ssm.get-parameter'),
  },
  {
    weight: 2,
    shape: (c) =>
      management('cloudformation', 'DescribeStacks', c.region, true, { stackName: `${c.rng.pick(['orders-api', 'billing', 'web'])}-prod` }, 'cloudformation.describe-stacks'),
  },
  {
    weight: 1,
    shape: (c) => {
      const shape = management('iam', 'ListUsers', c.region, true, null, 'iam.list-users', true);
      return c.roleName === 'SecurityAudit'
        ? shape
        : accessDenied(
            shape,
            `User: ${c.callerArn} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${c.aws.accountId}:user/ because no identity-based policy allows the iam:ListUsers action`,
          );
    },
  },
  {
    weight: 1,
    shape: (c) => {
      const bucket = bucketNamed(c.aws, 'acme-demo-finance-reports');
      return accessDenied(s3Call(c.aws, 'GetObject', bucket, s3Key(c.rng, bucket, c.t), 0), 'Access Denied');
    },
  },
];

/** Calls the console makes on an engineer's behalf, with the user agent each console uses. */
const consoleCalls: readonly (CallTemplate & { readonly agent: string })[] = [
  { weight: 5, agent: 'console.ec2.amazonaws.com', shape: (c) => management('ec2', 'DescribeInstances', c.region, true, { instancesSet: {}, filterSet: {} }, '') },
  { weight: 3, agent: 'console.ec2.amazonaws.com', shape: (c) => management('ec2', 'DescribeSecurityGroups', c.region, true, { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }, '') },
  { weight: 3, agent: 'AWS Internal', shape: (c) => management('lambda', 'ListFunctions20150331', c.region, true, null, '') },
  { weight: 3, agent: 'AWS Internal', shape: (c) => management('logs', 'DescribeLogGroups', c.region, true, { limit: 50 }, '') },
  { weight: 2, agent: 'AWS Internal', shape: (c) => management('monitoring', 'DescribeAlarms', c.region, true, { maxRecords: 100 }, '') },
  {
    weight: 1,
    agent: '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.780 Linux/5.10.228-219.884.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.432-b06 java/1.8.0_432 vendor/Oracle_Corporation cfg/retry-mode/standard]',
    shape: (c) => ({
      ...management('s3', 'ListBuckets', 'us-east-1', true, { Host: 's3.amazonaws.com' }, '', true),
      additionalEventData: s3AdditionalData(0, c.rng.int(2_000, 6_000)),
      requestIdStyle: 's3',
      tlsHost: 's3.amazonaws.com',
    }),
  },
];

type Tool = 'cli' | 'boto3' | 'terraform';

function toolUserAgent(tool: Tool, platform: string, shape: CallShape): string {
  const service = shape.eventSource.slice(0, shape.eventSource.indexOf('.'));
  switch (tool) {
    case 'cli':
      return `aws-cli/2.31.18 md/awscrt#0.27.6 ua/2.1 ${platform} lang/python#3.13.7 md/pyimpl#CPython m/E,Z cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${shape.command || 'sts.assume-role'}`;
    case 'boto3':
      return `Boto3/1.40.55 md/Botocore#1.40.55 ua/2.1 ${platform} lang/python#3.12.11 md/pyimpl#CPython m/b,Z cfg/retry-mode#legacy Botocore/1.40.55`;
    case 'terraform':
      return `APN/1.0 HashiCorp/1.0 Terraform/1.13.4 (+https://www.terraform.io) terraform-provider-aws/6.17.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.39.2 ua/2.1 ${platform} lang/go#1.24.8 api/${service}#1.0.0`;
  }
}

export interface AwsDayOptions {
  readonly workStart: number;
  readonly workEnd: number;
  readonly sourceIp: string;
  /** Probability of a console session, bursts of terminal work, CI pipeline runs. */
  readonly consoleChance: number;
  readonly cliBursts: readonly [number, number];
  readonly ciRuns: boolean;
}

/** One engineer's AWS activity between `workStart` and `workEnd`. */
export function recordEngineerAwsDay(plan: Plan, org: DemoOrganisation, user: DemoUser, iam: AwsIamUser, options: AwsDayOptions): void {
  const { aws } = org;
  const rng = plan.rng;

  if (rng.chance(options.consoleChance)) {
    const signInAt = options.workStart + rng.between(3, 45) * MINUTE;
    recordConsoleLogin(plan, aws, iam, options.sourceIp, user.browser.rawUserAgent, signInAt, true);
    const consoleKey = awsId(rng, 'ASIA');
    let t = signInAt;
    const calls = rng.int(2, 7);
    for (let i = 0; i < calls; i++) {
      t += rng.between(15, 360) * SECOND;
      const template = rng.weighted(consoleCalls.map((c) => [c, c.weight] as const));
      const shape = template.shape({ rng, aws, region: iam.region, callerArn: iam.arn, roleName: iam.role.name, t });
      const identity = iamUserIdentity(iam, aws.accountId, consoleKey, { createdAt: signInAt, mfa: true });
      recordCall(plan, aws, t, shape, identity, options.sourceIp, template.agent, true);
    }
  }

  // Terminal work comes in bursts: a few minutes to most of an hour of calls, a few times a day.
  const times: number[] = [];
  const bursts = rng.int(options.cliBursts[0], options.cliBursts[1]);
  const span = Math.max(0, options.workEnd - options.workStart - 50 * MINUTE);
  for (let b = 0; b < bursts; b++) {
    let t = options.workStart + 10 * MINUTE + rng.float() * span;
    const calls = rng.int(3, 14);
    for (let i = 0; i < calls; i++) {
      t += rng.between(2, 240) * SECOND;
      times.push(t);
    }
  }
  times.sort((a, b) => a - b);
  let session: { key: string; createdAt: number; tool: Tool } | null = null;
  for (const t of times) {
    const template = rng.weighted(cliCalls.map((c) => [c, c.weight] as const));
    const sessionName = iam.userName;
    const callerArn = `arn:aws:sts::${aws.accountId}:assumed-role/${iam.role.name}/${sessionName}`;
    const shape = template.shape({ rng, aws, region: iam.region, callerArn, roleName: iam.role.name, t });
    if (!session || t - session.createdAt > 55 * MINUTE) {
      const tool = rng.weighted<Tool>([
        ['cli', 6],
        ['boto3', 3],
        ['terraform', 1],
      ]);
      const assumedAt = t - rng.between(0.4, 2.5) * SECOND;
      const key = awsId(rng, 'ASIA');
      recordAssumeRole(plan, aws, iam, assumedAt, key, options.sourceIp, toolUserAgent(tool, user.browser.cliPlatform, shape));
      session = { key, createdAt: assumedAt, tool };
    }
    const identity = assumedRoleIdentity(iam.role, sessionName, aws.accountId, session.key, session.createdAt, true);
    recordCall(plan, aws, t, shape, identity, options.sourceIp, toolUserAgent(session.tool, user.browser.cliPlatform, shape), false);
  }

  if (options.ciRuns) {
    const runs = rng.weighted([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 1],
    ] as const);
    for (let i = 0; i < runs; i++) {
      const t = options.workStart + 30 * MINUTE + rng.float() * (options.workEnd - options.workStart - 60 * MINUTE);
      recordCiRun(plan, aws, t);
    }
  }
}

export function recordCall(
  plan: Plan,
  aws: DemoAwsAccount,
  t: number,
  shape: CallShape,
  identity: CloudTrailUserIdentity,
  sourceIp: string,
  userAgent: string,
  fromConsole: boolean,
): void {
  const { command: _command, ...call } = shape;
  plan.cloudtrail(t, (rng) => cloudTrailRecord(t, rng, aws.accountId, { ...call, identity, sourceIp, userAgent, fromConsole }));
}

/** `ConsoleLogin` of an IAM user; `mfa` says whether the user passed an MFA check. */
export function recordConsoleLogin(
  plan: Plan,
  aws: DemoAwsAccount,
  iam: AwsIamUser,
  sourceIp: string,
  userAgent: string,
  t: number,
  mfa: boolean,
): void {
  plan.cloudtrail(t, (rng) =>
    cloudTrailRecord(t, rng, aws.accountId, {
      identity: iamUserSignInIdentity(iam, aws.accountId),
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      region: 'us-east-1',
      sourceIp,
      userAgent,
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_c8a5b1e0d2f3a4b6',
        MobileVersion: 'No',
        MFAUsed: mfa ? 'Yes' : 'No',
        ...(mfa ? { MFAIdentifier: iam.mfaSerial } : {}),
      },
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      category: 'Management',
      requestIdStyle: 'none',
      tlsHost: 'signin.aws.amazon.com',
    }),
  );
}

/** `AssumeRole` of the user's working role with the long-term key and MFA. */
function recordAssumeRole(plan: Plan, aws: DemoAwsAccount, iam: AwsIamUser, t: number, newKey: string, sourceIp: string, userAgent: string): void {
  plan.cloudtrail(t, (rng) =>
    cloudTrailRecord(t, rng, aws.accountId, {
      identity: iamUserIdentity(iam, aws.accountId, iam.accessKeyId),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      region: iam.region,
      sourceIp,
      userAgent,
      requestParameters: { roleArn: iam.role.arn, roleSessionName: iam.userName, durationSeconds: 3600, serialNumber: iam.mfaSerial },
      responseElements: assumeRoleResponse(iam.role, iam.userName, aws.accountId, newKey, t + HOUR_MS),
      readOnly: true,
      resources: [{ accountId: aws.accountId, type: 'AWS::IAM::Role', ARN: iam.role.arn }],
      category: 'Management',
      requestIdStyle: 'uuid',
      tlsHost: regionalHost('sts', iam.region),
    }),
  );
}

const CI_USER_AGENT =
  'aws-sdk-js/3.693.0 ua/2.1 os/linux#6.8.0-1017-azure lang/js md/nodejs#20.18.1 api/sts#3.693.0 m/N,E configure-aws-credentials-for-github-actions';
const CI_CLI_USER_AGENT =
  'aws-cli/2.31.18 md/awscrt#0.27.6 ua/2.1 os/linux#6.8.0-1017-azure md/arch#x86_64 lang/python#3.13.7 md/pyimpl#CPython m/E cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#';

/** A GitHub Actions workflow: OIDC role session, artifact upload, and a Lambda deploy on `main`. */
export function recordCiRun(plan: Plan, aws: DemoAwsAccount, t0: number): void {
  const rng = plan.rng;
  const repository = rng.pick(aws.repositories);
  const onMain = rng.chance(0.4);
  const subject = onMain ? `repo:${repository}:ref:refs/heads/main` : `repo:${repository}:pull_request`;
  const runnerIp = rng.pick(aws.ciRunnerIps);
  const role = aws.roles.ci;
  const key = awsId(rng, 'ASIA');
  const sessionName = 'GitHubActions';

  plan.cloudtrail(t0, (r) =>
    cloudTrailRecord(t0, r, aws.accountId, {
      identity: webIdentity(aws.oidcProviderArn, subject),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      region: 'us-east-1',
      sourceIp: runnerIp,
      userAgent: CI_USER_AGENT,
      requestParameters: { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: 3600 },
      responseElements: {
        ...assumeRoleResponse(role, sessionName, aws.accountId, key, t0 + HOUR_MS),
        subjectFromWebIdentityToken: subject,
        provider: aws.oidcProviderArn,
        audience: 'sts.amazonaws.com',
      },
      readOnly: true,
      resources: [
        { accountId: aws.accountId, type: 'AWS::IAM::Role', ARN: role.arn },
        { accountId: aws.accountId, type: 'AWS::IAM::OIDCProvider', ARN: aws.oidcProviderArn },
      ],
      category: 'Management',
      requestIdStyle: 'uuid',
      tlsHost: 'sts.us-east-1.amazonaws.com',
    }),
  );

  const identity = assumedRoleIdentity(role, sessionName, aws.accountId, key, t0, false, { federatedProvider: aws.oidcProviderArn, attributes: {} });
  let t = t0 + rng.between(2, 6) * SECOND;
  recordCall(plan, aws, t, management('sts', 'GetCallerIdentity', 'us-east-1', true, null, ''), identity, runnerIp, `${CI_CLI_USER_AGENT}sts.get-caller-identity`, false);

  t += rng.between(40, 240) * SECOND;
  const artifacts = bucketNamed(aws, 'acme-demo-ci-artifacts');
  const sha = rng.hex(40);
  const artifactKey = `builds/${repository.split('/')[1]}/${sha}.zip`;
  recordCall(plan, aws, t, s3Call(aws, 'PutObject', artifacts, artifactKey, rng.int(4_000_000, 60_000_000)), identity, runnerIp, `${CI_CLI_USER_AGENT}s3.cp`, false);

  if (!onMain) return;
  const functionName = { 'orders-api': 'orders-api', 'image-resizer': 'image-resizer', 'billing-service': 'billing-sync' }[repository.split('/')[1] ?? ''];
  if (functionName) {
    const fn = aws.functions.find((f) => f.name === functionName);
    if (!fn) return;
    t += rng.between(5, 20) * SECOND;
    recordCall(
      plan,
      aws,
      t,
      {
        ...management('lambda', 'UpdateFunctionCode20150331v2', fn.region, false, { functionName: fn.name, s3Bucket: artifacts.name, s3Key: artifactKey, publish: true }, ''),
        responseElements: { functionName: fn.name, functionArn: fn.arn, runtime: 'nodejs20.x', codeSize: rng.int(2_000_000, 40_000_000), version: String(rng.int(12, 480)), lastUpdateStatus: 'InProgress' },
      },
      identity,
      runnerIp,
      `${CI_CLI_USER_AGENT}lambda.update-function-code`,
      false,
    );
    t += rng.between(3, 15) * SECOND;
    recordCall(plan, aws, t, management('lambda', 'GetFunctionConfiguration20150331v2', fn.region, true, { functionName: fn.name }, ''), identity, runnerIp, `${CI_CLI_USER_AGENT}lambda.wait`, false);
  } else if (repository.endsWith('/web-frontend')) {
    const assets = bucketNamed(aws, 'acme-demo-app-assets');
    const files = rng.int(3, 6);
    for (let i = 0; i < files; i++) {
      t += rng.between(0.2, 2) * SECOND;
      recordCall(plan, aws, t, s3Call(aws, 'PutObject', assets, `static/js/main.${rng.hex(8)}.js`, rng.int(20_000, 900_000)), identity, runnerIp, `${CI_CLI_USER_AGENT}s3.sync`, false);
    }
  } else {
    // infrastructure: terraform plan reads.
    for (const name of ['DescribeInstances', 'DescribeSecurityGroups'] as const) {
      t += rng.between(0.5, 4) * SECOND;
      const shape = management('ec2', name, 'us-east-1', true, { filterSet: {} }, '');
      recordCall(plan, aws, t, shape, identity, runnerIp, toolUserAgent('terraform', 'os/linux#6.8.0-1017-azure md/arch#x86_64', shape), false);
    }
  }
}

const LAMBDA_SDK_AGENT = 'aws-sdk-js/3.693.0 ua/2.1 os/linux#5.10.234-250.895.amzn2.x86_64 lang/js md/nodejs#20.18.1 api/s3#3.693.0 exec-env/AWS_Lambda_nodejs20.x';

/** The hourly `metrics-rollup` Lambda: its execution role is assumed, one raw file read, one rollup written. */
export function recordHourlyRollup(plan: Plan, aws: DemoAwsAccount, t0: number): void {
  const rng = plan.rng;
  const role = aws.roles.rollup;
  const sessionName = 'metrics-rollup';
  const key = awsId(rng, 'ASIA');
  plan.cloudtrail(t0, (r) =>
    cloudTrailRecord(t0, r, aws.accountId, {
      identity: serviceIdentity('lambda.amazonaws.com'),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      region: 'us-east-1',
      sourceIp: 'lambda.amazonaws.com',
      userAgent: 'lambda.amazonaws.com',
      requestParameters: { roleArn: role.arn, roleSessionName: sessionName },
      responseElements: assumeRoleResponse(role, sessionName, aws.accountId, key, t0 + 12 * HOUR_MS),
      readOnly: true,
      resources: [{ accountId: aws.accountId, type: 'AWS::IAM::Role', ARN: role.arn }],
      category: 'Management',
      requestIdStyle: 'uuid',
      tlsHost: null,
    }),
  );
  const identity = assumedRoleIdentity(role, sessionName, aws.accountId, key, t0, false);
  const lake = bucketNamed(aws, 'acme-demo-data-lake');
  const hour = new Date(t0 - HOUR_MS).toISOString();
  const path = `${hour.slice(0, 4)}/${hour.slice(5, 7)}/${hour.slice(8, 10)}/${hour.slice(11, 13)}`;
  const ip = rng.pick(aws.lambdaEgressIps);
  const readAt = t0 + rng.between(0.3, 1.5) * SECOND;
  recordCall(plan, aws, readAt, s3Call(aws, 'GetObject', lake, `raw/orders/${path}/part-00000.json.gz`, rng.int(200_000, 4_000_000)), identity, ip, LAMBDA_SDK_AGENT, false);
  const writeAt = readAt + rng.between(2, 9) * SECOND;
  recordCall(plan, aws, writeAt, s3Call(aws, 'PutObject', lake, `rollups/hourly/${path}.parquet`, rng.int(20_000, 300_000)), identity, ip, LAMBDA_SDK_AGENT, false);
}

