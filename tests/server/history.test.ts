// The authoritative call log: keyset paging, missed calls, and who may see what.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, CallsPage } from '../../src-shared/protocol';
import type { CallRecord } from '../../server/store/types';
import { api, couple, register, startServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** Logs finished calls straight into the store, one per minute going back from now. */
async function seedCalls(callerId: string, calleeId: string, count: number, base = Date.now()): Promise<CallRecord[]> {
  const made: CallRecord[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = base - i * 60_000;
    const answered = i % 3 !== 0;
    const call: CallRecord = {
      id: randomUUID(),
      callerId: i % 2 ? callerId : calleeId,
      calleeId: i % 2 ? calleeId : callerId,
      type: i % 4 ? 'voice' : 'video',
      status: answered ? 'ended' : 'missed',
      createdAt,
      answeredAt: answered ? createdAt + 2000 : null,
      endedAt: createdAt + 30_000,
      durationSec: answered ? 28 : 0,
      endReason: answered ? 'hangup' : 'timeout',
      callerDevice: 'seed',
      calleeDevice: answered ? 'seed' : null,
      mediaAt: answered ? createdAt + 3000 : null,
      ringDeadline: null,
      graceDeadline: null,
    };
    made.push(await server.heartline.store.createCall(call));
  }
  return made;
}

describe('GET /api/calls', () => {
  it('pages newest first with a cursor until nextCursor is null, each call exactly once', async () => {
    const { alice, bob } = await couple(server);
    const seeded = await seedCalls(alice.user.id, bob.user.id, 47);
    const seen: Call[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=10&before=${cursor}` : '?limit=10';
      const page: CallsPage = (await api<CallsPage>(server, 'GET', `/api/calls${query}`, { token: alice.token })).body;
      seen.push(...page.calls);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(5);
    expect(seen.map((c) => c.id)).toEqual(seeded.map((c) => c.id));
    const times = seen.map((c) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('keeps order stable for calls made in the same millisecond', async () => {
    const { alice, bob } = await couple(server);
    const at = Date.now();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await seedCalls(alice.user.id, bob.user.id, 1, at))[0]?.id ?? '');
    const first = await api<CallsPage>(server, 'GET', '/api/calls?limit=2', { token: bob.token });
    const rest = await api<CallsPage>(server, 'GET', `/api/calls?limit=10&before=${first.body.nextCursor}`, { token: bob.token });
    const all = [...first.body.calls, ...rest.body.calls].map((c) => c.id);
    expect(new Set(all)).toEqual(ids);
    expect(all).toHaveLength(5);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('defaults to 20 a page and refuses limits outside 1..100 and foreign cursors with 400', async () => {
    const { alice, bob } = await couple(server);
    await seedCalls(alice.user.id, bob.user.id, 25);
    const page = await api<CallsPage>(server, 'GET', '/api/calls', { token: alice.token });
    expect(page.body.calls).toHaveLength(20);
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?before=', '?before=bm9wZQ', '?before=%00%00']) {
      const reply = await api(server, 'GET', `/api/calls${query}`, { token: alice.token });
      expect(reply.status, query).toBe(400);
      expect(reply.body, query).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    }
  });

  it("shows only your own calls: a stranger's history is empty", async () => {
    const { alice, bob } = await couple(server);
    await seedCalls(alice.user.id, bob.user.id, 3);
    const stranger = await register(server, 'Mallory');
    const page = await api<CallsPage>(server, 'GET', '/api/calls', { token: stranger.token });
    expect(page.body).toEqual({ calls: [], nextCursor: null });
    expect((await api(server, 'GET', '/api/calls')).status).toBe(401);
  });
});

describe('GET /api/calls/missed', () => {
  it('lists the calls I missed, optionally since a time', async () => {
    const { alice, bob } = await couple(server);
    const seeded = await seedCalls(alice.user.id, bob.user.id, 12);
    const missedByBob = seeded.filter((c) => c.status === 'missed' && c.calleeId === bob.user.id);
    const all = await api<{ calls: Call[] }>(server, 'GET', '/api/calls/missed', { token: bob.token });
    expect(all.body.calls.map((c) => c.id)).toEqual(missedByBob.map((c) => c.id));

    const cut = missedByBob[0]?.createdAt ?? 0;
    const since = new Date(cut - 1).toISOString();
    const recent = await api<{ calls: Call[] }>(server, 'GET', `/api/calls/missed?since=${encodeURIComponent(since)}`, { token: bob.token });
    expect(recent.body.calls.map((c) => c.id)).toEqual([missedByBob[0]?.id]);
    expect((await api(server, 'GET', '/api/calls/missed?since=yesterday', { token: bob.token })).status).toBe(400);
  });
});

describe('GET /api/ice-servers', () => {
  it('returns STUN and short-lived TURN credentials when configured (to a paired user)', async () => {
    const turnServer = await startServer({ STUN_URLS: 'stun:127.0.0.1:3478', TURN_URLS: 'turn:127.0.0.1:3478?transport=udp', TURN_SECRET: 's3cret' });
    try {
      const { alice: user } = await couple(turnServer);
      const reply = await api<{ iceServers: { urls: string[]; username?: string; credential?: string }[] }>(turnServer, 'GET', '/api/ice-servers', { token: user.token });
      expect(reply.body.iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
      const turn = reply.body.iceServers[1];
      expect(turn?.urls).toEqual(['turn:127.0.0.1:3478?transport=udp']);
      const [expiry, userId] = (turn?.username ?? '').split(':');
      expect(userId).toBe(user.user.id);
      expect(Number(expiry) * 1000).toBeGreaterThan(Date.now());
      expect(turn?.credential).toMatch(/^[A-Za-z0-9+/]+=*$/);
    } finally {
      await turnServer.close();
    }
  });

  it('returns no servers when STUN_URLS is empty and TURN is not configured', async () => {
    const user = await register(server, 'NoIce');
    const reply = await api(server, 'GET', '/api/ice-servers', { token: user.token });
    expect(reply.body).toEqual({ iceServers: [], reconnectDeadlineMs: 30_000 });
  });
});
