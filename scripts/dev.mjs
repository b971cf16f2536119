// `npm run dev`: the server (restarting on change) and `electron-vite dev`.
import { electronViteBin, ensureDependencies, runTogether, tsxBin } from './lib.mjs';

ensureDependencies();
runTogether([
  // The dev renderer is served by Vite on :5173, another origin than the server's.
  { name: 'server', command: process.execPath, args: [tsxBin, 'watch', 'server/server.ts'], env: { CORS_ORIGINS: process.env.CORS_ORIGINS ?? 'http://localhost:5173' } },
  { name: 'electron-vite', command: process.execPath, args: [electronViteBin, 'dev'] },
]);
