/**
 * dtypes and PyTorch's type promotion. The tables below are real PyTorch output
 * (torch.promote_types, torch.can_cast, torch.result_type, and the dtype of torch.addcmul for
 * three tensor operands) with torch.int64 renamed to gd's int32, which plays its role.
 */
import { describe, expect, it } from 'vitest';

import type { DType, PromotionOperand } from './dtype.js';
import {
  DEFAULT_FLOAT_DTYPE,
  DEFAULT_INT_DTYPE,
  DTYPES,
  canCast,
  checkDType,
  dtypeByteSize,
  dtypeOfTypedArray,
  isFloatingDType,
  promoteTypes,
  resultType,
  scalarDType,
  typedArrayConstructor,
} from './dtype.js';
import * as api from './index.js';

// torch.promote_types
const PROMOTE: [DType, DType, DType][] = [
  ['bool', 'bool', 'bool'],
  ['bool', 'int32', 'int32'],
  ['bool', 'float32', 'float32'],
  ['bool', 'float64', 'float64'],
  ['int32', 'bool', 'int32'],
  ['int32', 'int32', 'int32'],
  ['int32', 'float32', 'float32'],
  ['int32', 'float64', 'float64'],
  ['float32', 'bool', 'float32'],
  ['float32', 'int32', 'float32'],
  ['float32', 'float32', 'float32'],
  ['float32', 'float64', 'float64'],
  ['float64', 'bool', 'float64'],
  ['float64', 'int32', 'float64'],
  ['float64', 'float32', 'float64'],
  ['float64', 'float64', 'float64'],
];
// torch.can_cast(from, to)
const CAN_CAST: [DType, DType, boolean][] = [
  ['bool', 'bool', true],
  ['bool', 'int32', true],
  ['bool', 'float32', true],
  ['bool', 'float64', true],
  ['int32', 'bool', false],
  ['int32', 'int32', true],
  ['int32', 'float32', true],
  ['int32', 'float64', true],
  ['float32', 'bool', false],
  ['float32', 'int32', false],
  ['float32', 'float32', true],
  ['float32', 'float64', true],
  ['float64', 'bool', false],
  ['float64', 'int32', false],
  ['float64', 'float32', true],
  ['float64', 'float64', true],
];
// torch.result_type(a, b)
const RESULT_PAIRS: [PromotionOperand, PromotionOperand, DType][] = [
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'bool', ndim: 0 }, 'bool'],
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'bool', ndim: 1 }, 'bool'],
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'int32', ndim: 0 }, 'int32'],
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'int32', ndim: 1 }, 'int32'],
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'float32', ndim: 0 }, 'float32'],
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'float32', ndim: 1 }, 'float32'],
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'float64', ndim: 0 }, 'float64'],
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'float64', ndim: 1 }, 'float64'],
  [{ dtype: 'bool', ndim: 0 }, true, 'bool'],
  [{ dtype: 'bool', ndim: 0 }, 2, 'int32'],
  [{ dtype: 'bool', ndim: 0 }, 2.5, 'float32'],
  [{ dtype: 'bool', ndim: 1 }, { dtype: 'bool', ndim: 0 }, 'bool'],
  [{ dtype: 'bool', ndim: 1 }, { dtype: 'bool', ndim: 1 }, 'bool'],
  [{ dtype: 'bool', ndim: 1 }, { dtype: 'int32', ndim: 0 }, 'int32'],
  [{ dtype: 'bool', ndim: 1 }, { dtype: 'int32', ndim: 1 }, 'int32'],
  [{ dtype: 'bool', ndim: 1 }, { dtype: 'float32', ndim: 0 }, 'float32'],
  [{ dtype: 'bool', ndim: 1 }, { dtype: 'float32', ndim: 1 }, 'float32'],
  [{ dtype: 'bool', ndim: 1 }, { dtype: 'float64', ndim: 0 }, 'float64'],
  [{ dtype: 'bool', ndim: 1 }, { dtype: 'float64', ndim: 1 }, 'float64'],
  [{ dtype: 'bool', ndim: 1 }, true, 'bool'],
  [{ dtype: 'bool', ndim: 1 }, 2, 'int32'],
  [{ dtype: 'bool', ndim: 1 }, 2.5, 'float32'],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'bool', ndim: 0 }, 'int32'],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'bool', ndim: 1 }, 'int32'],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'int32', ndim: 0 }, 'int32'],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'int32', ndim: 1 }, 'int32'],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'float32', ndim: 0 }, 'float32'],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'float32', ndim: 1 }, 'float32'],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'float64', ndim: 0 }, 'float64'],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'float64', ndim: 1 }, 'float64'],
  [{ dtype: 'int32', ndim: 0 }, true, 'int32'],
  [{ dtype: 'int32', ndim: 0 }, 2, 'int32'],
  [{ dtype: 'int32', ndim: 0 }, 2.5, 'float32'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'bool', ndim: 0 }, 'int32'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'bool', ndim: 1 }, 'int32'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'int32', ndim: 0 }, 'int32'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'int32', ndim: 1 }, 'int32'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'float32', ndim: 0 }, 'float32'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'float32', ndim: 1 }, 'float32'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'float64', ndim: 0 }, 'float64'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'float64', ndim: 1 }, 'float64'],
  [{ dtype: 'int32', ndim: 1 }, true, 'int32'],
  [{ dtype: 'int32', ndim: 1 }, 2, 'int32'],
  [{ dtype: 'int32', ndim: 1 }, 2.5, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, { dtype: 'bool', ndim: 0 }, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, { dtype: 'bool', ndim: 1 }, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, { dtype: 'int32', ndim: 0 }, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, { dtype: 'int32', ndim: 1 }, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, { dtype: 'float32', ndim: 0 }, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, { dtype: 'float32', ndim: 1 }, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, { dtype: 'float64', ndim: 0 }, 'float64'],
  [{ dtype: 'float32', ndim: 0 }, { dtype: 'float64', ndim: 1 }, 'float64'],
  [{ dtype: 'float32', ndim: 0 }, true, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, 2, 'float32'],
  [{ dtype: 'float32', ndim: 0 }, 2.5, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, { dtype: 'bool', ndim: 0 }, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, { dtype: 'bool', ndim: 1 }, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, { dtype: 'int32', ndim: 0 }, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, { dtype: 'int32', ndim: 1 }, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, { dtype: 'float32', ndim: 0 }, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, { dtype: 'float32', ndim: 1 }, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, { dtype: 'float64', ndim: 0 }, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, { dtype: 'float64', ndim: 1 }, 'float64'],
  [{ dtype: 'float32', ndim: 1 }, true, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, 2, 'float32'],
  [{ dtype: 'float32', ndim: 1 }, 2.5, 'float32'],
  [{ dtype: 'float64', ndim: 0 }, { dtype: 'bool', ndim: 0 }, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, { dtype: 'bool', ndim: 1 }, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, { dtype: 'int32', ndim: 0 }, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, { dtype: 'int32', ndim: 1 }, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, { dtype: 'float32', ndim: 0 }, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, { dtype: 'float32', ndim: 1 }, 'float32'],
  [{ dtype: 'float64', ndim: 0 }, { dtype: 'float64', ndim: 0 }, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, { dtype: 'float64', ndim: 1 }, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, true, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, 2, 'float64'],
  [{ dtype: 'float64', ndim: 0 }, 2.5, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, { dtype: 'bool', ndim: 0 }, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, { dtype: 'bool', ndim: 1 }, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, { dtype: 'int32', ndim: 0 }, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, { dtype: 'int32', ndim: 1 }, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, { dtype: 'float32', ndim: 0 }, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, { dtype: 'float32', ndim: 1 }, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, { dtype: 'float64', ndim: 0 }, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, { dtype: 'float64', ndim: 1 }, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, true, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, 2, 'float64'],
  [{ dtype: 'float64', ndim: 1 }, 2.5, 'float64'],
  [true, { dtype: 'bool', ndim: 0 }, 'bool'],
  [true, { dtype: 'bool', ndim: 1 }, 'bool'],
  [true, { dtype: 'int32', ndim: 0 }, 'int32'],
  [true, { dtype: 'int32', ndim: 1 }, 'int32'],
  [true, { dtype: 'float32', ndim: 0 }, 'float32'],
  [true, { dtype: 'float32', ndim: 1 }, 'float32'],
  [true, { dtype: 'float64', ndim: 0 }, 'float64'],
  [true, { dtype: 'float64', ndim: 1 }, 'float64'],
  [2, { dtype: 'bool', ndim: 0 }, 'int32'],
  [2, { dtype: 'bool', ndim: 1 }, 'int32'],
  [2, { dtype: 'int32', ndim: 0 }, 'int32'],
  [2, { dtype: 'int32', ndim: 1 }, 'int32'],
  [2, { dtype: 'float32', ndim: 0 }, 'float32'],
  [2, { dtype: 'float32', ndim: 1 }, 'float32'],
  [2, { dtype: 'float64', ndim: 0 }, 'float64'],
  [2, { dtype: 'float64', ndim: 1 }, 'float64'],
  [2.5, { dtype: 'bool', ndim: 0 }, 'float32'],
  [2.5, { dtype: 'bool', ndim: 1 }, 'float32'],
  [2.5, { dtype: 'int32', ndim: 0 }, 'float32'],
  [2.5, { dtype: 'int32', ndim: 1 }, 'float32'],
  [2.5, { dtype: 'float32', ndim: 0 }, 'float32'],
  [2.5, { dtype: 'float32', ndim: 1 }, 'float32'],
  [2.5, { dtype: 'float64', ndim: 0 }, 'float64'],
  [2.5, { dtype: 'float64', ndim: 1 }, 'float64'],
];
// torch.addcmul(a, b, c).dtype (promotes over three tensor operands)
const RESULT_TRIPLES: [PromotionOperand, PromotionOperand, PromotionOperand, DType][] = [
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float32', ndim: 0 },
    { dtype: 'bool', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'bool', ndim: 0 },
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float64', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'float32', ndim: 0 },
    'float32',
  ],
  [
    { dtype: 'int32', ndim: 1 },
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float32', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'int32', ndim: 1 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'int32', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'int32', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float32', ndim: 0 },
    { dtype: 'float64', ndim: 1 },
    { dtype: 'int32', ndim: 0 },
    'float64',
  ],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'bool', ndim: 1 }, { dtype: 'bool', ndim: 0 }, 'int32'],
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'float32', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'bool', ndim: 0 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'int32', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float32', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'int32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'bool', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'int32', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'int32', ndim: 0 },
    'float32',
  ],
  [
    { dtype: 'bool', ndim: 0 },
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float32', ndim: 0 },
    'float32',
  ],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'int32', ndim: 1 }, { dtype: 'int32', ndim: 0 }, 'int32'],
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'bool', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'float32', ndim: 0 },
    { dtype: 'bool', ndim: 1 },
    { dtype: 'bool', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'float64', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'float64', ndim: 0 },
    { dtype: 'float64', ndim: 1 },
    { dtype: 'bool', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float64', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'bool', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'float32', ndim: 0 },
    { dtype: 'bool', ndim: 0 },
    { dtype: 'float32', ndim: 0 },
    'float32',
  ],
  [
    { dtype: 'float32', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'int32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float32', ndim: 0 },
    { dtype: 'int32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'int32', ndim: 0 },
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float64', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'float32', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float32', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float32', ndim: 1 },
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float32', ndim: 0 },
    'float32',
  ],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'bool', ndim: 1 }, { dtype: 'bool', ndim: 1 }, 'int32'],
  [
    { dtype: 'bool', ndim: 1 },
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float64', ndim: 1 },
    'float64',
  ],
  [{ dtype: 'int32', ndim: 0 }, { dtype: 'bool', ndim: 0 }, { dtype: 'bool', ndim: 1 }, 'int32'],
  [
    { dtype: 'float32', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'bool', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'bool', ndim: 0 },
    { dtype: 'float32', ndim: 0 },
    { dtype: 'float64', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'bool', ndim: 0 },
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'float32', ndim: 0 },
    { dtype: 'bool', ndim: 0 },
    { dtype: 'int32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'float32', ndim: 0 },
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float64', ndim: 0 },
    'float64',
  ],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'int32', ndim: 1 }, { dtype: 'bool', ndim: 0 }, 'int32'],
  [{ dtype: 'int32', ndim: 1 }, { dtype: 'int32', ndim: 1 }, { dtype: 'int32', ndim: 1 }, 'int32'],
  [
    { dtype: 'float32', ndim: 0 },
    { dtype: 'bool', ndim: 0 },
    { dtype: 'int32', ndim: 0 },
    'float32',
  ],
  [
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float32', ndim: 0 },
    { dtype: 'float64', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float32', ndim: 1 },
    { dtype: 'int32', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'int32', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'int32', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float32', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float32', ndim: 1 },
    { dtype: 'bool', ndim: 0 },
    { dtype: 'bool', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'bool', ndim: 0 },
    'float32',
  ],
  [
    { dtype: 'bool', ndim: 0 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'bool', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'int32', ndim: 0 },
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    { dtype: 'float32', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'bool', ndim: 0 },
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float32', ndim: 0 },
    'float32',
  ],
  [
    { dtype: 'int32', ndim: 1 },
    { dtype: 'int32', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float64', ndim: 0 },
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'float64', ndim: 0 },
    { dtype: 'int32', ndim: 0 },
    { dtype: 'int32', ndim: 0 },
    'float64',
  ],
  [{ dtype: 'bool', ndim: 0 }, { dtype: 'int32', ndim: 1 }, { dtype: 'bool', ndim: 1 }, 'int32'],
  [
    { dtype: 'float64', ndim: 0 },
    { dtype: 'float32', ndim: 0 },
    { dtype: 'bool', ndim: 0 },
    'float64',
  ],
  [
    { dtype: 'float64', ndim: 1 },
    { dtype: 'bool', ndim: 1 },
    { dtype: 'float64', ndim: 1 },
    'float64',
  ],
  [
    { dtype: 'bool', ndim: 0 },
    { dtype: 'float64', ndim: 0 },
    { dtype: 'float32', ndim: 1 },
    'float32',
  ],
  [
    { dtype: 'int32', ndim: 1 },
    { dtype: 'float32', ndim: 1 },
    { dtype: 'int32', ndim: 1 },
    'float32',
  ],
];

