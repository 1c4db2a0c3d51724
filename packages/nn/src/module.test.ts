import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { manualSeed, ones, tensor, zeros } from '@gd/autograd';
import { Dropout, Linear, Module, ModuleList, Parameter, ReLU, Sequential } from './index.js';

class SimpleNN extends Module {
  layer1 = new Linear(10, 5);
  activation = new ReLU();
  layer2 = new Linear(5, 1);
  forward(x: Tensor): Tensor {
    return this.layer2.call(this.activation.call(this.layer1.call(x)));
  }
}

class DeepNN extends Module {
  layers: ModuleList;
  head: Linear;
  constructor() {
    super();
    this.layers = new ModuleList([new Linear(4, 3), new Linear(3, 3)]);
    this.head = new Linear(3, 2);
  }
  forward(x: Tensor): Tensor {
    for (const l of this.layers) x = l.call(x).relu();
    return this.head.call(x);
  }
}

/** A module with a persistent and a non-persistent buffer, and an explicit parameter. */
class WithBuffers extends Module {
  declare running: Tensor;
  declare scratch: Tensor;
  declare scale: Parameter;
  constructor() {
    super();
    this.registerParameter('scale', new Parameter(ones([2])));
    this.registerBuffer('running', zeros([2]));
    this.registerBuffer('scratch', zeros([3]), false);
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.scale);
  }
}

class Tied extends Module {
  a = new Linear(3, 3, false);
  b = new Linear(3, 3, false);
  constructor() {
    super();
    (this.b as { weight: Parameter }).weight = this.a.weight;
  }
  forward(x: Tensor): Tensor {
    return this.b.call(this.a.call(x));
  }
}

describe('registration', () => {
  it('finds parameters and modules by assignment, in assignment order', () => {
    const m = new SimpleNN();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'layer1.weight',
      'layer1.bias',
      'layer2.weight',
      'layer2.bias',
    ]);
    expect(m.namedChildren().map(([n]) => n)).toEqual(['layer1', 'activation', 'layer2']);
    expect(m.parameters()[0]).toBe(m.layer1.weight);
    expect(m.parameters().every((p) => p instanceof Parameter && p.requiresGrad)).toBe(true);
  });

  it('names nested parameters with dots through ModuleList and Sequential', () => {
    const m = new DeepNN();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'head.weight',
      'head.bias',
    ]);
    const s = new Sequential(new Linear(2, 2), new ReLU(), new Sequential(new Linear(2, 1)));
    expect(Object.keys(s.stateDict())).toEqual(['0.weight', '0.bias', '2.0.weight', '2.0.bias']);
    expect(m.namedParameters('net').map(([n]) => n)[0]).toBe('net.layers.0.weight');
  });

  it('registers explicitly: parameters, modules, persistent and non-persistent buffers', () => {
    const m = new WithBuffers();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['scale']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['running', 'scratch']);
    expect(m.buffers()).toEqual([m.running, m.scratch]);
    expect(Object.keys(m.stateDict())).toEqual(['scale', 'running']);
    m.registerModule('extra', new Linear(2, 2));
    m.addModule('extra2', new ReLU());
    expect(m.namedChildren().map(([n]) => n)).toEqual(['extra', 'extra2']);
    expect(m.numParameters()).toBe(2 + 6);
    m.registerParameter('scale', null);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['extra.weight', 'extra.bias']);
  });

  it('rejects bad names, wrong kinds and shadowing of existing attributes', () => {
    const m = new WithBuffers();
    expect(() => m.registerParameter('a.b', new Parameter(ones([1])))).toThrow(
      /can't be empty or contain "\."/,
    );
    expect(() => m.registerBuffer('', zeros([1]))).toThrow(/can't be empty/);
    expect(() => m.registerParameter('w', ones([1]) as unknown as Parameter)).toThrow(
      /cannot assign 'Tensor' object to parameter 'w' \(Parameter or null required\)/,
    );
    expect(() => m.registerBuffer('b', [1, 2] as unknown as Tensor)).toThrow(
      /cannot assign 'Array' object to buffer 'b'/,
    );
    expect(() => m.registerBuffer('b', zeros([1]), 'no' as unknown as boolean)).toThrow(
      'Module.registerBuffer: persistent must be a boolean, got the string "no"',
    );
    expect(() => m.registerModule('c', {} as unknown as Module<never[], unknown>)).toThrow(
      /is not a Module subclass/,
    );
    expect(() => m.registerBuffer('training', zeros([1]))).toThrow(
      /attribute 'training' already exists in WithBuffers/,
    );
    expect(() => m.registerModule('forward', new ReLU())).toThrow(
      /attribute 'forward' already exists/,
    );
  });

  it('lists a shared parameter (and a shared module) once', () => {
    const m = new Tied();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['a.weight']);
    expect(m.numParameters()).toBe(9);
    const shared = new Linear(2, 2);
    const s = new Sequential(shared, new ReLU(), shared);
    expect(s.parameters()).toHaveLength(2);
    expect(s.modules()).toHaveLength(3); // the Sequential, the Linear once, the ReLU
    expect(s.namedModules().map(([n]) => n)).toEqual(['', '0', '1']);
  });

  it('lists children, modules and namedModules', () => {
    const m = new DeepNN();
    expect(m.children()).toEqual([m.layers, m.head]);
    expect(m.namedModules().map(([n, mod]) => `${n}:${mod.typeName}`)).toEqual([
      ':DeepNN',
      'layers:ModuleList',
      'layers.0:Linear',
      'layers.1:Linear',
      'head:Linear',
    ]);
    expect(m.modules()[0]).toBe(m);
    expect(m.namedModules('net').map(([n]) => n)).toEqual([
      'net',
      'net.layers',
      'net.layers.0',
      'net.layers.1',
      'net.head',
    ]);
    expect(m.parameters(false)).toEqual([]);
    expect(m.head.parameters(false)).toHaveLength(2);
  });
});

