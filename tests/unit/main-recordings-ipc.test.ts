// Desktop recordings through the real IPC registration (fake ipcMain, real store and
// writer on a temporary folder): chunks stream in and are encrypted as they come,
// bad input is refused, a full disk or a missing key store stops the recording with a
// reason while what was written stays playable, playback decrypts (with ranges) and
// refuses an altered file, export writes plain WebM only through the save dialog.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerIpc, type IpcEventLike, type IpcMainLike } from '../../src-main/ipc/register-ipc.std';
import { EncryptedRecordingWriter } from '../../src-main/recording/encrypted-recording.node';
import { playableRecordings } from '../../src-main/recording/playable-recordings.node';
import { recordingIpcHandlers } from '../../src-main/recording/recording-ipc.std';
import { playbackResponse } from '../../src-main/recording/recording-playback.std';
import { RecordingStore, type CreateRecordingWriter } from '../../src-main/recording/recording-store.node';
import type { SafeStorageLike } from '../../src-main/session/session-store.node';
import type { RecordingSummary } from '../../src-shared/recordings';
import { requireOrSkip } from '../support/requirements';

const keyring: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(`wrapped:${Buffer.from(text).toString('hex')}`),
  decryptString: (data) => Buffer.from(data.toString().replace(/^wrapped:/, ''), 'hex').toString(),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};
/** Linux without a secret service: safeStorage "encrypts" with a constant key. */
const basicText: SafeStorageLike = { ...keyring, getSelectedStorageBackend: () => 'basic_text' };

const hasFfmpeg = ['ffmpeg', 'ffprobe'].every((program) => spawnSync(program, ['-version']).status === 0);

/** A WebM written to a pipe, as MediaRecorder writes it: no duration in its header. */
function pipeWebm(seconds: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `sine=f=440:d=${seconds}`, '-c:a', 'libopus', '-f', 'webm', '-'], { maxBuffer: 16 << 20 });
}
function probedDuration(file: string): string {
  return execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString().trim();
}
/** Seconds of audio ffprobe finds packets for (the last packet's time). */
function audioSeconds(file: string): number {
  const times = execFileSync('ffprobe', ['-v', 'quiet', '-select_streams', 'a', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file]).toString().trim().split('\n');
  return Number(times.at(-1));
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heartline-recipc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(options: { safeStorage?: SafeStorageLike; createWriter?: CreateRecordingWriter; savePath?: string | null } = {}) {
  const active: number[] = [];
  const store = new RecordingStore({
    dir: join(dir, 'recordings'),
    safeStorage: options.safeStorage ?? keyring,
    platform: 'linux',
    now: () => new Date('2030-01-06T12:00:00Z'),
    createWriter: options.createWriter,
    onActiveChange: (count) => active.push(count),
  });
  const dialogs: string[] = [];
  const requests: string[] = [];
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = { handle: (channel, fn) => handlers.set(channel, fn), removeHandler: (channel) => handlers.delete(channel) };
  registerIpc(
    ipcMain,
    'recordings',
    recordingIpcHandlers({
      store,
      chooseExportPath: async (name) => {
        dialogs.push(name);
        return options.savePath === undefined ? join(dir, name) : options.savePath;
      },
      writeExport: async (path, media) => writeFileSync(path, media),
      onPartnerRequest: (name) => requests.push(name),
      log: () => undefined,
    }),
    () => ['app://heartline'],
  );
  const fromApp: IpcEventLike = { senderFrame: { url: 'app://heartline/index.html', parent: null } };
  // As ipcRenderer.invoke: a handler that throws (refused payload) rejects the caller's promise.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the replies of eight channels, each checked by the assertions
  const invoke = (channel: string, ...args: unknown[]) => new Promise<any>((resolve) => resolve(handlers.get(channel)!(fromApp, ...args)));
  const playable = playableRecordings(store);
  const play = (id: string, range?: string) =>
    playbackResponse({ url: `app://recordings/${id}.webm`, method: 'GET', headers: new Headers(range ? { range } : {}) }, (rid) => playable.open(rid));
  return { store, invoke, handlers, active, dialogs, requests, play, recordingsDir: join(dir, 'recordings') };
}

const CALL = { callId: 'call-1', mimeType: 'audio/webm;codecs=opus' };
const chunksOf = (media: Buffer, size: number): Uint8Array[] => {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < media.length; at += size) parts.push(new Uint8Array(media.subarray(at, at + size)));
  return parts;
};

