import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGES } from './packages.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const pnpmVersion = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager: string }
).packageManager;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('packed packages install and work outside the workspace', () => {
  let work: string;
  const tarballs = new Map<string, string>();

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'gd-pack-'));
    const packDir = join(work, 'tarballs');
    for (const pkg of PACKAGES) {
      run('npx', ['-y', pnpmVersion, 'pack', '--pack-destination', packDir], join(root, pkg.dir));
    }
    for (const file of readdirSync(packDir)) {
      const pkg = PACKAGES.find((p) =>
        file.startsWith(p.name.replace('@', '').replace('/', '-') + '-'),
      );
      if (pkg) tarballs.set(pkg.name, join(packDir, file));
    }
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const pkg of PACKAGES) {
    it(`${pkg.name} installs from its tarball with only its declared dependencies`, () => {
      const tarball = tarballs.get(pkg.name);
      expect(tarball, `no tarball was packed for ${pkg.name}`).toBeDefined();
      const app = mkdtempSync(join(work, 'app-'));
      // Sibling @gd packages come from their tarballs too, never from the workspace.
      const deps = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: deps }),
      );
      run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
        app,
      );

      const manifest = JSON.parse(
        readFileSync(join(app, 'node_modules', ...pkg.name.split('/'), 'package.json'), 'utf8'),
      ) as {
        dependencies?: Record<string, string>;
      };
      for (const spec of Object.values(manifest.dependencies ?? {}))
        expect(spec).not.toMatch(/^workspace:/);

      writeFileSync(join(app, 'main.mjs'), pkg.program);
      expect(run(process.execPath, ['main.mjs'], app).trim()).toBe('ok');

      writeFileSync(join(app, 'main.ts'), pkg.typescript);
      writeFileSync(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            noEmit: true,
            skipLibCheck: false,
            types: [],
          },
          files: ['main.ts'],
        }),
      );
      run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
    });
  }
});
