// The TURN credentials that /api/ice-servers hands out open a real relay: coturn
// (use-auth-secret) on loopback, two RTCPeerConnections in Debian Chromium with
// iceTransportPolicy 'relay' (the "hide my IP" setting). Credentials made with the
// wrong secret are refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IceServer, IceServersResponse } from '../../src-shared/protocol';
import { api, couple, startServer, type TestServer } from './helpers';

const TURNSERVER = '/usr/bin/turnserver';
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(TURNSERVER) && existsSync(CHROMIUM);
if (!available) console.log('skipped: TURN relay test needs coturn (/usr/bin/turnserver) and Debian chromium');

const freeUdpPort = (): Promise<number> =>
  new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });

/** In the page: two relay-only peers exchange a message over a data channel; reports the candidate types used. */
async function relayOnlyExchange(browser: Browser, url: string, iceServers: IceServer[]): Promise<{ ok: boolean; localType?: string; remoteType?: string; error?: string }> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    // Plain JavaScript run in the page (this test's TypeScript has no DOM types).
    return (await page.evaluate(`(async (servers) => {
      const config = { iceServers: servers, iceTransportPolicy: 'relay' };
      const a = new RTCPeerConnection(config);
      const b = new RTCPeerConnection(config);
      a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
      b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
      const channel = a.createDataChannel('hello');
      const received = new Promise((resolve) => {
        b.ondatachannel = (e) => (e.channel.onmessage = (m) => resolve(String(m.data)));
      });
      channel.onopen = () => channel.send('seni seviyorum');
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription);
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000));
      const message = await Promise.race([received, timeout]);
      if (message !== 'seni seviyorum') return { ok: false, error: message + '; ice=' + a.iceConnectionState };
      // The transport names the selected pair; stats can lag the first message a little.
      let stats = [];
      let pair;
      for (let i = 0; i < 30 && !pair; i++) {
        stats = [...(await a.getStats()).values()];
        const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
        pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
        if (!pair) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const local = stats.find((s) => s.id === pair?.localCandidateId);
      const remote = stats.find((s) => s.id === pair?.remoteCandidateId);
      a.close();
      b.close();
      return { ok: true, localType: String(local?.candidateType), remoteType: String(remote?.candidateType) };
    })(${JSON.stringify(iceServers)})`)) as { ok: boolean; localType?: string; remoteType?: string; error?: string };
  } finally {
    await page.close();
  }
}

describe.skipIf(!available)('TURN relay with server-issued credentials', () => {
  let turn: ChildProcess;
  let server: TestServer;
  let browser: Browser;
  let turnPort: number;

  beforeAll(async () => {
    turnPort = await freeUdpPort();
    turn = spawn(
      TURNSERVER,
      [
        '-n',
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.1',
        `--listening-port=${turnPort}`,
        '--use-auth-secret',
        '--static-auth-secret=heartline-turn-secret',
        '--realm=heartline.test',
        '--no-tls',
        '--no-dtls',
        '--no-tcp-relay',
        '--allow-loopback-peers',
        '--no-cli',
        '--min-port=50000',
        '--max-port=50999',
      ],
      { stdio: 'ignore' },
    );
    server = await startServer({ TURN_URLS: `turn:127.0.0.1:${turnPort}?transport=udp`, TURN_SECRET: 'heartline-turn-secret' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  afterAll(async () => {
    await browser?.close();
    turn?.kill('SIGTERM');
    await server?.close();
  });

  it('a relay-only connection succeeds through coturn with the credentials from /api/ice-servers', async () => {
    // TURN credentials go to paired users only.
    const { alice: user } = await couple(server);
    const { body } = await api<IceServersResponse>(server, 'GET', '/api/ice-servers', { token: user.token });
    const result = await relayOnlyExchange(browser, `${server.url}/healthz`, body.iceServers);
    expect(result).toEqual({ ok: true, localType: 'relay', remoteType: 'relay' });
  });

  it('credentials signed with another secret are refused: no connection', async () => {
    const { alice: user } = await couple(server);
    const { body } = await api<IceServersResponse>(server, 'GET', '/api/ice-servers', { token: user.token });
    expect(body.iceServers.some((s) => s.credential)).toBe(true);
    const forged = body.iceServers.map((s) => (s.credential ? { ...s, credential: 'bm90IHRoZSByaWdodCBvbmU=' } : s));
    const result = await relayOnlyExchange(browser, `${server.url}/healthz`, forged);
    expect(result.ok).toBe(false);
  });
});
