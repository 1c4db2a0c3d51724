/**
 * @gd/plot — figures for gd's apps. A Vega-Lite spec is compiled and rendered to SVG by Vega
 * (no browser), then rasterised to PNG by resvg with the DejaVu fonts shipped in the
 * `dejavu-fonts-ttf` package, so figures look the same on every machine and need no network.
 *
 * @example
 * ```ts
 * import { lineChart, writePng } from '@gd/plot';
 * await writePng(lineChart({ title: 'loss', x: 'step', y: 'loss', series: { train: losses } }), 'loss.png');
 * ```
 *
 * @packageDocumentation
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification. */
export type Spec = TopLevelSpec;

const require = createRequire(import.meta.url);
const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => join(fontDir, f));
const FONT = 'DejaVu Sans';

/** Theme applied to every figure: the bundled font, white background. */
const CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: '#dddddd' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14 },
};

/**
 * Renders a Vega-Lite spec to SVG text.
 *
 * @example
 * ```ts
 * const svg = await toSvg({ mark: 'line', data: { values }, encoding: { ... } });
 * ```
 */
export async function toSvg(spec: Spec): Promise<string> {
  const compiled = vegaLite.compile({
    ...spec,
    config: { ...CONFIG, ...(spec.config ?? {}) },
  } as Spec).spec;
  // No loader access: every figure carries its data inline.
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    loader: vega.loader({ mode: 'file' }),
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders a Vega-Lite spec to PNG bytes (`scale` multiplies the pixel size).
 *
 * @example
 * ```ts
 * const png = await toPng(spec, 2);
 * ```
 */
export async function toPng(spec: Spec, scale = 2): Promise<Uint8Array> {
  return svgToPng(await toSvg(spec), scale);
}

/**
 * Rasterises any SVG text (a Graphviz graph from @gd/autograd's `renderSvg`, say) to PNG
 * bytes with the bundled fonts.
 *
 * @example
 * ```ts
 * writeFileSync('graph.png', svgToPng(await renderSvg(loss)));
 * ```
 */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    font: {
      fontFiles: FONT_FILES,
      loadSystemFonts: false,
      defaultFontFamily: FONT,
      sansSerifFamily: FONT,
    },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  return resvg.render().asPng();
}

/**
 * Renders a spec to a PNG file (written to a temporary name, then renamed, so a crash never
 * leaves half a picture). Returns the path.
 */
export async function writePng(spec: Spec, path: string, scale = 2): Promise<string> {
  const png = await toPng(spec, scale);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, png);
  renameSync(tmp, path);
  return path;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  title?: string;
  x?: string;
  y?: string;
  /** Named series of y values (x = index), or of [x, y] pairs. */
  series: Record<string, readonly number[] | readonly (readonly [number, number])[]>;
  logY?: boolean;
  width?: number;
  height?: number;
}

/**
 * A multi-series line chart.
 *
 * @example
 * ```ts
 * lineChart({ title: 'training loss', x: 'epoch', y: 'loss', series: { train: [1, 0.5], val: [1.1, 0.6] } });
 * ```
 */
export function lineChart(options: LineChartOptions): Spec {
  const { title, x = 'x', y = 'y', series, logY = false, width = 520, height = 300 } = options;
  const values: { x: number; y: number; series: string }[] = [];
  for (const [name, points] of Object.entries(series)) {
    points.forEach((p, i) => {
      const [px, py] = typeof p === 'number' ? [i, p] : [p[0], p[1]];
      values.push({ x: px, y: py, series: name });
    });
  }
  return {
    ...(title ? { title } : {}),
    width,
    height,
    data: { values },
    mark: { type: 'line', point: values.length <= 60 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: x },
      y: {
        field: 'y',
        type: 'quantitative',
        title: y,
        scale: logY ? { type: 'log' } : { zero: false },
      },
      color: { field: 'series', type: 'nominal', title: null },
    },
  } as Spec;
}

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  title?: string;
  /** Images as row-major pixel arrays of height x width. */
  images: readonly ArrayLike<number>[];
  height: number;
  width: number;
  /** A caption under each image. */
  captions?: readonly string[];
  columns?: number;
  /** 'greys' for digits, 'redblue' (diverging, symmetric around 0) for weights. */
  scheme?: 'greys' | 'redblue';
  /** Pixel size in the figure. */
  cell?: number;
}

