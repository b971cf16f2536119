// The lines lint holds between runtimes: src-shared imports no runtime, the
// renderer reaches neither Electron nor Node nor main, the server no client code.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ["import { app } from 'electron';", 'Electron'],
    ["import { readFileSync } from 'node:fs';", 'Node'],
    ["import { createHash } from 'crypto';", 'Node'],
    ["import { io } from 'socket.io-client';", 'pure logic'],
    ["import { buildApp } from '../server/app';", 'runtimes'],
  ])('src-shared refuses %s', async (code, reason) => {
    const messages = await restrictedImports('src-shared/example.ts', `${code}\nexport const x = 1;\n`);
    expect(messages.join(' ')).toContain(reason);
  });

  it('src-shared may import zod and its siblings', async () => {
    expect(await restrictedImports('src-shared/example.ts', "import { z } from 'zod';\nimport { CallSchema } from './protocol';\nexport const s = [z, CallSchema];\n")).toEqual([]);
  });

  it.each(["import { ipcRenderer } from 'electron';", "import { join } from 'node:path';", "import { x } from '../src-main/index';"])(
    'the renderer refuses %s',
    async (code) => {
      expect(await restrictedImports('src-renderer/example.tsx', `${code}\nexport const y = 1;\n`)).toHaveLength(1);
    },
  );

  it('the server refuses Electron', async () => {
    expect(await restrictedImports('server/example.ts', "import { app } from 'electron';\nexport const z = app;\n")).toHaveLength(1);
  });
});
