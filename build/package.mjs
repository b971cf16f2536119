// `npm run package [-- <electron-builder args>]`: build the app, make sure the Electron
// build of better-sqlite3 exists (npm run rebuild:electron), then run electron-builder
// with build/electron-builder.yml for this OS's targets (AppImage + deb on Linux, NSIS
// on Windows, dmg on macOS). node_modules/better-sqlite3 is never rebuilt in place.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (label, args) => {
  console.log(`[package] ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[package] ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
};

run('generating icons and ringtone', [join(root, 'build', 'generate-assets.mjs')]);
run('building main, preload and renderer', [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
if (!existsSync(join(root, 'dist', 'electron-native', 'better_sqlite3.node'))) {
  run('compiling better-sqlite3 for Electron', [join(root, 'build', 'rebuild-electron.mjs')]);
}
run('packaging with electron-builder', [
  join(root, 'node_modules', 'electron-builder', 'cli.js'),
  '--config',
  join('build', 'electron-builder.yml'),
  '--publish',
  'never',
  ...process.argv.slice(2),
]);
