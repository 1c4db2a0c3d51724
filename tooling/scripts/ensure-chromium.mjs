// Makes sure a Chromium for the browser tests (apps/serve's page) is installed before `pnpm test`
// runs, with the Vulkan loader that the WebGPU tests need (Dawn runs on Chromium's SwiftShader
// driver, a software GPU): Debian's packages, installed with apt-get when we are root (as in
// CI); otherwise it says how to install them. Nothing is downloaded outside the system's
// package manager.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .filter(Boolean)
  .find((p) => existsSync(p));
const vulkan = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
].some((p) => existsSync(p));

const missing = [...(chromium ? [] : ['chromium']), ...(vulkan ? [] : ['libvulkan1'])];
if (chromium) console.log(`browser tests: using ${chromium}`);
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.log(
    `tests: ${missing.join(' and ')} not found; install with \`sudo apt-get install -y ${missing.join(' ')}\` (or set CHROMIUM_PATH), otherwise the browser and WebGPU tests are left out or fail.`,
  );
  process.exit(0);
}
console.log(`tests: installing Debian ${missing.join(', ')} with apt-get ...`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
  stdio: 'inherit',
  env,
});
console.log(`tests: ${missing.join(', ')} installed`);
