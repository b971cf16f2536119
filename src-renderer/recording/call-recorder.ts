// MediaRecorder around one mixed stream: chunks go to a sink as they come, pauses
// are honoured, and the recorded time (pauses excluded) becomes the file's duration.
// Any failure stops recording; what was written stays a playable file.
import type { RecordingFailure } from '../../src-shared/recording';
import { RecordingWriteError } from './desktop-sink';
import type { RecordingSink } from './recording-sink';

const CHUNK_MS = 1000;
// Enough for two 320×240 pictures at 15 fps; a lower rate is also less work for the encoder.
const VIDEO_BITS_PER_SECOND = 800_000;
// How long a stop waits for a recorder that has delivered nothing yet (a busy machine's
// first encoded frame can take seconds); past it the recording holds nothing.
const FIRST_DATA_WAIT_MS = 5000;

export function recordingMimeType(withVideo: boolean): string {
  const wanted = withVideo ? ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'] : ['audio/webm;codecs=opus', 'audio/webm'];
  return wanted.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

/** What a stopped recorder left: a file, or nothing because no byte was ever captured. */
export type RecordingOutcome = 'kept' | 'nothing_captured';

export class CallRecorder {
  private readonly recorder: MediaRecorder;
  private recordedMs = 0;
  private runningSince: number | null = null;
  private writes: Promise<void> = Promise.resolve();
  private capturedBytes = 0;
  private firstData: (() => void) | null = null;
  private failed = false;
  private readonly stopped: Promise<void>;

  constructor(
    private readonly stream: MediaStream,
    private readonly sink: RecordingSink,
    withVideo: boolean,
    private readonly onFailure: (failure: RecordingFailure) => void,
  ) {
    this.recorder = new MediaRecorder(stream, { mimeType: recordingMimeType(withVideo), ...(withVideo ? { videoBitsPerSecond: VIDEO_BITS_PER_SECOND } : {}) });
    this.recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size === 0) return;
      this.capturedBytes += event.data.size;
      this.firstData?.();
      this.writes = this.writes.then(() => this.sink.write(event.data)).catch((error: unknown) => this.fail(error instanceof RecordingWriteError ? error.failure : 'write_failed'));
    });
    this.recorder.addEventListener('error', () => this.fail('recorder_error'));
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

  /**
   * Stops and hands the sink its last chunk and the duration. Nothing is captured
   * after this is called: the mixed tracks go silent and black at once. A recorder
   * that has delivered nothing yet is given a few seconds to encode what it holds
   * (its tail is that silence, counted in the duration) before it stops for good.
   */
  async stop(): Promise<RecordingOutcome> {
    if (this.recorder.state !== 'inactive') {
      for (const track of this.stream.getTracks()) track.enabled = false;
      if (this.capturedBytes === 0 && this.recorder.state === 'recording') await this.waitForFirstData();
      this.bank();
      this.recorder.stop();
    }
    await this.stopped;
    await this.writes;
    if (this.capturedBytes === 0) return 'nothing_captured';
    await this.sink.finish(Math.round(this.recordedMs), this.recorder.mimeType);
    return 'kept';
  }

  private waitForFirstData(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        window.clearTimeout(timer);
        this.firstData = null;
        resolve();
      };
      const timer = window.setTimeout(done, FIRST_DATA_WAIT_MS);
      this.firstData = done;
      this.recorder.requestData();
    });
  }

  private bank(): void {
    if (this.runningSince !== null) this.recordedMs += performance.now() - this.runningSince;
    this.runningSince = null;
  }

  private fail(failure: RecordingFailure): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(failure);
  }
}
