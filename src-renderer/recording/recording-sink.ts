// Where a recording's bytes go. The recorder hands over chunks as MediaRecorder
// produces them and finishes with the recorded duration (MediaRecorder leaves it out
// of the WebM header). The browser keeps them in memory and offers a download; the
// desktop app streams them to main, which encrypts them at rest.
import { fixWebmDuration } from '@fix-webm-duration/fix';
import { recordingFileName } from '../../src-shared/recordings';
import { bridge } from '../platform/bridge';
import { DesktopSink } from './desktop-sink';

export interface RecordingSink {
  /** Rejects when the bytes cannot be kept (disk full, no encryption key): the recording stops for both. */
  write(chunk: Blob): Promise<void>;
  /** Everything written so far becomes a playable file. */
  finish(durationMs: number, mimeType: string): Promise<void>;
}

/** What the sink is for: the call being recorded. */
export interface RecordingSinkContext {
  callId: string;
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

/** The sink for this client: encrypted storage through main in the desktop app, else the browser download. */
export const defaultSink = (context: RecordingSinkContext): RecordingSink => {
  const api = bridge();
  return api ? new DesktopSink(api.recordings, context) : new DownloadSink();
};
