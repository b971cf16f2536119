// The desktop app's kept recordings: one encrypted file per recording in the app's
// data folder (`<id>.hlrec`, see encrypted-recording.node.ts) and a small metadata
// file beside it (`<id>.json`: call, partner, start, duration; never media). Chunks
// are encrypted as they arrive; any write failure closes the file where it stands, so
// what was written stays readable, and tells the caller why (the recording stops).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RecordingIdSchema, type RecordingOpen, type RecordingSummary, type RecordingWriteResult } from '../../src-shared/recordings';
import { writeFileAtomic } from '../atomic-write.node.js';
import type { SafeStorageLike } from '../session/session-store.node.js';
import { EncryptedRecordingWriter, readEncryptedRecording } from './encrypted-recording.node.js';
import { classifyRecordingError, recordingFailureMessage } from './recording-failure.std';

export interface RecordingWriterLike {
  write(plain: Buffer): Promise<void>;
  finish(durationMs: number): Promise<void>;
  abandon(): Promise<void>;
}

export type CreateRecordingWriter = (path: string, safeStorage: SafeStorageLike, platform: NodeJS.Platform) => Promise<RecordingWriterLike>;

export interface RecordingStoreOptions {
  dir: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  now(): Date;
  /** The real writer by default; tests wrap it to make the disk fail. */
  createWriter?: CreateRecordingWriter;
  /** How many recordings are being written changed (the tray shows a recording state). */
  onActiveChange?(active: number): void;
}

const MetaSchema = z.object({
  callId: z.string(),
  mimeType: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nullable(),
  finished: z.boolean(),
});
type Meta = z.infer<typeof MetaSchema>;

/** A decrypted recording, in memory only. */
export interface OpenedRecording {
  summary: RecordingSummary;
  media: Buffer;
  /** From the sealed end; null when the recording broke off. */
  durationMs: number | null;
}

const failed = (error: unknown): { ok: false; failure: ReturnType<typeof classifyRecordingError>; message: string } => {
  const failure = classifyRecordingError(error);
  return { ok: false, failure, message: recordingFailureMessage(failure) };
};

export class RecordingStore {
  private readonly active = new Map<string, { writer: RecordingWriterLike; meta: Meta }>();
  private readonly createWriter: CreateRecordingWriter;

  constructor(private readonly options: RecordingStoreOptions) {
    this.createWriter = options.createWriter ?? ((path, safeStorage, platform) => EncryptedRecordingWriter.create(path, safeStorage, platform));
  }

  get activeCount(): number {
    return this.active.size;
  }

  async open(request: RecordingOpen): Promise<RecordingWriteResult<{ id: string }>> {
    const id = randomBytes(16).toString('hex');
    const meta: Meta = { ...request, startedAt: this.options.now().toISOString(), durationMs: null, finished: false };
    try {
      mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
      const writer = await this.createWriter(this.mediaPath(id), this.options.safeStorage, this.options.platform);
      this.active.set(id, { writer, meta });
      this.writeMeta(id, meta);
    } catch (error) {
      await this.abandonWriter(id);
      // Nothing was recorded yet: no header-only file is left behind.
      rmSync(this.mediaPath(id), { force: true });
      rmSync(this.metaPath(id), { force: true });
      return failed(error);
    }
    this.activeChanged();
    return { ok: true, value: { id } };
  }

  async append(id: string, chunk: Uint8Array): Promise<RecordingWriteResult<null>> {
    const entry = this.active.get(id);
    if (!entry) return { ok: false, failure: 'unknown_recording', message: recordingFailureMessage('unknown_recording') };
    try {
      await entry.writer.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      return { ok: true, value: null };
    } catch (error) {
      // The file ends at its last whole chunk: it stays playable as an unfinished recording.
      await this.abandonWriter(id);
      return failed(error);
    }
  }

  async finish(id: string, durationMs: number): Promise<RecordingWriteResult<null>> {
    const entry = this.active.get(id);
    if (!entry) return { ok: false, failure: 'unknown_recording', message: recordingFailureMessage('unknown_recording') };
    try {
      await entry.writer.finish(durationMs);
      this.writeMeta(id, { ...entry.meta, durationMs, finished: true });
      return { ok: true, value: null };
    } catch (error) {
      return failed(error);
    } finally {
      this.active.delete(id);
      this.activeChanged();
    }
  }

  async abort(id: string): Promise<void> {
    await this.abandonWriter(id);
  }

  /** Closes every open recording without its end (the app is quitting). */
  async abandonAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.abandonWriter(id)));
  }

  /** Newest first. */
  list(): RecordingSummary[] {
    if (!existsSync(this.options.dir)) return [];
    const summaries: RecordingSummary[] = [];
    for (const name of readdirSync(this.options.dir)) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : null;
      if (!id || !RecordingIdSchema.safeParse(id).success || !existsSync(this.mediaPath(id))) continue;
      const meta = this.readMeta(id);
      if (meta) summaries.push(this.summaryOf(id, meta));
    }
    return summaries.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Decrypts and verifies one recording into memory (throws RecordingTamperedError); null when there is none. */
  read(id: string): OpenedRecording | null {
    if (!this.exists(id)) return null;
    const meta = this.readMeta(id);
    if (!meta) return null;
    const decrypted = readEncryptedRecording(this.mediaPath(id), this.options.safeStorage);
    const summary = { ...this.summaryOf(id, meta), finished: decrypted.finished, durationMs: decrypted.durationMs };
    return { summary, media: Buffer.concat(decrypted.chunks), durationMs: decrypted.durationMs };
  }

  exists(id: string): boolean {
    return RecordingIdSchema.safeParse(id).success && existsSync(this.mediaPath(id));
  }

  /** A recording being written cannot be deleted. */
  delete(id: string): boolean {
    if (this.active.has(id) || !this.exists(id)) return false;
    rmSync(this.mediaPath(id), { force: true });
    rmSync(this.metaPath(id), { force: true });
    return true;
  }

  private async abandonWriter(id: string): Promise<void> {
    const entry = this.active.get(id);
    if (!entry) return;
    this.active.delete(id);
    try {
      await entry.writer.abandon();
    } catch {
      // Closing after a failed write may fail again; the file already ends at its last whole chunk.
    }
    this.activeChanged();
  }

  private activeChanged(): void {
    this.options.onActiveChange?.(this.active.size);
  }

  private summaryOf(id: string, meta: Meta): RecordingSummary {
    return { id, ...meta, sizeBytes: statSync(this.mediaPath(id)).size };
  }

  private readMeta(id: string): Meta | null {
    try {
      const parsed = MetaSchema.safeParse(JSON.parse(readFileSync(this.metaPath(id), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private writeMeta(id: string, meta: Meta): void {
    writeFileAtomic(this.metaPath(id), JSON.stringify(meta));
  }

  private mediaPath(id: string): string {
    return join(this.options.dir, `${id}.hlrec`);
  }

  private metaPath(id: string): string {
    return join(this.options.dir, `${id}.json`);
  }
}
