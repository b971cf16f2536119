// Pure pieces of the web client's first-week fixes: missed-call folding, the
// keyboard shortcut table, and the favicon that shows a ring or a missed count.
import { describe, expect, it } from 'vitest';
import type { Call } from '../../src-shared/protocol';
import { groupHistory } from '../../src-renderer/components/Home/history-groups';
import { faviconSvg } from '../../src-renderer/platform/attention';
import { shortcutFor, shortcutLabel } from '../../src-renderer/platform/shortcuts';

const ME = 'u-me';
const ANA = 'u-ana';
let n = 0;
function call(status: Call['status'], callerId: string, calleeId: string): Call {
  n += 1;
  return { id: `c${n}`, callerId, calleeId, type: 'voice', status, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 100 - n)).toISOString(), answeredAt: null, endedAt: null, durationSec: 0, endReason: status === 'missed' ? 'timeout' : 'hangup' };
}

describe('groupHistory', () => {
  it('folds a run of calls I missed from one caller into one row, keeping the newest first', () => {
    const calls = [call('missed', ANA, ME), call('missed', ANA, ME), call('missed', ANA, ME), call('ended', ME, ANA), call('missed', ANA, ME)];
    const rows = groupHistory(calls, ME);
    expect(rows.map((r) => (r.kind === 'missed' ? `missed×${r.calls.length}` : r.call.status))).toEqual(['missed×3', 'ended', 'missed×1']);
    const first = rows[0];
    expect(first?.kind === 'missed' && first.latest.id).toBe(calls[0]?.id);
  });

  it('never folds calls the partner missed from me', () => {
    const rows = groupHistory([call('missed', ME, ANA), call('missed', ME, ANA)], ME);
    expect(rows.map((r) => r.kind)).toEqual(['call', 'call']);
  });
});

describe('shortcuts', () => {
  const key = (code: string, extra: Partial<KeyboardEvent> = {}) => ({ altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, code, ...extra });
  it('maps Alt+letter by physical key, and nothing with other modifiers', () => {
    expect(shortcutFor(key('KeyM'))).toBe('mute');
    expect(shortcutFor(key('KeyV'))).toBe('camera');
    expect(shortcutFor(key('KeyH'))).toBe('hangup');
    expect(shortcutFor(key('KeyA'))).toBe('answer');
    expect(shortcutFor(key('KeyM', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('KeyM', { altKey: false }))).toBeNull();
    expect(shortcutFor(key('KeyQ'))).toBeNull();
    expect(shortcutLabel('mute')).toBe('Alt+M');
  });
});

describe('faviconSvg', () => {
  it('shows a ring dot, a missed count (9+ past nine), or the plain heart', () => {
    const plain = faviconSvg({ ringingFrom: null, missed: 0 });
    expect(plain).not.toContain('<circle');
    expect(faviconSvg({ ringingFrom: 'Ana', missed: 3 })).toContain('<circle');
    expect(faviconSvg({ ringingFrom: 'Ana', missed: 3 })).not.toContain('>3<');
    expect(faviconSvg({ ringingFrom: null, missed: 3 })).toContain('>3</text>');
    expect(faviconSvg({ ringingFrom: null, missed: 11 })).toContain('>9+</text>');
  });
});
