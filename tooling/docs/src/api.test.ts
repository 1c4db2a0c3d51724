// The API reference's gate: TypeDoc over a published package fails on an undocumented export
// and passes once it is documented; private packages are left out.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script, without types
import { buildApi, publishedPackages } from './api.mjs';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/**
 * A workspace with one package whose entry point is `source` (and `./node`, from `node`, when
 * given), and one private package.
 */
function workspace(source: string, node?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'gd-api-test-'));
  roots.push(root);
  const pkg = (name: string, manifest: object, src: string): void => {
    const dir = join(root, 'packages', name);
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'NodeNext', target: 'ES2022', noEmit: true },
        include: ['src'],
      }),
    );
    writeFileSync(join(dir, 'src/index.ts'), src);
    if (node !== undefined && name === 'demo') writeFileSync(join(dir, 'src/node.ts'), node);
  };
  pkg(
    'demo',
    {
      name: '@demo/demo',
      version: '1.0.0',
      type: 'module',
      exports: {
        '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        ...(node === undefined ? {} : { './node': { types: './dist/node.d.ts' } }),
        './package.json': './package.json',
      },
    },
    source,
  );
  pkg(
    'internal',
    { name: '@demo/internal', private: true, type: 'module' },
    'export const x = 1;\n',
  );
  return root;
}

/** Builds `root`'s reference expecting it to fail; returns what TypeDoc printed. */
async function failedBuild(root: string): Promise<string> {
  const printed: string[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log };
  const capture = (...a: unknown[]) => void printed.push(a.join(' '));
  Object.assign(console, { error: capture, warn: capture, log: capture });
  try {
    await expect(buildApi({ root, out: join(root, 'out') })).rejects.toThrow(/warnings are errors/);
  } finally {
    Object.assign(console, saved);
  }
  return printed.join('\n');
}

describe('the API reference', () => {
  it('finds the published packages and their entry points from package.json', () => {
    const root = workspace('/** One. */\nexport const one = 1;\n');
    const found = publishedPackages(root) as { name: string; entryPoints: unknown[] }[];
    expect(found.map((p) => p.name)).toEqual(['@demo/demo']);
    expect(found[0]!.entryPoints).toEqual([
      { src: join(root, 'packages/demo/src/index.ts'), name: '@demo/demo' },
    ]);
  });

  it('fails on an undocumented export, naming it', async () => {
    const root = workspace(
      '/** Documented. */\nexport const one = 1;\n',
      'export function two(): number {\n  return 2;\n}\n',
    );
    const errors = await failedBuild(root);
    expect(errors).toMatch(/two.*does not have any documentation/);
  });

  it('fails on a broken link', async () => {
    const root = workspace('/** Like {@link nothingByThatName}. */\nexport const one = 1;\n');
    const errors = await failedBuild(root);
    expect(errors).toMatch(/nothingByThatName/);
  });

  it('builds once every export is documented', async () => {
    const root = workspace(
      '/** Documented. */\nexport const one = 1;\n/** Two. */\nexport function two(): number {\n  return 2;\n}\n',
    );
    const out = await buildApi({ root, out: join(root, 'out') });
    expect(out).toBe(join(root, 'out'));
    expect(readdirSync(join(out, 'functions'))).toEqual(['two.html']);
  });

  it('documents every entry point of `exports`, each under its import path', async () => {
    const root = workspace(
      '/** One. */\nexport const one = 1;\n',
      '/** Two. */\nexport const two = 2;\n',
    );
    const out = await buildApi({ root, out: join(root, 'out') });
    expect(readdirSync(join(out, 'modules')).sort()).toEqual([
      '_demo_demo.html',
      '_demo_demo_node.html',
    ]);
  });

  it('fails on an undocumented field, naming it', async () => {
    const root = workspace(
      '/** Options. */\nexport interface Options {\n  /** Documented. */\n  one?: number;\n  two?: number;\n}\n',
    );
    const errors = await failedBuild(root);
    expect(errors).toMatch(/Options\.two.*does not have any documentation/);
    expect(errors).not.toMatch(/Options\.one/);
  });

  it("gives a table's entries (`satisfies Record<string, Entry>`) the comments of Entry's fields", async () => {
    const root = workspace(
      [
        '/** One entry. */',
        'export interface Entry {',
        '  /** What the entry says. */',
        '  readonly doc: string;',
        '  /** Its settings. */',
        '  readonly settings?: Settings;',
        '}',
        '/** Settings of an entry. */',
        'export interface Settings {',
        '  /** How fast, in steps per second. */',
        '  readonly speed: number;',
        '}',
        '/** The table. */',
        'export const TABLE = {',
        "  fast: { doc: 'Goes fast.', settings: { speed: 10 } },",
        "  slow: { doc: 'Goes slowly.' },",
        '} as const satisfies Record<string, Entry>;',
        '',
      ].join('\n'),
    );
    const out = await buildApi({ root, out: join(root, 'out') });
    const page = readFileSync(join(out, 'variables/TABLE.html'), 'utf8').replace(/<[^>]+>/g, '');
    expect(page).toContain('The fast entry (a Entry). Goes fast.');
    expect(page).toContain('What the entry says.');
    expect(page).toContain('How fast, in steps per second.');
  });

  it('renders the guides of docs/ as pages, with links between them', async () => {
    const root = workspace('/** One. */\nexport const one = 1;\n');
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/first.md'), '# First\n\nThen [the second](second.md).\n');
    writeFileSync(join(root, 'docs/second.md'), '# Second\n\nUses `one`.\n');
    const out = await buildApi({ root, out: join(root, 'out') });
    expect(readdirSync(join(out, 'documents')).sort()).toEqual(['first.html', 'second.html']);
    expect(readFileSync(join(out, 'documents/first.html'), 'utf8')).toContain('href="second.html"');
  });

  it('fails on a guide whose link leads nowhere', async () => {
    const root = workspace('/** One. */\nexport const one = 1;\n');
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/first.md'), '# First\n\nSee [this](missing.md).\n');
    const errors = await failedBuild(root);
    expect(errors).toMatch(/missing\.md/);
  });
});
