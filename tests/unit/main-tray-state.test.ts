import { describe, expect, it, vi } from 'vitest';
import type { CallPresence } from '../../src-shared/ipc';
import { SystemTrayService, type TrayInstance } from '../../src-main/tray/system-tray-service.std';
import { computeTrayState, type TrayIconName, type TrayMenuItem } from '../../src-main/tray/tray-state.std';

const idle: CallPresence = { kind: 'idle' };
const incoming: CallPresence = { kind: 'incoming', callId: 'c1', callType: 'video', partnerName: 'Ayşe', expiresAt: '2030-01-01T00:00:00.000Z' };
const inCall: CallPresence = { kind: 'in-call', callId: 'c1', callType: 'voice', partnerName: 'Ayşe' };
const outgoing: CallPresence = { kind: 'outgoing', callId: null, callType: 'voice', partnerName: 'Ayşe' };

const base = { missedCount: 0, doNotDisturb: false, language: 'en' as const };
const enabled = (menu: TrayMenuItem[], id: string) => menu.find((item) => item.type !== 'separator' && item.id === id);

describe('computeTrayState', () => {
  it('is idle with nothing going on', () => {
    const state = computeTrayState({ ...base, presence: idle });
    expect(state).toMatchObject({ icon: 'idle', animate: false, badgeCount: 0, tooltip: 'Heartline' });
  });

  it('rings (animated) for an incoming call', () => {
    const state = computeTrayState({ ...base, presence: incoming });
    expect(state.icon).toBe('ringing');
    expect(state.animate).toBe(true);
    expect(state.tooltip).toBe('Ayşe is calling (video)');
  });

  it('does not ring under do not disturb, but keeps the missed badge', () => {
    expect(computeTrayState({ ...base, doNotDisturb: true, presence: incoming })).toMatchObject({ icon: 'dnd', animate: false });
    expect(computeTrayState({ ...base, doNotDisturb: true, missedCount: 2, presence: incoming })).toMatchObject({ icon: 'missed', badgeCount: 2 });
  });

  it('shows in-call for outgoing and connected calls, and disables new calls then', () => {
    for (const presence of [inCall, outgoing]) {
      const state = computeTrayState({ ...base, missedCount: 3, presence });
      expect(state.icon).toBe('in-call');
      expect(state.badgeCount).toBe(3);
      expect(enabled(state.menu, 'voice-call')).toMatchObject({ enabled: false });
      expect(enabled(state.menu, 'video-call')).toMatchObject({ enabled: false });
    }
    expect(enabled(computeTrayState({ ...base, presence: idle }).menu, 'voice-call')).toMatchObject({ enabled: true });
  });

  it('shows the missed count before do not disturb when idle', () => {
    expect(computeTrayState({ ...base, missedCount: 1, presence: idle })).toMatchObject({ icon: 'missed', tooltip: '1 missed call', badgeCount: 1 });
    expect(computeTrayState({ ...base, missedCount: 4, presence: idle }).tooltip).toBe('4 missed calls');
    expect(computeTrayState({ ...base, doNotDisturb: true, presence: idle })).toMatchObject({ icon: 'dnd', tooltip: 'Do not disturb is on' });
  });

  it('has the whole menu, with the do-not-disturb check mark, in Turkish too', () => {
    const state = computeTrayState({ ...base, language: 'tr', doNotDisturb: true, presence: idle });
    const ids = state.menu.flatMap((item) => (item.type === 'separator' ? [] : [item.id]));
    expect(ids).toEqual(['open', 'voice-call', 'video-call', 'dnd', 'settings', 'quit']);
    expect(enabled(state.menu, 'dnd')).toMatchObject({ type: 'checkbox', checked: true, label: 'Rahatsız etmeyin' });
    expect(enabled(state.menu, 'voice-call')).toMatchObject({ label: 'Sesli Arama' });
    expect(computeTrayState({ ...base, language: 'tr', missedCount: 2, presence: idle }).tooltip).toBe('2 cevapsız arama');
  });

  it('never shows a negative or fractional badge', () => {
    expect(computeTrayState({ ...base, missedCount: -3, presence: idle })).toMatchObject({ icon: 'idle', badgeCount: 0 });
    expect(computeTrayState({ ...base, missedCount: 2.7, presence: idle }).badgeCount).toBe(2);
  });
});

function fakeTray() {
  const calls: { method: string; value: unknown }[] = [];
  const instance: TrayInstance = {
    setIcon: (icon: TrayIconName) => calls.push({ method: 'setIcon', value: icon }),
    setToolTip: (text) => calls.push({ method: 'setToolTip', value: text }),
    setMenu: (items) => calls.push({ method: 'setMenu', value: items }),
    setBadge: (count) => calls.push({ method: 'setBadge', value: count }),
    destroy: () => calls.push({ method: 'destroy', value: null }),
  };
  return { instance, calls };
}

describe('SystemTrayService (with a fake tray)', () => {
  function setup() {
    const tray = fakeTray();
    const intervals: (() => void)[] = [];
    const cleared: unknown[] = [];
    const createTrayInstance = vi.fn(() => tray.instance);
    const service = new SystemTrayService({
      createTrayInstance,
      handlers: { onMenu: () => undefined, onClick: () => undefined },
      setInterval: (fn) => intervals.push(fn) - 1,
      clearInterval: (handle) => cleared.push(handle),
    });
    return { service, tray, intervals, cleared, createTrayInstance };
  }

  it('creates the tray once and applies only what changed', () => {
    const { service, tray, createTrayInstance } = setup();
    service.update({ ...base, presence: idle });
    service.update({ ...base, presence: idle });
    expect(createTrayInstance).toHaveBeenCalledTimes(1);
    expect(tray.calls.map((call) => call.method)).toEqual(['setIcon', 'setToolTip', 'setMenu', 'setBadge']);
    tray.calls.length = 0;
    service.update({ ...base, missedCount: 2, presence: idle });
    expect(tray.calls).toEqual([
      { method: 'setIcon', value: 'missed' },
      { method: 'setToolTip', value: '2 missed calls' },
      { method: 'setBadge', value: 2 },
    ]);
  });

  it('animates while ringing and stops when the call is answered', () => {
    const { service, tray, intervals, cleared } = setup();
    service.update({ ...base, presence: incoming });
    expect(service.currentIcon).toBe('ringing');
    expect(intervals).toHaveLength(1);
    intervals[0]!();
    expect(service.currentIcon).toBe('ringing-alt');
    intervals[0]!();
    expect(service.currentIcon).toBe('ringing');
    service.update({ ...base, presence: inCall });
    expect(cleared).toEqual([0]);
    expect(service.currentIcon).toBe('in-call');
    expect(tray.calls.at(-1)).toEqual({ method: 'setToolTip', value: 'In a call with Ayşe' });
  });

  it('destroys the tray and its animation', () => {
    const { service, tray, cleared } = setup();
    service.update({ ...base, presence: incoming });
    service.destroy();
    expect(cleared).toHaveLength(1);
    expect(tray.calls.at(-1)).toEqual({ method: 'destroy', value: null });
    expect(service.state).toBeNull();
  });
});
