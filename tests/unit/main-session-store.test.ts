import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENCRYPTION_UNAVAILABLE, SessionStore, type SafeStorageLike } from '../../src-main/session/session-store.node.js';

const session = { refreshToken: 'refresh-token-secret', user: { id: 'u1', username: 'ayse', displayName: 'Ayşe' } };

/** A stand-in for safeStorage: XOR with a key, so the bytes on disk are not the plaintext. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike & { encrypted: number } {
  const key = 0x5a;
  const fake = {
    encrypted: 0,
    isEncryptionAvailable: () => options.available ?? true,
    encryptString(plain: string) {
      fake.encrypted += 1;
      return Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ key));
    },
    decryptString(encrypted: Buffer) {
      if (encrypted[0] !== ('{'.charCodeAt(0) ^ key)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(encrypted.map((byte) => byte ^ key)).toString('utf8');
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
  return fake;
}

describe('SessionStore (safeStorage injected, real temp files)', () => {
  const folders: string[] = [];
  afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));
  const tempFile = () => {
    const folder = mkdtempSync(join(tmpdir(), 'heartline-session-'));
    folders.push(folder);
    return join(folder, 'session.bin');
  };

  it('stores the session encrypted and loads it back in a new run', () => {
    const file = tempFile();
    const storage = fakeSafeStorage();
    expect(new SessionStore(file, storage, 'linux').save(session)).toEqual({ ok: true, value: null });
    expect(storage.encrypted).toBe(1);
    expect(readFileSync(file).toString('utf8')).not.toContain('refresh-token-secret');
    expect(new SessionStore(file, storage, 'linux').load()).toEqual(session);
  });

  it('refuses to persist (never plaintext) when encryption is unavailable, yet keeps this run signed in', () => {
    const file = tempFile();
    const store = new SessionStore(file, fakeSafeStorage({ available: false }), 'darwin');
    expect(store.save(session)).toEqual({ ok: false, error: ENCRYPTION_UNAVAILABLE });
    expect(existsSync(file)).toBe(false);
    expect(store.load()).toEqual(session);
    expect(new SessionStore(file, fakeSafeStorage({ available: false }), 'darwin').load()).toBeNull();
  });

  it("treats Linux's basic_text backend (a hardcoded key) as no encryption and drops an older file", () => {
    const file = tempFile();
    new SessionStore(file, fakeSafeStorage(), 'linux').save(session);
    expect(existsSync(file)).toBe(true);
    const store = new SessionStore(file, fakeSafeStorage({ backend: 'basic_text' }), 'linux');
    expect(store.save({ ...session, refreshToken: 'newer' })).toEqual({ ok: false, error: ENCRYPTION_UNAVAILABLE });
    expect(existsSync(file)).toBe(false);
    // basic_text only matters on Linux.
    expect(new SessionStore(tempFile(), fakeSafeStorage({ backend: 'basic_text' }), 'win32').save(session).ok).toBe(true);
  });

  it('rejects an invalid session and discards an undecryptable or invalid file', () => {
    const file = tempFile();
    const store = new SessionStore(file, fakeSafeStorage(), 'linux');
    expect(store.save({ refreshToken: '', user: session.user }).ok).toBe(false);
    expect(store.save({ user: session.user }).ok).toBe(false);
    writeFileSync(file, 'garbage');
    expect(new SessionStore(file, fakeSafeStorage(), 'linux').load()).toBeNull();
    expect(existsSync(file)).toBe(false);
    const storage = fakeSafeStorage();
    writeFileSync(file, storage.encryptString(JSON.stringify({ refreshToken: 'x' })));
    expect(new SessionStore(file, storage, 'linux').load()).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('clears the file and the memory', () => {
    const file = tempFile();
    const store = new SessionStore(file, fakeSafeStorage(), 'linux');
    store.save(session);
    store.clear();
    expect(existsSync(file)).toBe(false);
    expect(store.load()).toBeNull();
  });
});
