// The signed-in session (refresh token + user), encrypted with Electron's safeStorage.
// When the OS offers no real encryption (no keyring on Linux: the 'basic_text'
// backend, whose key is a constant), it refuses to persist instead of writing
// plaintext: the user signs in again on the next start.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { StoredSessionSchema, type IpcResult, type StoredSession } from '../../src-shared/ipc';
import { describeIssues } from '../../src-shared/protocol';
import { writeFileAtomic } from '../atomic-write.node.js';

/** The part of Electron's safeStorage this store uses (injected, so tests run under Node). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

export const ENCRYPTION_UNAVAILABLE = 'ENCRYPTION_UNAVAILABLE';

export function encryptionUsable(safeStorage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  // NOTE: https://www.electronjs.org/docs/latest/api/safe-storage — on Linux without a
  // secret store, 'basic_text' encrypts with a hardcoded password: that is plaintext.
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return false;
  return true;
}

export class SessionStore {
  /** The session of this run (also when it could not be persisted: this run stays signed in). */
  private memory: StoredSession | null = null;

  constructor(
    private readonly file: string,
    private readonly safeStorage: SafeStorageLike,
    private readonly platform: NodeJS.Platform = process.platform,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  load(): StoredSession | null {
    if (this.memory) return this.memory;
    if (!existsSync(this.file)) return null;
    if (!encryptionUsable(this.safeStorage, this.platform)) return null;
    try {
      const json = this.safeStorage.decryptString(readFileSync(this.file));
      const parsed = StoredSessionSchema.safeParse(JSON.parse(json));
      if (parsed.success) {
        this.memory = parsed.data;
        return parsed.data;
      }
      this.log(`session file is invalid (${describeIssues(parsed.error)}); discarding it`);
    } catch (error) {
      this.log(`session file cannot be decrypted (${(error as Error).message}); discarding it`);
    }
    rmSync(this.file, { force: true });
    return null;
  }

  save(session: unknown): IpcResult<null> {
    const parsed = StoredSessionSchema.safeParse(session);
    if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
    this.memory = parsed.data;
    if (!encryptionUsable(this.safeStorage, this.platform)) {
      // Never plaintext: drop any older file so a stale token does not outlive this one.
      rmSync(this.file, { force: true });
      return { ok: false, error: ENCRYPTION_UNAVAILABLE };
    }
    writeFileAtomic(this.file, this.safeStorage.encryptString(JSON.stringify(parsed.data)));
    return { ok: true, value: null };
  }

  clear(): void {
    this.memory = null;
    rmSync(this.file, { force: true });
  }
}
