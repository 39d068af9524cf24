import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { powertoolsTelemetry } from '../../../src/handlers/metrics.js';
import { METRIC } from '../../../src/core/telemetry.js';

// The EMF lines Powertools writes are what CloudWatch turns into the metrics the stack alarms on:
// check names, namespace and dimension sets here, against the same METRIC names the stack uses.
type Emf = {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [k: string]: unknown;
};

describe('Powertools telemetry (EMF)', () => {
  const lines: string[] = [];
  const saved = { ...process.env };
  beforeEach(() => {
    lines.length = 0;
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'tokenops/Test';
    process.env.POWERTOOLS_SERVICE_NAME = 'tokenops';
    delete process.env.POWERTOOLS_DEV;
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });
  const emf = (): Emf[] =>
    lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Emf);
  const find = (name: string) => emf().filter((e) => e._aws.CloudWatchMetrics[0]!.Metrics.some((m) => m.Name === name));

  it('writes jobs by command and outcome, and counts a failed job on the service-only series', () => {
    const t = powertoolsTelemetry(new Metrics());
    t.job('create', 'failed');
    t.job('list', 'ok');
    t.flush();
    const jobs = find(METRIC.jobs);
    expect(jobs).toHaveLength(2);
    expect(jobs[0]!._aws.CloudWatchMetrics[0]!.Namespace).toBe('tokenops/Test');
    expect(jobs[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'command', 'outcome']]);
    expect(jobs.map((j) => [j.command, j.outcome, j[METRIC.jobs]])).toEqual([
      ['create', 'failed', 1],
      ['list', 'ok', 1],
    ]);
    const failed = find(METRIC.failedJobs);
    expect(failed).toHaveLength(1);
    expect(failed[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(failed[0]!.service).toBe('tokenops');
  });

  it('writes provider calls, waits, time to kill and dropped notices with their units', () => {
    const t = powertoolsTelemetry(new Metrics());
    t.providerCall('mailtrap', '429');
    t.rateLimitWait('mailtrap', 1200);
    t.timeToKill('triton', 850);
    t.refusal('ingress');
    t.auditNoticeDropped();
    t.flush();
    const unit = (name: string) => find(name)[0]!._aws.CloudWatchMetrics[0]!.Metrics[0]!.Unit;
    expect(find(METRIC.providerCalls)[0]).toMatchObject({ provider: 'mailtrap', status: '429' });
    expect(unit(METRIC.rateLimitWait)).toBe('Milliseconds');
    expect(find(METRIC.timeToKill)[0]).toMatchObject({ provider: 'triton', [METRIC.timeToKill]: 850 });
    expect(find(METRIC.refusals)[0]).toMatchObject({ reason: 'ingress' });
    expect(find(METRIC.auditNoticesDropped)[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
  });

  it('writes nothing on flush when nothing was stored, and never throws into a job', () => {
    const t = powertoolsTelemetry(new Metrics());
    t.flush();
    expect(emf()).toEqual([]);
    expect(() => t.providerCall('', '')).not.toThrow();
  });
});
