// One stream holding the whole call: both voices mixed with Web Audio (MediaRecorder
// records only the first audio track) and, for video calls, both pictures side by
// side on a canvas captured with captureStream.

export interface CallMix {
  stream: MediaStream;
  close(): void;
}

// Small and slow on purpose. MediaRecorder writes nothing until the video encoder has
// delivered, and drops the audio it still holds when it stops: on a busy machine a
// 1280×480, 30 fps picture starved the VP8 encoder and cost seconds of both voices
// (or the whole file). 640×240 at 15 fps is an eighth of the work and keeps up.
const WIDTH = 640;
const HEIGHT = 240;
const FPS = 15;

/** Plays a stream muted in a detached element: Chromium only feeds a remote WebRTC stream to Web Audio while a media element plays it. */
function mutedPlayer<T extends HTMLMediaElement>(element: T, stream: MediaStream): T {
  element.muted = true;
  element.srcObject = stream;
  void element.play().catch(() => undefined);
  return element;
}

function mixAudio(streams: MediaStream[]): { track: MediaStreamTrack; close(): void } {
  const context = new AudioContext();
  const destination = context.createMediaStreamDestination();
  const players: HTMLAudioElement[] = [];
  for (const stream of streams) {
    if (!stream.getAudioTracks().length) continue;
    players.push(mutedPlayer(document.createElement('audio'), stream));
    context.createMediaStreamSource(stream).connect(destination);
  }
  void context.resume().catch(() => undefined);
  const [track] = destination.stream.getAudioTracks();
  if (!track) throw new Error('no mixed audio track');
  return {
    track,
    close() {
      for (const player of players) player.srcObject = null;
      void context.close().catch(() => undefined);
    },
  };
}

/** Draws each picture into its half of the canvas, keeping its aspect ratio; a timer, so it keeps drawing while the window is behind others. */
function composeVideo(streams: MediaStream[]): { track: MediaStreamTrack; close(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  // Drawn in main memory: the encoder reads the pixels there, without a round trip through the GPU process.
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2d canvas');
  const videos = streams.map((stream) => mutedPlayer(document.createElement('video'), stream));
  const half = WIDTH / videos.length;
  const draw = (): void => {
    context.fillStyle = '#111';
    context.fillRect(0, 0, WIDTH, HEIGHT);
    videos.forEach((video, index) => {
      if (video.videoWidth === 0 || video.videoHeight === 0) return;
      const scale = Math.min(half / video.videoWidth, HEIGHT / video.videoHeight);
      const w = video.videoWidth * scale;
      const h = video.videoHeight * scale;
      context.drawImage(video, index * half + (half - w) / 2, (HEIGHT - h) / 2, w, h);
    });
  };
  draw();
  const timer = window.setInterval(draw, 1000 / FPS);
  const [track] = canvas.captureStream(FPS).getVideoTracks();
  if (!track) throw new Error('no canvas video track');
  return {
    track,
    close() {
      window.clearInterval(timer);
      track.stop();
      for (const video of videos) video.srcObject = null;
    },
  };
}

export function mixCall(local: MediaStream, remote: MediaStream, withVideo: boolean): CallMix {
  const audio = mixAudio([local, remote]);
  const video = withVideo ? composeVideo([remote, local]) : null;
  const stream = new MediaStream(video ? [video.track, audio.track] : [audio.track]);
  return {
    stream,
    close() {
      video?.close();
      audio.close();
      audio.track.stop();
    },
  };
}
