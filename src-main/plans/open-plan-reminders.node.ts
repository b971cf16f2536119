// Builds main's plan reminders: the SQLite plan cache beside the history cache (in
// memory when it cannot open), a real clock and timers, and what showing one does.
import { existsSync } from 'node:fs';
import { MemoryPlanCache, type PlanCache } from './plan-cache.std';
import { PLAN_CACHE_MIGRATIONS } from './migrations/index';
import { PlanReminders, type ReminderToShow } from './plan-reminders.std';
import { SqlitePlanCache } from './sqlite-plan-cache.node.js';

export function openPlanCache(file: string, nativeBinding: string, log: (message: string) => void): PlanCache {
  try {
    if (!existsSync(nativeBinding)) throw new Error(`${nativeBinding} is missing (run npm run rebuild:electron)`);
    return new SqlitePlanCache(file, { nativeBinding, migrations: PLAN_CACHE_MIGRATIONS });
  } catch (error) {
    log(`plan cache unavailable, keeping plans in memory for this run: ${(error as Error).message}`);
    return new MemoryPlanCache();
  }
}

export function startPlanReminders(options: {
  cache: PlanCache;
  show: (reminder: ReminderToShow) => void;
  doNotDisturb: () => boolean;
  log: (message: string) => void;
}): PlanReminders {
  const reminders = new PlanReminders({
    ...options,
    now: () => Date.now(),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  });
  reminders.start();
  return reminders;
}
