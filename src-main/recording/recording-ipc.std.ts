// The recording channels of the call window's bridge ('recordings' group of the IPC
// table, whose schemas have checked ids, sizes and metadata before these run). The
// store encrypts as chunks arrive; export writes plain WebM only where the user
// chose in the save dialog.
import type { IpcResult } from '../../src-shared/ipc';
import { recordingFileName, type RecordingOpen, type RecordingSummary, type RecordingWriteResult } from '../../src-shared/recordings';
import type { IpcHandlers } from '../ipc/register-ipc.std';
import { withDuration } from './playable-webm.std';

/** The part of RecordingStore these handlers use. */
export interface RecordingStoreLike {
  open(request: RecordingOpen): Promise<RecordingWriteResult<{ id: string }>>;
  append(id: string, chunk: Uint8Array): Promise<RecordingWriteResult<null>>;
  finish(id: string, durationMs: number): Promise<RecordingWriteResult<null>>;
  abort(id: string): Promise<void>;
  list(): RecordingSummary[];
  read(id: string): { summary: RecordingSummary; media: Uint8Array; durationMs: number | null } | null;
  delete(id: string): boolean;
}

export interface RecordingIpcDeps {
  store: RecordingStoreLike;
  /** Electron's dialog.showSaveDialog: the chosen path, or null when cancelled. */
  chooseExportPath(defaultName: string): Promise<string | null>;
  writeExport(path: string, media: Uint8Array): Promise<void>;
  /** The partner asked to record: a notification, when the call window is not in front. */
  onPartnerRequest(partnerName: string): void;
  log(message: string): void;
}

const problem = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function recordingIpcHandlers(deps: RecordingIpcDeps): IpcHandlers<'recordings'> {
  const { store } = deps;
  return {
    'recording:open': async (request) => {
      const result = await store.open(request);
      if (!result.ok) deps.log(`recording: cannot open (${result.failure})`);
      return result;
    },
    'recording:append': async (id, chunk) => {
      const result = await store.append(id, chunk);
      if (!result.ok) deps.log(`recording ${id}: write failed (${result.failure})`);
      return result;
    },
    'recording:finish': (id, durationMs) => store.finish(id, durationMs),
    'recording:abort': (id) => store.abort(id),
    'recording:requested': ({ partnerName }) => deps.onPartnerRequest(partnerName),
    'recordings:list': () => store.list(),
    'recordings:export': async (id): Promise<IpcResult<{ saved: boolean }>> => {
      let opened;
      try {
        opened = store.read(id);
      } catch (error) {
        return { ok: false, error: problem(error) };
      }
      if (!opened) return { ok: false, error: 'no such recording' };
      const path = await deps.chooseExportPath(recordingFileName(new Date(opened.summary.startedAt)));
      if (!path) return { ok: true, value: { saved: false } };
      try {
        await deps.writeExport(path, withDuration(opened.media, opened.durationMs));
      } catch (error) {
        return { ok: false, error: problem(error) };
      }
      return { ok: true, value: { saved: true } };
    },
    'recordings:delete': (id) => (store.delete(id) ? { ok: true, value: null } : { ok: false, error: 'no such recording, or it is still being recorded' }),
  };
}
