// Small pure pieces of the server: invite codes, cursors, passwords, config.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/auth/passwords';
import { DEFAULT_STUN, loadConfig } from '../../server/config';
import { decodeCursor, encodeCursor } from '../../server/routes/api/calls/cursor';
import { formatInviteCode, newInviteCode, normalizeInviteCode } from '../../server/routes/api/pairing/invite-code';

describe('invite codes', () => {
  it('are 8 unambiguous characters shown as XXXX-XXXX and accepted however typed', () => {
    const codes = new Set(Array.from({ length: 200 }, newInviteCode));
    expect(codes.size).toBe(200);
    for (const code of codes) {
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
      expect(normalizeInviteCode(formatInviteCode(code).toLowerCase())).toBe(code);
      expect(normalizeInviteCode(` ${code.slice(0, 4)} ${code.slice(4)} `)).toBe(code);
    }
    expect(normalizeInviteCode('ABCD-EFG')).toBeNull();
    expect(normalizeInviteCode('ABCD-EFG0')).toBeNull();
  });
});

describe('history cursors', () => {
  it('round-trip, and anything else is refused', () => {
    const cursor = { createdAt: 1_795_000_000_123, id: '3f1c2a9e-0000-4000-8000-000000000000' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const junk of ['', 'bm9wZQ', Buffer.from('abc.def').toString('base64url'), Buffer.from('12.').toString('base64url')]) expect(decodeCursor(junk)).toBeNull();
  });
});

describe('passwords', () => {
  it('are stored as salted scrypt hashes and verify only with the right password', async () => {
    const hash = await hashPassword('seni seviyorum');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(hash).not.toContain('seviyorum');
    expect(await hashPassword('seni seviyorum')).not.toBe(hash);
    expect(await verifyPassword('seni seviyorum', hash)).toBe(true);
    expect(await verifyPassword('seni sevmiyorum', hash)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });
});

describe('configuration', () => {
  it('has the documented defaults and keeps a generated JWT secret beside the database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heartline-config-'));
    try {
      const config = loadConfig({ DATABASE_PATH: join(dir, 'db', 'h.db') });
      expect(config).toMatchObject({ port: 5000, ringTimeoutMs: 45_000, stunUrls: [DEFAULT_STUN], corsOrigins: ['app://heartline'] });
      const kept = readFileSync(join(dir, 'db', 'jwt-secret'), 'utf8').trim();
      expect(config.jwtSecret).toBe(kept);
      expect(loadConfig({ DATABASE_PATH: join(dir, 'db', 'h.db') }).jwtSecret).toBe(kept);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('honours the environment and refuses nonsense', () => {
    const config = loadConfig({ DATABASE_PATH: '/tmp/x.db', JWT_SECRET: 's', PORT: '6000', STUN_URLS: '', CORS_ORIGINS: 'https://a.example, https://b.example', RING_TIMEOUT_MS: '1000' });
    expect(config).toMatchObject({ port: 6000, jwtSecret: 's', stunUrls: [], corsOrigins: ['app://heartline', 'https://a.example', 'https://b.example'], ringTimeoutMs: 1000 });
    expect(() => loadConfig({ JWT_SECRET: 's', PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_SECRET: 's', RING_TIMEOUT_MS: '0' })).toThrow(/RING_TIMEOUT_MS/);
  });

  it('TRUST_PROXY takes a hop count or proxy addresses, never "true" (a client would choose its own address)', () => {
    const trust = (value: string) => loadConfig({ JWT_SECRET: 's', TRUST_PROXY: value }).trustProxy;
    expect(trust('')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.5, 10.1.0.0/16, ::1')).toEqual(['10.0.0.5', '10.1.0.0/16', '::1']);
    expect(() => trust('true')).toThrow(/TRUST_PROXY/);
    expect(() => trust('proxy.example')).toThrow(/TRUST_PROXY/);
  });

  it('caps TURN credentials at one hour', () => {
    expect(loadConfig({ JWT_SECRET: 's' }).turnCredentialTtlSec).toBe(3600);
    expect(() => loadConfig({ JWT_SECRET: 's', TURN_CREDENTIAL_TTL_SEC: String(12 * 3600) })).toThrow(/TURN_CREDENTIAL_TTL_SEC/);
  });
});