describe('dtype basics', () => {
  it('lists the four dtypes in promotion order and the defaults', () => {
    expect(DTYPES).toEqual(['bool', 'int32', 'float32', 'float64']);
    expect(DEFAULT_FLOAT_DTYPE).toBe('float32');
    expect(DEFAULT_INT_DTYPE).toBe('int32');
  });

  it('re-exports the public helpers from the package index', () => {
    expect(api.promoteTypes).toBe(promoteTypes);
    expect(api.resultType).toBe(resultType);
    expect(api.canCast).toBe(canCast);
    expect(api.DTYPES).toBe(DTYPES);
  });

  it('maps each dtype to its typed array and back', () => {
    const cases: [DType, unknown][] = [
      ['float32', Float32Array],
      ['float64', Float64Array],
      ['int32', Int32Array],
      ['bool', Uint8Array],
    ];
    for (const [dtype, ctor] of cases) {
      const C = typedArrayConstructor(dtype);
      expect(C).toBe(ctor);
      const buf = new C(3);
      expect(buf.length).toBe(3);
      expect(dtypeOfTypedArray(buf)).toBe(dtype);
      expect(buf.BYTES_PER_ELEMENT).toBe(dtypeByteSize(dtype));
    }
  });

  it('rejects unknown dtypes and typed arrays', () => {
    expect(() => typedArrayConstructor('int64' as DType)).toThrow(
      /unknown dtype "int64": expected one of bool, int32, float32, float64/,
    );
    expect(() => checkDType('float16')).toThrow(/unknown dtype "float16"/);
    expect(() => checkDType(undefined)).toThrow(/unknown dtype undefined/);
    for (const d of DTYPES) expect(() => checkDType(d)).not.toThrow();
    expect(() => dtypeOfTypedArray(new Int16Array(2) as never)).toThrow(
      /expected a Float32Array, Float64Array, Int32Array or Uint8Array/,
    );
  });

  it('knows floating dtypes and element sizes', () => {
    expect(DTYPES.filter(isFloatingDType)).toEqual(['float32', 'float64']);
    expect(DTYPES.map(dtypeByteSize)).toEqual([1, 4, 4, 8]);
  });
});

