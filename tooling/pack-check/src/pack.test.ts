import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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

const execFileAsync = promisify(execFile);

// Asynchronous on purpose: installs take a while, and a blocked event loop starves vitest's
// worker messages.
async function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<string> {
  const { stdout } = await execFileAsync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  return stdout;
}

const manifests = new Map(
  PACKAGES.map((p) => [
    p.name,
    JSON.parse(readFileSync(join(root, p.dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    },
  ]),
);

function gdDependencies(name: string, seen = new Set<string>()): string[] {
  for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {})) {
    if (!dep.startsWith('@gd/') || seen.has(dep)) continue;
    if (!manifests.has(dep)) throw new Error(`${name} depends on ${dep}, which is not in PACKAGES`);
    seen.add(dep);
    gdDependencies(dep, seen);
  }
  return [...seen];
}

describe('packed packages install and work outside the workspace', () => {
  let work: string;
  const tarballs = new Map<string, string>();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gd-pack-'));
    const packDir = join(work, 'tarballs');
    for (const pkg of PACKAGES) {
      await run(
        'npx',
        ['-y', pnpmVersion, 'pack', '--pack-destination', packDir],
        join(root, pkg.dir),
      );
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
    it(`${pkg.name} installs from its tarball with only its declared dependencies`, async () => {
      const tarball = tarballs.get(pkg.name);
      expect(tarball, `no tarball was packed for ${pkg.name}`).toBeDefined();
      const app = mkdtempSync(join(work, 'app-'));
      // The package and the @gd packages it depends on (transitively) come from their tarballs,
      // never from the workspace; everything else comes from the registry as declared.
      const deps = Object.fromEntries(
        [pkg.name, ...gdDependencies(pkg.name)].map((name) => [name, `file:${tarballs.get(name)}`]),
      );
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: deps }),
      );
      // @gd/tensor compiles its native addon when installed; its own case proves that from the
      // tarball. The others skip the compile (GD_NATIVE=0, as a user may) and run on
      // WebAssembly: a C++ build per case made this suite the slowest in CI.
      await run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
        app,
        pkg.name === '@gd/tensor' ? {} : { GD_NATIVE: '0' },
      );

      const manifest = JSON.parse(
        readFileSync(join(app, 'node_modules', ...pkg.name.split('/'), 'package.json'), 'utf8'),
      ) as {
        dependencies?: Record<string, string>;
      };
      for (const spec of Object.values(manifest.dependencies ?? {}))
        expect(spec).not.toMatch(/^workspace:/);

      writeFileSync(join(app, 'main.mjs'), pkg.program);
      expect((await run(process.execPath, ['main.mjs'], app)).trim()).toBe('ok');

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
      await run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
    });
  }
});
