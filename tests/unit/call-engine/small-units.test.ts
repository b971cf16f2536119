import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallState } from '../../../src-shared/call-machine';
import type { AppAction } from '../../../src-shared/ipc';
import { CallAlerts } from '../../../src-renderer/call/call-alerts';
import { ViewStore } from '../../../src-renderer/call/call-view';
import { ConnectionWatchdog, RECONNECT_DEADLINE_MS } from '../../../src-renderer/call/connection-watchdog';
import { routeDesktopAction } from '../../../src-renderer/call/desktop-actions';
import { presenceFor } from '../../../src-renderer/call/desktop-presence';
import { hasTurn, IceServerCache } from '../../../src-renderer/call/ice-servers';
import { NamedTimers } from '../../../src-renderer/call/named-timers';
import { ActiveCallMemory, leaveMessage, type KeyValueStorage } from '../../../src-renderer/call/page-lifecycle';
import { QualityMonitor, STATS_INTERVAL_MS } from '../../../src-renderer/call/quality-monitor';
import { VIDEO_LADDER } from '../../../src-renderer/webrtc/video-ladder';
import { createTranslator } from '../../../src-renderer/i18n';
import { FakePeer, totals } from './fakes';

const partner = { id: 'u2', username: 'deniz', displayName: 'Deniz' };
const incoming: CallState = { kind: 'incoming', callId: 'c1', callType: 'video', from: partner, expiresAt: '2030-01-01T00:00:00.000Z', autoAnswer: false, autoAnswerWith: null };
const active: CallState = { kind: 'active', callId: 'c1', callType: 'video', role: 'caller', media: 'video', since: 0, connectedAt: 1 };

describe('named timers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a timer of the same name replaces the previous one; clearAll stops everything', () => {
    const timers = new NamedTimers<'a' | 'b'>();
    const ran: string[] = [];
    timers.after('a', 100, () => ran.push('first'));
    timers.after('a', 100, () => ran.push('second'));
    timers.every('b', 50, () => ran.push('tick'));
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['tick', 'second', 'tick']);
    expect(timers.has('a')).toBe(false);
    timers.clearAll();
    vi.advanceTimersByTime(500);
    expect(ran).toHaveLength(3);
  });
});

describe('view store', () => {
  it('hands out a new snapshot on each patch and tells subscribers', () => {
    const store = new ViewStore({ n: 1, s: 'x' });
    const before = store.get();
    let told = 0;
    const unsubscribe = store.subscribe(() => (told += 1));
    store.patch({ n: 2 });
    expect(store.get()).toEqual({ n: 2, s: 'x' });
    expect(store.get()).not.toBe(before);
    unsubscribe();
    store.patch({ n: 3 });
    expect(told).toBe(1);
  });
});

