import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from './metrics.js';

describe('Prometheus text exposition', () => {
  it('renders counters, gauges and histograms with HELP and TYPE lines', () => {
    const r = new Registry();
    const c = r.add(new Counter('errors_total', 'Errors by kind.'));
    c.inc({ kind: 'bad_image' });
    c.inc({ kind: 'bad_image' }, 2);
    r.add(new Gauge('queue_depth', 'Waiting.', () => [{ labels: { model: 'm' }, value: 3 }]));
    const h = r.add(new Histogram('latency_seconds', 'Latency.', [0.01, 0.1]));
    h.observe({ route: '/x' }, 0.005);
    h.observe({ route: '/x' }, 0.05);
    h.observe({ route: '/x' }, 5);
    expect(r.render()).toBe(
      [
        '# HELP errors_total Errors by kind.',
        '# TYPE errors_total counter',
        'errors_total{kind="bad_image"} 3',
        '# HELP queue_depth Waiting.',
        '# TYPE queue_depth gauge',
        'queue_depth{model="m"} 3',
        '# HELP latency_seconds Latency.',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{route="/x",le="0.01"} 1',
        'latency_seconds_bucket{route="/x",le="0.1"} 2',
        'latency_seconds_bucket{route="/x",le="+Inf"} 3',
        'latency_seconds_sum{route="/x"} 5.055',
        'latency_seconds_count{route="/x"} 3',
        '',
      ].join('\n'),
    );
    expect(h.get({ route: '/x' })).toEqual({ count: 3, sum: 5.055 });
  });

  it('escapes label values and rejects bad names and buckets', () => {
    const c = new Counter('c', 'x');
    c.inc({ path: 'a"b\\c\nd' });
    expect(c.render()).toContain('c{path="a\\"b\\\\c\\nd"} 1');
    expect(() => new Counter('bad-name', 'x')).toThrow(/invalid metric name bad-name/);
    expect(() => new Histogram('h', 'x', [1, 1])).toThrow(/buckets must increase/);
  });

  it('merges several processes into one exposition: each header once, series labelled by process', () => {
    const make = (n: number) => {
      const r = new Registry();
      r.add(new Counter('requests_total', 'Requests.')).inc({ code: '200' }, n);
      r.add(new Histogram('size', 'Sizes.', [1])).observe({ model: 'm' }, n);
      return r;
    };
    const text = Registry.merge([make(1).texts({ process: '0' }), make(2).texts({ process: '1' })]);
    expect(text).toBe(
      [
        '# HELP requests_total Requests.',
        '# TYPE requests_total counter',
        'requests_total{process="0",code="200"} 1',
        'requests_total{process="1",code="200"} 2',
        '# HELP size Sizes.',
        '# TYPE size histogram',
        'size_bucket{process="0",model="m",le="1"} 1',
        'size_bucket{process="0",model="m",le="+Inf"} 1',
        'size_sum{process="0",model="m"} 1',
        'size_count{process="0",model="m"} 1',
        'size_bucket{process="1",model="m",le="1"} 0',
        'size_bucket{process="1",model="m",le="+Inf"} 1',
        'size_sum{process="1",model="m"} 2',
        'size_count{process="1",model="m"} 1',
        '',
      ].join('\n'),
    );
    // One process alone renders as before.
    expect(Registry.merge([make(1).texts()])).toBe(make(1).render());
  });
});
