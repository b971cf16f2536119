// Helpers for the start/dev scripts. Node built-ins only: these run before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Installs dependencies from the lockfile when this clone has none yet. */
export function ensureDependencies() {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('[heartline] first run: installing dependencies (npm ci)');
  const result = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The Electron executable, or null where its binary was not (or could not be) downloaded. */
export function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Runs a long-lived child; when any child exits, the others are stopped too. */
export function runTogether(commands) {
  const children = commands.map(({ name, command, args, env }) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => {
      console.log(`[heartline] ${name} exited (${code ?? 'signal'})`);
      for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
      process.exitCode = code ?? 0;
    });
    return child;
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM')));
  }
}

export const tsxBin = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
export const electronViteBin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
