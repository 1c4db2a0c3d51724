// Where a bundle's gzipped bytes go: each input module's share, measured by leaving it out.
// Minified sizes mislead here (a table of repeated names shrinks tenfold under gzip, dense code
// barely halves), so each module is cut out of the bundle, by its source map, and the bundle
// gzipped again; the difference is what the module costs a page.
import { gzipSync } from 'node:zlib';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The numbers of one segment of a source map's `mappings` (base64 VLQ). */
export function decodeSegment(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    if (digit < 0) throw new Error(`source map: '${char}' is not a base64 digit`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Which source wrote each character of `code`, by its source map: one Int32Array per line
 * of `code`, holding indices into `map.sources` (-1 where the map names none).
 */
export function owners(code, map) {
  const lines = code.split('\n');
  const mapped = map.mappings.split(';');
  let source = 0;
  return lines.map((line, i) => {
    const owner = new Int32Array(line.length).fill(-1);
    let column = 0;
    const starts = [];
    for (const segment of mapped[i] ? mapped[i].split(',') : []) {
      const v = decodeSegment(segment);
      column += v[0];
      // A one-number segment maps its columns to no source.
      if (v.length > 1) source += v[1];
      starts.push([column, v.length > 1 ? source : -1]);
    }
    starts.forEach(([from, who], k) => {
      owner.fill(who, from, k + 1 < starts.length ? starts[k + 1][0] : line.length);
    });
    return owner;
  });
}

/** `line` without the characters whose owner is in `drop`, copied a run at a time. */
function keptRuns(line, owner, drop) {
  const parts = [];
  let start = -1;
  for (let c = 0; c <= line.length; c++) {
    const keep = c < line.length && !drop.has(owner[c]);
    if (keep && start < 0) start = c;
    if (!keep && start >= 0) {
      parts.push(line.slice(start, c));
      start = -1;
    }
  }
  return parts.join('');
}

const gzipped = (text) => gzipSync(text, { level: 9 }).length;

/**
 * The gzipped bytes of `files` (`{ code, map }`, gzipped apart as a page fetches them) that
 * each source accounts for: the total minus the total with that source's characters removed.
 * Returns the total and a Map from source path to bytes. The shares add up to less than the
 * total, since what one module repeats of another compresses against it.
 */
export function gzippedBySource(files) {
  const parsed = files.map(({ code, map }) => ({
    lines: code.split('\n'),
    map,
    owner: owners(code, map),
  }));
  const total = parsed.reduce((n, f) => n + gzipped(f.lines.join('\n')), 0);
  const sources = new Set(parsed.flatMap((f) => f.map.sources));
  const shares = new Map();
  for (const source of sources) {
    let without = 0;
    for (const { lines, map, owner } of parsed) {
      const drop = new Set(map.sources.flatMap((s, i) => (s === source ? [i] : [])));
      const kept = drop.size === 0 ? lines : lines.map((line, l) => keptRuns(line, owner[l], drop));
      without += gzipped(kept.join('\n'));
    }
    shares.set(source, total - without);
  }
  return { total, shares };
}
