/**
 * The operational metrics tokenops emits (CloudWatch EMF through Powertools Metrics on AWS). The CDK
 * stack alarms and graphs these exact names, so they live here, beside the port, not in the handler
 * (test/cdk asserts the stack and the emitter agree).
 */
export const METRIC = {
  /** Every finished job; dimensions `command` and `outcome` (see JobOutcome). */
  jobs: 'Jobs',
  /** Jobs that ended in an error the user did not cause (outcome `failed`); service dimension only: alarmed. */
  failedJobs: 'FailedJobs',
  /** Requests refused by policy, workspace, guest or Slack Connect checks; dimension `reason`. */
  refusals: 'Refusals',
  /** Provider API calls; dimensions `provider` and `status` (HTTP class: 2xx, 4xx, 429, 5xx, or `network`). */
  providerCalls: 'ProviderCalls',
  /** Time spent waiting out a provider's rate limit (ms); dimension `provider`. */
  rateLimitWait: 'RateLimitWait',
  /** From the revoke command to the provider confirming the secret is dead (ms); dimension `provider`. */
  timeToKill: 'TimeToKill',
  /** Audit notices that could not be posted nor re-queued; service dimension only: alarmed. */
  auditNoticesDropped: 'AuditNoticesDropped',
  /** Connections that failed inside a fan-out (list or find over several connections); dimension `provider`. */
  connectionErrors: 'ConnectionErrors',
} as const;

/** How a job ended, as a metric dimension: low cardinality on purpose. */
export type JobOutcome = 'ok' | 'refused' | 'rejected' | 'failed';

/** Where the job runner reports what happened. Implementations must never throw into a job. */
export interface Telemetry {
  job(command: string, outcome: JobOutcome): void;
  refusal(reason: string): void;
  providerCall(provider: string, status: string): void;
  rateLimitWait(provider: string, ms: number): void;
  timeToKill(provider: string, ms: number): void;
  auditNoticeDropped(): void;
  connectionError(provider: string): void;
}

/** Telemetry that records nothing (local runs without a metrics sink). */
export const noTelemetry: Telemetry = {
  job: () => {},
  refusal: () => {},
  providerCall: () => {},
  rateLimitWait: () => {},
  timeToKill: () => {},
  auditNoticeDropped: () => {},
  connectionError: () => {},
};

/** HTTP status as a metric dimension: 429 on its own (rate limits), else its class. */
export function statusClass(status: number | undefined): string {
  if (status === undefined) return 'network';
  if (status === 429) return '429';
  return `${Math.floor(status / 100)}xx`;
}
