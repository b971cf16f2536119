// The desktop caches' side of the one migration runner (src-shared/migrations.ts):
// PRAGMA user_version records how far a cache database has come. Main carries no
// server code, so reading a folder (for tools and tests outside Vite) is here too.
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFromFiles, runMigrations, userVersionLedger, type Migration } from '../../src-shared/migrations.js';

export type { Migration } from '../../src-shared/migrations.js';

/** Applies every migration newer than the database (up to `target`); returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[], target?: number): number[] {
  return runMigrations(userVersionLedger(db), migrations, target);
}

/** The migrations of a folder (NNN_name.sql), for tools and tests that run outside Vite. */
export function readMigrations(folder: string): Migration[] {
  return migrationsFromFiles(readdirSync(folder).map((name) => ({ name, sql: name.endsWith('.sql') ? readFileSync(join(folder, name), 'utf8') : '' })));
}
