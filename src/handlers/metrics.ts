import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC, type Telemetry } from '../core/telemetry.js';

/**
 * Telemetry as CloudWatch EMF through Powertools Metrics. Namespace and service come from the
 * environment the stack sets (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME), so the alarms
 * and the emitter name the same series. Series with run-time dimensions (command, provider…) go out
 * as single metrics at once; the alarmed, service-only ones are stored and flushed by `flush()` at the
 * end of each invocation.
 */
export function powertoolsTelemetry(metrics: Metrics = new Metrics()): Telemetry & { flush(): void } {
  const count = (
    name: string,
    dims: Record<string, string>,
    value = 1,
    unit: (typeof MetricUnit)[keyof typeof MetricUnit] = MetricUnit.Count,
  ): void => {
    const single = metrics.singleMetric();
    for (const [k, v] of Object.entries(dims)) single.addDimension(k, v);
    single.addMetric(name, unit, value);
  };
  // Telemetry must never fail a job: a bad dimension value (empty, too long) is dropped, not thrown.
  const safe =
    <A extends unknown[]>(fn: (...a: A) => void) =>
    (...a: A): void => {
      try {
        fn(...a);
      } catch {
        /* metrics are best effort */
      }
    };
  return {
    job: safe((command, outcome) => {
      count(METRIC.jobs, { command, outcome });
      if (outcome === 'failed') metrics.addMetric(METRIC.failedJobs, MetricUnit.Count, 1);
    }),
    refusal: safe((reason) => count(METRIC.refusals, { reason })),
    providerCall: safe((provider, status) => count(METRIC.providerCalls, { provider, status })),
    rateLimitWait: safe((provider, ms) => count(METRIC.rateLimitWait, { provider }, ms, MetricUnit.Milliseconds)),
    timeToKill: safe((provider, ms) => count(METRIC.timeToKill, { provider }, ms, MetricUnit.Milliseconds)),
    auditNoticeDropped: safe(() => metrics.addMetric(METRIC.auditNoticesDropped, MetricUnit.Count, 1)),
    connectionError: safe((provider) => count(METRIC.connectionErrors, { provider })),
    flush: safe(() => {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }),
  };
}
