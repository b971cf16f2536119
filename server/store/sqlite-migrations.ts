// The server's migration files, read from disk, and the SQLite side of the one runner
// (src-shared/migrations.ts): PRAGMA user_version records how far a database has come.
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFromFiles, runMigrations, userVersionLedger, type Migration } from '../../src-shared/migrations';

export type { Migration } from '../../src-shared/migrations';

export function readMigrations(folder: string): Migration[] {
  return migrationsFromFiles(readdirSync(folder).map((name) => ({ name, sql: name.endsWith('.sql') ? readFileSync(join(folder, name), 'utf8') : '' })));
}

/** Applies every migration newer than the database; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  return runMigrations(userVersionLedger(db), migrations);
}
