// The desktop app's encrypted recording files: round trip, tamper and truncation
// detection, no plaintext on disk, and refusal when the OS cannot encrypt.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SafeStorageLike } from '../../src-main/session/session-store.node';
import {
  EncryptedRecordingWriter,
  RecordingEncryptionUnavailableError,
  RecordingTamperedError,
  readEncryptedRecording,
} from '../../src-main/recording/encrypted-recording.node';

/** A faithful stand-in for safeStorage: reversible, and visibly not the plaintext. */
const keyring: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(`wrapped:${Buffer.from(text).toString('hex')}`),
  decryptString: (data) => Buffer.from(data.toString().replace(/^wrapped:/, ''), 'hex').toString(),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heartline-rec-'));
  path = join(dir, 'call.hlrec');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Recognisable media-like chunks: a WebM header and random payloads.
const chunks = [Buffer.from('\x1aE\xdf\xa3webm-header-OpusHead-V_VP8'), randomBytes(4096), randomBytes(100_000)];

async function record(parts: Buffer[], durationMs = 5000): Promise<void> {
  const writer = await EncryptedRecordingWriter.create(path, keyring, 'linux');
  for (const part of parts) await writer.write(part);
  await writer.finish(durationMs);
}

describe('encrypted recordings', () => {
  it('round-trips every chunk and the duration', async () => {
    await record(chunks, 5123);
    const read = readEncryptedRecording(path, keyring);
    expect(read.finished).toBe(true);
    expect(read.durationMs).toBe(5123);
    expect(Buffer.concat(read.chunks).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('leaves no plaintext bytes on disk', async () => {
    await record(chunks);
    const disk = readFileSync(path);
    for (const part of chunks) expect(disk.includes(part.subarray(0, 32))).toBe(false);
    expect(disk.includes(Buffer.from('OpusHead'))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('detects a flipped bit, a dropped chunk and swapped chunks', async () => {
    await record(chunks);
    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    const at = flipped.length - 200;
    flipped.writeUInt8(flipped.readUInt8(at) ^ 0x01, at);
    writeFileSync(path, flipped);
    expect(() => readEncryptedRecording(path, keyring)).toThrow(RecordingTamperedError);

    // Cut the second chunk out: the third then sits at index 1 and fails.
    const headerEnd = 8 + 4 + original.readUInt32BE(8) + 16;
    const chunkEnd = (at: number): number => at + 4 + 12 + original.readUInt32BE(at) + 16;
    const first = chunkEnd(headerEnd);
    const second = chunkEnd(first);
    writeFileSync(path, Buffer.concat([original.subarray(0, first), original.subarray(second)]));
    expect(() => readEncryptedRecording(path, keyring)).toThrow(RecordingTamperedError);

    writeFileSync(path, Buffer.concat([original.subarray(0, headerEnd), original.subarray(first, second), original.subarray(headerEnd, first), original.subarray(second)]));
    expect(() => readEncryptedRecording(path, keyring)).toThrow(RecordingTamperedError);
  });

  it('knows a truncated file: the final chunk missing, or a chunk cut off, leaves only the verified prefix', async () => {
    await record(chunks);
    const original = readFileSync(path);
    const headerEnd = 8 + 4 + original.readUInt32BE(8) + 16;
    const afterFirst = headerEnd + 4 + 12 + original.readUInt32BE(headerEnd) + 16;
    truncateSync(path, afterFirst + 10);
    const read = readEncryptedRecording(path, keyring);
    expect(read.finished).toBe(false);
    expect(read.chunks).toEqual([chunks[0]]);
  });

  it('a writer that fails midway leaves what it wrote readable as unfinished', async () => {
    const writer = await EncryptedRecordingWriter.create(path, keyring, 'linux');
    await writer.write(chunks[0]!);
    await writer.write(chunks[1]!);
    await writer.abandon();
    const read = readEncryptedRecording(path, keyring);
    expect(read).toMatchObject({ finished: false, durationMs: null });
    expect(read.chunks).toEqual([chunks[0], chunks[1]]);
  });

  it('refuses to record, writing nothing, when the OS cannot really encrypt', async () => {
    for (const store of [
      { ...keyring, isEncryptionAvailable: () => false },
      { ...keyring, getSelectedStorageBackend: () => 'basic_text' },
    ]) {
      await expect(EncryptedRecordingWriter.create(path, store, 'linux')).rejects.toThrow(RecordingEncryptionUnavailableError);
      expect(existsSync(path)).toBe(false);
    }
  });
});
