/**
 * Runs the lecture's sections as scripts: `node dist/run.js <section> [--out <dir>]` prints what
 * the section prints and writes its figures as PNG (by default to
 * `outputs/examples/<section>/`). With no section it lists them; `all` runs every one.
 *
 * From the repository root: `pnpm examples 01-one-dimensional`.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createContext } from './sections/common.js';
import type { Section } from './sections/common.js';
import { SECTIONS, findSection } from './sections/index.js';

const USAGE = `Usage: node apps/examples/dist/run.js <section>|all [--out <dir>]

Runs one section of the lecture "Computing Gradients" with gd: prints what the lecture
prints and writes its figures as PNG files.

  <section>    a section name below, or a unique prefix of one (e.g. 03)
  all          every section, one after the other
  --out <dir>  where the figures go (default: outputs/examples/<section>; with "all",
               each section gets <dir>/<section>)
  --help       this text`;

/**
 * Parsed command line of {@link main}.
 *
 * @example
 * ```ts
 * const args: RunArgs = { names: ['03'], out: undefined, help: false };
 * ```
 */
export interface RunArgs {
  names: string[];
  out: string | undefined;
  help: boolean;
}

/**
 * Parses `[name...] [--out dir] [--help]`; throws on an unknown flag or a missing value.
 *
 * @example
 * ```ts
 * parseArgs(['03', '--out', '/tmp/x']); // { names: ['03'], out: '/tmp/x', help: false }
 * ```
 */
export function parseArgs(argv: readonly string[]): RunArgs {
  const args: RunArgs = { names: [], out: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--out' || a === '-o') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('-')) throw new Error(`${a} needs a directory`);
      args.out = v;
    } else if (a.startsWith('--out=')) args.out = a.slice('--out='.length);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else args.names.push(a);
  }
  return args;
}

function listing(): string {
  const width = Math.max(...SECTIONS.map((s) => s.name.length));
  return SECTIONS.map((s) => `  ${s.name.padEnd(width)}  ${s.title}: ${s.summary}`).join('\n');
}

async function runSection(section: Section, outDir: string): Promise<void> {
  const start = performance.now();
  console.log(`== ${section.name}: ${section.title} ==`);
  console.log('');
  const ctx = createContext(outDir);
  const mod = await section.load();
  await mod.run(ctx);
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  console.log('');
  console.log(
    `Outputs: ${outDir} (${ctx.files.length} figure${ctx.files.length === 1 ? '' : 's'}, ${seconds} s)`,
  );
}

/**
 * The command line: returns the process exit code (0 ok, 2 usage error).
 *
 * @example
 * ```ts
 * process.exitCode = await main(['01-one-dimensional', '--out', '/tmp/ex01']);
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(`${USAGE}\n\nSections:\n${listing()}`);
    return 0;
  }
  if (args.names.length === 0) {
    console.log(`Sections of the lecture (run one with: pnpm examples <section>):\n${listing()}`);
    return 0;
  }
  const all = args.names.includes('all');
  if (all && args.names.length > 1) {
    console.error(`error: "all" runs every section; give it alone\n\n${USAGE}`);
    return 2;
  }
  if (!all && args.names.length > 1) {
    console.error(`error: one section at a time (or "all"), got ${args.names.join(', ')}`);
    return 2;
  }
  if (all) {
    const base = resolve(args.out ?? 'outputs/examples');
    for (const [i, section] of SECTIONS.entries()) {
      if (i > 0) console.log('');
      await runSection(section, resolve(base, section.name));
    }
    return 0;
  }
  const name = args.names[0]!;
  const section = findSection(name);
  if (!section) {
    const several = SECTIONS.filter((s) => s.name.startsWith(name)).length > 1;
    const why = several ? `"${name}" matches several sections` : `no section "${name}"`;
    console.error(`error: ${why}. Sections:\n${listing()}`);
    return 2;
  }
  await runSection(section, resolve(args.out ?? `outputs/examples/${section.name}`));
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  // `... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exitCode = 1;
    },
  );
}
