#!/usr/bin/env node
/**
 * gd-studio: starts the studio's server and prints its URL. `--port N` (default 8731, 0 for any
 * free port) and `--host H` (default 127.0.0.1).
 */
import { startStudio } from './server.js';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('Usage: gd-studio [--port 8731] [--host 127.0.0.1]');
    return;
  }
  const known = new Set(['--port', '--host']);
  const unknown = args.find(
    (a, i) => a.startsWith('--') && !known.has(a) && !known.has(args[i - 1]!),
  );
  if (unknown) throw new Error(`unknown option ${unknown} (options: --port, --host)`);
  const portText = option('port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new Error(`--port must be an integer from 0 to 65535, got ${portText}`);
  const studio = await startStudio({ port, host: option('host') });
  console.log(`gd studio: ${studio.url}`);
  console.log('(Ctrl-C to stop)');
  const stop = () => void studio.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  const message =
    err.code === 'EADDRINUSE'
      ? `the port is in use: pass another with --port (or --port 0 for any free one)`
      : err.message;
  console.error(`gd-studio: ${message}`);
  process.exit(1);
});
