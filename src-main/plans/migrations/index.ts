// The plan cache's migrations, embedded in the main bundle (Vite `?raw`). A track of
// its own (its own file, plans.sqlite), so it never collides with the history cache's.
import plans001 from './001_plans.sql?raw';
import type { Migration } from '../../cache/migrate.node.js';

export const PLAN_CACHE_MIGRATIONS: readonly Migration[] = [{ version: 1, name: '001_plans.sql', sql: plans001 }];
