// One rule for tests that need a real program or service on this machine.
// On a developer's laptop a missing one is a plain "skipped: …" line and the
// suite counts as skipped. Under CI, HEARTLINE_REQUIRE names what must be there
// (for example "postgres,redis,chromium,coturn,netns"); a missing required one
// throws at collection, so the file fails instead of passing by skipping.
export type Requirement = 'postgres' | 'redis' | 'chromium' | 'coturn' | 'netns' | 'ffmpeg' | 'electron';

export function requiredByEnvironment(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  return new Set(
    (env.HEARTLINE_REQUIRE ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

/**
 * Returns whether the suite may run. When `available` is false it prints
 * `skipped: <reason>` and returns false, unless the requirement is named in
 * HEARTLINE_REQUIRE, in which case it throws.
 */
export function requireOrSkip(requirement: Requirement, available: boolean, reason: string): boolean {
  if (available) return true;
  if (requiredByEnvironment().has(requirement)) {
    throw new Error(`required by HEARTLINE_REQUIRE but missing: ${requirement} (${reason})`);
  }
  console.log(`skipped: ${reason}`);
  return false;
}
