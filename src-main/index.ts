// Electron main entry (filled in by the desktop-app work).
import { app } from 'electron';

app.whenReady().then(() => undefined);