describe('recordings over IPC (desktop main)', () => {
  it('streams a recording in, keeps no plaintext on disk, lists it and plays it back with its duration', async (context) => {
    if (!requireOrSkip('ffmpeg', hasFfmpeg, 'desktop recording playback test needs ffmpeg and ffprobe')) return context.skip();
    const rig = setup();
    const media = pipeWebm(2);
    const opened = await rig.invoke('recording:open', CALL);
    expect(opened.ok).toBe(true);
    const id: string = opened.value.id;
    expect(rig.active).toEqual([1]);
    for (const part of chunksOf(media, 1500)) expect(await rig.invoke('recording:append', id, part)).toEqual({ ok: true, value: null });
    expect(await rig.invoke('recording:finish', id, 2000)).toEqual({ ok: true, value: null });
    expect(rig.active).toEqual([1, 0]);

    // No plaintext: no file holds the WebM's bytes (its Opus header, any of its chunks).
    for (const name of readdirSync(rig.recordingsDir)) {
      const onDisk = readFileSync(join(rig.recordingsDir, name));
      expect(onDisk.includes(Buffer.from('OpusHead'))).toBe(false);
      expect(onDisk.includes(media.subarray(2000, 2064))).toBe(false);
      expect(statSync(join(rig.recordingsDir, name)).mode & 0o077).toBe(0);
    }

    const list: RecordingSummary[] = await rig.invoke('recordings:list');
    expect(list).toEqual([expect.objectContaining({ id, callId: 'call-1', durationMs: 2000, finished: true, startedAt: '2030-01-06T12:00:00.000Z' })]);

    const whole = await rig.play(id);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const played = Buffer.from(await whole.arrayBuffer());
    const file = join(dir, 'played.webm');
    writeFileSync(file, played);
    expect(Number(probedDuration(file))).toBeCloseTo(2, 0);
    // Only the header changed (the duration went in); every media byte after it is what the renderer sent.
    // (ffmpeg's own SeekHead, which MediaRecorder does not write, points 4 bytes off after that: no decode here.)
    expect(played.length).toBeGreaterThan(media.length);
    expect(played.subarray(played.length - (media.length - 400))).toEqual(media.subarray(400));

    // The player seeks with ranges: the bytes are exactly that slice.
    const part = await rig.play(id, 'bytes=100-199');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${played.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(played.subarray(100, 200));
    expect((await rig.play(id, `bytes=${played.length}-`)).status).toBe(416);
  });

  it('refuses bad input before anything is written', async () => {
    const rig = setup();
    await expect(rig.invoke('recording:open', { callId: '', mimeType: 'audio/webm' })).rejects.toThrow(/invalid payload/);
    await expect(rig.invoke('recording:open', { ...CALL, mimeType: 'text/html' })).rejects.toThrow(/invalid payload/);
    await expect(rig.invoke('recording:append', '../../etc/passwd', new Uint8Array(4))).rejects.toThrow(/invalid payload/);
    const id = (await rig.invoke('recording:open', CALL)).value.id;
    await expect(rig.invoke('recording:append', id, 'not bytes')).rejects.toThrow(/invalid payload/);
    await expect(rig.invoke('recording:append', id, new Uint8Array(0))).rejects.toThrow(/invalid payload/);
    await expect(rig.invoke('recording:append', id, new Uint8Array(16 * 1024 * 1024 + 1))).rejects.toThrow(/invalid payload/);
    await expect(rig.invoke('recording:finish', id, -1)).rejects.toThrow(/invalid payload/);
    // An id main never handed out is not open.
    expect(await rig.invoke('recording:append', 'a'.repeat(32), new Uint8Array(4))).toMatchObject({ ok: false, failure: 'unknown_recording' });
    // Another page cannot use the channels.
    expect(() => rig.handlers.get('recordings:list')!({ senderFrame: { url: 'app://ring/ring.html', parent: null } })).toThrow(/not the app/);
  });

  it('where the system cannot encrypt, refuses with a reason and writes nothing', async () => {
    const rig = setup({ safeStorage: basicText });
    const opened = await rig.invoke('recording:open', CALL);
    expect(opened).toMatchObject({ ok: false, failure: 'no_encryption' });
    expect(opened.message).toMatch(/cannot encrypt/);
    expect(await rig.invoke('recordings:list')).toEqual([]);
    expect(readdirSync(rig.recordingsDir)).toEqual([]);
    expect(rig.active).toEqual([]);
  });

  it('a full disk stops the recording with a reason; what was written stays playable', async (context) => {
    if (!requireOrSkip('ffmpeg', hasFfmpeg, 'desktop recording playback test needs ffmpeg and ffprobe')) return context.skip();
    // The real writer, on a disk that fills up after three chunks (the error Node raises for ENOSPC).
    const fillsUp: CreateRecordingWriter = async (path, safeStorage, platform) => {
      const writer = await EncryptedRecordingWriter.create(path, safeStorage, platform);
      let writes = 0;
      return {
        write: (plain) => (++writes > 3 ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : writer.write(plain)),
        finish: (ms) => writer.finish(ms),
        abandon: () => writer.abandon(),
      };
    };
    const rig = setup({ createWriter: fillsUp });
    const media = pipeWebm(3);
    const id = (await rig.invoke('recording:open', CALL)).value.id;
    const parts = chunksOf(media, Math.ceil(media.length / 6));
    for (const part of parts.slice(0, 3)) expect((await rig.invoke('recording:append', id, part)).ok).toBe(true);
    const full = await rig.invoke('recording:append', id, parts[3]);
    expect(full).toMatchObject({ ok: false, failure: 'disk_full', message: 'the disk is full' });
    // The file is closed: the tray no longer shows a recording, later writes are refused.
    expect(rig.active).toEqual([1, 0]);
    expect(await rig.invoke('recording:append', id, parts[4])).toMatchObject({ ok: false, failure: 'unknown_recording' });

    const [listed] = (await rig.invoke('recordings:list')) as RecordingSummary[];
    expect(listed).toMatchObject({ id, finished: false, durationMs: null });
    const played = Buffer.from(await (await rig.play(id)).arrayBuffer());
    expect(played).toEqual(Buffer.concat(parts.slice(0, 3)));
    const file = join(dir, 'prefix.webm');
    writeFileSync(file, played);
    // About half of the 3 s were written before the disk filled up: that half plays.
    expect(audioSeconds(file)).toBeGreaterThan(1);
  });

  it('playback refuses an altered recording', async () => {
    const rig = setup();
    const id = (await rig.invoke('recording:open', CALL)).value.id;
    await rig.invoke('recording:append', id, new Uint8Array(Buffer.from('\x1aE\xdf\xa3 some media bytes')));
    await rig.invoke('recording:finish', id, 1000);
    const path = join(rig.recordingsDir, `${id}.hlrec`);
    const bytes = readFileSync(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 40) ^ 0x01, bytes.length - 40);
    writeFileSync(path, bytes);
    const response = await rig.play(id);
    expect(response.status).toBe(422);
    expect(await response.text()).toMatch(/altered or damaged/);
    expect(await rig.invoke('recordings:export', id)).toMatchObject({ ok: false });
    expect(rig.dialogs).toEqual([]);
  });

  it('exports plain WebM only through the save dialog, and deletes', async (context) => {
    if (!requireOrSkip('ffmpeg', hasFfmpeg, 'desktop recording export test needs ffmpeg and ffprobe')) return context.skip();
    const rig = setup();
    const id = (await rig.invoke('recording:open', CALL)).value.id;
    for (const part of chunksOf(pipeWebm(2), 4000)) await rig.invoke('recording:append', id, part);
    // Deleting a recording still being written is refused.
    expect(await rig.invoke('recordings:delete', id)).toMatchObject({ ok: false });
    await rig.invoke('recording:finish', id, 2000);

    const exported = await rig.invoke('recordings:export', id);
    expect(exported).toEqual({ ok: true, value: { saved: true } });
    expect(rig.dialogs).toEqual([expect.stringMatching(/^heartline-\d{4}-\d\d-\d\d-\d{4}\.webm$/)]);
    const file = join(dir, rig.dialogs[0]!);
    expect(Number(probedDuration(file))).toBeCloseTo(2, 0);

    expect(await rig.invoke('recordings:delete', id)).toEqual({ ok: true, value: null });
    expect(await rig.invoke('recordings:list')).toEqual([]);
    expect((await rig.play(id)).status).toBe(404);
    expect(readdirSync(rig.recordingsDir)).toEqual([]);
  });

  it('a cancelled save dialog writes nothing', async () => {
    const rig = setup({ savePath: null });
    const id = (await rig.invoke('recording:open', CALL)).value.id;
    await rig.invoke('recording:append', id, new Uint8Array([1, 2, 3]));
    await rig.invoke('recording:finish', id, 10);
    expect(await rig.invoke('recordings:export', id)).toEqual({ ok: true, value: { saved: false } });
    expect(readdirSync(dir)).toEqual(['recordings']);
  });

  it('passes a partner request on to main', async () => {
    const rig = setup();
    await rig.invoke('recording:requested', { partnerName: 'Bob' });
    expect(rig.requests).toEqual(['Bob']);
  });
});