describe('modes and gradients', () => {
  it('train and eval propagate to every descendant', () => {
    const m = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.5)));
    expect(m.modules().every((x) => x.training)).toBe(true);
    expect(m.eval()).toBe(m);
    expect(m.modules().map((x) => x.training)).toEqual([false, false, false, false]);
    m.train();
    expect(m.modules().every((x) => x.training)).toBe(true);
    m.train(false);
    expect(m.modules().some((x) => x.training)).toBe(false);
    expect(() => m.train('yes' as unknown as boolean)).toThrow(
      'Module.train: mode must be a boolean, got the string "yes"',
    );
  });

  it('train calls the children’s own train (overrides are honoured)', () => {
    const calls: boolean[] = [];
    class Spy extends ReLU {
      override train(mode = true): this {
        calls.push(mode);
        return super.train(mode);
      }
    }
    new Sequential(new Spy(), new Sequential(new Spy())).eval();
    expect(calls).toEqual([false, false]);
  });

  it('zeroGrad sets grads to null by default, or zeroes them in place', () => {
    const m = new SimpleNN();
    m.call(ones([3, 10]))
      .sum()
      .backward();
    const g = m.layer1.weight.grad!;
    expect(g.abs().sum().item()).toBeGreaterThan(0);
    m.zeroGrad(false);
    expect(m.layer1.weight.grad).toBe(g); // same tensor, zeroed
    expect(g.abs().sum().item()).toBe(0);
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.call(ones([3, 10]))
      .sum()
      .backward();
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    m.zeroGrad(); // no grads: nothing to do
  });

  it('apply visits children first, then the module itself', () => {
    const m = new DeepNN();
    const seen: string[] = [];
    expect(m.apply((x) => seen.push(x.typeName))).toBe(m);
    expect(seen).toEqual(['Linear', 'Linear', 'ModuleList', 'Linear', 'DeepNN']);
    // Typical use: re-initialise every Linear.
    m.apply((x) => {
      if (x instanceof Linear) x.weight.data.fill_(0.5);
    });
    expect(m.head.weight.toArray()).toEqual([
      [0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5],
    ]);
  });

  it('numParameters counts elements, optionally only trainable ones; requiresGrad_ freezes', () => {
    const m = new SimpleNN();
    expect(m.numParameters()).toBe(10 * 5 + 5 + 5 + 1);
    expect(m.layer1.requiresGrad_(false)).toBe(m.layer1);
    expect(m.numParameters(true)).toBe(6);
    expect(m.numParameters()).toBe(61);
    m.call(ones([2, 10]))
      .sum()
      .backward();
    expect(m.layer1.weight.grad).toBeNull();
    expect(m.layer2.weight.grad).not.toBeNull();
    m.requiresGrad_();
    expect(m.numParameters(true)).toBe(61);
  });
});

