// Runs SQLite's WAL checkpoints on a second connection in a worker thread, so the
// disk sync they involve never stalls the server's event loop inside a write.
// Plain JavaScript: it must load the same way under tsx, vitest and a bundle.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, intervalMs } = workerData;
const db = new Database(path);
db.pragma('busy_timeout = 1000');

// PASSIVE never waits for readers or writers: it copies what it can and returns.
// Once the server is idle (no new frames since the last tick) and everything is
// copied, TRUNCATE empties the WAL file, so a burst of writes does not leave it
// large until the next restart.
let lastLogFrames = -1;
const timer = setInterval(() => {
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log > 0 && log === checkpointed && log === lastLogFrames) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      lastLogFrames = 0;
    } else {
      lastLogFrames = log;
    }
  } catch {
    // Busy or closing: the next tick tries again.
  }
}, intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
