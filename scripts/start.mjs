// `npm start`: the server on its embedded SQLite default, serving the web client,
// plus the desktop app wherever an Electron binary exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary, electronViteBin, ensureDependencies, root, runTogether } from './lib.mjs';

ensureDependencies();
if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  console.log('[heartline] building the app (electron-vite build)');
  const build = spawnSync(process.execPath, [electronViteBin, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT ?? '5000';
const commands = [{ name: 'server', command: process.execPath, args: ['--import', 'tsx', 'server/server.ts'] }];
const electron = electronBinary();
if (electron) {
  commands.push({ name: 'desktop app', command: electron, args: ['.'], env: { HEARTLINE_SERVER_URL: `http://localhost:${port}` } });
} else {
  console.log(`[heartline] no Electron binary here: the desktop app is not started. Open http://localhost:${port} in a browser.`);
}
runTogether(commands);
