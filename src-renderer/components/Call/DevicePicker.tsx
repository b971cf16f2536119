import { useEffect, useState } from 'react';
import { useApp } from '../../hooks/app-context';
import { useI18n } from '../../hooks/useI18n';
import { listDevices, type MediaDevicesList } from '../../webrtc/media';

export function DevicePicker({ onClose }: { onClose: () => void }): React.JSX.Element {
  const t = useI18n();
  const { controller, settings, onSettings } = useApp();
  const [devices, setDevices] = useState<MediaDevicesList>({ microphones: [], cameras: [], speakers: [] });
  useEffect(() => {
    const load = (): void => void listDevices().then(setDevices);
    load();
    navigator.mediaDevices?.addEventListener('devicechange', load);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', load);
  }, []);

  const select = (label: string, testId: string, list: MediaDeviceInfo[], value: string | null, change: (id: string | null) => void): React.JSX.Element => (
    <label className="field">
      <span>{label}</span>
      <select data-testid={testId} value={value ?? ''} onChange={(e) => change(e.target.value || null)}>
        <option value="">{t.t('systemDefault')}</option>
        {list.map((device, i) => (
          <option key={device.deviceId || i} value={device.deviceId}>
            {device.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="device-picker card" role="dialog" aria-label={t.t('devices')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {select(t.t('microphone'), 'device-microphone', devices.microphones, settings.microphoneId, (id) => {
        void onSettings({ microphoneId: id });
        void controller.switchDevice('audio', id);
      })}
      {select(t.t('camera'), 'device-camera', devices.cameras, settings.cameraId, (id) => {
        void onSettings({ cameraId: id });
        void controller.switchDevice('video', id);
      })}
      {devices.speakers.length > 0 &&
        select(t.t('speaker'), 'device-speaker', devices.speakers, settings.speakerId, (id) => void onSettings({ speakerId: id }))}
      <button className="btn ghost" type="button" onClick={onClose}>
        {t.t('close')}
      </button>
    </div>
  );
}