describe('promoteTypes (torch.promote_types)', () => {
  it.each(PROMOTE)('%s with %s gives %s', (a, b, expected) => {
    expect(promoteTypes(a, b)).toBe(expected);
  });

  it('is commutative and idempotent', () => {
    for (const a of DTYPES) {
      expect(promoteTypes(a, a)).toBe(a);
      for (const b of DTYPES) expect(promoteTypes(a, b)).toBe(promoteTypes(b, a));
    }
  });
});

describe('canCast (torch.can_cast)', () => {
  it.each(CAN_CAST)('%s into %s: %s', (from, to, expected) => {
    expect(canCast(from, to)).toBe(expected);
  });
});

describe('scalarDType', () => {
  it('types JS scalars as PyTorch types wrapped numbers', () => {
    expect(scalarDType(true)).toBe('bool');
    expect(scalarDType(false)).toBe('bool');
    expect(scalarDType(2)).toBe('int32');
    expect(scalarDType(-7)).toBe('int32');
    // JS cannot tell 2 from 2.0: an integral number is an int scalar.
    expect(scalarDType(2.0)).toBe('int32');
    expect(scalarDType(2.5)).toBe('float32');
    expect(scalarDType(NaN)).toBe('float32');
    expect(scalarDType(Infinity)).toBe('float32');
    expect(scalarDType(-Infinity)).toBe('float32');
  });
});

