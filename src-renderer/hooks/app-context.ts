// What every screen of a signed-in window shares: the call controller and the
// settings. Provided once by App, read with useApp() instead of passed down as props.
import { createContext, useContext } from 'react';
import type { Settings, SettingsPatch } from '../../src-shared/ipc';
import type { Session } from '../api/session';
import type { CallController } from '../call/call-controller';

export interface AppServices {
  session: Session;
  controller: CallController;
  settings: Settings;
  onSettings: (patch: SettingsPatch) => Promise<void>;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside AppContext.Provider');
  return services;
}
