// The cache's migrations, embedded in the main bundle (Vite `?raw`) so nothing has to
// be read from disk next to the app. Add a file, then add it here, in order.
import calls001 from './001_calls.sql?raw';
import missedSeen002 from './002_missed_seen.sql?raw';
import type { Migration } from '../migrate.node.js';

export const CACHE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '001_calls.sql', sql: calls001 },
  { version: 2, name: '002_missed_seen.sql', sql: missedSeen002 },
];
