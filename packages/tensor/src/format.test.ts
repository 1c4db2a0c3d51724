/**
 * formatTensor against PyTorch: every expected string below is `repr(t)` from real PyTorch
 * (python3-torch 1.13 with the 2.x `_Formatter`, which differs only when sci_mode is forced),
 * with `torch.float64` / `torch.int64` / `torch.bool` renamed to gd's float64 / int32 / bool.
 * Int cases were int64 tensors in PyTorch, so they carry no dtype suffix. Exceptions are marked:
 * one case where gd's shorter dtype name keeps a suffix on the line, and the edgeItems 0 cases,
 * written from the 2.x source.
 */

import { afterEach, describe, expect, it } from 'vitest';

import type { DType } from './dtype.js';
import type { FormatTensorOptions } from './format.js';
import { formatTensor, getPrintOptions, setPrintOptions } from './format.js';

interface Case {
  name: string;
  shape: number[];
  /** Row-major elements, or a function of the flat index for large tensors. */
  data: readonly number[] | ((i: number) => number);
  dtype: DType;
  options?: FormatTensorOptions;
  expected: string;
}

function format(
  shape: readonly number[],
  data: Case['data'],
  dtype: DType,
  options?: FormatTensorOptions,
): string {
  const get = typeof data === 'function' ? data : (i: number): number => data[i] ?? NaN;
  return formatTensor(shape, get, dtype, options);
}