/**
 * A grid of small images (digits or weight templates) drawn as Vega-Lite heatmaps.
 *
 * @example
 * ```ts
 * imageGrid({ images: weightsPerClass, height: 28, width: 28, captions: ['0', '1', ...], scheme: 'redblue' });
 * ```
 */
export function imageGrid(options: ImageGridOptions): Spec {
  const {
    title,
    images,
    height,
    width,
    captions,
    columns = Math.min(images.length, 5),
    scheme = 'greys',
    cell = 4,
  } = options;
  const values: { i: number; r: number; c: number; v: number; caption: string }[] = [];
  let maxAbs = 0;
  images.forEach((img, i) => {
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const v = img[r * width + c]!;
        maxAbs = Math.max(maxAbs, Math.abs(v));
        values.push({ i, r, c, v, caption: captions?.[i] ?? String(i) });
      }
    }
  });
  const color =
    scheme === 'redblue'
      ? {
          field: 'v',
          type: 'quantitative',
          scale: { scheme: 'redblue', domain: [-maxAbs, maxAbs] },
          legend: null,
        }
      : { field: 'v', type: 'quantitative', scale: { scheme: 'greys' }, legend: null };
  return {
    ...(title ? { title } : {}),
    data: { values },
    facet: {
      field: 'caption',
      type: 'ordinal',
      title: null,
      sort: captions ? [...new Set(captions)] : undefined,
    },
    columns,
    spec: {
      width: width * cell,
      height: height * cell,
      mark: { type: 'rect', strokeWidth: 0 },
      encoding: {
        x: { field: 'c', type: 'ordinal', axis: null },
        y: { field: 'r', type: 'ordinal', axis: null },
        color,
      },
    },
    resolve: { scale: { color: 'shared' } },
  } as Spec;
}

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  title?: string;
  /** Row-major matrix. */
  matrix: readonly (readonly number[])[];
  rowLabel?: string;
  columnLabel?: string;
  labels?: readonly string[];
}

/**
 * A labelled heatmap with the value in each cell (a confusion matrix).
 *
 * @example
 * ```ts
 * heatmap({ title: 'confusion matrix', matrix: counts, rowLabel: 'true', columnLabel: 'predicted' });
 * ```
 */
export function heatmap(options: HeatmapOptions): Spec {
  const { title, matrix, rowLabel = 'row', columnLabel = 'column', labels } = options;
  const values = matrix.flatMap((row, r) =>
    row.map((v, c) => ({ r: labels?.[r] ?? String(r), c: labels?.[c] ?? String(c), v })),
  );
  const max = Math.max(...values.map((d) => d.v));
  return {
    ...(title ? { title } : {}),
    width: 36 * (matrix[0]?.length ?? 1),
    height: 36 * matrix.length,
    data: { values },
    encoding: {
      x: { field: 'c', type: 'ordinal', title: columnLabel, sort: null },
      y: { field: 'r', type: 'ordinal', title: rowLabel, sort: null },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'v', type: 'quantitative', scale: { scheme: 'blues' }, title: null },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'v', type: 'quantitative' },
          color: { condition: { test: `datum.v > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as Spec;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  title?: string;
  x?: string;
  y?: string;
  bars: Record<string, number>;
  width?: number;
  height?: number;
}

/**
 * A bar chart of named values (e.g. test accuracy per model).
 *
 * @example
 * ```ts
 * barChart({ title: 'test accuracy', y: 'accuracy', bars: { logistic: 0.92, deep: 0.98 } });
 * ```
 */
export function barChart(options: BarChartOptions): Spec {
  const { title, x = '', y = '', bars, width = 360, height = 260 } = options;
  return {
    ...(title ? { title } : {}),
    width,
    height,
    data: { values: Object.entries(bars).map(([k, v]) => ({ k, v })) },
    mark: 'bar',
    encoding: {
      x: { field: 'k', type: 'nominal', title: x, sort: null, axis: { labelAngle: 0 } },
      y: { field: 'v', type: 'quantitative', title: y },
    },
  } as Spec;
}

/** Saves SVG text next to a PNG when a vector copy is wanted. */
export async function writeSvg(spec: Spec, path: string): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await toSvg(spec));
  return path;
}