describe('resultType (torch.result_type)', () => {
  const show = (o: PromotionOperand): string =>
    typeof o === 'object' ? `${o.dtype}/${o.ndim}-d` : String(o);

  it.each(RESULT_PAIRS.map(([a, b, r]) => [show(a), show(b), r, a, b] as const))(
    '%s with %s gives %s',
    (_sa, _sb, expected, a, b) => {
      expect(resultType(a, b)).toBe(expected);
    },
  );

  it.each(RESULT_TRIPLES.map(([a, b, c, r]) => [show(a), show(b), show(c), r, a, b, c] as const))(
    '%s, %s, %s gives %s',
    (_sa, _sb, _sc, expected, a, b, c) => {
      expect(resultType(a, b, c)).toBe(expected);
    },
  );

  it('treats any ndim >= 1 alike and 0-d tensors as a lower priority', () => {
    expect(resultType({ dtype: 'float32', ndim: 3 }, { dtype: 'float64', ndim: 0 })).toBe(
      'float32',
    );
    expect(resultType({ dtype: 'float32', ndim: 3 }, { dtype: 'float64', ndim: 2 })).toBe(
      'float64',
    );
    expect(resultType({ dtype: 'int32', ndim: 4 }, { dtype: 'float64', ndim: 0 })).toBe('float64');
    expect(resultType({ dtype: 'bool', ndim: 2 }, { dtype: 'int32', ndim: 0 })).toBe('int32');
  });

  it('combines 0-d tensors with scalars before the dimensioned tensors', () => {
    // zero-dim float64 beats the wrapped float32; then a higher category over an int tensor.
    expect(resultType({ dtype: 'int32', ndim: 1 }, { dtype: 'float64', ndim: 0 }, 2.5)).toBe(
      'float64',
    );
    // a 0-d int with a float scalar is float32 (the default), which lifts an int tensor.
    expect(resultType({ dtype: 'int32', ndim: 1 }, { dtype: 'int32', ndim: 0 }, 2.5)).toBe(
      'float32',
    );
    // a float scalar never widens a float tensor
    expect(resultType({ dtype: 'float32', ndim: 1 }, 2.5, { dtype: 'float32', ndim: 0 })).toBe(
      'float32',
    );
    // bool tensor + int scalar + float 0-d: float
    expect(resultType({ dtype: 'bool', ndim: 1 }, 3, { dtype: 'float64', ndim: 0 })).toBe(
      'float64',
    );
    expect(resultType({ dtype: 'bool', ndim: 1 }, 3, true)).toBe('int32');
  });

  it('handles operands that are only scalars or only 0-d tensors', () => {
    expect(resultType()).toBe('float32');
    expect(resultType(2)).toBe('int32');
    expect(resultType(2.5)).toBe('float32');
    expect(resultType(true)).toBe('bool');
    expect(resultType(true, 2)).toBe('int32');
    expect(resultType(2, 0.5)).toBe('float32');
    expect(resultType({ dtype: 'float64', ndim: 0 })).toBe('float64');
    expect(resultType({ dtype: 'int32', ndim: 0 }, { dtype: 'float64', ndim: 0 })).toBe('float64');
    expect(resultType({ dtype: 'bool', ndim: 0 }, false)).toBe('bool');
  });
});
