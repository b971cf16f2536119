// Numbered migrations, each in its own transaction; PRAGMA user_version records how far
// a database has come. The same idea as server/store/sqlite-migrations.ts, kept separate
// so main carries no server code.
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Applies every migration newer than the database (up to `target`); returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[], target = Number.POSITIVE_INFINITY): number[] {
  const versions = migrations.map((migration) => migration.version);
  versions.forEach((version, index) => {
    if (version !== index + 1) throw new Error(`migrations must be numbered 1..n in order; found ${version} at position ${index + 1}`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`the cache database is at version ${current}, newer than this app knows (${migrations.length})`);
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}

/** The migrations of a folder (NNN_name.sql), for tools and tests that run outside Vite. */
export function readMigrations(folder: string): Migration[] {
  return readdirSync(folder)
    .filter((file) => /^\d{3}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), name: file, sql: readFileSync(join(folder, file), 'utf8') }));
}
