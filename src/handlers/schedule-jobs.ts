import type { Job } from '../commands/job.js';

/** The periodic jobs for a day; ids carry the date so a doubled trigger acts once. */
export function scheduleJobs(at: Date): Job[] {
  const day = at.toISOString().slice(0, 10);
  const origin = { userId: 'schedule', teamId: 'schedule', channelId: '' };
  return (['expiry_reminders', 'stale_report'] as const).map((task) => ({
    id: `schedule-${task}-${day}`,
    correlationId: `schedule-${day}`,
    createdAt: at.toISOString(),
    origin,
    kind: 'schedule' as const,
    task,
  }));
}
