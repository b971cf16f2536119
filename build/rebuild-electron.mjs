// `npm run rebuild:electron`: compiles better-sqlite3 for Electron's ABI into
// dist/electron-native/better_sqlite3.node, leaving node_modules/better-sqlite3 (the
// Node build that `npm test` loads) untouched. Main passes this file to better-sqlite3
// as `nativeBinding`; electron-builder ships it as resources/native/better_sqlite3.node.
//
// It works on a copy of the package in a staging folder, so a failed or partial
// rebuild can never break the Node build. Needs Electron's headers (downloaded by
// node-gyp from electronjs.org on first use) and a C++ toolchain.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'electron-native');
const stage = join(outDir, 'stage');
const target = join(outDir, 'better_sqlite3.node');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const electronVersion = process.env.HEARTLINE_ELECTRON_VERSION ?? readJson(join(root, 'node_modules', 'electron', 'package.json')).version;
const sqlitePackage = join(root, 'node_modules', 'better-sqlite3');
const sqliteVersion = readJson(join(sqlitePackage, 'package.json')).version;
const arch = process.env.npm_config_arch ?? process.arch;

console.log(`[rebuild:electron] better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${arch})`);

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'node_modules'), { recursive: true });
cpSync(sqlitePackage, join(stage, 'node_modules', 'better-sqlite3'), {
  recursive: true,
  // Start from the sources: the Node build's objects must not leak into this one.
  filter: (source) => !source.startsWith(join(sqlitePackage, 'build')),
});
writeFileSync(join(stage, 'package.json'), JSON.stringify({ name: 'heartline-electron-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }, null, 2));

let rebuild;
try {
  ({ rebuild } = await import('@electron/rebuild'));
} catch {
  console.error('[rebuild:electron] @electron/rebuild is not installed (npm install).');
  process.exit(1);
}

try {
  await rebuild({
    buildPath: stage,
    electronVersion,
    arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    // Build from source: no prebuilt download from GitHub, the same path everywhere.
    buildFromSource: true,
    mode: 'sequential',
  });
} catch (error) {
  console.error(`[rebuild:electron] failed: ${error instanceof Error ? error.message : error}`);
  console.error('[rebuild:electron] node_modules/better-sqlite3 (the Node build) was not touched.');
  rmSync(stage, { recursive: true, force: true });
  process.exit(1);
}

const built = join(stage, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(built)) {
  console.error(`[rebuild:electron] the build produced no ${built}`);
  process.exit(1);
}
copyFileSync(built, target);
writeFileSync(join(outDir, 'build-info.json'), JSON.stringify({ electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch, builtAt: new Date().toISOString() }, null, 2));
rmSync(stage, { recursive: true, force: true });
console.log(`[rebuild:electron] wrote ${target}`);
