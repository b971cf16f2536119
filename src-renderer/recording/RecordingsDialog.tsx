// The desktop app's recordings list: every recording kept (encrypted) on this
// computer, newest first, with the one of the call it was opened from marked.
// Play streams from main (decrypted in memory, never a plaintext file); Export saves a
// plain WebM where the user chooses; Delete asks once more.
import { useEffect, useRef, useState } from 'react';
import type { HeartlineApi } from '../../src-shared/ipc';
import { recordingPlaybackUrl, type RecordingSummary } from '../../src-shared/recordings';
import { useI18n } from '../hooks/useI18n';
import './recordings.css';

interface Props {
  recordings: HeartlineApi['recordings'];
  /** The call whose recorded mark was clicked. */
  callId: string | null;
  onClose: () => void;
}

type RowNote = { id: string; kind: 'exported' | 'damaged' | 'error'; text?: string };

export function RecordingsDialog({ recordings, callId, onClose }: Props): React.JSX.Element {
  const t = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [list, setList] = useState<RecordingSummary[] | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [note, setNote] = useState<RowNote | null>(null);

  const reload = (): void => void recordings.list().then(setList, () => setList([]));
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    reload();
  }, []);

  const exportOne = async (id: string): Promise<void> => {
    const result = await recordings.exportFile(id);
    if (!result.ok) setNote({ id, kind: 'error', text: result.error });
    else if (result.value.saved) setNote({ id, kind: 'exported' });
  };
  const remove = async (id: string): Promise<void> => {
    if (confirming !== id) return setConfirming(id);
    const result = await recordings.remove(id);
    setConfirming(null);
    if (playing === id) setPlaying(null);
    if (!result.ok) setNote({ id, kind: 'error', text: result.error });
    reload();
  };

  const hasThisCall = list?.some((item) => item.callId === callId) ?? false;
  return (
    <dialog ref={dialog} className="settings card recordings-dialog" data-testid="recordings-dialog" aria-labelledby="recordings-title" onClose={onClose}>
      <h2 id="recordings-title">{t.t('recordingsTitle')}</h2>
      <p className="muted">{t.t('recordingsNote')}</p>
      {list !== null && list.length > 0 && callId && !hasThisCall && (
        <p className="recordings-missing" data-testid="recordings-none-for-call">
          {t.t('recordingsNoneForCall')}
        </p>
      )}
      {list !== null && list.length === 0 ? (
        <p className="muted" data-testid="recordings-empty">
          {t.t('recordingsEmpty')}
        </p>
      ) : (
        <ul className="recordings-list">
          {(list ?? []).map((item) => (
            <li key={item.id} className={`recording-item${item.callId === callId ? ' this-call' : ''}`} data-testid="recording-item" data-recording-id={item.id}>
              <div className="recording-line">
                <time dateTime={item.startedAt}>{t.dateTime(item.startedAt)}</time>
                {item.durationMs !== null && <span>{t.duration(item.durationMs / 1000)}</span>}
                <span className="muted">{item.mimeType.startsWith('video') ? t.t('typeVideo') : t.t('typeVoice')}</span>
                {item.callId === callId && <span className="recording-this-call">{t.t('recordingThisCall')}</span>}
              </div>
              {!item.finished && <p className="recording-unfinished">{t.t('recordingUnfinished')}</p>}
              {playing === item.id && (
                <video
                  className="recording-player"
                  data-testid="recording-player"
                  src={recordingPlaybackUrl(item.id)}
                  controls
                  autoPlay
                  onError={() => setNote({ id: item.id, kind: 'damaged' })}
                />
              )}
              {note?.id === item.id && (
                <p className={note.kind === 'exported' ? 'muted' : 'recording-error'} role="status" data-testid="recording-note">
                  {note.kind === 'exported' ? t.t('recordingExported') : note.kind === 'damaged' ? t.t('recordingDamaged') : note.text}
                </p>
              )}
              <div className="recording-actions">
                <button className="btn small" type="button" data-testid="recording-play" onClick={() => setPlaying(item.id)}>
                  {t.t('recordingPlay')}
                </button>
                <button className="btn small" type="button" data-testid="recording-export" onClick={() => void exportOne(item.id)}>
                  {t.t('recordingExport')}
                </button>
                <button className="btn small danger" type="button" data-testid="recording-delete" onClick={() => void remove(item.id)}>
                  {confirming === item.id ? t.t('recordingDeleteConfirm') : t.t('recordingDelete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <span />
        <button className="btn" type="button" data-testid="recordings-close" onClick={() => dialog.current?.close()}>
          {t.t('close')}
        </button>
      </div>
    </dialog>
  );
}
