import { describe, expect, it } from 'vitest';
import { LocalMedia, type MediaOpeners } from '../../../src-renderer/call/local-media';
import { asStream, asTrack, FakePeer, FakeStream, FakeTrack } from './fakes';

function setup(options: { inCall?: boolean; screenError?: Error } = {}) {
  const peer = new FakePeer();
  const opened: Array<{ kind: string; deviceId: string | null }> = [];
  const problems: unknown[] = [];
  let changes = 0;
  let announced = 0;
  const openers: MediaOpeners = {
    openMedia: async (media) => asStream(new FakeStream(media === 'video' ? [new FakeTrack('audio'), new FakeTrack('video')] : [new FakeTrack('audio')])),
    openTrack: async (kind, deviceId) => {
      opened.push({ kind, deviceId });
      return asTrack(new FakeTrack(kind, deviceId ?? 'default'));
    },
    openScreen: async () => {
      if (options.screenError) throw options.screenError;
      return asTrack(new FakeTrack('video', 'screen'));
    },
  };
  const media = new LocalMedia({
    peer: () => peer,
    deviceChoice: () => ({ microphoneId: 'mic-2', cameraId: 'cam-2' }),
    inCall: () => options.inCall ?? true,
    changed: () => (changes += 1),
    announce: () => (announced += 1),
    problem: (error) => problems.push(error),
    openers,
  });
  return { media, peer, opened, problems, changes: () => changes, announced: () => announced };
}

describe('local media', () => {
  it('adopts a video stream with the camera on and tells what it sends', async () => {
    const { media } = setup();
    media.adopt(await media.open('video'));
    expect(media.snapshot()).toMatchObject({ micOn: true, cameraOn: true, screenSharing: false });
    expect(media.state()).toEqual({ t: 'media', audio: true, video: true, screen: false });
  });

  it('mute sends nothing at all and unmute sends the microphone again', async () => {
    const { media, peer, announced } = setup();
    const stream = new FakeStream([new FakeTrack('audio')]);
    media.adopt(asStream(stream));
    await media.toggleMic();
    expect(peer.sent.audio).toBeNull();
    expect(stream.getAudioTracks()[0]?.enabled).toBe(false);
    expect(media.state().audio).toBe(false);
    await media.toggleMic();
    expect(peer.sent.audio).toBe(stream.getAudioTracks()[0]);
    expect(announced()).toBe(2);
  });

  it('camera off stops and removes the video track; camera on opens the chosen camera', async () => {
    const { media, peer, opened } = setup();
    const video = new FakeTrack('video');
    const stream = new FakeStream([new FakeTrack('audio'), video]);
    media.adopt(asStream(stream));
    await media.toggleCamera();
    expect(video.stopped).toBe(true);
    expect(stream.getVideoTracks()).toHaveLength(0);
    expect(peer.sent.video).toBeNull();
    await media.toggleCamera();
    expect(opened).toEqual([{ kind: 'video', deviceId: 'cam-2' }]);
    expect(media.snapshot().cameraOn).toBe(true);
    expect(peer.sent.video).toBe(stream.getVideoTracks()[0]);
  });

  it('a screen share replaces the camera on the wire and the camera comes back when it ends', async () => {
    const { media, peer } = setup();
    const camera = new FakeTrack('video');
    media.adopt(asStream(new FakeStream([new FakeTrack('audio'), camera])));
    await media.toggleScreenShare();
    const screen = peer.sent.video as unknown as FakeTrack;
    expect(screen.label).toBe('screen');
    expect(media.state()).toMatchObject({ video: true, screen: true });
    screen.end(); // the browser's own "stop sharing" button
    await Promise.resolve();
    expect(peer.sent.video).toBe(asTrack(camera));
    expect(media.snapshot().screenSharing).toBe(false);
  });

  it('a refused screen picker is not a problem; another failure is', async () => {
    const refused = Object.assign(new Error('denied'), { name: 'NotAllowedError' });
    const first = setup({ screenError: refused });
    first.media.adopt(asStream(new FakeStream([new FakeTrack('audio')])));
    await first.media.toggleScreenShare();
    expect(first.problems).toEqual([]);
    const second = setup({ screenError: new Error('no capturer') });
    second.media.adopt(asStream(new FakeStream([new FakeTrack('audio')])));
    await second.media.toggleScreenShare();
    expect(second.problems).toHaveLength(1);
  });

  it('audio only turns off both the screen share and the camera', async () => {
    const { media, peer } = setup();
    media.adopt(asStream(new FakeStream([new FakeTrack('audio'), new FakeTrack('video')])));
    await media.toggleScreenShare();
    await media.audioOnly();
    expect(peer.sent.video).toBeNull();
    expect(media.state()).toEqual({ t: 'media', audio: true, video: false, screen: false });
  });

  it('an unplugged microphone is replaced by the default one, still muted if it was', async () => {
    const { media, peer, opened } = setup();
    const mic = new FakeTrack('audio');
    const stream = new FakeStream([mic]);
    media.adopt(asStream(stream));
    await media.toggleMic();
    mic.end();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(opened).toEqual([{ kind: 'audio', deviceId: null }]);
    expect(stream.getAudioTracks()).toHaveLength(1);
    expect(stream.getAudioTracks()[0]?.enabled).toBe(false);
    expect(peer.sent.audio).toBeNull();
  });

  it('outside a call a lost device is not replaced', async () => {
    const { media, opened } = setup({ inCall: false });
    const mic = new FakeTrack('audio');
    media.adopt(asStream(new FakeStream([mic])));
    mic.end();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(opened).toEqual([]);
  });

  it('reuses a ringing preview for a voice answer without its video, and not for a video answer it cannot serve', () => {
    const { media } = setup();
    const video = new FakeTrack('video');
    media.adopt(asStream(new FakeStream([new FakeTrack('audio'), video])));
    expect(media.reuseFor('voice')).toBe(true);
    expect(video.stopped).toBe(true);
    expect(media.reuseFor('video')).toBe(false);
    expect(media.current).toBeNull();
  });

  it('a fresh connection gets the current mute and camera state', async () => {
    const { media } = setup();
    const camera = new FakeTrack('video');
    media.adopt(asStream(new FakeStream([new FakeTrack('audio'), camera])));
    await media.toggleMic();
    const fresh = new FakePeer();
    fresh.sent.audio = asTrack(new FakeTrack('audio'));
    await media.applyTo(fresh);
    expect(fresh.sent.audio).toBeNull();
    expect(fresh.sent.video).toBe(asTrack(camera));
  });

  it('release stops every track', async () => {
    const { media } = setup();
    const tracks = [new FakeTrack('audio'), new FakeTrack('video')];
    media.adopt(asStream(new FakeStream(tracks)));
    await media.toggleScreenShare();
    media.release();
    expect(tracks.every((t) => t.stopped)).toBe(true);
    expect(media.snapshot()).toEqual({ localStream: null, micOn: true, cameraOn: false, screenSharing: false });
  });
});
