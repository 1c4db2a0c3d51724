/**
 * Views: shapes, strides and storage offsets against PyTorch (every VIEW_CASES entry is the
 * shape, stride() and storage_offset() of the same expression on torch.arange(24.).reshape(2, 3, 4)),
 * errors, empty tensors, and that views alias their base.
 */
import { describe, expect, it } from 'vitest';

import type { NDArray } from './../index.js';
import { arange, tensor, zeros } from '../index.js';
import {
  expand,
  flatten,
  movedim,
  narrow,
  permute,
  reshape,
  select,
  slice,
  squeeze,
  t,
  transpose,
  unflatten,
  unsqueeze,
  view,
} from './views.js';

const VIEW_CASES: Record<
  string,
  { shape: number[]; strides: number[]; offset: number; values: number[] | null }
> = {
  'view(6,4)': {
    shape: [6, 4],
    strides: [4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'view(-1)': {
    shape: [24],
    strides: [1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'view(4,-1,3)': {
    shape: [4, 2, 3],
    strides: [6, 3, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'view(2,1,3,1,4)': {
    shape: [2, 1, 3, 1, 4],
    strides: [12, 12, 4, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'reshape(3,8)': {
    shape: [3, 8],
    strides: [8, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'transpose(0,2)': {
    shape: [4, 3, 2],
    strides: [1, 4, 12],
    offset: 0,
    values: [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23],
  },
  'transpose(-1,-2)': {
    shape: [2, 4, 3],
    strides: [12, 1, 4],
    offset: 0,
    values: [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23],
  },
  'permute(2,0,1)': {
    shape: [4, 2, 3],
    strides: [1, 12, 4],
    offset: 0,
    values: [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23],
  },
  'permute(-1,-3,-2)': {
    shape: [4, 2, 3],
    strides: [1, 12, 4],
    offset: 0,
    values: [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23],
  },
  T: {
    shape: [4, 3, 2],
    strides: [1, 4, 12],
    offset: 0,
    values: [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23],
  },
  mT: {
    shape: [2, 4, 3],
    strides: [12, 1, 4],
    offset: 0,
    values: [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23],
  },
  'select(0,1).t()': {
    shape: [4, 3],
    strides: [1, 4],
    offset: 12,
    values: [12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23],
  },
  'unsqueeze(0)': {
    shape: [1, 2, 3, 4],
    strides: [24, 12, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'unsqueeze(1)': {
    shape: [2, 1, 3, 4],
    strides: [12, 12, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'unsqueeze(-1)': {
    shape: [2, 3, 4, 1],
    strides: [12, 4, 1, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'unsqueeze(-2)': {
    shape: [2, 3, 1, 4],
    strides: [12, 4, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'narrow(1,1,2)': {
    shape: [2, 2, 4],
    strides: [12, 4, 1],
    offset: 4,
    values: [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'narrow(2,-3,2)': {
    shape: [2, 3, 2],
    strides: [12, 4, 1],
    offset: 1,
    values: [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22],
  },
  'narrow(0,2,0)': { shape: [0, 3, 4], strides: [12, 4, 1], offset: 24, values: [] },
  'select(1,2)': {
    shape: [2, 4],
    strides: [12, 1],
    offset: 8,
    values: [8, 9, 10, 11, 20, 21, 22, 23],
  },
  'select(-1,-1)': { shape: [2, 3], strides: [12, 4], offset: 3, values: [3, 7, 11, 15, 19, 23] },
  'slice(2,null,null,2)': {
    shape: [2, 3, 2],
    strides: [12, 4, 2],
    offset: 0,
    values: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22],
  },
  'slice(2,1,null,2)': {
    shape: [2, 3, 2],
    strides: [12, 4, 2],
    offset: 1,
    values: [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23],
  },
  'slice(1,-2)': {
    shape: [2, 2, 4],
    strides: [12, 4, 1],
    offset: 4,
    values: [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'slice(1,-100,100,2)': {
    shape: [2, 2, 4],
    strides: [12, 8, 1],
    offset: 0,
    values: [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23],
  },
  'slice(2,1,-1)': {
    shape: [2, 3, 2],
    strides: [12, 4, 1],
    offset: 1,
    values: [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22],
  },
  'slice(2,3,1)': { shape: [2, 3, 0], strides: [12, 4, 1], offset: 3, values: [] },
  'slice(0,1,2)': {
    shape: [1, 3, 4],
    strides: [12, 4, 1],
    offset: 12,
    values: [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'movedim(0,-1)': {
    shape: [3, 4, 2],
    strides: [4, 1, 12],
    offset: 0,
    values: [0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23],
  },
  'movedim([0,1],[2,0])': {
    shape: [3, 4, 2],
    strides: [4, 1, 12],
    offset: 0,
    values: [0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23],
  },
  'movedim(-1,0)': {
    shape: [4, 2, 3],
    strides: [1, 12, 4],
    offset: 0,
    values: [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23],
  },
  'flatten()': {
    shape: [24],
    strides: [1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'flatten(1)': {
    shape: [2, 12],
    strides: [12, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'flatten(0,1)': {
    shape: [6, 4],
    strides: [4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'flatten(-2,-1)': {
    shape: [2, 12],
    strides: [12, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'unflatten(2,[2,2])': {
    shape: [2, 3, 2, 2],
    strides: [12, 4, 2, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'unflatten(-1,[-1,2])': {
    shape: [2, 3, 2, 2],
    strides: [12, 4, 2, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'unflatten(0,[1,2])': {
    shape: [1, 2, 3, 4],
    strides: [24, 12, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'narrow(1,0,1).expand(2,3,4)': {
    shape: [2, 3, 4],
    strides: [12, 0, 1],
    offset: 0,
    values: [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15],
  },
  'select(0,0).select(0,0).expand(3,4)': {
    shape: [3, 4],
    strides: [0, 1],
    offset: 0,
    values: [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3],
  },
  'narrow(1,0,1).expand(5,-1,-1,4)': {
    shape: [5, 2, 1, 4],
    strides: [0, 12, 4, 1],
    offset: 0,
    values: null,
  },
  'narrow(1,0,1).expand(1,2,1,4)': {
    shape: [1, 2, 1, 4],
    strides: [24, 12, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 12, 13, 14, 15],
  },
  'narrow(1,0,1).squeeze()': {
    shape: [2, 4],
    strides: [12, 1],
    offset: 0,
    values: [0, 1, 2, 3, 12, 13, 14, 15],
  },
  'narrow(1,0,1).squeeze(1)': {
    shape: [2, 4],
    strides: [12, 1],
    offset: 0,
    values: [0, 1, 2, 3, 12, 13, 14, 15],
  },
  'narrow(1,0,1).squeeze(0)': {
    shape: [2, 1, 4],
    strides: [12, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 12, 13, 14, 15],
  },
  'narrow(1,0,1).squeeze(-2)': {
    shape: [2, 4],
    strides: [12, 1],
    offset: 0,
    values: [0, 1, 2, 3, 12, 13, 14, 15],
  },
  'unsqueeze(0).unsqueeze(3).squeeze()': {
    shape: [2, 3, 4],
    strides: [12, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
  },
  'slice(2,null,null,2).view(6,2)': {
    shape: [6, 2],
    strides: [4, 2],
    offset: 0,
    values: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22],
  },
  'slice(2,null,null,2).view(12)': {
    shape: [12],
    strides: [2],
    offset: 0,
    values: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22],
  },
  'transpose(0,1).view(3,2,2,2)': {
    shape: [3, 2, 2, 2],
    strides: [4, 12, 2, 1],
    offset: 0,
    values: [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23],
  },
  'transpose(1,2).reshape(2,12)': {
    shape: [2, 12],
    strides: [12, 1],
    offset: 0,
    values: [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23],
  },
  'transpose(0,1).unsqueeze(1)': {
    shape: [3, 1, 2, 4],
    strides: [4, 24, 12, 1],
    offset: 0,
    values: [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23],
  },
  'slice(1,null,null,2).unsqueeze(2)': {
    shape: [2, 2, 1, 4],
    strides: [12, 8, 4, 1],
    offset: 0,
    values: [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23],
  },
  'permute(2,0,1).flatten(1)': {
    shape: [4, 6],
    strides: [1, 4],
    offset: 0,
    values: [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23],
  },
  'select(2,1).flatten()': { shape: [6], strides: [4], offset: 1, values: [1, 5, 9, 13, 17, 21] },
};

const base = (): NDArray => arange(24, { dtype: 'float32' }).view(2, 3, 4);

const EXPRS: Record<keyof typeof VIEW_CASES, (x: NDArray) => NDArray> = {
  'view(6,4)': (x) => x.view(6, 4),
  'view(-1)': (x) => x.view(-1),
  'view(4,-1,3)': (x) => x.view([4, -1, 3]),
  'view(2,1,3,1,4)': (x) => x.view(2, 1, 3, 1, 4),
  'reshape(3,8)': (x) => x.reshape(3, 8),
  'transpose(0,2)': (x) => x.transpose(0, 2),
  'transpose(-1,-2)': (x) => x.transpose(-1, -2),
  'permute(2,0,1)': (x) => x.permute(2, 0, 1),
  'permute(-1,-3,-2)': (x) => x.permute([-1, -3, -2]),
  T: (x) => x.T,
  mT: (x) => x.mT,
  'select(0,1).t()': (x) => x.select(0, 1).t(),
  'unsqueeze(0)': (x) => x.unsqueeze(0),
  'unsqueeze(1)': (x) => x.unsqueeze(1),
  'unsqueeze(-1)': (x) => x.unsqueeze(-1),
  'unsqueeze(-2)': (x) => x.unsqueeze(-2),
  'narrow(1,1,2)': (x) => x.narrow(1, 1, 2),
  'narrow(2,-3,2)': (x) => x.narrow(2, -3, 2),
  'narrow(0,2,0)': (x) => x.narrow(0, 2, 0),
  'select(1,2)': (x) => x.select(1, 2),
  'select(-1,-1)': (x) => x.select(-1, -1),
  'slice(2,null,null,2)': (x) => x.slice(2, null, null, 2),
  'slice(2,1,null,2)': (x) => x.slice(2, 1, null, 2),
  'slice(1,-2)': (x) => x.slice(1, -2),
  'slice(1,-100,100,2)': (x) => x.slice(1, -100, 100, 2),
  'slice(2,1,-1)': (x) => x.slice(2, 1, -1),
  'slice(2,3,1)': (x) => x.slice(2, 3, 1),
  'slice(0,1,2)': (x) => x.slice(0, 1, 2),
  'movedim(0,-1)': (x) => x.movedim(0, -1),
  'movedim([0,1],[2,0])': (x) => x.movedim([0, 1], [2, 0]),
  'movedim(-1,0)': (x) => x.movedim(-1, 0),
  'flatten()': (x) => x.flatten(),
  'flatten(1)': (x) => x.flatten(1),
  'flatten(0,1)': (x) => x.flatten(0, 1),
  'flatten(-2,-1)': (x) => x.flatten(-2, -1),
  'unflatten(2,[2,2])': (x) => x.unflatten(2, [2, 2]),
  'unflatten(-1,[-1,2])': (x) => x.unflatten(-1, [-1, 2]),
  'unflatten(0,[1,2])': (x) => x.unflatten(0, [1, 2]),
  'narrow(1,0,1).expand(2,3,4)': (x) => x.narrow(1, 0, 1).expand(2, 3, 4),
  'select(0,0).select(0,0).expand(3,4)': (x) => x.select(0, 0).select(0, 0).expand([3, 4]),
  'narrow(1,0,1).expand(5,-1,-1,4)': (x) => x.narrow(1, 0, 1).expand(5, -1, -1, 4),
  'narrow(1,0,1).expand(1,2,1,4)': (x) => x.narrow(1, 0, 1).expand(1, 2, 1, 4),
  'narrow(1,0,1).squeeze()': (x) => x.narrow(1, 0, 1).squeeze(),
  'narrow(1,0,1).squeeze(1)': (x) => x.narrow(1, 0, 1).squeeze(1),
  'narrow(1,0,1).squeeze(0)': (x) => x.narrow(1, 0, 1).squeeze(0),
  'narrow(1,0,1).squeeze(-2)': (x) => x.narrow(1, 0, 1).squeeze(-2),
  'unsqueeze(0).unsqueeze(3).squeeze()': (x) => x.unsqueeze(0).unsqueeze(3).squeeze(),
  'slice(2,null,null,2).view(6,2)': (x) => x.slice(2, null, null, 2).view(6, 2),
  'slice(2,null,null,2).view(12)': (x) => x.slice(2, null, null, 2).view(12),
  'transpose(0,1).view(3,2,2,2)': (x) => x.transpose(0, 1).view(3, 2, 2, 2),
  'transpose(1,2).reshape(2,12)': (x) => x.transpose(1, 2).reshape(2, 12),
  'transpose(0,1).unsqueeze(1)': (x) => x.transpose(0, 1).unsqueeze(1),
  'slice(1,null,null,2).unsqueeze(2)': (x) => x.slice(1, null, null, 2).unsqueeze(2),
  'permute(2,0,1).flatten(1)': (x) => x.permute(2, 0, 1).flatten(1),
  'select(2,1).flatten()': (x) => x.select(2, 1).flatten(),
};

// Copies (as in PyTorch, where these allocate): everything else must share x's storage.
const COPIES = new Set(['transpose(1,2).reshape(2,12)']);

describe('views match PyTorch shapes, strides and offsets', () => {
  it('covers every PyTorch case', () => {
    expect(Object.keys(EXPRS).sort()).toEqual(Object.keys(VIEW_CASES).sort());
  });

  it.each(Object.keys(VIEW_CASES))('%s', (name) => {
    const expected = VIEW_CASES[name]!;
    const x = base();
    const v = EXPRS[name]!(x);
    expect(v.shape).toEqual(expected.shape);
    expect(v.strides).toEqual(expected.strides);
    if (COPIES.has(name)) {
      expect(v.storage).not.toBe(x.storage);
      expect(v.offset).toBe(0);
    } else {
      expect(v.storage).toBe(x.storage);
      expect(v.offset).toBe(expected.offset);
    }
    if (expected.values !== null) expect(Array.from(v.contiguous().data)).toEqual(expected.values);
    expect(v.dtype).toBe('float32');
  });

  it('reads the big expand case element by element', () => {
    const v = base().narrow(1, 0, 1).expand(5, -1, -1, 4);
    const rows = v.toArray() as number[][][][];
    for (const r of rows) expect(r).toEqual([[[0, 1, 2, 3]], [[12, 13, 14, 15]]]);
  });
});

describe('functional forms agree with the methods', () => {
  it('gives the same views', () => {
    const x = base();
    const same = (a: NDArray, b: NDArray): void => {
      expect(a.shape).toEqual(b.shape);
      expect(a.strides).toEqual(b.strides);
      expect(a.offset).toBe(b.offset);
      expect(a.storage).toBe(b.storage);
    };
    same(view(x, [4, 6]), x.view(4, 6));
    same(reshape(x, [-1, 2]), x.reshape(-1, 2));
    same(transpose(x, 0, 1), x.transpose(0, 1));
    same(permute(x, [1, 2, 0]), x.permute(1, 2, 0));
    same(t(x.select(0, 0)), x.select(0, 0).t());
    same(squeeze(x.unsqueeze(0)), x);
    same(unsqueeze(x, 2), x.unsqueeze(2));
    same(expand(x.narrow(0, 0, 1), [3, 3, 4]), x.narrow(0, 0, 1).expand(3, 3, 4));
    same(flatten(x, 1, 2), x.flatten(1, 2));
    same(unflatten(x, 1, [3, 1]), x.unflatten(1, [3, 1]));
    same(narrow(x, 2, 1, 2), x.narrow(2, 1, 2));
    same(select(x, 2, 0), x.select(2, 0));
    same(slice(x, 1, 0, 3, 2), x.slice(1, 0, 3, 2));
    same(movedim(x, 2, 0), x.movedim(2, 0));
  });

  it("viewAs, reshapeAs and expandAs use the other tensor's shape", () => {
    const x = base();
    expect(x.viewAs(zeros([4, 6])).shape).toEqual([4, 6]);
    expect(x.transpose(0, 1).reshapeAs(zeros([6, 4])).shape).toEqual([6, 4]);
    expect(tensor([1, 2, 3, 4]).expandAs(zeros([2, 4])).strides).toEqual([0, 1]);
  });
});

describe('view and reshape', () => {
  it('refuses to view what strides cannot express, and names the shapes', () => {
    const x = base().transpose(0, 1);
    expect(() => x.view(-1)).toThrow(
      'cannot view a non-contiguous tensor of shape [3, 2, 4] (strides [4, 12, 1]) as [24]: use reshape',
    );
    expect(() => base().permute(2, 0, 1).view(8, 3)).toThrow(
      /cannot view a non-contiguous tensor of shape \[4, 2, 3\] \(strides \[1, 12, 4\]\) as \[8, 3\]: use reshape/,
    );
  });

  it('reshape copies only when a view is impossible', () => {
    const x = base();
    const v = x.reshape(4, 6);
    expect(v.storage).toBe(x.storage);
    const c = x.transpose(0, 1).reshape(-1);
    expect(c.storage).not.toBe(x.storage);
    expect(c.isContiguous()).toBe(true);
    expect(Array.from(c.data).slice(0, 8)).toEqual([0, 1, 2, 3, 12, 13, 14, 15]);
  });

  it('rejects bad shapes', () => {
    const x = base();
    expect(() => x.view(-1, -1)).toThrow('only one dimension can be inferred (-1)');
    expect(() => x.view(5, -1)).toThrow(
      'shape [5, -1] is invalid for input of size 24 (shape [2, 3, 4])',
    );
    expect(() => x.reshape(25)).toThrow(
      'shape [25] is invalid for input of size 24 (shape [2, 3, 4])',
    );
    expect(() => x.view(-2, 12)).toThrow('invalid shape dimension -2 in [-2, 12]');
  });

  it('handles 0-d and one-element tensors', () => {
    const s = tensor(5);
    expect(s.view(1, 1).shape).toEqual([1, 1]);
    expect(s.view(-1).shape).toEqual([1]);
    expect(s.reshape([]).shape).toEqual([]);
    expect(
      tensor([[7]])
        .view([])
        .item(),
    ).toBe(7);
    expect(s.view(1, 1).storage).toBe(s.storage);
  });

  it('handles empty tensors', () => {
    const e = zeros([2, 0, 3]);
    expect(e.view(-1).shape).toEqual([0]);
    const v = e.view(0, 6);
    expect(v.shape).toEqual([0, 6]);
    expect(v.strides).toEqual([6, 1]); // torch.zeros(2, 0, 3).view(0, 6).stride()
    expect(e.view(3, 0, 5).shape).toEqual([3, 0, 5]);
    expect(e.transpose(0, 2).reshape(6, 0).shape).toEqual([6, 0]);
    expect(() => e.view(-1, 0)).toThrow(
      'shape [-1, 0] is invalid for input of size 0 (shape [2, 0, 3])',
    );
  });
});

describe('transpose, permute, t, T, mT', () => {
  it('t() swaps a matrix and leaves 0-d and 1-d tensors as (new) views', () => {
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.t().toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const v = tensor([1, 2, 3]);
    const vt = v.t();
    expect(vt.shape).toEqual([3]);
    expect(vt.storage).toBe(v.storage);
    expect(tensor(3).t().shape).toEqual([]);
    expect(m.T.toArray()).toEqual(m.t().toArray());
    expect(m.mT.toArray()).toEqual(m.t().toArray());
  });

  it('rejects t() above 2-d and bad dims', () => {
    expect(() => base().t()).toThrow(
      't() expects a tensor with <= 2 dimensions, but got a 3-d tensor: use transpose or permute',
    );
    expect(() => base().transpose(0, 3)).toThrow(
      'dim 3 out of range for a 3-d tensor (expected a dim in [-3, 2])',
    );
    expect(() => base().permute(0, 1)).toThrow(
      "permute: number of dims don't match: the tensor has 3 dims but 2 were given ([0, 1])",
    );
    expect(() => base().permute(0, 1, -2)).toThrow('permute: repeated dim in [0, 1, -2]');
    expect(() => base().permute(0, 1, 3)).toThrow(/dim 3 out of range for a 3-d tensor/);
  });

  it('transposes 0-d tensors with dims 0 and -1', () => {
    const s = tensor(2);
    expect(s.transpose(0, -1).shape).toEqual([]);
    expect(s.permute().shape).toEqual([]);
    expect(s.T.shape).toEqual([]);
  });

  it('keeps empty dims', () => {
    const e = zeros([2, 0]);
    expect(e.t().shape).toEqual([0, 2]);
    expect(e.permute(1, 0).shape).toEqual([0, 2]);
    expect(zeros([0]).T.shape).toEqual([0]);
  });
});

describe('squeeze and unsqueeze', () => {
  it('squeezes all size-1 dims, or only the ones given', () => {
    const x = zeros([1, 3, 1, 2]);
    expect(x.squeeze().shape).toEqual([3, 2]);
    expect(x.squeeze(0).shape).toEqual([3, 1, 2]);
    expect(x.squeeze(-2).shape).toEqual([1, 3, 2]);
    expect(x.squeeze([0, 2]).shape).toEqual([3, 2]);
    expect(x.squeeze(1).shape).toEqual([1, 3, 1, 2]); // not size 1: left alone
    expect(zeros([1, 1]).squeeze().shape).toEqual([]);
    expect(tensor(1).squeeze().shape).toEqual([]);
    expect(tensor(1).squeeze(0).shape).toEqual([]);
    expect(zeros([1, 0]).squeeze().shape).toEqual([0]);
    expect(() => x.squeeze(4)).toThrow(
      'dim 4 out of range for a 4-d tensor (expected a dim in [-4, 3])',
    );
  });

  it('unsqueezes at any position, negative dims counting from ndim + 1', () => {
    const x = zeros([2, 3]);
    expect(x.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(x.unsqueeze(2).shape).toEqual([2, 3, 1]);
    expect(x.unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(x.unsqueeze(-3).shape).toEqual([1, 2, 3]);
    expect(tensor(4).unsqueeze(0).shape).toEqual([1]);
    expect(tensor(4).unsqueeze(-1).shape).toEqual([1]);
    expect(zeros([0]).unsqueeze(1).shape).toEqual([0, 1]);
    expect(() => x.unsqueeze(3)).toThrow(
      'dim 3 out of range for a 3-d tensor (expected a dim in [-3, 2])',
    );
    expect(() => x.unsqueeze(-4)).toThrow(/dim -4 out of range/);
  });
});

describe('expand', () => {
  it('broadcasts with stride 0 and never copies', () => {
    const col = tensor([[1], [2], [3]]);
    const e = col.expand(3, 4);
    expect(e.strides).toEqual([1, 0]);
    expect(e.storage).toBe(col.storage);
    expect(e.toArray()).toEqual([
      [1, 1, 1, 1],
      [2, 2, 2, 2],
      [3, 3, 3, 3],
    ]);
    expect(e.isContiguous()).toBe(false);
    // new leading dims
    const r = tensor([1, 2]).expand(2, 3, 2);
    expect(r.strides).toEqual([0, 0, 1]);
    expect(r.toArray()).toEqual([
      [
        [1, 2],
        [1, 2],
        [1, 2],
      ],
      [
        [1, 2],
        [1, 2],
        [1, 2],
      ],
    ]);
    // expanding a 0-d tensor
    expect(tensor(7).expand(2, 2).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(tensor(7).expand([]).shape).toEqual([]);
  });

  it('keeps PyTorch strides where no dim grows (torch: zeros(1, 3).expand(1, 3).stride() == (3, 1))', () => {
    expect(zeros([1, 3]).expand(1, 3).strides).toEqual([3, 1]);
    expect(zeros([3]).expand(1, 3).strides).toEqual([3, 1]);
    expect(zeros([3, 1]).expand(2, 1, 3, 4).strides).toEqual([0, 3, 1, 0]);
  });

  it('expands size-1 dims to 0 and keeps empty dims', () => {
    expect(zeros([1, 3]).expand(0, 3).shape).toEqual([0, 3]);
    expect(zeros([2, 0]).expand(4, 2, 0).shape).toEqual([4, 2, 0]);
    expect(zeros([1, 0]).expand(3, -1).shape).toEqual([3, 0]);
  });

  it('names the problem', () => {
    const x = zeros([2, 3]);
    expect(() => x.expand(2, 4)).toThrow(
      'the expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1: target shape [2, 4], tensor shape [2, 3]',
    );
    expect(() => x.expand(3)).toThrow(
      'expand: the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)',
    );
    expect(() => zeros([3]).expand(-1, 3)).toThrow(
      'expand: -1 is not allowed in a leading, non-existing dimension (dim 0)',
    );
    expect(() => x.expand(2, -2)).toThrow('expand: invalid size -2 in [2, -2]');
    expect(() => x.expand(2.5, 3)).toThrow(
      'expand: sizes must be integers or one array of integers, got number 2.5 at position 0',
    );
    expect(() => zeros([2, 0]).expand(2, 3)).toThrow(
      /the expanded size of the tensor \(3\) must match the existing size \(0\)/,
    );
  });
});

describe('flatten and unflatten', () => {
  it('flattens ranges of dims, 0-d to [1]', () => {
    expect(tensor(3).flatten().shape).toEqual([1]);
    expect(zeros([2, 0, 3]).flatten().shape).toEqual([0]);
    expect(zeros([2, 0, 3]).flatten(1).shape).toEqual([2, 0]);
    expect(zeros([2, 3]).flatten(1, 1).shape).toEqual([2, 3]);
    expect(() => zeros([2, 5, 3]).flatten(2, 1)).toThrow(
      'flatten: startDim (2) cannot come after endDim (1)',
    );
    expect(() => zeros([2, 3]).flatten(0, 2)).toThrow(/dim 2 out of range for a 2-d tensor/);
  });

  it('flattens non-contiguous tensors by copying', () => {
    const x = base();
    const f = x.transpose(0, 2).flatten();
    expect(f.storage).not.toBe(x.storage);
    expect(Array.from(f.data).slice(0, 4)).toEqual([0, 12, 4, 16]);
  });

  it('unflattens, inferring -1, on empty dims too', () => {
    expect(zeros([2, 0]).unflatten(1, [0, 5]).shape).toEqual([2, 0, 5]);
    expect(zeros([6]).unflatten(0, [3, -1]).shape).toEqual([3, 2]);
    // a non-contiguous dim splits without a copy
    const x = base().transpose(1, 2);
    const u = x.unflatten(1, [2, 2]);
    expect(u.storage).toBe(x.storage);
    expect(u.strides).toEqual([12, 2, 1, 4]);
  });

  it('names bad unflatten sizes', () => {
    expect(() => zeros([2, 5]).unflatten(1, [2, 2])).toThrow(
      "unflatten: provided sizes [2, 2] don't multiply up to the size of dim 1 (5) in the input tensor",
    );
    expect(() => zeros([2, 5]).unflatten(-1, [2, -1])).toThrow(
      /provided sizes \[2, -1\] don't multiply up to the size of dim -1 \(5\)/,
    );
    expect(() => zeros([2, 6]).unflatten(1, [])).toThrow(/provided sizes \[\]/);
    expect(() => zeros([2, 6]).unflatten(1, [-1, -1])).toThrow(
      'only one dimension can be inferred (-1)',
    );
  });
});

describe('narrow, select and slice', () => {
  it('narrows with negative starts and empty lengths', () => {
    const x = arange(5);
    expect(x.narrow(0, -2, 2).toArray()).toEqual([3, 4]);
    expect(x.narrow(0, 5, 0).shape).toEqual([0]);
    expect(x.narrow(0, -5, 5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(zeros([2, 0]).narrow(1, 0, 0).shape).toEqual([2, 0]);
  });

  it('names narrow errors', () => {
    const x = arange(5);
    expect(() => x.narrow(0, 3, 3)).toThrow(
      'narrow: start (3) + length (3) exceeds dimension size (5) of dim 0',
    );
    expect(() => x.narrow(0, 6, 0)).toThrow(
      'narrow: start 6 is out of range for dimension 0 of size 5',
    );
    expect(() => x.narrow(0, -6, 1)).toThrow(
      'narrow: start -6 is out of range for dimension 0 of size 5',
    );
    expect(() => x.narrow(0, 1, -1)).toThrow(/narrow: start \(1\) \+ length \(-1\)/);
    expect(() => tensor(1).narrow(0, 0, 1)).toThrow('narrow() cannot be applied to a 0-dim tensor');
    expect(() => x.narrow(1, 0, 1)).toThrow(/dim 1 out of range for a 1-d tensor/);
  });

  it('selects with negative indices, down to 0-d', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(x.select(0, -1).toArray()).toEqual([3, 4]);
    expect(x.select(1, 0).toArray()).toEqual([1, 3]);
    const s = x.select(0, 1).select(0, 0);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(3);
    expect(zeros([2, 0]).select(0, 1).shape).toEqual([0]);
  });

  it('names select errors', () => {
    expect(() => arange(5).select(0, 5)).toThrow(
      'index 5 is out of bounds for dimension 0 with size 5',
    );
    expect(() => arange(5).select(-1, -6)).toThrow(
      'index -6 is out of bounds for dimension 0 with size 5',
    );
    expect(() => zeros([3, 0]).select(1, 0)).toThrow(
      'index 0 is out of bounds for dimension 1 with size 0',
    );
    expect(() => tensor(1).select(0, 0)).toThrow('select() cannot be applied to a 0-dim tensor');
    expect(() => arange(5).select(0, 1.5)).toThrow(
      'select: index must be an integer, got number 1.5',
    );
  });

  it('slices like Python: negative and clamped bounds, steps', () => {
    const x = arange(10);
    expect(x.slice(0).toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(x.slice(0, -100, 100, 3).toArray()).toEqual([0, 3, 6, 9]); // torch.arange(10)[-100:100:3]
    expect(x.slice(0, -3).toArray()).toEqual([7, 8, 9]);
    expect(x.slice(0, null, -3).toArray()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(x.slice(0, 2, 8, 4).toArray()).toEqual([2, 6]);
    expect(x.slice(0, 1, null, 20).toArray()).toEqual([1]);
    expect(x.slice(0, 7, 3).toArray()).toEqual([]);
    expect(x.slice(0, 12).toArray()).toEqual([]);
    expect(x.slice(0, 12).offset).toBe(10);
    expect(zeros([0]).slice(0, 1, 5).shape).toEqual([0]);
    expect(zeros([2, 0]).slice(1, null, null, 2).shape).toEqual([2, 0]);
  });

  it('rejects non-positive or fractional steps', () => {
    expect(() => arange(5).slice(0, null, null, 0)).toThrow(
      'slice step must be a positive integer, got 0',
    );
    expect(() => arange(5).slice(0, null, null, -1)).toThrow(
      'slice step must be a positive integer, got -1',
    );
    expect(() => arange(5).slice(0, null, null, 1.5)).toThrow(
      'slice: step must be an integer, got number 1.5',
    );
    expect(() => arange(5).slice(2)).toThrow(/dim 2 out of range for a 1-d tensor/);
  });
});

describe('movedim', () => {
  it('moves one or several dims', () => {
    const x = zeros([2, 3, 4, 5]);
    expect(x.movedim([0, 3], [2, 0]).shape).toEqual([5, 3, 2, 4]); // torch: [5, 3, 2, 4]
    expect(x.movedim(1, 1).shape).toEqual([2, 3, 4, 5]);
    expect(x.movedim(-1, -3).shape).toEqual([2, 5, 3, 4]);
    expect(tensor(1).movedim(0, 0).shape).toEqual([]);
    const s = tensor(1);
    expect(s.movedim(0, -1).storage).toBe(s.storage);
  });

  it('names bad dims', () => {
    const x = zeros([2, 3, 4]);
    expect(() => x.movedim([0, 0], [1, 2])).toThrow('movedim: repeated dim in source [0, 0]');
    expect(() => x.movedim([0, -3], [1, 2])).toThrow('movedim: repeated dim in source [0, -3]');
    expect(() => x.movedim([0, 1], [2, 2])).toThrow('movedim: repeated dim in destination [2, 2]');
    expect(() => x.movedim([0, 1], [2])).toThrow(
      'movedim: source [0, 1] and destination [2] must have the same number of dims',
    );
    expect(() => x.movedim(3, 0)).toThrow(/dim 3 out of range for a 3-d tensor/);
  });
});

describe('views alias their base', () => {
  it('writes through t().select() into the base and bumps the shared version', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.version).toBe(0);
    const col = x.t().select(0, 1);
    col.fill_(7);
    expect(x.toArray()).toEqual([
      [1, 7, 3],
      [4, 7, 6],
    ]);
    expect(x.version).toBe(1);
    expect(col.version).toBe(1);
  });

  it('adds through narrow()', () => {
    const x = arange(12, { dtype: 'float64' }).view(3, 4);
    const v0 = x.version;
    x.narrow(1, 1, 2).add_(1);
    expect(x.toArray()).toEqual([
      [0, 2, 3, 3],
      [4, 6, 7, 7],
      [8, 10, 11, 11],
    ]);
    expect(x.version).toBe(v0 + 1);
  });

  it('multiplies through strided slices and a chain of views', () => {
    const x = arange(24).view(2, 3, 4);
    // p[k, i, j] = x[i, j, k]; k in {0, 2}, i = 1: x[1, :, 0] and x[1, :, 2] are multiplied
    x.permute(2, 0, 1).slice(0, null, null, 2).select(1, 1).mul_(10);
    expect(x.toArray()).toEqual([
      [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, 10, 11],
      ],
      [
        [120, 13, 140, 15],
        [160, 17, 180, 19],
        [200, 21, 220, 23],
      ],
    ]);
    expect(x.version).toBe(1);
  });

  it('sees base writes through an expanded view', () => {
    const b = tensor([[1], [2], [3]]);
    const e = b.expand(3, 4);
    b.select(0, 1).fill_(9);
    expect(e.toArray()).toEqual([
      [1, 1, 1, 1],
      [9, 9, 9, 9],
      [3, 3, 3, 3],
    ]);
    expect(e.version).toBe(1);
  });

  it('shares storage and version through view, reshape, squeeze, unsqueeze, movedim and unflatten', () => {
    const x = zeros([2, 3]);
    const views = [
      x.view(3, 2),
      x.reshape(-1),
      x.unsqueeze(0).squeeze(0),
      x.movedim(0, 1),
      x.unflatten(1, [3, 1]),
      x.flatten(),
      x.T,
    ];
    views.forEach((v, i) => {
      expect(v.storage).toBe(x.storage);
      v.add_(i + 1);
    });
    expect(x.version).toBe(views.length);
    expect(x.toArray()).toEqual([
      [28, 28, 28],
      [28, 28, 28],
    ]); // 1 + 2 + ... + 7
  });

  it('does not alias after clone(), contiguous() of a non-contiguous view, or a reshape that copies', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const copies = [x.clone(), x.t().contiguous(), x.t().reshape(4)];
    for (const c of copies) {
      expect(c.storage).not.toBe(x.storage);
      c.fill_(0);
    }
    expect(x.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(x.version).toBe(0);
  });
});
