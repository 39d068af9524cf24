import { dropped } from '../core/dropped.js';
import type { Log, Notifier, Stores } from '../core/ports.js';
import { dueReminders, staleTokens } from '../commands/use-cases/schedule.js';
import { expiryReminderView, staleReportView, type View } from '../slack/views.js';

/** The daily tasks the schedule queues. */
export type ScheduledTask = 'expiry_reminders' | 'stale_report';

/** Every scheduled task, the orphan sweep included (the runner runs that one itself: it needs the providers). */
export type AnyScheduledTask = ScheduledTask | 'orphan_sweep';

/** A token unrotated this long is reported as stale. */
const STALE_DAYS = 90;

/** Runs one daily task; returns a short summary for the job claim. */
export async function runScheduledTask(
  deps: { stores: Stores; output: Notifier<View>; reminderDays: number },
  task: ScheduledTask,
  log: Log,
  now: Date = new Date(),
): Promise<string> {
  if (task === 'expiry_reminders') {
    const due = await dueReminders(deps.stores.tokens, now, deps.reminderDays);
    for (const t of due)
      await deps.output.notifyUser(t.owner, expiryReminderView(t)).catch(dropped(log, 'expiry reminder'));
    return `reminded ${due.length}`;
  }
  const stale = await staleTokens(deps.stores.tokens, now, STALE_DAYS);
  if (stale.length > 0) await deps.output.postAudit(staleReportView(stale, STALE_DAYS));
  return `stale ${stale.length}`;
}
