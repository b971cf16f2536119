// Local media: the microphone with echo cancellation, noise suppression and auto
// gain; a camera at laptop-sensible 720p/30; the remembered device when it is
// still there, the best match when it is not.
import type { CallType } from '../../src-shared/protocol';

export interface DeviceChoice {
  microphoneId: string | null;
  cameraId: string | null;
}

const audioConstraints = (deviceId: string | null): MediaTrackConstraints => ({
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
});

const videoConstraints = (deviceId: string | null): MediaTrackConstraints => ({
  width: { ideal: 1280, max: 1920 },
  height: { ideal: 720, max: 1080 },
  frameRate: { ideal: 30, max: 30 },
  facingMode: 'user',
  ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
});

async function getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser cannot use a camera or microphone here (is the page served over https?)');
  return navigator.mediaDevices.getUserMedia(constraints);
}

/** Opens what a call of this type sends; a remembered device that is gone falls back to the default one. */
export async function openMedia(media: CallType, choice: DeviceChoice): Promise<MediaStream> {
  const wanted = (exact: boolean): MediaStreamConstraints => ({
    audio: audioConstraints(exact ? choice.microphoneId : null),
    video: media === 'video' ? videoConstraints(exact ? choice.cameraId : null) : false,
  });
  try {
    return await getUserMedia(wanted(true));
  } catch (error) {
    if ((error as Error).name === 'OverconstrainedError' || (error as Error).name === 'NotFoundError') {
      return getUserMedia(wanted(false));
    }
    throw error;
  }
}

/** One fresh track (camera back on, another microphone). */
export async function openTrack(kind: 'audio' | 'video', deviceId: string | null): Promise<MediaStreamTrack> {
  const build = (id: string | null): MediaStreamConstraints =>
    kind === 'audio' ? { audio: audioConstraints(id), video: false } : { audio: false, video: videoConstraints(id) };
  let stream: MediaStream;
  try {
    stream = await getUserMedia(build(deviceId));
  } catch (error) {
    if (!deviceId) throw error;
    stream = await getUserMedia(build(null));
  }
  const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  if (!track) throw new Error(`no ${kind} track`);
  return track;
}

export async function openScreen(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('no screen track');
  track.contentHint = 'detail';
  return track;
}

export interface MediaDevicesList {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

export async function listDevices(): Promise<MediaDevicesList> {
  const all = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  return {
    microphones: all.filter((d) => d.kind === 'audioinput'),
    cameras: all.filter((d) => d.kind === 'videoinput'),
    speakers: all.filter((d) => d.kind === 'audiooutput'),
  };
}

export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}

export function describeMediaError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return [e.name, e.message].filter(Boolean).join(': ') || String(error);
}
