// The call log stores user ids, not names. The names of partners this browser has
// seen are kept here, so the history still says who called after an unpairing.
import type { User } from '../../src-shared/protocol';

const key = (ownerId: string): string => `heartline.names.${ownerId}`;

function read(ownerId: string): Record<string, string> {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(key(ownerId)) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function rememberName(ownerId: string, person: User): void {
  const names = read(ownerId);
  if (names[person.id] === person.displayName) return;
  try {
    window.localStorage.setItem(key(ownerId), JSON.stringify({ ...names, [person.id]: person.displayName }));
  } catch {
    // storage disabled: names show while paired only
  }
}

export function knownName(ownerId: string, personId: string): string | null {
  const value = read(ownerId)[personId];
  return typeof value === 'string' ? value : null;
}
