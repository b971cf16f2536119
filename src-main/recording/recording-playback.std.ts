// In-app playback: the call window's <video src="app://recordings/<id>.webm"> is
// answered from memory with the decrypted, verified media (plaintext never reaches
// the disk), with byte ranges so the player can seek. A file that fails
// authentication is refused, never played in part.
import { RecordingIdSchema } from '../../src-shared/recordings';

export interface PlaybackRequest {
  url: string;
  method: string;
  headers: { get(name: string): string | null };
}

export interface PlayableRecording {
  media: Uint8Array;
  mimeType: string;
}

export class PlaybackRefusedError extends Error {}

export type ByteRange = { start: number; end: number };

/** A single `bytes=` range within `size` bytes; null for no (or an ignorable) header, 'unsatisfiable' past the end. */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    // bytes=-N: the last N bytes.
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** The recording id in app://recordings/<id>.webm, or null. */
export function playbackIdOf(url: string): string | null {
  const match = /^app:\/\/recordings\/([^/?#]+)\.webm$/.exec(url.split(/[?#]/)[0] ?? '');
  return match && RecordingIdSchema.safeParse(match[1]).success ? (match[1] as string) : null;
}

/** Answers one request; `open` decrypts (throwing when the file was altered) or returns null when there is no such recording. */
export function playbackResponse(request: PlaybackRequest, open: (id: string) => PlayableRecording | null): Response {
  const id = playbackIdOf(request.url);
  if (!id || (request.method !== 'GET' && request.method !== 'HEAD')) return new Response('not found', { status: 404 });
  let recording: PlayableRecording | null;
  try {
    recording = open(id);
  } catch (error) {
    return new Response(error instanceof PlaybackRefusedError ? error.message : 'the recording cannot be read', { status: 422 });
  }
  if (!recording) return new Response('not found', { status: 404 });
  const size = recording.media.byteLength;
  const headers: Record<string, string> = {
    'content-type': recording.mimeType.split(';')[0] ?? 'video/webm',
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  const range = parseRange(request.headers.get('range'), size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const body = request.method === 'HEAD' ? null : recording.media.slice(start, end + 1);
  return new Response(body, {
    status: range ? 206 : 200,
    headers: { ...headers, 'content-length': String(end - start + 1), ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}) },
  });
}
