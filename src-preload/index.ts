// The preload bridge (filled in by the desktop-app work).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('heartline', {});
