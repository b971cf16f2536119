// Fault injection for the chaos tests, and nothing else: with
// HEARTLINE_FAULT_KILL_AT set, the process kills itself (SIGKILL, no clean-up) the
// first time it ends a call, at that point: `end-written` (the end and its outbox
// entry are in the database, no device told yet) or `end-published` (the devices
// were told, the outbox entry not yet removed). Unset (always, outside those
// tests) it does nothing.
export type EndFaultPoint = 'end-written' | 'end-published';

const POINTS: readonly EndFaultPoint[] = ['end-written', 'end-published'];

/** The hook the call service calls at each point, or undefined when no fault is asked for. */
export function endFaultFromEnv(env: NodeJS.ProcessEnv): ((point: EndFaultPoint) => void) | undefined {
  const killAt = env.HEARTLINE_FAULT_KILL_AT;
  if (!killAt) return undefined;
  if (!POINTS.includes(killAt as EndFaultPoint)) throw new Error(`HEARTLINE_FAULT_KILL_AT must be one of ${POINTS.join(', ')}`);
  return (point) => {
    if (point === killAt) process.kill(process.pid, 'SIGKILL');
  };
}