describe('ICE server cache', () => {
  it('fetches once per call and falls back to no servers on failure', async () => {
    let fetches = 0;
    const cache = new IceServerCache(async () => {
      fetches += 1;
      if (fetches === 2) throw new Error('offline');
      return { iceServers: [{ urls: 'stun:example.org' }] };
    });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await Promise.all([cache.prefetch(), cache.prefetch()]);
    expect(cache.current).toEqual([{ urls: 'stun:example.org' }]);
    cache.reset();
    expect(cache.current).toBeNull();
    expect(await cache.prefetch()).toEqual([]);
    expect(fetches).toBe(2);
  });

  it('knows whether the list has a TURN relay', () => {
    expect(hasTurn([{ urls: 'stun:stun.example.org:19302' }])).toBe(false);
    expect(hasTurn([])).toBe(false);
    expect(hasTurn([{ urls: ['stun:a.example.org', 'turn:a.example.org:3478?transport=udp'], username: 'u', credential: 'c' }])).toBe(true);
    expect(hasTurn([{ urls: 'TURNS:relay.example.org:5349' }])).toBe(true);
  });

  it('fetches fresh TURN credentials a minute before they expire and hands them over', async () => {
    vi.useFakeTimers();
    try {
      let fetches = 0;
      const refreshed: unknown[] = [];
      const cache = new IceServerCache(
        async () => {
          fetches += 1;
          return { iceServers: [{ urls: `turn:relay.example.org?n=${fetches}` }], expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() };
        },
        (servers) => refreshed.push(servers),
      );
      await cache.prefetch();
      await vi.advanceTimersByTimeAsync(9 * 60_000 - 1000);
      expect(fetches).toBe(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(fetches).toBe(2);
      expect(refreshed).toEqual([[{ urls: 'turn:relay.example.org?n=2' }]]);
      cache.reset();
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(fetches).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a fetch that finishes after the call ended does not fill the next call', async () => {
    let release: (reply: { iceServers: Array<{ urls: string }> }) => void = () => undefined;
    const cache = new IceServerCache(() => new Promise((resolve) => (release = resolve)));
    const late = cache.prefetch();
    cache.reset();
    release({ iceServers: [{ urls: 'stun:stale' }] });
    await late;
    expect(cache.current).toBeNull();
  });
});

describe('quality monitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports a sample per interval, steps video down on a thin link and pauses it when none fits', async () => {
    const peer = new FakePeer();
    const seen: Array<[number, boolean]> = [];
    const monitor = new QualityMonitor(() => peer, (sample, _recent, paused) => seen.push([sample.lossPct, paused]));
    // The estimate: plenty, then a 250 kbit/s link, then 80 kbit/s twice (the first losing 30 %).
    peer.totalsQueue = [
      totals(0, 0, 0, 0, 20, 3000),
      totals(2000, 50_000, 100, 0, 20, 3000),
      totals(4000, 100_000, 200, 0, 20, 250),
      totals(6000, 150_000, 270, 30, 20, 80),
      totals(8000, 200_000, 370, 30, 20, 80),
    ];
    monitor.start();
    for (let i = 0; i < 5; i += 1) await vi.advanceTimersByTimeAsync(STATS_INTERVAL_MS);
    expect(seen).toEqual([
      [0, false],
      [0, false],
      [30, false],
      [0, true],
    ]);
    expect(peer.rungs[0]).toEqual(VIDEO_LADDER[0]);
    expect(peer.rungs[1]?.maxBitrate).toBeLessThan(250_000);
    expect(peer.rungs.at(-1)).toBeNull();
    monitor.stop();
    peer.totalsQueue = [totals(8000, 0, 0, 0), totals(10000, 0, 0, 0)];
    await vi.advanceTimersByTimeAsync(STATS_INTERVAL_MS * 2);
    expect(seen).toHaveLength(4);
  });

  it('a rebuilt connection starts from the top of the ladder, gets its setting applied, and no sample spans the two connections', async () => {
    const first = new FakePeer();
    let current = first;
    const seen: number[] = [];
    const monitor = new QualityMonitor(() => current, (sample) => seen.push(sample.inKbps));
    first.totalsQueue = [totals(0, 0, 0, 0, 20, 80), totals(2000, 50_000, 100, 0, 20, 80), totals(4000, 100_000, 200, 0, 20, 80)];
    await monitor.tick();
    await monitor.tick();
    await monitor.tick();
    expect(first.rungs.at(-1)).toBeNull(); // 80 kbit/s: video paused on the old connection
    const second = new FakePeer();
    current = second;
    second.totalsQueue = [totals(30_000, 1_000, 2, 0, 20, 3000), totals(32_000, 251_000, 500, 0, 20, 3000)];
    await monitor.tick();
    expect(seen).toHaveLength(2); // the first reading of the new connection is only a baseline
    await monitor.tick();
    expect(seen.at(-1)).toBe(1000); // 250,000 bytes in 2 s, counted on the new connection only
    expect(second.rungs).toEqual([VIDEO_LADDER[0]]);
  });

  it('says nothing when there is no connection', async () => {
    const seen: unknown[] = [];
    const monitor = new QualityMonitor(() => null, (sample) => seen.push(sample));
    await monitor.tick();
    await monitor.tick();
    expect(seen).toEqual([]);
  });
});

