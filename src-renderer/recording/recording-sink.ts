// Where a recording's bytes go. The recorder hands over chunks as MediaRecorder
// produces them and finishes with the recorded duration (MediaRecorder leaves it out
// of the WebM header). The browser keeps them in memory and offers a download; the
// desktop app streams them to main, which encrypts them at rest.
import { fixWebmDuration } from '@fix-webm-duration/fix';

export interface RecordingSink {
  /** Rejects when the bytes cannot be kept (disk full, no encryption key): the recording stops for both. */
  write(chunk: Blob): Promise<void>;
  /** Everything written so far becomes a playable file. */
  finish(durationMs: number, mimeType: string): Promise<void>;
}

export function recordingFileName(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `heartline-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}.webm`;
}

/** The web client: the file stays in this browser and is offered as a download. */
export class DownloadSink implements RecordingSink {
  private readonly chunks: Blob[] = [];
  private readonly startedAt = new Date();

  async write(chunk: Blob): Promise<void> {
    this.chunks.push(chunk);
  }

  async finish(durationMs: number, mimeType: string): Promise<void> {
    if (!this.chunks.length) return;
    const file = await fixWebmDuration(new Blob(this.chunks, { type: mimeType }), durationMs);
    const url = URL.createObjectURL(file);
    const link = document.createElement('a');
    link.href = url;
    link.download = recordingFileName(this.startedAt);
    link.click();
    // The download has taken its copy by the next minute.
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

/** The sink for this client (the browser download; the desktop app plugs its own in). */
export const defaultSink = (): RecordingSink => new DownloadSink();
