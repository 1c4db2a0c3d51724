/**
 * Prometheus metrics in the text exposition format (version 0.0.4): counters, gauges and
 * histograms with labels, and a registry that renders them.
 */

type Labels = Record<string, string>;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `{a="x",b="y"}`: constant labels (a process's), the series' own, then `le` of a bucket. */
function labelText(labels: Labels, constant: Labels, extra?: [string, string]): string {
  const parts = Object.entries(constant).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  for (const [k, v] of Object.entries(labels)) parts.push(`${k}="${escapeLabel(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

/** A label set's identity (its values in key order); cached per object, as hot paths reuse them. */
const keys = new WeakMap<Labels, string>();
const keyOf = (labels: Labels): string => {
  let k = keys.get(labels);
  if (k === undefined) {
    k = JSON.stringify(Object.entries(labels).sort());
    keys.set(labels, k);
  }
  return k;
};

interface Metric {
  readonly name: string;
  header(): string;
  /** The sample lines, each series with `constant` labels first. */
  samples(constant?: Labels): string;
  render(): string;
}

/** One metric's text as a process renders it: its HELP/TYPE header and its sample lines. */
export interface MetricText {
  name: string;
  header: string;
  samples: string;
}

abstract class Base implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name ${name}`);
  }
  header(): string {
    return `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} ${this.type}\n`;
  }
  abstract samples(constant?: Labels): string;
  render(): string {
    return this.header() + this.samples();
  }
}

/** A monotonically increasing count per label set. */
export class Counter extends Base {
  private values = new Map<string, { labels: Labels; value: number }>();
  /** The series of label objects seen before (hot paths reuse theirs). */
  private byObject = new WeakMap<Labels, { labels: Labels; value: number }>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    let e = this.byObject.get(labels);
    if (!e) {
      const k = keyOf(labels);
      e = this.values.get(k);
      if (!e) {
        e = { labels, value: 0 };
        this.values.set(k, e);
      }
      this.byObject.set(labels, e);
    }
    e.value += by;
  }
  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }
  samples(constant: Labels = {}): string {
    let s = '';
    for (const { labels, value } of this.values.values())
      s += `${this.name}${labelText(labels, constant)} ${num(value)}\n`;
    return s;
  }
}

/** A value read when scraped (a callback) or set directly. */
export class Gauge extends Base {
  private values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    name: string,
    help: string,
    private readonly collect?: () => { labels: Labels; value: number }[],
  ) {
    super(name, help, 'gauge');
  }
  set(labels: Labels, value: number): void {
    this.values.set(keyOf(labels), { labels, value });
  }
  samples(constant: Labels = {}): string {
    let s = '';
    const rows = this.collect ? this.collect() : [...this.values.values()];
    for (const { labels, value } of rows)
      s += `${this.name}${labelText(labels, constant)} ${num(value)}\n`;
    return s;
  }
}

interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative: the rendering adds them up). */
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram extends Base {
  private series = new Map<string, HistogramSeries>();
  /** The series of label objects seen before (hot paths reuse theirs). */
  private byObject = new WeakMap<Labels, HistogramSeries>();
  constructor(
    name: string,
    help: string,
    readonly buckets: number[],
  ) {
    super(name, help, 'histogram');
    for (let i = 1; i < buckets.length; i++) {
      if ((buckets[i] as number) <= (buckets[i - 1] as number))
        throw new Error(`${name}: buckets must increase`);
    }
  }
  observe(labels: Labels, value: number): void {
    let e = this.byObject.get(labels);
    if (!e) {
      const k = keyOf(labels);
      e = this.series.get(k);
      if (!e) {
        e = { labels, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
        this.series.set(k, e);
      }
      this.byObject.set(labels, e);
    }
    // The first bucket it fits (none: only +Inf counts it).
    const buckets = this.buckets;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= (buckets[i] as number)) {
        e.counts[i]!++;
        break;
      }
    }
    e.sum += value;
    e.count++;
  }
  /** Count and sum of one label set. */
  get(labels: Labels): { count: number; sum: number } {
    const e = this.series.get(keyOf(labels));
    return { count: e?.count ?? 0, sum: e?.sum ?? 0 };
  }
  samples(constant: Labels = {}): string {
    let s = '';
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((b, i) => {
        cumulative += counts[i] as number;
        s += `${this.name}_bucket${labelText(labels, constant, ['le', num(b)])} ${cumulative}\n`;
      });
      s += `${this.name}_bucket${labelText(labels, constant, ['le', '+Inf'])} ${count}\n`;
      s += `${this.name}_sum${labelText(labels, constant)} ${num(sum)}\n`;
      s += `${this.name}_count${labelText(labels, constant)} ${count}\n`;
    }
    return s;
  }
}

/**
 * Holds metrics and renders them for `GET /metrics`.
 *
 * @example
 * ```ts
 * const r = new Registry();
 * const c = r.add(new Counter('requests_total', 'Requests.'));
 * c.inc({ code: '200' });
 * r.render(); // '# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total{code="200"} 1\n'
 * ```
 */
export class Registry {
  private metrics: Metric[] = [];
  /** The Content-Type of the text exposition format. */
  static readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  add<M extends Metric>(m: M): M {
    this.metrics.push(m);
    return m;
  }
  render(): string {
    return this.metrics.map((m) => m.render()).join('');
  }
  /** Every metric's header and samples, each series labelled with `constant` (a process's label). */
  texts(constant: Labels = {}): MetricText[] {
    return this.metrics.map((m) => ({
      name: m.name,
      header: m.header(),
      samples: m.samples(constant),
    }));
  }
  /**
   * One exposition from several processes' `texts`: each metric's header once, then the
   * samples of every process (the format wants a metric's lines together).
   *
   * @example
   * ```ts
   * Registry.merge([a.texts({ process: '0' }), b.texts({ process: '1' })]);
   * ```
   */
  static merge(parts: MetricText[][]): string {
    const byName = new Map<string, { header: string; samples: string[] }>();
    for (const texts of parts) {
      for (const t of texts) {
        const m = byName.get(t.name);
        if (m) m.samples.push(t.samples);
        else byName.set(t.name, { header: t.header, samples: [t.samples] });
      }
    }
    let s = '';
    for (const m of byName.values()) s += m.header + m.samples.join('');
    return s;
  }
}
