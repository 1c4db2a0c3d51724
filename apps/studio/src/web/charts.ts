/**
 * Small hand-written SVG charts: lines with axes, a heat map and image tiles. Enough for the
 * studio's figures without a charting library.
 */

const NS = 'http://www.w3.org/2000/svg';

/** One line of a chart. */
export interface Series {
  name: string;
  color: string;
  points: readonly (readonly [number, number])[];
  /** Draw a dot at each point (for sparse series such as per-epoch accuracy). */
  dots?: boolean;
  dashed?: boolean;
}

/** Options of {@link lineChart}. */
export interface ChartOptions {
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** Fixed ranges; by default the data's (with a little margin). */
  x?: readonly [number, number];
  y?: readonly [number, number];
  /** Vertical markers, e.g. the current x. */
  markers?: readonly { x: number; color: string }[];
}

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function extent(values: number[], fixed?: readonly [number, number]): [number, number] {
  if (fixed) return [fixed[0], fixed[1]];
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 4));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-12; v += nice) out.push(+v.toPrecision(6));
  return out;
}

/**
 * Draws `series` into `svg` (replacing its content). The total number of points is kept in
 * `svg.dataset.points`.
 */
export function lineChart(
  svg: SVGSVGElement,
  series: readonly Series[],
  o: ChartOptions = {},
): void {
  const width = o.width ?? 420;
  const height = o.height ?? 220;
  const m = { l: 46, r: 10, t: 10, b: 34 };
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  const all = series.flatMap((s) => s.points);
  const [x0, x1] = extent(
    all.map((p) => p[0]),
    o.x,
  );
  const [y0, y1] = extent(
    all.map((p) => p[1]),
    o.y,
  );
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (width - m.l - m.r);
  const sy = (y: number) => height - m.b - ((y - y0) / (y1 - y0)) * (height - m.t - m.b);
  const axes = el('g', { class: 'axes' });
  for (const t of ticks(x0, x1)) {
    axes.append(el('line', { x1: sx(t), x2: sx(t), y1: m.t, y2: height - m.b, class: 'grid' }));
    axes.append(el('text', { x: sx(t), y: height - m.b + 14, 'text-anchor': 'middle' }, `${t}`));
  }
  for (const t of ticks(y0, y1)) {
    axes.append(el('line', { x1: m.l, x2: width - m.r, y1: sy(t), y2: sy(t), class: 'grid' }));
    axes.append(el('text', { x: m.l - 4, y: sy(t) + 4, 'text-anchor': 'end' }, `${t}`));
  }
  if (o.xLabel)
    axes.append(
      el('text', { x: (m.l + width - m.r) / 2, y: height - 4, 'text-anchor': 'middle' }, o.xLabel),
    );
  if (o.yLabel)
    axes.append(
      el(
        'text',
        {
          x: 12,
          y: (m.t + height - m.b) / 2,
          transform: `rotate(-90 12 ${(m.t + height - m.b) / 2})`,
          'text-anchor': 'middle',
        },
        o.yLabel,
      ),
    );
  svg.append(axes);
  for (const mk of o.markers ?? []) {
    svg.append(
      el('line', {
        x1: sx(mk.x),
        x2: sx(mk.x),
        y1: m.t,
        y2: height - m.b,
        stroke: mk.color,
        'stroke-dasharray': '3 3',
      }),
    );
  }
  series.forEach((s, k) => {
    const pts = s.points.filter((p) => Number.isFinite(p[1]));
    if (pts.length > 1) {
      const d = pts
        .map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`)
        .join('');
      svg.append(
        el('path', {
          d,
          fill: 'none',
          stroke: s.color,
          'stroke-width': 2,
          ...(s.dashed ? { 'stroke-dasharray': '6 4' } : {}),
          class: 'series',
        }),
      );
    }
    if (s.dots || pts.length === 1) {
      for (const p of pts)
        svg.append(
          el('circle', { cx: sx(p[0]), cy: sy(p[1]), r: 3.5, fill: s.color, class: 'dot' }),
        );
    }
    const lx = m.l + 8 + k * 130;
    svg.append(el('rect', { x: lx, y: m.t + 2, width: 12, height: 3, fill: s.color }));
    svg.append(el('text', { x: lx + 16, y: m.t + 7, class: 'legend' }, s.name));
  });
  svg.dataset.points = String(series.reduce((n, s) => n + s.points.length, 0));
}

/** A diverging colour for a value in [-1, 1]: blue (negative), white, red (positive). */
export function diverging(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  return t >= 0
    ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
    : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
}

/**
 * Draws `count` tiles of `h`x`w` values (tile `k` at `data[offset(k) + i]`) into a canvas, each
 * scaled by its own largest magnitude, in a grid of `cols` columns.
 */
export function drawTiles(
  canvas: HTMLCanvasElement,
  tiles: readonly Float32Array[],
  h: number,
  w: number,
  cols: number,
): void {
  const rows = Math.ceil(tiles.length / cols);
  const gap = 1;
  canvas.width = cols * (w + gap) - gap;
  canvas.height = rows * (h + gap) - gap;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(canvas.width, canvas.height);
  img.data.fill(255);
  tiles.forEach((tile, k) => {
    const ox = (k % cols) * (w + gap);
    const oy = Math.floor(k / cols) * (h + gap);
    let max = 1e-12;
    for (const v of tile) max = Math.max(max, Math.abs(v));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [r, g, b] = diverging(tile[y * w + x]! / max);
        img.data.set([r, g, b, 255], ((oy + y) * canvas.width + ox + x) * 4);
      }
    }
  });
  ctx.putImageData(img, 0, 0);
}

/** A confusion matrix `[true][predicted]` as an HTML table, shaded by row share. */
export function confusionTable(
  table: HTMLTableElement,
  confusion: readonly (readonly number[])[],
): void {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  head.append(Object.assign(document.createElement('th'), { textContent: 'true \\ predicted' }));
  confusion.forEach((_, j) =>
    head.append(Object.assign(document.createElement('th'), { textContent: String(j) })),
  );
  const body = table.createTBody();
  confusion.forEach((row, i) => {
    const tr = body.insertRow();
    tr.append(Object.assign(document.createElement('th'), { textContent: String(i) }));
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((n, j) => {
      const td = tr.insertCell();
      td.textContent = String(n);
      const share = n / total;
      td.style.background =
        i === j
          ? `rgba(46, 125, 50, ${0.15 + 0.85 * share})`
          : `rgba(198, 40, 40, ${Math.min(1, share * 4)})`;
      if (share > 0.5) td.style.color = '#fff';
    });
  });
}
