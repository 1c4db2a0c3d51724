/**
 * Node's util.inspect, which console.log uses, prints a tensor as toString() does (Node only:
 * the browser run of the suite leaves out files that import Node built-ins).
 */
import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tensor } from './index.js';

describe('printing in Node', () => {
  it('renders through util.inspect and console.log formatting', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(inspect(x)).toBe(x.toString());
    expect(format(x)).toBe(x.toString()); // what console.log(x) prints
    expect(format('%o', x)).toBe(x.toString());
    expect(format('x = %s', tensor(2))).toBe('x = tensor(2.)');
    expect(format(tensor([true]))).toBe('tensor([True])');
    expect(inspect([tensor(1)])).toBe('[ tensor(1.) ]');
  });
});
