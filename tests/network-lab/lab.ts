// A small network lab built with the kernel's own tools (root only): one Linux
// bridge on the host, and one network namespace per partner joined to it by a
// veth pair. The host end (the bridge) carries the server and coturn; each
// namespace has only its link-local /24 route, so it reaches the host and the other
// namespace and nothing else. Impairments act on a partner's link:
//   cut/restore      ip link set … down/up            (Wi-Fi dropping)
//   switchAddress    ip addr add new; ip addr del old (Wi-Fi to hotspot)
//   cap              tc qdisc tbf, both directions     (a thin link)
//   loss             iptables -m statistic --mode random in the namespace (lossy air)
// Everything is named `hlnet<id>…`, recorded with the owning process id, and
// removed by close(); cleanupLeftovers() removes what a killed run left behind.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LAB_PREFIX = 'hlnet';
const STATE_DIR = '/run/hlnet';
/**
 * The documentation ranges a lab may live in (RFC 5737; never 192.0.2.0/24, which this
 * machine's own interface uses). A lab takes the first one no other lab holds, so a
 * bench and the tests can run side by side. The host end of every link is .1.
 */
const LAB_SUBNETS = ['198.51.100', '203.0.113'] as const;

function freeSubnet(): string {
  const used = run('ip', ['-o', '-4', 'addr', 'show']);
  const free = LAB_SUBNETS.find((subnet) => !used.includes(` ${subnet}.`));
  if (!free) throw new Error(`both lab subnets (${LAB_SUBNETS.join('.0/24, ')}.0/24) are in use by other labs`);
  return free;
}
const CHROMIUM = '/usr/bin/chromium';

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryRun(command: string, args: readonly string[]): boolean {
  try {
    run(command, args);
    return true;
  } catch {
    return false;
  }
}

/** Root, `ip netns`, veth, tbf and iptables' statistic match: what the lab needs. */
export function labAvailable(): { ok: boolean; reason: string } {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'the network lab needs root (ip netns, veth, tc, iptables)' };
  for (const tool of ['/usr/sbin/ip', '/usr/sbin/tc', '/usr/sbin/iptables']) {
    if (!existsSync(tool)) return { ok: false, reason: `the network lab needs ${tool} (apt-get install -y iproute2 iptables)` };
  }
  if (!existsSync(CHROMIUM)) return { ok: false, reason: `the network lab needs Debian chromium (${CHROMIUM})` };
  const probe = `${LAB_PREFIX}probe${randomBytes(2).toString('hex')}`;
  const made = tryRun('ip', ['netns', 'add', probe]);
  if (made) tryRun('ip', ['netns', 'del', probe]);
  return made ? { ok: true, reason: '' } : { ok: false, reason: 'ip netns add is not permitted here' };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const ID_PATTERN = new RegExp(`^${LAB_PREFIX}[0-9a-f]{4}`);

/** The lab ids (`hlnet` + 4 hex) found in these names. */
function idsIn(names: readonly string[]): Set<string> {
  return new Set(names.map((name) => ID_PATTERN.exec(name)?.[0]).filter((id): id is string => id !== undefined));
}

/** A lab is dead when the process that recorded itself as its owner is gone (or never recorded). */
function isDead(id: string): boolean {
  const file = join(STATE_DIR, id);
  const pid = existsSync(file) ? Number(readFileSync(file, 'utf8')) : NaN;
  return !Number.isInteger(pid) || !alive(pid);
}

function listNamespaces(): string[] {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => ID_PATTERN.test(name));
}

function listLinks(): string[] {
  return run('ip', ['-o', 'link', 'show'])
    .split('\n')
    .map((line) => (line.split(': ')[1] ?? '').split('@')[0] ?? '')
    .filter((name) => ID_PATTERN.test(name));
}

/** Removes namespaces, links and state files of labs whose process died (a crashed or killed run). */
export function cleanupLeftovers(): void {
  const namespaces = listNamespaces();
  const links = listLinks();
  const recorded = existsSync(STATE_DIR) ? readdirSync(STATE_DIR) : [];
  for (const id of idsIn([...namespaces, ...links, ...recorded])) {
    if (!isDead(id)) continue;
    for (const name of namespaces) if (name.startsWith(id)) tryRun('ip', ['netns', 'del', name]);
    for (const name of links) if (name.startsWith(id)) tryRun('ip', ['link', 'del', name]);
    for (const name of recorded) if (name.startsWith(id)) rmSync(join(STATE_DIR, name), { recursive: true, force: true });
  }
}

/** Every lab namespace and link that exists right now, of one lab or of all (a test asserts none is left). */
export function labObjects(id?: string): string[] {
  return [...listNamespaces(), ...listLinks()].filter((name) => !id || name.startsWith(id));
}

export interface LabNode {
  /** The namespace's name. */
  ns: string;
  /** Its current address in the lab subnet. */
  address: string;
  /** An executable that runs Debian Chromium inside this namespace (Playwright's executablePath). */
  chromium: string;
  /** Link down (nothing in or out), as when Wi-Fi drops. */
  cut(): void;
  /** Link up again, with the same address. */
  restore(): void;
  /** The old address removed, a new one added: the partner moved to another network. */
  switchAddress(): string;
  /** Caps the link in both directions (token bucket); null lifts the cap. */
  cap(kbitPerSecond: number | null): void;
  /** Drops this share of the UDP packets arriving in the namespace (media, not signaling); 0 stops it. */
  loss(fraction: number): void;
}