const CASES: Case[] = [
  {
    name: 'fixed precision',
    shape: [2],
    data: [1, 2.5],
    dtype: 'float32',
    expected: 'tensor([1.0000, 2.5000])',
  },
  {
    name: 'whole floats use int mode',
    shape: [3],
    data: [1, 2, 3],
    dtype: 'float32',
    expected: 'tensor([1., 2., 3.])',
  },
  {
    name: 'small value switches to scientific',
    shape: [2],
    data: [1e-5, 1],
    dtype: 'float32',
    expected: 'tensor([1.0000e-05, 1.0000e+00])',
  },
  {
    name: 'max/min ratio over 1000 switches to scientific',
    shape: [2],
    data: [0.5, 600.25],
    dtype: 'float32',
    expected: 'tensor([5.0000e-01, 6.0025e+02])',
  },
  {
    name: 'whole floats with a ratio over 1000 go scientific',
    shape: [2],
    data: [1, 1001],
    dtype: 'float32',
    expected: 'tensor([1.0000e+00, 1.0010e+03])',
  },
  {
    name: 'values over 1e8 go scientific',
    shape: [2],
    data: [100000000, 200000000],
    dtype: 'float32',
    expected: 'tensor([1.0000e+08, 2.0000e+08])',
  },
  {
    name: 'float32 rounding of 123456789',
    shape: [1],
    data: [123456789],
    dtype: 'float32',
    expected: 'tensor([1.2346e+08])',
  },
  {
    name: 'float32 0.0001 is below 1e-4',
    shape: [2],
    data: [0.0001, 0.001],
    dtype: 'float32',
    expected: 'tensor([1.0000e-04, 1.0000e-03])',
  },
  {
    name: 'nan and infinities alone',
    shape: [3],
    data: [NaN, Infinity, -Infinity],
    dtype: 'float32',
    expected: 'tensor([nan, inf, -inf])',
  },
  {
    name: 'nan and inf are padded to the column width',
    shape: [3],
    data: [1.5, NaN, -Infinity],
    dtype: 'float32',
    expected: 'tensor([1.5000,    nan,   -inf])',
  },
  {
    name: 'nan in scientific mode',
    shape: [3],
    data: [1e-5, -1, NaN],
    dtype: 'float32',
    expected: 'tensor([ 1.0000e-05, -1.0000e+00,         nan])',
  },
  {
    name: 'negative zero in int mode',
    shape: [2],
    data: [-0, 1],
    dtype: 'float32',
    expected: 'tensor([-0., 1.])',
  },
  {
    name: 'negative zero in fixed mode',
    shape: [2],
    data: [-0, 0.5],
    dtype: 'float32',
    expected: 'tensor([-0.0000, 0.5000])',
  },
  {
    name: 'negative zero in scientific mode',
    shape: [2],
    data: [-0, 1e-5],
    dtype: 'float32',
    expected: 'tensor([-0.0000e+00, 1.0000e-05])',
  },
  {
    name: 'all zeros',
    shape: [2],
    data: [0, 0],
    dtype: 'float32',
    expected: 'tensor([0., 0.])',
  },
  {
    name: 'columns padded to the widest element',
    shape: [3],
    data: [-1.5, 10.25, 100.125],
    dtype: 'float32',
    expected: 'tensor([ -1.5000,  10.2500, 100.1250])',
  },
  {
    name: 'float32 values print their float32 rounding',
    shape: [3],
    data: [0.1, 0.2, 0.3],
    dtype: 'float32',
    expected: 'tensor([0.1000, 0.2000, 0.3000])',
  },
  {
    name: 'exact ties round half to even (fixed)',
    shape: [2],
    data: [0.03125, 0.15625],
    dtype: 'float32',
    expected: 'tensor([0.0312, 0.1562])',
  },
  {
    name: 'exact ties round half to even (scientific)',
    shape: [2],
    data: [1.5, 12344.5],
    dtype: 'float32',
    expected: 'tensor([1.5000e+00, 1.2344e+04])',
  },
  {
    name: 'scientific rounding carries into the exponent',
    shape: [2],
    data: [9.99995, 100000],
    dtype: 'float64',
    expected: 'tensor([1.0000e+01, 1.0000e+05], dtype=float64)',
  },
  {
    name: 'float64 thirds',
    shape: [2],
    data: [0.3333333333333333, 0.6666666666666666],
    dtype: 'float64',
    expected: 'tensor([0.3333, 0.6667], dtype=float64)',
  },
  {
    name: 'float64 subnormal',
    shape: [1],
    data: [5e-324],
    dtype: 'float64',
    expected: 'tensor([4.9407e-324], dtype=float64)',
  },
  {
    name: '0-d float',
    shape: [],
    data: [3.5],
    dtype: 'float32',
    expected: 'tensor(3.5000)',
  },
  {
    name: '0-d whole float',
    shape: [],
    data: [-2],
    dtype: 'float32',
    expected: 'tensor(-2.)',
  },
  {
    name: '0-d float64 in scientific mode',
    shape: [],
    data: [1e-8],
    dtype: 'float64',
    expected: 'tensor(1.0000e-08, dtype=float64)',
  },
  {
    name: '0-d nan',
    shape: [],
    data: [NaN],
    dtype: 'float32',
    expected: 'tensor(nan)',
  },
  {
    name: '0-d int',
    shape: [],
    data: [7],
    dtype: 'int32',
    expected: 'tensor(7)',
  },
  {
    name: '0-d bool',
    shape: [],
    data: [1],
    dtype: 'bool',
    expected: 'tensor(True)',
  },
  {
    name: 'empty 1-d',
    shape: [0],
    data: [],
    dtype: 'float32',
    expected: 'tensor([])',
  },
  {
    name: 'empty 2-d shows its size',
    shape: [0, 3],
    data: [],
    dtype: 'float32',
    expected: 'tensor([], size=(0, 3))',
  },
  {
    name: 'empty float64',
    shape: [0],
    data: [],
    dtype: 'float64',
    expected: 'tensor([], dtype=float64)',
  },
  {
    name: 'empty int shows the dtype',
    shape: [2, 0],
    data: [],
    dtype: 'int32',
    expected: 'tensor([], size=(2, 0), dtype=int32)',
  },
  {
    name: 'empty bool shows the dtype',
    shape: [0],
    data: [],
    dtype: 'bool',
    expected: 'tensor([], dtype=bool)',
  },
  {
    name: 'ints',
    shape: [3],
    data: [1, 2, 3],
    dtype: 'int32',
    expected: 'tensor([1, 2, 3])',
  },
  {
    name: 'ints padded to the widest',
    shape: [3],
    data: [-100, 5, 20],
    dtype: 'int32',
    expected: 'tensor([-100,    5,   20])',
  },
  {
    name: 'ints 2-d',
    shape: [2, 2],
    data: [1, 22, 333, 4],
    dtype: 'int32',
    expected: `tensor([[  1,  22],
        [333,   4]])`,
  },
  {
    name: 'bools are padded',
    shape: [2],
    data: [1, 0],
    dtype: 'bool',
    expected: 'tensor([ True, False])',
  },
  {
    name: 'bools 2-d',
    shape: [2, 2],
    data: [1, 0, 0, 1],
    dtype: 'bool',
    expected: `tensor([[ True, False],
        [False,  True]])`,
  },
  {
    name: 'bools wrap',
    shape: [20],
    data: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    dtype: 'bool',
    expected: `tensor([True, True, True, True, True, True, True, True, True, True, True, True,
        True, True, True, True, True, True, True, True])`,
  },
  {
    name: '2-d floats',
    shape: [2, 2],
    data: [1.5, -2.25, 3, 4],
    dtype: 'float32',
    expected: `tensor([[ 1.5000, -2.2500],
        [ 3.0000,  4.0000]])`,
  },
  {
    name: '3-d has blank lines between blocks',
    shape: [2, 3, 4],
    data: (i) => i,
    dtype: 'float32',
    expected: `tensor([[[ 0.,  1.,  2.,  3.],
         [ 4.,  5.,  6.,  7.],
         [ 8.,  9., 10., 11.]],

        [[12., 13., 14., 15.],
         [16., 17., 18., 19.],
         [20., 21., 22., 23.]]])`,
  },
  {
    name: '4-d',
    shape: [2, 2, 2, 2],
    data: (i) => i,
    dtype: 'int32',
    expected: `tensor([[[[ 0,  1],
          [ 2,  3]],

         [[ 4,  5],
          [ 6,  7]]],


        [[[ 8,  9],
          [10, 11]],

         [[12, 13],
          [14, 15]]]])`,
  },
  {
    name: 'long float row wraps',
    shape: [30],
    data: (i) => i / 3,
    dtype: 'float32',
    expected: `tensor([0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,
        3.0000, 3.3333, 3.6667, 4.0000, 4.3333, 4.6667, 5.0000, 5.3333, 5.6667,
        6.0000, 6.3333, 6.6667, 7.0000, 7.3333, 7.6667, 8.0000, 8.3333, 8.6667,
        9.0000, 9.3333, 9.6667])`,
  },
  {
    name: 'long int row wraps',
    shape: [50],
    data: (i) => i,
    dtype: 'int32',
    expected: `tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,
        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
        36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49])`,
  },
  {
    name: 'rows wrap inside a matrix',
    shape: [2, 20],
    data: (i) => i / 7,
    dtype: 'float32',
    expected: `tensor([[0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,
         1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,
         2.5714, 2.7143],
        [2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143, 3.8571, 4.0000,
         4.1429, 4.2857, 4.4286, 4.5714, 4.7143, 4.8571, 5.0000, 5.1429, 5.2857,
         5.4286, 5.5714]])`,
  },
  {
    name: 'summarised vector',
    shape: [2000],
    data: (i) => i,
    dtype: 'int32',
    expected: 'tensor([   0,    1,    2,  ..., 1997, 1998, 1999])',
  },
  {
    name: 'summarised matrix',
    shape: [40, 50],
    data: (i) => i,
    dtype: 'float32',
    expected: `tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,
         4.9000e+01],
        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,
         9.9000e+01],
        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,
         1.4900e+02],
        ...,
        [1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,
         1.8990e+03],
        [1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,
         1.9490e+03],
        [1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,
         1.9990e+03]])`,
  },
  {
    name: 'summarised 3-d',
    shape: [20, 20, 20],
    data: (i) => i,
    dtype: 'int32',
    expected: `tensor([[[   0,    1,    2,  ...,   17,   18,   19],
         [  20,   21,   22,  ...,   37,   38,   39],
         [  40,   41,   42,  ...,   57,   58,   59],
         ...,
         [ 340,  341,  342,  ...,  357,  358,  359],
         [ 360,  361,  362,  ...,  377,  378,  379],
         [ 380,  381,  382,  ...,  397,  398,  399]],

        [[ 400,  401,  402,  ...,  417,  418,  419],
         [ 420,  421,  422,  ...,  437,  438,  439],
         [ 440,  441,  442,  ...,  457,  458,  459],
         ...,
         [ 740,  741,  742,  ...,  757,  758,  759],
         [ 760,  761,  762,  ...,  777,  778,  779],
         [ 780,  781,  782,  ...,  797,  798,  799]],

        [[ 800,  801,  802,  ...,  817,  818,  819],
         [ 820,  821,  822,  ...,  837,  838,  839],
         [ 840,  841,  842,  ...,  857,  858,  859],
         ...,
         [1140, 1141, 1142,  ..., 1157, 1158, 1159],
         [1160, 1161, 1162,  ..., 1177, 1178, 1179],
         [1180, 1181, 1182,  ..., 1197, 1198, 1199]],

        ...,

        [[6800, 6801, 6802,  ..., 6817, 6818, 6819],
         [6820, 6821, 6822,  ..., 6837, 6838, 6839],
         [6840, 6841, 6842,  ..., 6857, 6858, 6859],
         ...,
         [7140, 7141, 7142,  ..., 7157, 7158, 7159],
         [7160, 7161, 7162,  ..., 7177, 7178, 7179],
         [7180, 7181, 7182,  ..., 7197, 7198, 7199]],

        [[7200, 7201, 7202,  ..., 7217, 7218, 7219],
         [7220, 7221, 7222,  ..., 7237, 7238, 7239],
         [7240, 7241, 7242,  ..., 7257, 7258, 7259],
         ...,
         [7540, 7541, 7542,  ..., 7557, 7558, 7559],
         [7560, 7561, 7562,  ..., 7577, 7578, 7579],
         [7580, 7581, 7582,  ..., 7597, 7598, 7599]],

        [[7600, 7601, 7602,  ..., 7617, 7618, 7619],
         [7620, 7621, 7622,  ..., 7637, 7638, 7639],
         [7640, 7641, 7642,  ..., 7657, 7658, 7659],
         ...,
         [7940, 7941, 7942,  ..., 7957, 7958, 7959],
         [7960, 7961, 7962,  ..., 7977, 7978, 7979],
         [7980, 7981, 7982,  ..., 7997, 7998, 7999]]])`,
  },
  {
    name: 'only long dimensions are summarised',
    shape: [2, 1001],
    data: (i) => i,
    dtype: 'int32',
    expected: `tensor([[   0,    1,    2,  ...,  998,  999, 1000],
        [1001, 1002, 1003,  ..., 1999, 2000, 2001]])`,
  },
  {
    name: 'hidden elements do not affect the format',
    shape: [1001],
    data: (i) => (i === 500 ? 1e-9 : i + 100.5),
    dtype: 'float32',
    expected: `tensor([ 100.5000,  101.5000,  102.5000,  ..., 1098.5000, 1099.5000,
        1100.5000])`,
  },
  {
    name: 'summarised floats wrap with the ... item',
    shape: [1001],
    data: (i) => i * 1000.5,
    dtype: 'float64',
    options: { lineWidth: 50 },
    expected: `tensor([      0.0000,    1000.5000,    2001.0000,
         ...,  998499.0000,  999499.5000,
        1000500.0000], dtype=float64)`,
  },
  {
    name: 'precision 2',
    shape: [2],
    data: [1.12345, -7.5],
    dtype: 'float32',
    options: { precision: 2 },
    expected: 'tensor([ 1.12, -7.50])',
  },
  {
    name: 'precision 0',
    shape: [2],
    data: [1.5, 2.5],
    dtype: 'float32',
    options: { precision: 0 },
    expected: 'tensor([2, 2])',
  },
  {
    name: 'precision 0 scientific',
    shape: [2],
    data: [1.5e-5, 2.5],
    dtype: 'float32',
    options: { precision: 0 },
    expected: 'tensor([1e-05, 2e+00])',
  },
  {
    name: 'threshold 5',
    shape: [10],
    data: (i) => i,
    dtype: 'int32',
    options: { threshold: 5 },
    expected: 'tensor([0, 1, 2,  ..., 7, 8, 9])',
  },
  {
    name: 'edge items 1',
    shape: [4, 5],
    data: (i) => i,
    dtype: 'float32',
    options: { threshold: 5, edgeItems: 1 },
    expected: `tensor([[ 0.,  ...,  4.],
        ...,
        [15.,  ..., 19.]])`,
  },
  {
    name: 'line width 40',
    shape: [12],
    data: (i) => i * 1.25,
    dtype: 'float32',
    options: { lineWidth: 40 },
    expected: `tensor([ 0.0000,  1.2500,  2.5000,
         3.7500,  5.0000,  6.2500,
         7.5000,  8.7500, 10.0000,
        11.2500, 12.5000, 13.7500])`,
  },
  {
    name: 'forced scientific',
    shape: [3],
    data: [1.5, -2.25, 100],
    dtype: 'float32',
    options: { sciMode: true },
    expected: 'tensor([ 1.5000e+00, -2.2500e+00,  1.0000e+02])',
  },
  {
    name: 'forced scientific on whole floats',
    shape: [2],
    data: [1, 20],
    dtype: 'float32',
    options: { sciMode: true },
    expected: 'tensor([1.0000e+00, 2.0000e+01])',
  },
  {
    name: 'forced scientific leaves all-zero tensors alone',
    shape: [2],
    data: [0, 0],
    dtype: 'float32',
    options: { sciMode: true },
    expected: 'tensor([0., 0.])',
  },
  {
    name: 'forced fixed',
    shape: [2],
    data: [1e-5, 1],
    dtype: 'float32',
    options: { sciMode: false },
    expected: 'tensor([0.0000, 1.0000])',
  },
  {
    name: 'forced fixed on large whole floats',
    shape: [2],
    data: [1, 1000000000],
    dtype: 'float32',
    options: { sciMode: false },
    expected: 'tensor([         1., 1000000000.])',
  },
  // PyTorch wraps the suffix here: 'dtype=torch.float64' is 6 characters longer than gd's; PyTorch gives:
  // tensor([100000000000000000000.0000,                     1.5000],
  //        dtype=torch.float64)
  {
    name: 'forced fixed prints every digit',
    shape: [2],
    data: [1e20, 1.5],
    dtype: 'float64',
    options: { sciMode: false },
    expected: 'tensor([100000000000000000000.0000,                     1.5000], dtype=float64)',
  },
  {
    name: 'forced fixed prints every digit (float32)',
    shape: [2],
    data: [1e20, 1.5],
    dtype: 'float32',
    options: { sciMode: false },
    expected: 'tensor([100000002004087734272.0000,                     1.5000])',
  },
  {
    name: 'dtype wraps when the line is full',
    shape: [9],
    data: (i) => i + 0.5,
    dtype: 'float64',
    expected: `tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000, 8.5000],
       dtype=float64)`,
  },
  {
    name: 'float64 matrix keeps the dtype on the last line',
    shape: [2, 2],
    data: [1, 2, 3, 4],
    dtype: 'float64',
    expected: `tensor([[1., 2.],
        [3., 4.]], dtype=float64)`,
  },
  {
    name: 'grad_fn suffix',
    shape: [2],
    data: [2, 4],
    dtype: 'float32',
    options: { suffixes: ['grad_fn=<MulBackward0>'] },
    expected: 'tensor([2., 4.], grad_fn=<MulBackward0>)',
  },
  {
    name: 'requires_grad suffix',
    shape: [2],
    data: [1, 2],
    dtype: 'float32',
    options: { suffixes: ['requires_grad=True'] },
    expected: 'tensor([1., 2.], requires_grad=True)',
  },
  {
    name: 'dtype comes before requires_grad',
    shape: [2],
    data: [1, 2],
    dtype: 'float64',
    options: { suffixes: ['requires_grad=True'] },
    expected: 'tensor([1., 2.], dtype=float64, requires_grad=True)',
  },
  {
    name: 'suffix wraps when the line is full',
    shape: [9],
    data: (i) => i + 0.5,
    dtype: 'float32',
    options: { suffixes: ['requires_grad=True'] },
    expected: `tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000, 8.5000],
       requires_grad=True)`,
  },
  {
    name: 'suffixes after a wrapped row',
    shape: [10],
    data: (i) => i + 0.5,
    dtype: 'float64',
    options: { suffixes: ['grad_fn=<MulBackward0>'] },
    expected: `tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000, 8.5000,
        9.5000], dtype=float64, grad_fn=<MulBackward0>)`,
  },
  {
    name: 'custom prefix sets the indent',
    shape: [2, 3],
    data: (i) => i,
    dtype: 'float32',
    options: { prefix: 'Foo(' },
    expected: `Foo([[0., 1., 2.],
     [3., 4., 5.]])`,
  },
];

