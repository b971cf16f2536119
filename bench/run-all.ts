// `npm run bench`: every benchmark of issue 5 at its full size, one after another
// (each in its own process), then all the tables together.
//
//   npm run bench                       # full: 2,000 couples, 20 calls per configuration, 1,000,000 calls
//   npm run bench -- --quick            # the small defaults of each bench
//   npm run bench -- --couples 10000    # passed to the signaling bench (mind `ulimit -n`)
//   npm run bench -- --only history,signaling   --out results.md
import { execSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { flagArg, parseArgs } from './lib/common';
import { BENCH_DIR } from './lib/procs';

interface Bench {
  name: string;
  file: string;
  args: string[];
}

function run(bench: Bench): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve) => {
    console.log(`\n=== ${bench.name}: ${['tsx', `bench/${bench.file}`, ...bench.args].join(' ')}`);
    const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, bench.file), ...bench.args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    // A bench that hangs does not hang the run: an hour is far beyond any full run here.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}

function machine(): string {
  const safe = (command: string): string => {
    try {
      return execSync(command, { encoding: 'utf8' }).trim();
    } catch {
      return '(unavailable)';
    }
  };
  return [
    `machine: ${cpus().length} CPUs (nproc ${safe('nproc')}), ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `node ${process.version}, ulimit -n ${safe('sh -c "ulimit -n"')}, load average at start ${safe('cat /proc/loadavg')}`,
    safe('free -h'),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs();
  const size = flagArg(args, 'quick') ? [] : ['--full'];
  const pass = (name: string): string[] => (args.has(name) ? [`--${name}`, args.get(name) ?? ''] : []);
  const benches: Bench[] = [
    { name: 'history', file: 'history.ts', args: [...size] },
    { name: 'signaling', file: 'signaling.ts', args: [...size, ...pass('couples'), ...pass('rate'), ...pass('duration'), ...pass('active')] },
    { name: 'call-setup', file: 'call-setup.ts', args: [...size, ...pass('calls')] },
  ];
  const only = args.get('only')?.split(',');
  const header = machine();
  console.log(header);
  const tables: string[] = [];
  let failed = 0;
  for (const bench of benches) {
    if (only && !only.includes(bench.name)) continue;
    const { output, code } = await run(bench);
    if (code !== 0) failed++;
    const start = output.indexOf('### ');
    tables.push(code === 0 && start >= 0 ? output.slice(start).trim() : `### ${bench.name}: FAILED (exit ${code})`);
  }
  const report = [header, '', ...tables].join('\n\n');
  console.log(`\n\n==================== all tables ====================\n\n${report}`);
  const out = args.get('out');
  if (out) writeFileSync(out, report + '\n');
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
