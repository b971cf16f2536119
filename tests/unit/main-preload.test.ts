// The preload bridges with a fake 'electron': what the page gets is exactly the API,
// every call goes to its channel, listeners never see the IPC event.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HeartlineApi } from '../../src-shared/ipc';

const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve('reply');
    },
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener),
  },
}));

const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((listener) => listener({ sender: 'secret' }, ...args));

beforeEach(() => {
  invoked.length = 0;
});

describe('src-preload/index.ts', () => {
  it('exposes one object, window.heartline, and maps each method to its channel', async () => {
    await import('../../src-preload/index');
    expect([...exposed.keys()]).toContain('heartline');
    const api = exposed.get('heartline') as HeartlineApi;
    expect(api.platform).toBe('electron');
    expect(Object.keys(api).sort()).toEqual(['app', 'calls', 'history', 'onAction', 'plans', 'platform', 'recordings', 'session', 'settings']);
    await api.app.ready();
    await api.settings.get();
    await api.settings.update({ doNotDisturb: true });
    await api.session.load();
    await api.session.accessToken();
    await api.session.logout();
    await api.session.clear();
    await api.calls.setPresence({ kind: 'idle' });
    await api.history.cached(20);
    await api.history.merge([], 20);
    await api.history.missed(20);
    await api.history.markMissedSeen();
    await api.history.clear();
    await api.plans.sync({ plans: [], partnerName: 'Bob' });
    await api.plans.reminded({ planId: 'p1', occurrence: '2030-01-06T12:00:00.000Z', kind: 'now' });
    await api.plans.dismissed({ planId: 'p1', occurrence: '2030-01-06T12:00:00.000Z', kind: 'now' });
    expect(invoked).toEqual([
      ['app:ready'],
      ['settings:get'],
      ['settings:update', { doNotDisturb: true }],
      ['session:load'],
      ['session:access-token'],
      ['session:logout'],
      ['session:clear'],
      ['calls:set-presence', { kind: 'idle' }],
      ['history:cached', 20],
      ['history:merge', [], 20],
      ['history:missed', 20],
      ['history:mark-missed-seen'],
      ['history:clear'],
      ['plans:sync', { plans: [], partnerName: 'Bob' }],
      ['plans:reminded', { planId: 'p1', occurrence: '2030-01-06T12:00:00.000Z', kind: 'now' }],
      ['plans:dismissed', { planId: 'p1', occurrence: '2030-01-06T12:00:00.000Z', kind: 'now' }],
    ]);
    // Every channel the bridge uses is in one of the IPC table's groups for the call window.
    const { IPC_GROUPS } = await import('../../src-shared/ipc');
    for (const [channel] of invoked) expect([...IPC_GROUPS.app, ...IPC_GROUPS.plans]).toContain(channel);
  });

  it('delivers actions without the IPC event, and unsubscribes', async () => {
    const api = exposed.get('heartline') as HeartlineApi;
    const received: unknown[][] = [];
    const unsubscribe = api.onAction((...args) => received.push(args));
    emit('app:action', { kind: 'open-settings' });
    unsubscribe();
    emit('app:action', { kind: 'open-settings' });
    expect(received).toEqual([[{ kind: 'open-settings' }]]);
    expect(() => api.onAction('nope' as never)).toThrow(TypeError);
  });
});

describe('src-preload/ring.ts and picker.ts', () => {
  it('exposes only the ring and picker bridges with their own channels', async () => {
    await import('../../src-preload/ring');
    await import('../../src-preload/picker');
    const ring = exposed.get('heartlineRing') as { onShow(fn: (p: unknown) => void): void; answer(id: string, audio: boolean): Promise<void>; decline(id: string): Promise<void> };
    const picker = exposed.get('heartlinePicker') as { onSources(fn: (p: unknown) => void): void; choose(id: string | null): Promise<void> };
    const shown: unknown[] = [];
    ring.onShow((payload) => shown.push(payload));
    emit('ring:show', { callId: 'c1' });
    expect(shown).toEqual([{ callId: 'c1' }]);
    await ring.answer('c1', true);
    await ring.decline('c1');
    await picker.choose('screen:1');
    await picker.choose(null);
    expect(invoked).toEqual([
      ['ring:answer', { callId: 'c1', audioOnly: true }],
      ['ring:decline', { callId: 'c1' }],
      ['picker:choose', 'screen:1'],
      ['picker:choose', null],
    ]);
  });
});
