import type { Job } from '../commands/job.js';

/**
 * The periodic jobs of one trigger. The daily tasks' ids carry the date, so a doubled trigger acts once
 * a day; the orphan sweep's id carries the minute, so a schedule more frequent than daily sweeps each time.
 */
export function scheduleJobs(at: Date): Job[] {
  const day = at.toISOString().slice(0, 10);
  const minute = at.toISOString().slice(0, 16);
  const origin = { userId: 'schedule', teamId: 'schedule', channelId: '' };
  const job = (task: 'expiry_reminders' | 'stale_report' | 'orphan_sweep', id: string): Job => ({
    id,
    correlationId: `schedule-${day}`,
    createdAt: at.toISOString(),
    origin,
    kind: 'schedule' as const,
    task,
  });
  return [
    job('expiry_reminders', `schedule-expiry_reminders-${day}`),
    job('stale_report', `schedule-stale_report-${day}`),
    job('orphan_sweep', `schedule-orphan_sweep-${minute}`),
  ];
}
