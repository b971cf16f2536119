// What the renderer sees of the preload: window.heartline in Electron, absent in a browser.
import type { HeartlineApi } from '../src-shared/ipc';

declare global {
  interface Window {
    heartline?: HeartlineApi;
  }
}

export {};
