// The one migration runner: the server's SQLite and PostgreSQL stores and the desktop
// caches all apply numbered SQL files (NNN_name.sql) through it. It decides which
// migrations run and refuses what it cannot make sense of; a ledger (how one kind of
// database records its applied versions) carries it out.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** A set of migrations or a database this build must not touch; the message says why and what to do. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const FILE_NAME = /^(\d{3})_[\w-]+\.sql$/;

/** The migrations among a folder's files, in order (other files are not migrations). */
export function migrationsFromFiles(files: readonly { name: string; sql: string }[]): Migration[] {
  return files
    .filter((file) => FILE_NAME.test(file.name))
    .map((file) => ({ version: Number(file.name.slice(0, 3)), name: file.name, sql: file.sql }))
    .sort((a, b) => a.version - b.version);
}

const pad = (version: number): string => String(version).padStart(3, '0');

/**
 * The migrations still to apply, in order, to a database that has applied `applied`.
 * Refuses a set not numbered 1..n (a gap or a twice-used number), and a database that
 * has versions this build does not know (made by a newer build) or skipped one.
 */
export function pendingMigrations(known: readonly Migration[], applied: readonly number[], target = Number.POSITIVE_INFINITY): Migration[] {
  known.forEach((migration, index) => {
    const expected = index + 1;
    if (migration.version === expected) return;
    if (migration.version < expected) throw new MigrationError(`migration ${pad(migration.version)} is numbered twice (${migration.name}); each number is used once`);
    throw new MigrationError(`migration ${pad(expected)} is missing before ${migration.name}: migrations are numbered 1..n without gaps`);
  });
  const newest = known.length;
  const unknown = applied.filter((version) => version > newest);
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migration ${pad(Math.max(...unknown))} applied, newer than this build knows (up to ${pad(newest)}): run a newer build, or restore a backup`,
    );
  }
  const done = new Set(applied);
  const highest = applied.length > 0 ? Math.max(...applied) : 0;
  const skipped = known.find((migration) => migration.version < highest && !done.has(migration.version));
  if (skipped) throw new MigrationError(`the database skipped migration ${skipped.name} but has later ones applied: it cannot be brought up to date in order`);
  return known.filter((migration) => !done.has(migration.version) && migration.version <= target);
}

/** How a database records which migrations it has applied, and applies one (with its record) atomically. */
export interface MigrationLedger {
  applied(): number[];
  apply(migration: Migration): void;
}

/** Applies what `pendingMigrations` returns, each in one step of the ledger; returns the versions applied. */
export function runMigrations(ledger: MigrationLedger, known: readonly Migration[], target?: number): number[] {
  return pendingMigrations(known, ledger.applied(), target).map((migration) => {
    ledger.apply(migration);
    return migration.version;
  });
}

/** The part of a better-sqlite3 database the SQLite ledger uses (so this module imports no driver). */
export interface SqliteLike {
  pragma(source: string, options: { simple: true }): unknown;
  pragma(source: string): unknown;
  exec(source: string): unknown;
  transaction(fn: () => void): () => unknown;
}

/** SQLite records how far it has come in PRAGMA user_version: versions 1..user_version are applied. */
export function userVersionLedger(db: SqliteLike): MigrationLedger {
  return {
    applied: () => {
      const current = Number(db.pragma('user_version', { simple: true }));
      return Array.from({ length: current }, (_, i) => i + 1);
    },
    apply: (migration) =>
      db.transaction(() => {
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      })(),
  };
}
