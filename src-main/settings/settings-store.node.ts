// Settings persisted as JSON in the user data folder. Writes go to a temporary file
// that is renamed over the old one, so a crash never leaves half a file behind.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.node.js';
import type { IpcResult, Settings } from '../../src-shared/ipc';
import { applySettingsPatch, parseStoredSettings } from './settings.std';

export type SettingsListener = (next: Settings, previous: Settings) => void;

export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<SettingsListener>();

  constructor(
    private readonly file: string,
    defaults: Settings,
  ) {
    this.current = parseStoredSettings(readJson(file), defaults);
  }

  get(): Settings {
    return { ...this.current };
  }

  update(patch: unknown): IpcResult<Settings> {
    const result = applySettingsPatch(this.current, patch);
    if (!result.ok) return result;
    const previous = this.current;
    writeFileAtomic(this.file, `${JSON.stringify(result.value, null, 2)}\n`);
    this.current = result.value;
    for (const listener of this.listeners) listener(this.get(), previous);
    return { ok: true, value: this.get() };
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
