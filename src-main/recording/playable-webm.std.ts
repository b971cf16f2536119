// MediaRecorder leaves the duration out of the WebM header; the sealed end of a
// desktop recording holds it. Playback and export write it into the header (in
// memory), as the browser does before its download.
import { fixParsedWebmDuration } from '@fix-webm-duration/fix';
import { WebmFile } from '@fix-webm-duration/parser';

/** The media with its duration in the header; unchanged when it is unknown or the header cannot be parsed. */
export function withDuration(media: Uint8Array, durationMs: number | null): Uint8Array {
  if (durationMs === null || media.byteLength === 0) return media;
  try {
    // A copy as a plain Uint8Array: the parser misreads a Node Buffer (its slice() shares memory).
    const file = new WebmFile(new Uint8Array(media));
    if (!fixParsedWebmDuration(file, durationMs, { logger: false })) return media;
    return file.source as Uint8Array;
  } catch {
    return media;
  }
}
