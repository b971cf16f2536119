// `npm run dev`: the server (restarting on change) and `electron-vite dev`.
import { electronViteBin, ensureDependencies, runTogether, tsxBin } from './lib.mjs';

ensureDependencies();
runTogether([
  { name: 'server', command: process.execPath, args: [tsxBin, 'watch', 'server/server.ts'] },
  { name: 'electron-vite', command: process.execPath, args: [electronViteBin, 'dev'] },
]);
