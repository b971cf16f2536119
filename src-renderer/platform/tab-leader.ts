// Several tabs of one browser act as one device: one tab, the leader, holds the
// socket (and so rings); the others follow it. The Web Locks API elects the leader:
// the lock is held for the tab's life, and when the leader closes the browser grants
// it to the next waiting tab. A follower can take the lock over (steal) to answer a
// ring in the tab the user is looking at; the tab it came from follows from then on.
// Without the API (or in the desktop app, one window) every page leads.
import { bridge } from './bridge';

export interface TabLeadership {
  /** Makes this tab the leader now (the leading tab becomes a follower). */
  takeOver: () => void;
  release: () => void;
}

/** Calls `onChange(false)` when another tab leads, `onChange(true)` when this one does (again on every change). */
export function claimTabLeadership(name: string, onChange: (leader: boolean) => void): TabLeadership {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (bridge() || !locks) {
    onChange(true);
    return { takeOver: () => undefined, release: () => undefined };
  }
  const stop = new AbortController();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let waiting = false;
  const hold = (): Promise<void> => {
    waiting = false;
    if (!stop.signal.aborted) onChange(true);
    return held;
  };
  // Wait in line; granted when the leading tab closes, signs out, or is taken over.
  const wait = (): void => {
    if (waiting || stop.signal.aborted) return;
    waiting = true;
    void locks.request(name, { signal: stop.signal }, hold).catch(lost);
  };
  // A held lock's request fails when another tab steals it: follow, and wait in line again.
  const lost = (): void => {
    waiting = false;
    if (stop.signal.aborted) return;
    onChange(false);
    wait();
  };
  void locks
    .request(name, { ifAvailable: true }, (lock) => {
      if (lock) return hold();
      if (!stop.signal.aborted) onChange(false);
      wait();
      return undefined;
    })
    .catch(lost);
  return {
    takeOver: () => {
      if (!stop.signal.aborted) void locks.request(name, { steal: true }, hold).catch(lost);
    },
    release: () => {
      stop.abort();
      release();
    },
  };
}
