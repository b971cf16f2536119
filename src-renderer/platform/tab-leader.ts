// Several tabs of one browser act as one device: one tab, the leader, holds the
// socket (and so rings); the others follow it. The Web Locks API elects the leader:
// the lock is held for the tab's life, and when the leader closes the browser grants
// it to the next waiting tab. Without the API (or in the desktop app, one window)
// every page leads.
import { bridge } from './bridge';

/** Calls `onChange(false)` at once when another tab leads, `onChange(true)` when this one does. Returns a release. */
export function claimTabLeadership(name: string, onChange: (leader: boolean) => void): () => void {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (bridge() || !locks) {
    onChange(true);
    return () => undefined;
  }
  const stop = new AbortController();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const hold = (): Promise<void> => {
    if (!stop.signal.aborted) onChange(true);
    return held;
  };
  void locks
    .request(name, { ifAvailable: true }, (lock) => {
      if (lock) return hold();
      if (!stop.signal.aborted) onChange(false);
      // Wait in line; granted when the leading tab closes or signs out.
      void locks.request(name, { signal: stop.signal }, hold).catch(() => undefined);
      return undefined;
    })
    .catch(() => undefined);
  return () => {
    stop.abort();
    release();
  };
}
