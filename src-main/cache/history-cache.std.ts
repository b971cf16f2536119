// The history cache as main's services see it; SqliteHistoryCache is the real one,
// MemoryHistoryCache stands in when the database cannot be opened (and in tests).
import type { Call } from '../../src-shared/protocol';
import { compareNewestFirst, planMerge, type MergePlan } from './history-merge.std';

export interface HistoryCache {
  /** Newest first. */
  recent(limit: number): Call[];
  merge(calls: readonly Call[]): MergePlan;
  /** Missed calls to `selfId` not yet marked seen. */
  missedCount(selfId: string): number;
  /** Those calls, newest first. */
  unseenMissed(selfId: string, limit: number): Call[];
  markMissedSeen(selfId: string): void;
  clear(): void;
  close(): void;
}

export class MemoryHistoryCache implements HistoryCache {
  private readonly calls = new Map<string, Call>();
  private readonly seen = new Set<string>();

  recent(limit: number): Call[] {
    return [...this.calls.values()].sort(compareNewestFirst).slice(0, limit);
  }

  merge(calls: readonly Call[]): MergePlan {
    const plan = planMerge(this.calls, calls);
    for (const call of plan.writes) this.calls.set(call.id, call);
    return plan;
  }

  missedCount(selfId: string): number {
    let count = 0;
    for (const call of this.calls.values()) if (call.status === 'missed' && call.calleeId === selfId && !this.seen.has(call.id)) count += 1;
    return count;
  }

  unseenMissed(selfId: string, limit: number): Call[] {
    return [...this.calls.values()]
      .filter((call) => call.status === 'missed' && call.calleeId === selfId && !this.seen.has(call.id))
      .sort(compareNewestFirst)
      .slice(0, limit);
  }

  markMissedSeen(selfId: string): void {
    for (const call of this.calls.values()) if (call.status === 'missed' && call.calleeId === selfId) this.seen.add(call.id);
  }

  clear(): void {
    this.calls.clear();
    this.seen.clear();
  }

  close(): void {}
}
