// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the self time went.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** Where code lives: an npm package, a project file, or V8/Node internals. */
function origin(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  if (url.startsWith('node:')) return url;
  const project = /\/(server|src-shared|bench)\/(.*)$/.exec(url);
  if (project) return `${project[1]}/${project[2]}`;
  return url ? basename(url) : '(native)';
}

export function summarizeProfile(file: string, top = 12): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalHits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = origin(url);
    const key = `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
    byOrigin.set(where, (byOrigin.get(where) ?? 0) + hits);
  }
  const pct = (hits: number): string => `${((100 * hits) / totalHits).toFixed(1).padStart(5)}%`;
  const list = (map: Map<string, number>): string[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, hits]) => `  ${pct(hits)}  ${key}`);
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  return [`profile ${basename(file)} (${seconds.toFixed(1)} s):`, ' self time by origin:', ...list(byOrigin), ' self time by function:', ...list(byFunction)].join(
    '\n',
  );
}