export interface Lab {
  id: string;
  hostAddress: string;
  node(name: string): LabNode;
  close(): void;
}

/** Builds the bridge and one namespace per name. Call close() in afterAll (also on failure). */
export function createLab(names: readonly string[]): Lab {
  cleanupLeftovers();
  const id = `${LAB_PREFIX}${randomBytes(2).toString('hex')}`;
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(join(STATE_DIR, id), String(process.pid));
  const scripts = join(STATE_DIR, `${id}-bin`);
  mkdirSync(scripts, { recursive: true });
  const bridge = `${id}br`;
  const subnet = freeSubnet();
  const hostAddress = `${subnet}.1`;
  const nodes = new Map<string, LabNode>();
  let nextHost = 10;

  const close = (): void => {
    for (const node of nodes.values()) tryRun('ip', ['netns', 'del', node.ns]);
    tryRun('ip', ['link', 'del', bridge]);
    for (const name of listNamespaces()) if (name.startsWith(id)) tryRun('ip', ['netns', 'del', name]);
    for (const name of listLinks()) if (name.startsWith(id)) tryRun('ip', ['link', 'del', name]);
    rmSync(scripts, { recursive: true, force: true });
    rmSync(join(STATE_DIR, id), { force: true });
  };

  try {
    run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    run('ip', ['addr', 'add', `${hostAddress}/24`, 'dev', bridge]);
    run('ip', ['link', 'set', bridge, 'up']);
    names.forEach((name, index) => {
      const ns = `${id}-${name}`;
      const hostEnd = `${id}h${index}`;
      const nsEnd = `${id}n${index}`;
      run('ip', ['netns', 'add', ns]);
      run('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nsEnd]);
      run('ip', ['link', 'set', nsEnd, 'netns', ns]);
      run('ip', ['link', 'set', hostEnd, 'master', bridge]);
      run('ip', ['link', 'set', hostEnd, 'up']);
      const inNs = (args: readonly string[]): string => run('ip', ['netns', 'exec', ns, ...args]);
      inNs(['ip', 'link', 'set', 'lo', 'up']);
      // IPv4 only: the lab's paths are the ones it controls.
      inNs(['sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
      const base = nextHost;
      nextHost += 10;
      let address = `${subnet}.${base}`;
      inNs(['ip', 'addr', 'add', `${address}/24`, 'dev', nsEnd]);
      inNs(['ip', 'link', 'set', nsEnd, 'up']);
      let nextAlias = 1;

      const chromium = join(scripts, `chromium-${name}`);
      writeFileSync(chromium, `#!/bin/sh\nexec /usr/sbin/ip netns exec ${ns} ${CHROMIUM} "$@"\n`);
      chmodSync(chromium, 0o755);

      const setCap = (dev: string, inside: boolean, kbit: number | null): void => {
        const prefix = inside ? ['netns', 'exec', ns, 'tc'] : [];
        const tc = (args: string[]): void => void (inside ? run('ip', [...prefix, ...args]) : run('tc', args));
        if (kbit === null) {
          tryRun(inside ? 'ip' : 'tc', [...prefix, 'qdisc', 'del', 'dev', dev, 'root']);
          return;
        }
        // A 20 kB bucket and 200 ms of queue: a home router's buffer, not a perfect pipe.
        tc(['qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', '20kb', 'latency', '200ms']);
      };

      const node: LabNode = {
        ns,
        get address() {
          return address;
        },
        chromium,
        cut: () => void inNs(['ip', 'link', 'set', nsEnd, 'down']),
        restore: () => void inNs(['ip', 'link', 'set', nsEnd, 'up']),
        switchAddress: () => {
          const fresh = `${subnet}.${base + nextAlias++}`;
          // Old first: deleting a primary address also deletes its same-subnet secondaries.
          inNs(['ip', 'addr', 'del', `${address}/24`, 'dev', nsEnd]);
          inNs(['ip', 'addr', 'add', `${fresh}/24`, 'dev', nsEnd]);
          address = fresh;
          return fresh;
        },
        cap: (kbit) => {
          setCap(nsEnd, true, kbit);
          setCap(hostEnd, false, kbit);
        },
        loss: (fraction) => {
          inNs(['iptables', '-F', 'INPUT']);
          if (fraction > 0) {
            inNs(['iptables', '-A', 'INPUT', '-p', 'udp', '-m', 'statistic', '--mode', 'random', '--probability', String(fraction), '-j', 'DROP']);
          }
        },
      } as LabNode;
      nodes.set(name, node);
    });
  } catch (error) {
    close();
    throw error;
  }

  return {
    id,
    hostAddress,
    node(name) {
      const found = nodes.get(name);
      if (!found) throw new Error(`no lab node ${name}`);
      return found;
    },
    close,
  };
}
