// What app://recordings/<id>.webm plays: a recording decrypted and verified into
// memory, its duration written into the header (see recording-playback.std.ts). The one most recently
// played stays decrypted in memory, so the player's range requests do not decrypt
// the file again for every seek.
import type { RecordingStore } from './recording-store.node.js';
import { PlaybackRefusedError, type PlayableRecording } from './recording-playback.std';
import { RecordingTamperedError } from './encrypted-recording.node.js';
import { withDuration } from './playable-webm.std';

export function playableRecordings(store: Pick<RecordingStore, 'read' | 'exists'>): { open(id: string): PlayableRecording | null } {
  let last: { id: string; recording: PlayableRecording } | null = null;
  return {
    open(id) {
      if (last?.id === id && store.exists(id)) return last.recording;
      last = null;
      let opened;
      try {
        opened = store.read(id);
      } catch (error) {
        if (error instanceof RecordingTamperedError) throw new PlaybackRefusedError(`the recording was altered or damaged: ${error.message}`);
        throw error;
      }
      if (!opened) return null;
      const recording = { media: withDuration(opened.media, opened.durationMs), mimeType: opened.summary.mimeType };
      last = { id, recording };
      return recording;
    },
  };
}
