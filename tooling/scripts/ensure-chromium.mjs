// Makes sure a Chromium for the browser tests (apps/serve's page) is installed before `pnpm test`
// runs: Debian's package, installed with apt-get when we are root (as in CI); otherwise it
// says how to install it. Nothing is downloaded outside the system's package manager.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (found) {
  console.log(`browser tests: using ${found}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.log(
    'browser tests: no Chromium found; install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH, otherwise the browser test of apps/serve fails.',
  );
  process.exit(0);
}
console.log('browser tests: installing Debian chromium with apt-get ...');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
  stdio: 'inherit',
  env,
});
console.log('browser tests: chromium installed');
