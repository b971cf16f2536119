// The desktop app's kept recordings: what the call window streams to main while
// recording, what main lists back, and why a write can fail. Main owns the files
// (encrypted at rest); the renderer sees ids, metadata and a playback URL only.
import { z } from 'zod';
import type { RecordingFailure } from './recording';

/** A MediaRecorder chunk is about a second of media; the bridge refuses anything larger. */
export const MAX_RECORDING_CHUNK_BYTES = 16 * 1024 * 1024;

/** Ids main hands out: 32 hex digits (128 random bits), also the file's name. */
export const RecordingIdSchema = z.string().regex(/^[0-9a-f]{32}$/);

export const RecordingOpenSchema = z
  .object({
    callId: z.string().min(1).max(64),
    mimeType: z.string().regex(/^(audio|video)\/webm(;[a-z0-9=,.\s-]{0,80})?$/i),
  })
  .strict();
export type RecordingOpen = z.infer<typeof RecordingOpenSchema>;

export const RecordingChunkSchema = z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength > 0 && bytes.byteLength <= MAX_RECORDING_CHUNK_BYTES, {
  message: `a chunk is 1 to ${MAX_RECORDING_CHUNK_BYTES} bytes`,
});

export const RecordingDurationSchema = z.number().int().min(0).max(7 * 24 * 3600 * 1000);

/** Why main could not write a recording: each stops the recording for both partners. */
export type RecordingWriteFailure = Extract<RecordingFailure, 'no_encryption' | 'disk_full' | 'write_failed' | 'unknown_recording'>;

export type RecordingWriteResult<T> = { ok: true; value: T } | { ok: false; failure: RecordingWriteFailure; message: string };

export interface RecordingSummary {
  id: string;
  callId: string;
  mimeType: string;
  /** ISO time the recording began. */
  startedAt: string;
  /** The recorded time (pauses excluded); null while recording or when it broke off. */
  durationMs: number | null;
  /** False when the file has no sealed end (still recording, or the writer failed): its verified part plays. */
  finished: boolean;
  /** Ciphertext bytes on disk. */
  sizeBytes: number;
}

/** Where the call window plays a recording from (main's app: protocol decrypts it in memory). */
export const RECORDINGS_ORIGIN = 'app://recordings';
export const recordingPlaybackUrl = (id: string): string => `${RECORDINGS_ORIGIN}/${id}.webm`;

/** The name a recording is offered under (the browser's download, the desktop's export). */
export function recordingFileName(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `heartline-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}.webm`;
}
