// Runs inside the app's page (a string, evaluated by Playwright): when this side first
// received remote media after `since`. Video: the app's own remote <video> presents
// a frame (requestVideoFrameCallback) or its decoder counts one (getStats
// framesDecoded). Audio: the receiving track has decoded samples (getStats
// totalSamplesReceived). Reads the RTCPeerConnections the app made (tracked by the
// E2E helpers' init script), never the app's code.
export interface FirstMedia {
  /** Wall-clock ms (Date.now() in the page; one clock on this machine), or null when it never came. */
  frameAt: number | null;
  audioAt: number | null;
}

export const firstMediaProbe = (wantVideo: boolean, timeoutMs: number): string => `new Promise((resolve) => {
  const result = { frameAt: null, audioAt: null };
  const wantVideo = ${JSON.stringify(wantVideo)};
  const deadline = Date.now() + ${Number(timeoutMs)};
  let watching = null;
  const done = () => (result.audioAt !== null && (!wantVideo || result.frameAt !== null)) || Date.now() > deadline;
  const look = async () => {
    const video = document.querySelector('[data-testid="remote-video"]');
    if (wantVideo && video && video !== watching && typeof video.requestVideoFrameCallback === 'function') {
      watching = video;
      video.requestVideoFrameCallback(() => { if (result.frameAt === null) result.frameAt = Date.now(); });
    }
    const pcs = window.__heartlinePcs || [];
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    if (pc) {
      const report = await pc.getStats();
      const now = Date.now();
      report.forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video' && (s.framesDecoded || 0) > 0 && result.frameAt === null) result.frameAt = now;
        if (s.kind === 'audio' && (s.totalSamplesReceived || 0) > 0 && result.audioAt === null) result.audioAt = now;
      });
    }
    if (done()) resolve(result); else setTimeout(look, 5);
  };
  look();
})`;