describe('connection watchdog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives up after the deadline counted from the first trouble', () => {
    const gaveUp: string[] = [];
    const watchdog = new ConnectionWatchdog((callId) => gaveUp.push(callId));
    watchdog.trouble('c1');
    vi.advanceTimersByTime(RECONNECT_DEADLINE_MS - 1000);
    watchdog.trouble('c1'); // a second report does not restart the clock
    vi.advanceTimersByTime(1000);
    expect(gaveUp).toEqual(['c1']);
  });

  it('recovery in time keeps the call', () => {
    const gaveUp: string[] = [];
    const watchdog = new ConnectionWatchdog((callId) => gaveUp.push(callId));
    watchdog.trouble('c1');
    vi.advanceTimersByTime(RECONNECT_DEADLINE_MS / 2);
    watchdog.healthy();
    vi.advanceTimersByTime(RECONNECT_DEADLINE_MS);
    expect(gaveUp).toEqual([]);
  });
});

describe('connection watchdog: the setup bound', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a first connection that does not come up within the bound gives up as setup', () => {
    const gaveUp: string[] = [];
    const watchdog = new ConnectionWatchdog((callId, why) => gaveUp.push(`${callId}:${why}`), undefined, RECONNECT_DEADLINE_MS, 20_000);
    watchdog.connecting('c1');
    watchdog.trouble('c1'); // ICE failing while setting up does not start the longer reconnect clock
    vi.advanceTimersByTime(19_999);
    expect(gaveUp).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(gaveUp).toEqual(['c1:setup']);
  });

  it('connecting in time clears the bound; a later drop gets the reconnect deadline', () => {
    const gaveUp: string[] = [];
    const watchdog = new ConnectionWatchdog((callId, why) => gaveUp.push(`${callId}:${why}`), undefined, RECONNECT_DEADLINE_MS, 20_000);
    watchdog.connecting('c1');
    vi.advanceTimersByTime(5_000);
    watchdog.healthy();
    vi.advanceTimersByTime(20_000);
    expect(gaveUp).toEqual([]);
    watchdog.trouble('c1');
    vi.advanceTimersByTime(RECONNECT_DEADLINE_MS);
    expect(gaveUp).toEqual(['c1:reconnect']);
  });
});

describe('desktop actions', () => {
  const route = (action: AppAction, currentCallId: string | null): string[] => {
    const done: string[] = [];
    routeDesktopAction(action, {
      currentCallId: () => currentCallId,
      start: (type) => done.push(`start:${type}`),
      answer: (type) => done.push(`answer:${type}`),
      decline: () => done.push('decline'),
      ringExpired: (callId) => done.push(`expired:${callId}`),
      openSettings: () => done.push('settings'),
    });
    return done;
  };

  it('answers and declines only the call this window has', () => {
    expect(route({ kind: 'answer', callId: 'c1', callType: 'voice' }, 'c1')).toEqual(['answer:voice']);
    expect(route({ kind: 'answer', callId: 'old', callType: 'voice' }, 'c1')).toEqual([]);
    expect(route({ kind: 'decline', callId: 'c1' }, 'c1')).toEqual(['decline']);
    expect(route({ kind: 'decline', callId: 'c1' }, null)).toEqual([]);
    expect(route({ kind: 'ring-expired', callId: 'c1' }, 'c1')).toEqual(['expired:c1']);
    expect(route({ kind: 'ring-expired', callId: 'old' }, 'c1')).toEqual([]);
  });

  it('starts calls and opens settings; invite links are not its business', () => {
    expect(route({ kind: 'start-call', callType: 'video' }, null)).toEqual(['start:video']);
    expect(route({ kind: 'open-settings' }, null)).toEqual(['settings']);
    expect(route({ kind: 'open-invite', code: 'ABC' }, null)).toEqual([]);
  });
});