describe('state dicts', () => {
  it('stateDict is detached, shares storage and includes persistent buffers only', () => {
    const m = new WithBuffers();
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['scale', 'running']);
    expect(sd.scale!.requiresGrad).toBe(false);
    expect(sd.scale).not.toBeInstanceOf(Parameter);
    sd.scale!.fill_(3);
    expect(m.scale.toArray()).toEqual([3, 3]);
    sd.running!.fill_(7);
    expect(m.running.toArray()).toEqual([7, 7]);
  });

  it('loadStateDict copies values exactly and keeps parameter identity', () => {
    manualSeed(1);
    const a = new SimpleNN();
    manualSeed(2);
    const b = new SimpleNN();
    const w = b.layer1.weight;
    expect(b.layer1.weight.equal(a.layer1.weight)).toBe(false);
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.layer1.weight).toBe(w);
    expect(w.requiresGrad).toBe(true);
    for (const [k, v] of Object.entries(a.stateDict()))
      expect(b.stateDict()[k]!.toArray()).toEqual(v.toArray());
    // The values are copies: changing a does not change b.
    a.layer1.weight.data.fill_(0);
    expect(w.abs().sum().item()).toBeGreaterThan(0);
    // Buffers load too; a float64 source is converted to the parameter's dtype.
    const m = new WithBuffers();
    m.loadStateDict({ scale: tensor([0.1, 0.2], { dtype: 'float64' }), running: tensor([4, 5]) });
    expect(m.scale.dtype).toBe('float32');
    expect(Array.from(m.scale.value.data as Float32Array)).toEqual([
      Math.fround(0.1),
      Math.fround(0.2),
    ]);
    expect(m.running.toArray()).toEqual([4, 5]);
  });

  it('strict loading lists missing, unexpected and size-mismatched keys in one error', () => {
    const m = new SimpleNN();
    const sd = m.stateDict();
    const bad: Record<string, Tensor> = {
      ...sd,
      extra: zeros([1]),
      'layer2.weight': zeros([2, 5]),
    };
    delete bad['layer1.bias'];
    expect(() => m.loadStateDict(bad)).toThrow(
      'Error(s) in loading state_dict for SimpleNN:\n' +
        '\tMissing key(s) in state_dict: "layer1.bias".\n' +
        '\tUnexpected key(s) in state_dict: "extra".\n' +
        '\tsize mismatch for layer2.weight: copying a param with shape [2, 5] from checkpoint, the shape in current model is [1, 5].',
    );
    // Nothing was copied.
    expect(m.layer1.weight.equal(sd['layer1.weight']!)).toBe(true);
    expect(m.layer2.weight.abs().sum().item()).toBeGreaterThan(0);
  });

  it('non-strict loading returns the lists, but size mismatches still throw', () => {
    const m = new SimpleNN();
    const sd = m.stateDict();
    const partial: Record<string, Tensor> = { 'layer1.weight': zeros([5, 10]), junk: ones([2]) };
    const res = m.loadStateDict(partial, { strict: false });
    expect(res).toEqual({
      missingKeys: ['layer1.bias', 'layer2.weight', 'layer2.bias'],
      unexpectedKeys: ['junk'],
    });
    expect(m.layer1.weight.abs().sum().item()).toBe(0);
    expect(Object.keys(sd)).toHaveLength(4);
    expect(() => m.loadStateDict({ 'layer1.bias': zeros([4]) }, { strict: false })).toThrow(
      /size mismatch for layer1\.bias: copying a param with shape \[4\] from checkpoint, the shape in current model is \[5\]/,
    );
  });
});

describe('toString', () => {
  it('prints nested models like PyTorch, with camelCase options', () => {
    expect(new SimpleNN().toString()).toBe(
      [
        'SimpleNN(',
        '  (layer1): Linear(inFeatures=10, outFeatures=5, bias=true)',
        '  (activation): ReLU()',
        '  (layer2): Linear(inFeatures=5, outFeatures=1, bias=true)',
        ')',
      ].join('\n'),
    );
    expect(new DeepNN().toString()).toBe(
      [
        'DeepNN(',
        '  (layers): ModuleList(',
        '    (0): Linear(inFeatures=4, outFeatures=3, bias=true)',
        '    (1): Linear(inFeatures=3, outFeatures=3, bias=true)',
        '  )',
        '  (head): Linear(inFeatures=3, outFeatures=2, bias=true)',
        ')',
      ].join('\n'),
    );
    expect(new Sequential(new Linear(2, 3, false), new Dropout(0.2)).toString()).toBe(
      'Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=false)\n  (1): Dropout(p=0.2)\n)',
    );
    expect(new ReLU().toString()).toBe('ReLU()');
  });

  it('shows extraRepr above the children, and inspect uses toString', () => {
    class Scaled extends Module {
      inner = new ReLU();
      override extraRepr(): string {
        return 'scale=2';
      }
      forward(x: Tensor): Tensor {
        return this.inner.call(x).mul(2);
      }
    }
    const m = new Scaled();
    expect(m.toString()).toBe('Scaled(\n  scale=2\n  (inner): ReLU()\n)');
    const inspect = (m as unknown as Record<symbol, () => string>)[
      Symbol.for('nodejs.util.inspect.custom')
    ]!;
    expect(inspect.call(m)).toBe(m.toString());
  });

  it('Parameter prints with its header and requires grad', () => {
    const p = new Parameter(tensor([1, 2]));
    expect(p.toString()).toMatch(
      /^Parameter containing:\ntensor\(\[1\., 2\.\], requires_grad=True\)$/,
    );
    expect(new Parameter(tensor([1]), false).requiresGrad).toBe(false);
    expect(() => new Parameter(tensor([1], { dtype: 'int32' }))).toThrow(
      /only Tensors of floating point dtype can require gradients/,
    );
    // It shares storage with the tensor it wraps.
    const t = tensor([1, 2]);
    const q = new Parameter(t);
    t.fill_(9);
    expect(q.toArray()).toEqual([9, 9]);
  });
});
