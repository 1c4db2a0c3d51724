import { describe, expect, it } from 'vitest';
import { tensor } from '@gd/autograd';
import {
  Identity,
  Linear,
  Module,
  ModuleDict,
  ModuleList,
  ReLU,
  Sequential,
  Tanh,
} from './index.js';

describe('Sequential', () => {
  it('runs its modules in order', () => {
    const lin = new Linear(2, 2);
    lin.weight.data.copy_(
      tensor([
        [1, -1],
        [2, 0],
      ]),
    );
    lin.bias!.data.copy_(tensor([0, -5]));
    const s = new Sequential(lin, new ReLU());
    // [1, 3] -> [-2, 2-5=-3] -> relu -> [0, 0]; [3, 1] -> [2, 1]
    expect(
      s
        .call(
          tensor([
            [1, 3],
            [3, 1],
          ]),
        )
        .toArray(),
    ).toEqual([
      [0, 0],
      [2, 1],
    ]);
    expect(new Sequential().call(tensor([1, 2])).toArray()).toEqual([1, 2]);
  });

  it('at (negative counts from the end), indexing, length, iteration', () => {
    const a = new Linear(1, 1);
    const b = new ReLU();
    const c = new Tanh();
    const s = new Sequential(a, b, c);
    expect(s.length).toBe(3);
    expect(s.at(0)).toBe(a);
    expect(s.at(-1)).toBe(c);
    expect(s.at(-3)).toBe(a);
    expect(s[1]).toBe(b);
    expect([...s]).toEqual([a, b, c]);
    expect(() => s.at(3)).toThrow(/index 3 is out of range for a Sequential of length 3/);
    expect(() => s.at(-4)).toThrow(/index -4 is out of range/);
  });

  it('append, extend and slice (a new Sequential sharing the modules)', () => {
    const a = new Linear(2, 2);
    const s = new Sequential(a);
    expect(s.append(new ReLU())).toBe(s);
    s.extend([new Linear(2, 1), new Tanh()]);
    expect(s.namedChildren().map(([n, m]) => `${n}:${m.typeName}`)).toEqual([
      '0:Linear',
      '1:ReLU',
      '2:Linear',
      '3:Tanh',
    ]);
    const head = s.slice(0, 2);
    expect(head).toBeInstanceOf(Sequential);
    expect(head.length).toBe(2);
    expect(head.at(0)).toBe(a);
    expect(
      s
        .slice(-2)
        .namedChildren()
        .map(([n, m]) => `${n}:${m.typeName}`),
    ).toEqual(['0:Linear', '1:Tanh']);
    expect(Object.keys(s.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });
});

describe('ModuleList', () => {
  it('registers, indexes, slices, appends and extends', () => {
    const l = new ModuleList([new Linear(3, 3), new Linear(3, 2)]);
    expect(l.length).toBe(2);
    expect(l.at(-1).outFeatures).toBe(2);
    expect(l[0]!.inFeatures).toBe(3);
    expect(l.slice(0, -1)).toEqual([l.at(0)]);
    expect(l.append(new Linear(2, 1))).toBe(l);
    l.extend([new Linear(1, 1)]);
    expect(l.length).toBe(4);
    expect([...l].map((m) => m.outFeatures)).toEqual([3, 2, 1, 1]);
    expect(l.namedParameters().map(([n]) => n)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '2.weight',
      '2.bias',
      '3.weight',
      '3.bias',
    ]);
    expect(() => l.at(4)).toThrow(/index 4 is out of range for a ModuleList of length 4/);
    expect(new ModuleList().length).toBe(0);
  });

  it('is not callable', () => {
    const l = new ModuleList([new Identity()]);
    expect(() => (l as unknown as Module).call(tensor([1]))).toThrow(
      /ModuleList is not callable: iterate over it/,
    );
  });

  it('registers its modules in the parent', () => {
    class Net extends Module {
      blocks = new ModuleList([new Linear(2, 2), new Linear(2, 2)]);
      forward(x: ReturnType<typeof tensor>) {
        for (const b of this.blocks) x = b.call(x);
        return x;
      }
    }
    expect(new Net().numParameters()).toBe(12);
  });
});

describe('ModuleDict', () => {
  it('get, set, has, keys, values, entries, delete, iteration in insertion order', () => {
    const a = new Linear(1, 2);
    const b = new ReLU();
    const d = new ModuleDict<Module<never[], unknown>>({ z: a, b1: b });
    // Integer-like keys keep insertion order too (own-property order would put them first).
    d.set('10', new Tanh());
    d.set('2', new Identity());
    expect(d.keys()).toEqual(['z', 'b1', '10', '2']);
    expect([...d]).toEqual(['z', 'b1', '10', '2']);
    expect(d.length).toBe(4);
    expect(d.get('z')).toBe(a);
    expect(d.has('b1')).toBe(true);
    expect(d.has('nope')).toBe(false);
    expect(d.values()[1]).toBe(b);
    expect(d.entries().map(([k]) => k)).toEqual(['z', 'b1', '10', '2']);
    expect(d.namedModules().map(([n]) => n)).toEqual(['', 'z', 'b1', '10', '2']);
    expect(d.toString()).toBe(
      'ModuleDict(\n  (z): Linear(inFeatures=1, outFeatures=2, bias=true)\n  (b1): ReLU()\n  (10): Tanh()\n  (2): Identity()\n)',
    );
    // Replacing keeps the position.
    const t = new Tanh();
    d.set('z', t);
    expect(d.keys()[0]).toBe('z');
    expect(d.get('z')).toBe(t);
    expect(d.numParameters()).toBe(0);
    expect(d.delete('b1')).toBe(b);
    expect(d.keys()).toEqual(['z', '10', '2']);
    expect(() => d.get('b1')).toThrow(/ModuleDict has no module "b1"/);
    expect(() => d.get('toString')).toThrow(/ModuleDict has no module "toString"/);
    const fromPairs = new ModuleDict(new Map([['x', new Linear(2, 2)]]));
    expect(fromPairs.keys()).toEqual(['x']);
  });

  it('refuses keys that shadow its methods or state, and is not callable', () => {
    const d = new ModuleDict();
    expect(() => d.set('get', new ReLU())).toThrow(/attribute 'get' already exists/);
    expect(() => d.set('training', new ReLU())).toThrow(/attribute 'training' already exists/);
    expect(() => d.set('a.b', new ReLU())).toThrow(/can't be empty or contain "\."/);
    expect(() => (d as unknown as Module).call(tensor([1]))).toThrow(
      /ModuleDict is not callable: get a module by key/,
    );
  });
});
