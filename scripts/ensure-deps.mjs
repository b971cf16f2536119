// `pretest`: lets `npm test` work on a fresh clone without a separate install step.
import { ensureDependencies } from './lib.mjs';

ensureDependencies();
