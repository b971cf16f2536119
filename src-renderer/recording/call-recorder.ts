// MediaRecorder around one mixed stream: chunks go to a sink as they come, pauses
// are honoured, and the recorded time (pauses excluded) becomes the file's duration.
// Any failure stops recording; what was written stays a playable file.
import type { RecordingSink } from './recording-sink';

const CHUNK_MS = 1000;
// Enough for two 320×240 pictures at 15 fps; a lower rate is also less work for the encoder.
const VIDEO_BITS_PER_SECOND = 800_000;

export function recordingMimeType(withVideo: boolean): string {
  const wanted = withVideo ? ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'] : ['audio/webm;codecs=opus', 'audio/webm'];
  return wanted.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

export class CallRecorder {
  private readonly recorder: MediaRecorder;
  private recordedMs = 0;
  private runningSince: number | null = null;
  private writes: Promise<void> = Promise.resolve();
  private failed = false;
  private readonly stopped: Promise<void>;

  constructor(
    stream: MediaStream,
    private readonly sink: RecordingSink,
    withVideo: boolean,
    private readonly onFailure: (reason: string) => void,
  ) {
    this.recorder = new MediaRecorder(stream, { mimeType: recordingMimeType(withVideo), ...(withVideo ? { videoBitsPerSecond: VIDEO_BITS_PER_SECOND } : {}) });
    this.recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size === 0) return;
      this.writes = this.writes.then(() => this.sink.write(event.data)).catch((error: unknown) => this.fail(error instanceof Error ? error.message : String(error)));
    });
    this.recorder.addEventListener('error', (event) => this.fail(String((event as Event & { error?: DOMException }).error?.message ?? 'MediaRecorder error')));
    this.stopped = new Promise((resolve) => this.recorder.addEventListener('stop', () => resolve(), { once: true }));
    this.recorder.start(CHUNK_MS);
    this.runningSince = performance.now();
  }

  pause(): void {
    if (this.recorder.state !== 'recording') return;
    this.recorder.pause();
    this.bank();
  }

  resume(): void {
    if (this.recorder.state !== 'paused') return;
    this.recorder.resume();
    this.runningSince = performance.now();
  }

  /** Stops and hands the sink its last chunk and the duration. */
  async stop(): Promise<void> {
    if (this.recorder.state !== 'inactive') {
      this.bank();
      this.recorder.stop();
    }
    await this.stopped;
    await this.writes;
    await this.sink.finish(Math.round(this.recordedMs), this.recorder.mimeType);
  }

  private bank(): void {
    if (this.runningSince !== null) this.recordedMs += performance.now() - this.runningSince;
    this.runningSince = null;
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(reason);
  }
}
