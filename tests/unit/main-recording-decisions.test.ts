// The pure decisions of desktop recording: byte ranges for the player, which failure
// a write met, when a partner's request raises a notification, the tray's recording
// state, and the renderer's sink talking to a bridge.
import { describe, expect, it } from 'vitest';
import { classifyRecordingError } from '../../src-main/recording/recording-failure.std';
import { parseRange, playbackIdOf } from '../../src-main/recording/recording-playback.std';
import { recordingRequestNotice } from '../../src-main/recording/recording-request-notice.std';
import { RecordingEncryptionUnavailableError } from '../../src-main/recording/encrypted-recording.node';
import { computeTrayState } from '../../src-main/tray/tray-state.std';
import { DesktopSink } from '../../src-renderer/recording/desktop-sink';
import type { HeartlineApi } from '../../src-shared/ipc';

describe('playback ranges', () => {
  it('reads single byte ranges and refuses ones past the end', () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=20-10', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });

  it('plays only recording ids main hands out', () => {
    const id = 'ab'.repeat(16);
    expect(playbackIdOf(`app://recordings/${id}.webm`)).toBe(id);
    expect(playbackIdOf(`app://recordings/${id}.webm?t=1`)).toBe(id);
    expect(playbackIdOf('app://recordings/..%2Fsession.webm')).toBeNull();
    expect(playbackIdOf(`app://heartline/${id}.webm`)).toBeNull();
  });
});

describe('write failures', () => {
  it('names a full disk, a missing key store and anything else', () => {
    expect(classifyRecordingError(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))).toBe('disk_full');
    expect(classifyRecordingError(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toBe('disk_full');
    expect(classifyRecordingError(new RecordingEncryptionUnavailableError())).toBe('no_encryption');
    expect(classifyRecordingError(Object.assign(new Error('EIO'), { code: 'EIO' }))).toBe('write_failed');
    expect(classifyRecordingError('odd')).toBe('write_failed');
  });
});

describe("the partner's recording request", () => {
  it('notifies only when the call window is out of sight or not in front, in the app language', () => {
    expect(recordingRequestNotice({ visible: true, focused: true }, 'Bob', 'en')).toBeNull();
    expect(recordingRequestNotice({ visible: false, focused: false }, 'Bob', 'en')).toEqual({ title: 'Recording request', body: expect.stringContaining('Bob asks to record') });
    expect(recordingRequestNotice({ visible: true, focused: false }, 'Ayşe', 'tr')?.body).toMatch(/^Ayşe bu görüşmeyi kaydetmek istiyor/);
  });
});

describe('the tray while recording', () => {
  const inCall = { kind: 'in-call', callId: 'c1', callType: 'video', partnerName: 'Bob' } as const;
  it('says so in the tooltip and the menu, only during a call', () => {
    const on = computeTrayState({ presence: inCall, missedCount: 0, doNotDisturb: false, language: 'en', recording: true });
    expect(on.tooltip).toBe('Recording the call with Bob');
    expect(on.menu[0]).toEqual({ type: 'item', id: 'recording', label: '● Recording', enabled: false });
    const off = computeTrayState({ presence: inCall, missedCount: 0, doNotDisturb: false, language: 'en', recording: false });
    expect(off.tooltip).toBe('In a call with Bob');
    expect(off.menu.some((item) => item.type !== 'separator' && item.id === 'recording')).toBe(false);
    const idle = computeTrayState({ presence: { kind: 'idle' }, missedCount: 0, doNotDisturb: false, language: 'tr', recording: true });
    expect(idle.menu.some((item) => item.type !== 'separator' && item.id === 'recording')).toBe(false);
  });
});

describe("the desktop app's recording sink", () => {
  function fakeBridge(failAt: number | null = null) {
    const calls: string[] = [];
    const bytes: number[][] = [];
    let appends = 0;
    const recordings: HeartlineApi['recordings'] = {
      open: async (meta) => (calls.push(`open:${meta.callId}:${meta.mimeType}`), { ok: true, value: { id: 'f'.repeat(32) } }),
      append: async (_id, chunk) => {
        appends += 1;
        if (appends === failAt) return { ok: false, failure: 'disk_full', message: 'the disk is full' };
        bytes.push([...chunk]);
        calls.push('append');
        return { ok: true, value: null };
      },
      finish: async (_id, ms) => (calls.push(`finish:${ms}`), { ok: true, value: null }),
      abort: async () => void calls.push('abort'),
      requested: async () => undefined,
      list: async () => [],
      exportFile: async () => ({ ok: true, value: { saved: false } }),
      remove: async () => ({ ok: true, value: null }),
    };
    return { recordings, calls, bytes };
  }

  it('opens on the first chunk, streams every chunk, then seals with the duration', async () => {
    const bridge = fakeBridge();
    const sink = new DesktopSink(bridge.recordings, { callId: 'call-7' });
    await sink.write(new Blob([new Uint8Array([1, 2])], { type: 'video/webm;codecs=vp8,opus' }));
    await sink.write(new Blob([new Uint8Array([3])], { type: 'video/webm;codecs=vp8,opus' }));
    await sink.finish(4999.6);
    expect(bridge.calls).toEqual(['open:call-7:video/webm;codecs=vp8,opus', 'append', 'append', 'finish:5000']);
    expect(bridge.bytes).toEqual([[1, 2], [3]]);
  });

  it("rejects with main's reason when a write fails, and does not try to seal the file", async () => {
    const bridge = fakeBridge(2);
    const sink = new DesktopSink(bridge.recordings, { callId: 'call-7' });
    await sink.write(new Blob([new Uint8Array([1])], { type: 'audio/webm' }));
    await expect(sink.write(new Blob([new Uint8Array([2])], { type: 'audio/webm' }))).rejects.toThrow('the disk is full');
    await sink.finish(1000);
    expect(bridge.calls).toEqual(['open:call-7:audio/webm', 'append', 'abort']);
  });

  it('leaves no file when nothing was recorded', async () => {
    const bridge = fakeBridge();
    await new DesktopSink(bridge.recordings, { callId: 'call-7' }).finish(0);
    expect(bridge.calls).toEqual([]);
  });
});
