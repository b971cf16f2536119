// Call recordings at rest: AES-256-GCM, streamed in chunks, never plaintext on disk.
//
// File: MAGIC | u32 wrapped-key length | wrapped key (safeStorage) | 16-byte file id |
// chunks. Each chunk: u32 ciphertext length | 12-byte nonce | ciphertext | 16-byte tag,
// with the file id, the chunk's index and a final-chunk flag as additional data, so a
// chunk moved, dropped, swapped between files or cut off fails authentication, and a
// file that ends without its final chunk is known to be truncated. The final chunk
// holds the recorded duration (MediaRecorder leaves it out of the WebM header).
// Each recording has its own random key; only safeStorage can unwrap it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { encryptionUsable, type SafeStorageLike } from '../session/session-store.node.js';

const MAGIC = Buffer.from('HLREC001');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FILE_ID_BYTES = 16;
/** A MediaRecorder chunk is about a second of media; anything far larger is corruption. */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

export class RecordingEncryptionUnavailableError extends Error {
  constructor() {
    super('the system cannot encrypt recordings here (no key store); nothing was written');
    this.name = 'RecordingEncryptionUnavailableError';
  }
}

export class RecordingTamperedError extends Error {}

function additionalData(fileId: Buffer, index: number, final: boolean): Buffer {
  const data = Buffer.alloc(FILE_ID_BYTES + 5);
  fileId.copy(data);
  data.writeUInt32BE(index, FILE_ID_BYTES);
  data.writeUInt8(final ? 1 : 0, FILE_ID_BYTES + 4);
  return data;
}

function sealChunk(key: Buffer, fileId: Buffer, index: number, final: boolean, plain: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(additionalData(fileId, index, final));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, nonce, body, cipher.getAuthTag()]);
}

/** Writes one recording, chunk by chunk, as it is made. */
export class EncryptedRecordingWriter {
  private index = 0;
  private finished = false;

  private constructor(
    private readonly file: FileHandle,
    private readonly key: Buffer,
    private readonly fileId: Buffer,
  ) {}

  /** Refuses (nothing is written) when safeStorage offers no real encryption. */
  static async create(path: string, safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): Promise<EncryptedRecordingWriter> {
    if (!encryptionUsable(safeStorage, platform)) throw new RecordingEncryptionUnavailableError();
    const key = randomBytes(32);
    const wrapped = safeStorage.encryptString(key.toString('base64'));
    const fileId = randomBytes(FILE_ID_BYTES);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(wrapped.length);
    const file = await open(path, 'wx', 0o600);
    try {
      await file.write(Buffer.concat([MAGIC, length, wrapped, fileId]));
    } catch (error) {
      await file.close();
      throw error;
    }
    return new EncryptedRecordingWriter(file, key, fileId);
  }

  /** Appends one chunk of media (a disk error such as ENOSPC rejects: the caller stops the recording). */
  async write(plain: Buffer): Promise<void> {
    if (this.finished) throw new Error('the recording is finished');
    if (plain.length > MAX_CHUNK_BYTES) throw new Error('chunk too large');
    await this.file.write(sealChunk(this.key, this.fileId, this.index, false, plain));
    this.index += 1;
  }

  /** Seals the file with its final chunk (holding the duration) and closes it. */
  async finish(durationMs: number): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.file.write(sealChunk(this.key, this.fileId, this.index, true, Buffer.from(JSON.stringify({ durationMs }))));
      await this.file.sync();
    } finally {
      await this.file.close();
    }
  }

  /** Closes without the final chunk (after a failure): what was written stays readable as an unfinished recording. */
  async abandon(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.file.close();
  }
}

export interface DecryptedRecording {
  chunks: Buffer[];
  /** False when the file ends without its final chunk (the recording broke off): the chunks are the verified part. */
  finished: boolean;
  durationMs: number | null;
}

/**
 * Decrypts and verifies a whole recording. A chunk that fails authentication throws
 * RecordingTamperedError; a file cut off mid-chunk or without its final chunk is
 * returned as unfinished (its verified prefix), never extended or guessed at.
 */
export function readEncryptedRecording(path: string, safeStorage: SafeStorageLike): DecryptedRecording {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (offset: number, length: number): Buffer | null => {
      if (offset + length > size) return null;
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offset);
      return buffer;
    };
    const magic = read(0, MAGIC.length);
    if (!magic?.equals(MAGIC)) throw new RecordingTamperedError('not a Heartline recording');
    const wrappedLength = read(MAGIC.length, 4)?.readUInt32BE(0) ?? 0;
    const wrapped = read(MAGIC.length + 4, wrappedLength);
    const fileId = read(MAGIC.length + 4 + wrappedLength, FILE_ID_BYTES);
    if (!wrapped || !fileId) throw new RecordingTamperedError('the recording header is cut off');
    const key = Buffer.from(safeStorage.decryptString(wrapped), 'base64');

    const chunks: Buffer[] = [];
    let offset = MAGIC.length + 4 + wrappedLength + FILE_ID_BYTES;
    for (let index = 0; ; index++) {
      const lengthBytes = read(offset, 4);
      if (!lengthBytes) return { chunks, finished: false, durationMs: null };
      const length = lengthBytes.readUInt32BE(0);
      if (length > MAX_CHUNK_BYTES + 1024) throw new RecordingTamperedError(`chunk ${index} has an impossible length`);
      const nonce = read(offset + 4, NONCE_BYTES);
      const body = read(offset + 4 + NONCE_BYTES, length);
      const tag = read(offset + 4 + NONCE_BYTES + length, TAG_BYTES);
      if (!nonce || !body || !tag) return { chunks, finished: false, durationMs: null };
      offset += 4 + NONCE_BYTES + length + TAG_BYTES;
      // A chunk authenticates under exactly one flag: data, or the sealed final chunk.
      const open = (final: boolean): Buffer | null => {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, nonce);
          decipher.setAAD(additionalData(fileId, index, final));
          decipher.setAuthTag(tag);
          return Buffer.concat([decipher.update(body), decipher.final()]);
        } catch {
          return null;
        }
      };
      const data = open(false);
      const sealed = data ? null : open(true);
      if (!data && !sealed) throw new RecordingTamperedError(`chunk ${index} failed authentication`);
      if (sealed && offset !== size) throw new RecordingTamperedError('data follows the final chunk');
      const final = sealed !== null;
      const plain = (data ?? sealed) as Buffer;
      if (final) {
        const meta = JSON.parse(plain.toString('utf8')) as { durationMs?: unknown };
        return { chunks, finished: true, durationMs: typeof meta.durationMs === 'number' ? meta.durationMs : null };
      }
      chunks.push(plain);
    }
  } finally {
    closeSync(fd);
  }
}
