// The fenced code blocks of a Markdown guide, and what the doc-test does with each, read from
// its info string:
//
//   ```ts                      run: type-checked against the built packages, then run in Node
//   ```sh                      run in bash, in the guide's working directory
//   ```text output             the output of the block before it (a line `...` matches any lines,
//                              `...` inside a line any text)
//   ```pbtxt file="a/b.pbtxt"  the file the blocks before it wrote (same patterns)
//   ```ts entry="celu"         the op registry's entry of that op, character for character
//   ```ts op-info="celu"       that op's row of the registry's op-info.ts, likewise
//   ```sh not-run="reason"     not run: only for commands this machine cannot run (NOT_RUNNABLE)

/** One fenced block. */
export interface Block {
  /** The language: the first word of the info string. */
  readonly lang: string;
  /** `key="value"` pairs and bare words (value '') of the info string after the language. */
  readonly meta: Readonly<Record<string, string>>;
  /** The block's text, without the fences. */
  readonly code: string;
  /** Its first line's number in the file (1-based), for messages. */
  readonly line: number;
}

/** What the doc-test does with a block. */
export type BlockRole =
  | { kind: 'run'; lang: 'ts' | 'sh' }
  | { kind: 'output' }
  | { kind: 'file'; path: string }
  | { kind: 'entry'; op: string; table: 'registry' | 'op-info' }
  | { kind: 'not-run'; reason: string };

/** Commands that cannot run on the machines that run the tests (no Docker, no Triton, no cluster). */
export const NOT_RUNNABLE = ['docker', 'tritonserver', 'kubectl', 'perf_analyzer'] as const;

const FENCE = /^(`{3,})(.*)$/;

/** The fenced blocks of `markdown`, in order. */
export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, fence, info] = open as unknown as [string, string, string];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j]!.trimEnd() !== fence) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`line ${i + 1}: unclosed code block`);
    const [lang = '', ...rest] = info.trim().match(/[\w-]+="[^"]*"|\S+/g) ?? [];
    const meta: Record<string, string> = {};
    for (const word of rest) {
      const kv = /^([\w-]+)="([^"]*)"$/.exec(word);
      if (kv) meta[kv[1]!] = kv[2]!;
      else meta[word] = '';
    }
    blocks.push({ lang, meta, code: body.join('\n'), line: i + 2 });
    i = j;
  }
  return blocks;
}

/** The role of a block, or an error saying how to mark it. */
export function roleOf(block: Block): BlockRole {
  const { lang, meta } = block;
  const where = `the ${lang || 'unlabelled'} block at line ${block.line}`;
  if ('not-run' in meta) {
    if (meta['not-run']!.trim() === '') throw new Error(`${where}: not-run needs a reason`);
    return { kind: 'not-run', reason: meta['not-run']! };
  }
  if ('output' in meta) return { kind: 'output' };
  if (meta.file !== undefined) return { kind: 'file', path: meta.file };
  if (meta.entry !== undefined) return { kind: 'entry', op: meta.entry, table: 'registry' };
  if (meta['op-info'] !== undefined)
    return { kind: 'entry', op: meta['op-info'], table: 'op-info' };
  if (Object.keys(meta).length > 0) {
    throw new Error(`${where}: unknown marking ${JSON.stringify(meta)}`);
  }
  if (lang === 'ts' || lang === 'sh') return { kind: 'run', lang };
  throw new Error(
    `${where}: a block must be ts or sh (run), or be marked output, file="...", entry="...", op-info="..." or not-run="reason"`,
  );
}

/** The commands a shell block runs: the first word of each line (continuations skipped). */
export function commandsOf(script: string): string[] {
  const commands: string[] = [];
  let continued = false;
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (!continued && line !== '' && !line.startsWith('#')) {
      const words = line.split(/\s+/).filter((w) => !/^\w+=/.test(w));
      if (words[0] !== undefined) commands.push(words[0]);
    }
    continued = line.endsWith('\\');
  }
  return commands;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether `actual` matches the `expected` listing: line by line after trimming trailing
 * spaces; a line `...` stands for any number of lines and `...` inside a line for any text.
 */
export function matchesListing(actual: string, expected: string): boolean {
  const pattern = expected
    .trimEnd()
    .split('\n')
    .map((line) =>
      line.trim() === '...'
        ? '(?:[^\\n]*\\n)*?'
        : line.trimEnd().split('...').map(escapeRegExp).join('[^\\n]*') + '[ \\t]*\\n',
    )
    .join('');
  const text = actual
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trimEnd();
  return new RegExp(`^${pattern}$`).test(text + '\n');
}

/**
 * The source text of `op`'s entry in a registry file (elementwise.ts, op-info.ts): from
 * `  op: {` to its closing `  },`.
 */
export function registryEntry(source: string, op: string): string | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l === `  ${op}: {`);
  if (start === -1) return undefined;
  const end = lines.findIndex((l, i) => i > start && l === '  },');
  return end === -1 ? undefined : lines.slice(start, end + 1).join('\n');
}