afterEach(() => {
  setPrintOptions({ profile: 'default' });
});

describe('formatTensor matches PyTorch repr', () => {
  it.each(CASES)('$name', ({ shape, data, dtype, options, expected }) => {
    expect(format(shape, data, dtype, options)).toBe(expected);
  });
});

describe('edge items 0 (PyTorch 2.x prints only ... and the size)', () => {
  // Written from the 2.x source (_vector_str / _str_intern); 1.13 printed elements here instead.
  it('summarised vector', () => {
    expect(format([10], (i) => i, 'int32', { threshold: 5, edgeItems: 0 })).toBe(
      'tensor([...], size=(10,))',
    );
  });
  it('summarised matrix', () => {
    expect(format([4, 5], (i) => i, 'float64', { threshold: 5, edgeItems: 0 })).toBe(
      'tensor([...], size=(4, 5), dtype=float64)',
    );
  });
  it('unsummarised tensors still get the size', () => {
    expect(format([3], [1, 2, 3], 'int32', { edgeItems: 0 })).toBe('tensor([1, 2, 3], size=(3,))');
  });
});

describe('print options', () => {
  it('has PyTorch defaults', () => {
    expect(getPrintOptions()).toEqual({
      precision: 4,
      threshold: 1000,
      edgeItems: 3,
      lineWidth: 80,
      sciMode: undefined,
    });
  });

  it('short profile', () => {
    setPrintOptions({ profile: 'short' });
    expect(getPrintOptions()).toMatchObject({ precision: 2, edgeItems: 2 });
    expect(format([2000], (i) => i / 3, 'float32')).toBe(SHORT_SUMMARY);
    expect(format([1], [1.12345], 'float32')).toBe(SHORT_SCALAR);
  });

  it('full profile never summarises', () => {
    setPrintOptions({ profile: 'full' });
    expect(getPrintOptions().threshold).toBe(Infinity);
    expect(format([1001], () => 0, 'int32')).toBe(FULL_ZEROS);
  });

  it('a profile is applied before the other options', () => {
    setPrintOptions({ profile: 'short', precision: 3 });
    expect(getPrintOptions()).toMatchObject({ precision: 3, edgeItems: 2 });
  });

  it('global sciMode, reset by any later call as in PyTorch', () => {
    setPrintOptions({ sciMode: false });
    expect(format([2], [1e-5, 1], 'float32')).toBe(FIXED_FORCED);
    setPrintOptions({ precision: 2 });
    expect(getPrintOptions().sciMode).toBeUndefined();
    expect(format([2], [1e-5, 1], 'float32')).toBe(PRECISION_2);
    setPrintOptions({ profile: 'default' });
    expect(format([2], [1e-5, 1], 'float32')).toBe(DEFAULT_SCI);
  });

  it('per-call options override the global ones for that call only', () => {
    setPrintOptions({ precision: 2, sciMode: false });
    expect(format([2], [1e-5, 1], 'float32', { precision: 4, sciMode: true })).toBe(DEFAULT_SCI);
    expect(format([2], [1e-5, 1], 'float32')).toBe('tensor([0.00, 1.00])');
  });

  it('getPrintOptions returns a copy', () => {
    const options = getPrintOptions();
    options.precision = 9;
    expect(getPrintOptions().precision).toBe(4);
  });

  it('rejects invalid options', () => {
    expect(() => setPrintOptions({ precision: -1 })).toThrow(RangeError);
    expect(() => setPrintOptions({ edgeItems: 1.5 })).toThrow(RangeError);
    expect(() => setPrintOptions({ threshold: NaN })).toThrow(RangeError);
    expect(() => setPrintOptions({ profile: 'long' as 'full' })).toThrow(RangeError);
    expect(() => format([2], [1, 2], 'float32', { lineWidth: -3 })).toThrow(RangeError);
    expect(getPrintOptions().precision).toBe(4);
  });

  it('rejects invalid shapes', () => {
    expect(() => format([-1], [], 'float32')).toThrow(RangeError);
    expect(() => format([1.5], [], 'float32')).toThrow(RangeError);
  });
});

const SHORT_SUMMARY = 'tensor([0.00e+00, 3.33e-01,  ..., 6.66e+02, 6.66e+02])';
const SHORT_SCALAR = 'tensor([1.12])';
const FIXED_FORCED = 'tensor([0.0000, 1.0000])';
const PRECISION_2 = 'tensor([1.00e-05, 1.00e+00])';
const DEFAULT_SCI = 'tensor([1.0000e-05, 1.0000e+00])';
const FULL_ZEROS = `tensor([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])`;
