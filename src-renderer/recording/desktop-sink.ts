// The desktop app's sink: each chunk goes to main as it is made, where it is
// encrypted before it touches the disk (no plaintext file, no copy kept here). A
// write main refuses (disk full, no encryption key) rejects, and the recorder stops
// the recording for both with main's reason; what main wrote stays playable.
import type { HeartlineApi } from '../../src-shared/ipc';
import type { RecordingFailure } from '../../src-shared/recording';
import type { RecordingWriteResult } from '../../src-shared/recordings';
import type { RecordingSink, RecordingSinkContext } from './recording-sink';

/** Main refused a write; `failure` is what both partners are told. */
export class RecordingWriteError extends Error {
  constructor(
    readonly failure: RecordingFailure,
    message: string,
  ) {
    super(message);
  }
}

function check<T>(result: RecordingWriteResult<T>): T {
  if (!result.ok) throw new RecordingWriteError(result.failure, result.message);
  return result.value;
}

export class DesktopSink implements RecordingSink {
  private id: string | null = null;
  private broken = false;

  constructor(
    private readonly recordings: HeartlineApi['recordings'],
    private readonly context: RecordingSinkContext,
  ) {}

  async write(chunk: Blob): Promise<void> {
    if (this.broken) throw new RecordingWriteError('unknown_recording', 'the recording already stopped');
    try {
      // Opened with the first chunk: a recording that never produced a byte leaves no file.
      this.id ??= check(await this.recordings.open({ callId: this.context.callId, mimeType: chunk.type || 'video/webm' })).id;
      check(await this.recordings.append(this.id, new Uint8Array(await chunk.arrayBuffer())));
    } catch (error) {
      this.broken = true;
      // Main has closed the file where it stands; make sure it is not left open.
      if (this.id) void this.recordings.abort(this.id).catch(() => undefined);
      throw error;
    }
  }

  async finish(durationMs: number): Promise<void> {
    // After a failure main already closed the file at its last whole chunk.
    if (this.broken || !this.id) return;
    check(await this.recordings.finish(this.id, Math.max(0, Math.round(durationMs))));
  }
}
