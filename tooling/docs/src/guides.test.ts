// Every code block of the guides in docs/ runs here (see blocks.ts for the markings): ts blocks
// are type-checked together against the built packages and each run in its own Node process;
// sh blocks run in bash with gd-train and gd-serve on the PATH (the built CLIs); a guide's
// blocks share one working directory, in order. The port 8000 of the guides becomes a free
// port, and processes a block leaves in the background are stopped after its guide.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import type { Block } from './blocks.js';
import {
  NOT_RUNNABLE,
  commandsOf,
  matchesListing,
  parseBlocks,
  registryEntry,
  roleOf,
} from './blocks.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
// Inside this package, so that the blocks' imports resolve to its @gd/* dependencies.
const SCRATCH = fileURLToPath(new URL('../.doctest/', import.meta.url));
const REGISTRY = {
  registry: join(ROOT, 'packages/tensor/src/ops/registry/elementwise.ts'),
  'op-info': join(ROOT, 'packages/tensor/src/ops/registry/op-info.ts'),
};
const GUIDES = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md') && f !== 'api-index.md')
  .sort();

const guide = (name: string): Block[] => parseBlocks(readFileSync(join(DOCS, name), 'utf8'));
const dedent = (text: string): string => {
  const lines = text.split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length),
  );
  return lines.map((l) => l.slice(indent)).join('\n');
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const groups: number[] = [];

/** Runs a command in its own process group; resolves when it exits (background children may live on). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    groups.push(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      // Give the pipes a moment to deliver what was written just before the exit.
      setTimeout(() => resolve({ code, stdout, stderr }), 50);
    });
  });
}

function stopBackground(): void {
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

afterAll(() => {
  stopBackground();
  rmSync(SCRATCH, { recursive: true, force: true });
});

/** Type-checks the ts blocks of every guide as one program; returns the diagnostics as text. */
function typecheck(files: string[]): string {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    moduleDetection: ts.ModuleDetectionKind.Force,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  };
  const program = ts.createProgram(files, options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => SCRATCH,
    getNewLine: () => '\n',
  });
}

describe('the guides in docs/', () => {
  it('has guides', () => {
    expect(GUIDES).toEqual(
      expect.arrayContaining(['custom-op.md', 'from-pytorch.md', 'train-and-serve.md']),
    );
  });

  it('marks every block: run, output, file, registry entry, or not-run for commands that cannot run here', () => {
    for (const name of GUIDES) {
      for (const block of guide(name)) {
        const role = roleOf(block);
        const commands = block.lang === 'sh' ? commandsOf(block.code) : [];
        const unavailable = commands.filter((c) => (NOT_RUNNABLE as readonly string[]).includes(c));
        if (role.kind === 'not-run') {
          expect(
            unavailable,
            `${name}:${block.line}: not-run is only for ${NOT_RUNNABLE}`,
          ).not.toEqual([]);
        } else {
          expect(unavailable, `${name}:${block.line}`).toEqual([]);
        }
        if (role.kind === 'output' || role.kind === 'file') {
          const before = guide(name).filter((b) => b.line < block.line);
          expect(before.length, `${name}:${block.line}: nothing before it`).toBeGreaterThan(0);
        }
      }
    }
  });

  it("shows the op registry's entries as they are", () => {
    let shown = 0;
    for (const name of GUIDES) {
      for (const block of guide(name)) {
        const role = roleOf(block);
        if (role.kind !== 'entry') continue;
        const entry = registryEntry(readFileSync(REGISTRY[role.table], 'utf8'), role.op);
        expect(entry, `${name}:${block.line}: no entry ${role.op} in ${role.table}`).toBeDefined();
        expect(block.code, `${name}:${block.line}`).toBe(dedent(entry!));
        shown++;
      }
    }
    expect(shown).toBeGreaterThan(0);
  });

  // Type-check every ts block first, in one program: a signature that changed fails here.
  const tsFiles = new Map<Block, string>();
  it('type-checks the ts blocks against the built packages', () => {
    rmSync(SCRATCH, { recursive: true, force: true });
    mkdirSync(SCRATCH, { recursive: true });
    for (const name of GUIDES) {
      guide(name).forEach((block, i) => {
        const role = roleOf(block);
        if (role.kind !== 'run' || role.lang !== 'ts') return;
        const file = join(SCRATCH, `${name.replace(/\.md$/, '')}-${i}.ts`);
        writeFileSync(file, block.code);
        tsFiles.set(block, file);
      });
    }
    expect(tsFiles.size).toBeGreaterThan(0);
    expect(typecheck([...tsFiles.values()])).toBe('');
  });

  for (const name of GUIDES) {
    it(`${name}: runs every block in order`, async () => {
      mkdirSync(SCRATCH, { recursive: true });
      const work = mkdtempSync(join(tmpdir(), 'gd-guide-'));
      const bin = join(work, '.bin');
      mkdirSync(bin);
      for (const [cmd, script] of [
        ['gd-train', 'apps/train/dist/cli.js'],
        ['gd-serve', 'apps/serve/dist/cli.js'],
      ] as const) {
        writeFileSync(join(bin, cmd), `#!/bin/sh\nexec node "${join(ROOT, script)}" "$@"\n`);
        chmodSync(join(bin, cmd), 0o755);
      }
      const port = String(await freePort());
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
      const withPort = (code: string): string => code.replace(/\b8000\b/g, port);
      let last: { block: Block; out: Run } | undefined;
      try {
        for (const [i, block] of guide(name).entries()) {
          const role = roleOf(block);
          const where = `${name}:${block.line}`;
          if (role.kind === 'run') {
            let out: Run;
            if (role.lang === 'sh') {
              out = await run('bash', ['-euo', 'pipefail', '-c', withPort(block.code)], work, env);
            } else {
              const file = join(SCRATCH, `${name.replace(/\.md$/, '')}-${i}.mjs`);
              const js = ts.transpileModule(withPort(block.code), {
                compilerOptions: {
                  target: ts.ScriptTarget.ES2022,
                  module: ts.ModuleKind.ESNext,
                  verbatimModuleSyntax: false,
                },
              }).outputText;
              writeFileSync(file, js);
              out = await run(process.execPath, [file], work, env);
            }
            expect(out.code, `${where} failed:\n${out.stdout}\n${out.stderr}`).toBe(0);
            last = { block, out };
          } else if (role.kind === 'output') {
            expect(last, `${where}: an output block needs a block run before it`).toBeDefined();
            const actual = last!.out.stdout;
            expect(matchesListing(actual, block.code), `${where}: got\n${actual}`).toBe(true);
          } else if (role.kind === 'file') {
            const actual = readFileSync(join(work, role.path), 'utf8');
            expect(matchesListing(actual, block.code), `${where}: ${role.path} is\n${actual}`).toBe(
              true,
            );
          }
        }
      } finally {
        stopBackground();
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
});
