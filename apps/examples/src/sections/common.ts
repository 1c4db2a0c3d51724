/**
 * What every lecture section shares: where its figures go, how they are written and how its
 * numbers are printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@gd/autograd';
import { svgToPng, writePng } from '@gd/plot';
import type { Spec } from '@gd/plot';

/**
 * What a section gets to run with.
 *
 * @example
 * ```ts
 * async function run(ctx: SectionContext) {
 *   ctx.log('f(0) = 1');
 *   await ctx.figure('f.png', lineChart({ series: { f: [1, 0, 1] } }));
 * }
 * ```
 */
export interface SectionContext {
  /** Directory its figures are written to (created on demand). */
  readonly outDir: string;
  /** Prints one line of the section's output. */
  log(line?: string): void;
  /** Renders a Vega-Lite spec to `<outDir>/<file>` as PNG and prints where it is. */
  figure(file: string, spec: Spec): Promise<string>;
  /** Rasterises SVG text (a graph from `renderSvg`) to `<outDir>/<file>` and prints where it is. */
  svgFigure(file: string, svg: string): string;
  /** Every file written so far. */
  readonly files: readonly string[];
}

/**
 * A lecture section as a runnable script.
 *
 * @example
 * ```ts
 * const section: Section = { name: '07-more', title: 'More', summary: '...', load: () => import('./07-more.js') };
 * ```
 */
export interface Section {
  /** Command-line name, e.g. `01-one-dimensional`. */
  readonly name: string;
  /** The lecture's heading. */
  readonly title: string;
  /** One line on what it prints and draws. */
  readonly summary: string;
  /** Loads the section's code (sections are imported only when run). */
  load(): Promise<{ run(ctx: SectionContext): Promise<void> }>;
}

/**
 * A context that prints with `print` and writes figures under `outDir`.
 *
 * @example
 * ```ts
 * const ctx = createContext('outputs/examples/01-one-dimensional');
 * await ctx.figure('quadratic.png', spec); // prints "  figure: outputs/.../quadratic.png"
 * ```
 */
export function createContext(
  outDir: string,
  print: (line: string) => void = (line) => console.log(line),
): SectionContext {
  const files: string[] = [];
  const written = (path: string): string => {
    files.push(path);
    print(`  figure: ${path}`);
    return path;
  };
  return {
    outDir,
    files,
    log: (line = '') => print(line),
    figure: async (file, spec) => written(await writePng(spec, join(outDir, file))),
    svgFigure: (file, svg) => {
      mkdirSync(outDir, { recursive: true });
      const path = join(outDir, file);
      writeFileSync(path, svgToPng(svg));
      return written(path);
    },
  };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Puts a title (and a subtitle) above an SVG picture (a Graphviz graph from `renderSvg`), with a
 * margin, widening the picture when the title is wider than the graph. Graphviz sizes its own
 * labels with Helvetica metrics, while the PNG is drawn with DejaVu Sans, so titles are drawn
 * here instead.
 *
 * @example
 * ```ts
 * ctx.svgFigure('graph.png', titledSvg(await renderSvg(loss), 'The least-squares graph'));
 * ```
 */
export function titledSvg(svg: string, title: string, subtitle?: string): string {
  const start = svg.indexOf('<svg');
  const head = /<svg\s+width="([\d.]+)(?:pt|px)?"\s+height="([\d.]+)(?:pt|px)?"/.exec(
    svg.slice(start),
  );
  if (start < 0 || !head) throw new Error('titledSvg: no <svg width=".." height=".."> found');
  const w = Number(head[1]);
  const h = Number(head[2]);
  const margin = 12;
  const titleSize = 14;
  const subSize = 11;
  // DejaVu Sans is about 0.62 em (bold 0.68 em) per character on average.
  const textWidth = Math.max(
    title.length * titleSize * 0.68,
    subtitle ? subtitle.length * subSize * 0.62 : 0,
  );
  const width = Math.ceil(Math.max(w, textWidth) + 2 * margin);
  const top = margin + titleSize + (subtitle ? subSize + 6 : 0) + 10;
  const height = Math.ceil(h + top + margin);
  const inner = svg
    .slice(start)
    .replace(head[0], `<svg x="${(width - w) / 2}" y="${top}" width="${w}" height="${h}"`);
  const text = (y: number, size: number, weight: string, s: string): string =>
    `<text x="${width / 2}" y="${y}" text-anchor="middle" font-family="DejaVu Sans" font-size="${size}" font-weight="${weight}">${escapeXml(s)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    text(margin + titleSize, titleSize, 'bold', title),
    subtitle ? text(margin + titleSize + 6 + subSize, subSize, 'normal', subtitle) : '',
    inner,
    '</svg>',
  ].join('\n');
}

/**
 * The values of a tensor as a flat array of numbers.
 *
 * @example
 * ```ts
 * values(tensor([[1, 2], [3, 4]])); // [1, 2, 3, 4]
 * ```
 */
export function values(t: Tensor): number[] {
  return (t.detach().contiguous().toArray() as unknown[]).flat(Infinity) as number[];
}

/**
 * Python's `f"{x:.{digits}f}"`.
 *
 * @example
 * ```ts
 * fixed(-2, 1); // '-2.0'
 * ```
 */
export function fixed(x: number, digits = 4): string {
  const s = x.toFixed(digits);
  return Object.is(x, -0) || (x < 0 && !s.startsWith('-')) ? `-${s}` : s;
}

/**
 * Python's `f"{n:,}"` for integers.
 *
 * @example
 * ```ts
 * thousands(89610); // '89,610'
 * ```
 */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Runs `fn`; returns `ok` with its value or the message of what it threw.
 *
 * @example
 * ```ts
 * attempt(() => y.backward()); // { ok: false, error: 'grad can be implicitly created only for scalar outputs' }
 * ```
 */
export function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return {
      ok: false,
      error:
        e instanceof Error && e.name !== 'Error'
          ? `${e.name}: ${e.message}`
          : e instanceof Error
            ? e.message
            : String(e),
    };
  }
}

/**
 * A boolean as Python prints it.
 *
 * @example
 * ```ts
 * py(x.isLeaf); // 'True'
 * ```
 */
export function py(b: boolean): string {
  return b ? 'True' : 'False';
}

/**
 * `x.grad` printed as PyTorch prints it (`None` when there is none).
 *
 * @example
 * ```ts
 * gradOf(x); // 'tensor([6.])'
 * ```
 */
export function gradOf(t: Tensor): string {
  return t.grad === null ? 'None' : t.grad.toString();
}

/**
 * Keeps the series of a `lineChart` in the given order (legend and colours), instead of sorted by
 * name, with the colours of {@link COLORS}.
 *
 * @example
 * ```ts
 * await ctx.figure('losses.png', inOrder(lineChart({ series }), ['basic', 'momentum', 'cosine']));
 * ```
 */
export function inOrder(spec: Spec, names: readonly string[]): Spec {
  const s = spec as { encoding?: { color?: Record<string, unknown> } };
  if (!s.encoding?.color) throw new Error('inOrder: the spec has no colour encoding');
  s.encoding.color = {
    ...s.encoding.color,
    sort: names,
    scale: { domain: names, range: COLORS.slice(0, names.length) },
  };
  return spec;
}

/**
 * Colours shared by the figures (Tableau 10, matplotlib's default cycle).
 *
 * @example
 * ```ts
 * const mark = { type: 'line', color: COLORS[0] };
 * ```
 */
export const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