describe('page lifecycle', () => {
  const memoryStorage = (): KeyValueStorage => {
    const data = new Map<string, string>();
    return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
  };

  it('remembers a connecting or active call across a reload, with what a re-join needs, and forgets it after', () => {
    const storage = memoryStorage();
    const memory = new ActiveCallMemory(() => storage);
    memory.remember(active);
    expect(new ActiveCallMemory(() => storage).recall()).toEqual({ callId: 'c1', callType: 'video', role: 'caller', media: 'video' });
    memory.remember(incoming); // a ring is not re-joined
    expect(memory.recall()).toBeNull();
    memory.remember(active);
    memory.remember(null);
    expect(memory.recall()).toBeNull();
  });

  it('ignores what it cannot read, and works without storage', () => {
    const storage = memoryStorage();
    storage.setItem('heartline.activeCall', '{"callId":"c1","role":"boss"}');
    expect(new ActiveCallMemory(() => storage).recall()).toBeNull();
    const memory = new ActiveCallMemory(() => {
      throw new Error('SecurityError');
    });
    memory.remember(active);
    expect(memory.recall()).toBeNull();
  });

  it('a leaving page declines a ring and cancels its own ring, but does not hang up a live call (it re-joins after a reload)', () => {
    expect(leaveMessage(incoming)).toEqual({ event: 'call:decline', callId: 'c1' });
    expect(leaveMessage({ kind: 'outgoing', callId: 'c1', callType: 'voice', collidedCallId: null, since: 0 })).toEqual({ event: 'call:hangup', callId: 'c1' });
    expect(leaveMessage(active)).toBeNull();
    expect(leaveMessage({ kind: 'idle' })).toBeNull();
    expect(leaveMessage({ kind: 'outgoing', callId: null, callType: 'voice', collidedCallId: null, since: 0 })).toBeNull();
  });
});

describe('desktop presence', () => {
  it('a ring rings in main, an auto-answered collision does not', () => {
    expect(presenceFor(incoming, 'Deniz')).toMatchObject({ kind: 'incoming', callId: 'c1', partnerName: 'Deniz' });
    expect(presenceFor({ ...incoming, autoAnswer: true, autoAnswerWith: 'video' }, 'Deniz')).toMatchObject({ kind: 'in-call' });
    expect(presenceFor(active, 'Deniz')).toEqual({ kind: 'in-call', callId: 'c1', callType: 'video', partnerName: 'Deniz' });
    expect(presenceFor({ kind: 'idle' }, 'Deniz')).toEqual({ kind: 'idle' });
  });
});

describe('call alerts', () => {
  function setup(inDesktopApp: boolean) {
    const played: string[] = [];
    const notes: string[] = [];
    const alerts = new CallAlerts({
      tones: { play: (kind) => played.push(kind), stop: () => played.push('stop') },
      notify: (_title, body) => notes.push(body),
      inDesktopApp: () => inDesktopApp,
      translator: () => createTranslator('en'),
      partnerName: () => 'Deniz',
    });
    return { alerts, played, notes };
  }

  it('a browser rings and notifies; the desktop app leaves the ringtone to main', () => {
    const browser = setup(false);
    browser.alerts.onTransition({ kind: 'idle' }, incoming);
    expect(browser.played).toEqual(['ringtone']);
    expect(browser.notes).toHaveLength(1);
    expect(browser.notes[0]).toContain('Deniz');
    const desktop = setup(true);
    desktop.alerts.onTransition({ kind: 'idle' }, incoming);
    expect(desktop.played).toEqual([]);
  });

  it('ringback while calling, silence once connected, a missed-call note when a ring times out', () => {
    const { alerts, played, notes } = setup(false);
    alerts.onTransition({ kind: 'idle' }, { kind: 'outgoing', callId: 'c1', callType: 'voice', collidedCallId: null, since: 0 });
    alerts.onTransition({ kind: 'idle' }, active);
    expect(played).toEqual(['ringback', 'stop']);
    alerts.onTransition(incoming, { kind: 'ended', callId: 'c1', callType: 'video', reason: 'timeout', status: 'missed', errorCode: null, activeSec: 0, at: 2 });
    expect(notes.at(-1)).toContain('Deniz');
  });
});
