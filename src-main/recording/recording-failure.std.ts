// Which failure a recording write met, from the error the writer threw: the
// renderer stops the recording for both partners and shows this reason.
import type { RecordingWriteFailure as RecordingFailure } from '../../src-shared/recordings';

const MESSAGES: Record<RecordingFailure, string> = {
  no_encryption: 'this computer cannot encrypt recordings (no system key store)',
  disk_full: 'the disk is full',
  write_failed: 'the recording could not be written',
  unknown_recording: 'the recording is not open',
};

export function recordingFailureMessage(failure: RecordingFailure): string {
  return MESSAGES[failure];
}

/** ENOSPC / EDQUOT are "no room"; the writer's own refusal is "no encryption"; anything else a write failure. */
export function classifyRecordingError(error: unknown): RecordingFailure {
  if (error instanceof Error && error.name === 'RecordingEncryptionUnavailableError') return 'no_encryption';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'disk_full';
  return 'write_failed';
}
