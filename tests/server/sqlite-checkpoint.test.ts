// WAL checkpoints happen in the background worker, not inside the server's writes.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitUntil } from './helpers';
import { SqliteStore } from '../../server/store/sqlite-store';

describe('SQLite checkpoints', () => {
  it('writes land in the WAL, and the background checkpointer moves them into the database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heartline-wal-'));
    const path = join(dir, 'h.db');
    const store = new SqliteStore(path, { checkpointIntervalMs: 150 });
    try {
      const before = statSync(path).size;
      for (let i = 0; i < 2000; i++) {
        await store.createUser({ id: `u${i}`, username: `user${i}`, displayName: `User ${i} ${'x'.repeat(40)}`, passwordHash: 'h'.repeat(90), createdAt: i });
      }
      // Our own connection never checkpoints (wal_autocheckpoint = 0), so right after
      // the writes the database file has barely grown; a little later it has.
      const rightAfter = statSync(path).size;
      await new Promise((resolve) => setTimeout(resolve, 600));
      const later = statSync(path).size;
      expect(rightAfter - before).toBeLessThan(later - before);
      expect(later).toBeGreaterThan(before + 100_000);
      expect(await store.findUserByUsername('user1999')).toMatchObject({ id: 'u1999' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a burst of writes does not leave a large WAL behind: once idle, the checkpointer truncates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heartline-wal-'));
    const path = join(dir, 'h.db');
    const store = new SqliteStore(path, { checkpointIntervalMs: 100 });
    try {
      for (let i = 0; i < 3000; i++) {
        await store.createUser({ id: `u${i}`, username: `user${i}`, displayName: `User ${i} ${'x'.repeat(40)}`, passwordHash: 'h'.repeat(90), createdAt: i });
      }
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(500_000);
      await waitUntil(() => statSync(`${path}-wal`).size === 0, 5000, 'the WAL file to be truncated');
      expect(await store.findUserByUsername('user2999')).toMatchObject({ id: 'u2999' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
