/**
 * Elementwise semantics against PyTorch: the cases the registry's fixtures (registry.test.ts,
 * every op on grids of values, integers and bools) do not reach — dense erf/GELU tables, Python
 * floor division, broadcasting, promotion, in-place rules and errors. Every expected value is
 * real PyTorch output (python3-torch 1.13, CPU): float64 to 1e-12 (relative, or absolute below
 * 1), float32 to float tolerance, PyTorch's int64 standing for gd's int32.
 */
import { describe, expect, it } from 'vitest';

import type { BinaryOp, DType, NDArray } from '../index.js';
import { BINARY_OPS, arange, full, resultType, tensor, where, zeros } from '../index.js';
import { binaryOp, binaryOpInPlace, copyInto, promotedDType, unaryOp } from './elementwise.js';
import { erfScalar } from './registry/elementwise.js';

// ---- helpers ---------------------------------------------------------------------------------

const F64 = 1e-12;
const F32 = 1e-6;

function flatValues(t: NDArray): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const e of v) walk(e);
    else out.push(typeof v === 'boolean' ? Number(v) : (v as number));
  };
  walk(t.toArray());
  return out;
}

function nestedShape(v: unknown): number[] {
  const shape: number[] = [];
  let cur = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function flatNested(v: unknown): number[] {
  if (Array.isArray(v)) return v.flatMap((e) => flatNested(e));
  return [typeof v === 'boolean' ? Number(v) : (v as number)];
}

/** Whether `a` matches `e`: NaN only NaN, infinities exactly, else within tol·max(1, |e|). */
function close(a: number, e: number, tol: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
}

/** Indices (with values) where the elements differ, for readable failures. */
function mismatches(
  actual: readonly number[],
  expected: readonly (number | boolean)[],
  tol: number,
): string[] {
  const bad: string[] = [];
  if (actual.length !== expected.length) return [`length ${actual.length} != ${expected.length}`];
  for (let i = 0; i < expected.length; i++) {
    const e = Number(expected[i]);
    if (!close(actual[i]!, e, tol)) bad.push(`[${i}] got ${actual[i]} want ${e}`);
  }
  return bad.slice(0, 8);
}

function expectValues(t: NDArray, expected: readonly (number | boolean)[], tol = 0): void {
  expect(mismatches(flatValues(t), expected, tol)).toEqual([]);
}

/** Checks shape (from the nesting of `expected`), dtype when given, and values within tol. */
function expectTensor(actual: NDArray, expected: unknown, dtype?: DType, tol = 0): void {
  expect(actual.shape).toEqual(nestedShape(expected));
  if (dtype !== undefined) expect(actual.dtype).toBe(dtype);
  expect(mismatches(flatValues(actual), flatNested(expected), tol)).toEqual([]);
}

/** The sign bit of every zero in `t` must match `expected`'s (NaN and non-zero entries skipped). */
function zeroSigns(t: NDArray, expected: readonly (number | boolean)[]): string[] {
  const got = flatValues(t);
  const bad: string[] = [];
  expected.forEach((e, i) => {
    if (e === 0 && !Object.is(got[i], e))
      bad.push(
        `[${i}] got ${Object.is(got[i], -0) ? '-0' : got[i]} want ${Object.is(e, -0) ? '-0' : '0'}`,
      );
  });
  return bad;
}

const f64 = (data: number[] | number[][] | number): NDArray => tensor(data, { dtype: 'float64' });
const i32 = (data: number[] | number[][] | number): NDArray => tensor(data, { dtype: 'int32' });

// ---- golden data (generated with PyTorch) -----------------------------------------------------

const DENSE_X = [
  -10, -9.9, -9.8, -9.7, -9.6, -9.5, -9.4, -9.3, -9.2, -9.1, -9, -8.9, -8.8, -8.7, -8.6, -8.5, -8.4,
  -8.3, -8.2, -8.1, -8, -7.9, -7.8, -7.7, -7.6, -7.5, -7.4, -7.3, -7.2, -7.1, -7, -6.9, -6.8, -6.7,
  -6.6, -6.5, -6.4, -6.3, -6.2, -6.1, -6, -5.9, -5.8, -5.7, -5.6, -5.5, -5.4, -5.3, -5.2, -5.1, -5,
  -4.9, -4.8, -4.7, -4.6, -4.5, -4.4, -4.3, -4.2, -4.1, -4, -3.9, -3.8, -3.7, -3.6, -3.5, -3.4,
  -3.3, -3.2, -3.1, -3, -2.9, -2.8, -2.7, -2.6, -2.5, -2.4, -2.3, -2.2, -2.1, -2, -1.9, -1.8, -1.7,
  -1.6, -1.5, -1.4, -1.3, -1.2, -1.1, -1, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.1, 0,
  0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2,
  2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9, 3, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9, 4,
  4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9, 5, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5.8, 5.9, 6,
  6.1, 6.2, 6.3, 6.4, 6.5, 6.6, 6.7, 6.8, 6.9, 7, 7.1, 7.2, 7.3, 7.4, 7.5, 7.6, 7.7, 7.8, 7.9, 8,
  8.1, 8.2, 8.3, 8.4, 8.5, 8.6, 8.7, 8.8, 8.9, 9, 9.1, 9.2, 9.3, 9.4, 9.5, 9.6, 9.7, 9.8, 9.9, 10,
  -30, -27, -26.5, -15, -12.5, 12.5, 15, 26.5, 27, 30, 0.001, -0.001, 1e-300, -1e-300, 0.4999,
  0.5001, 3.9999, 4.0001, -3.9999, -4.0001,
];
const DENSE_ERF = [
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -0.9999999999999999,
  -0.9999999999999998, -0.9999999999999992, -0.9999999999999977, -0.9999999999999927,
  -0.9999999999999777, -0.9999999999999338, -0.9999999999998075, -0.9999999999994507,
  -0.9999999999984626, -0.999999999995781, -0.9999999999886479, -0.9999999999700474,
  -0.999999999922504, -0.9999999998033839, -0.999999999510829, -0.9999999988065282,
  -0.9999999971445058, -0.9999999932999724, -0.9999999845827421, -0.9999999652077514,
  -0.9999999229960725, -0.9999998328489421, -0.999999644137007, -0.9999992569016276,
  -0.9999984780066371, -0.9999969422902035, -0.9999939742388483, -0.9999883513426328,
  -0.9999779095030014, -0.9999589021219005, -0.9999249868053346, -0.9998656672600594,
  -0.9997639655834707, -0.999593047982555, -0.999311486103355, -0.9988568234026434,
  -0.9981371537020182, -0.997020533343667, -0.9953222650189527, -0.9927904292352575,
  -0.9890905016357308, -0.9837904585907745, -0.976348383344644, -0.9661051464753108,
  -0.9522851197626488, -0.9340079449406524, -0.9103139782296354, -0.8802050695740817,
  -0.8427007929497149, -0.7969082124228322, -0.7421009647076605, -0.6778011938374184,
  -0.6038560908479259, -0.5204998778130465, -0.42839235504666845, -0.3286267594591274,
  -0.22270258921047847, -0.1124629160182849, 0, 0.1124629160182849, 0.22270258921047847,
  0.3286267594591274, 0.42839235504666845, 0.5204998778130465, 0.6038560908479259,
  0.6778011938374184, 0.7421009647076605, 0.7969082124228322, 0.8427007929497149,
  0.8802050695740817, 0.9103139782296354, 0.9340079449406524, 0.9522851197626488,
  0.9661051464753108, 0.976348383344644, 0.9837904585907745, 0.9890905016357308, 0.9927904292352575,
  0.9953222650189527, 0.997020533343667, 0.9981371537020182, 0.9988568234026434, 0.999311486103355,
  0.999593047982555, 0.9997639655834707, 0.9998656672600594, 0.9999249868053346, 0.9999589021219005,
  0.9999779095030014, 0.9999883513426328, 0.9999939742388483, 0.9999969422902035,
  0.9999984780066371, 0.9999992569016276, 0.999999644137007, 0.9999998328489421, 0.9999999229960725,
  0.9999999652077514, 0.9999999845827421, 0.9999999932999724, 0.9999999971445058,
  0.9999999988065282, 0.999999999510829, 0.9999999998033839, 0.999999999922504, 0.9999999999700474,
  0.9999999999886479, 0.999999999995781, 0.9999999999984626, 0.9999999999994507, 0.9999999999998075,
  0.9999999999999338, 0.9999999999999777, 0.9999999999999927, 0.9999999999999977,
  0.9999999999999992, 0.9999999999999998, 0.9999999999999999, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1,
  -1, -1, 1, 1, 1, 1, 1, 0.0011283787909692365, -0.0011283787909692365, 1.1283791670955126e-300,
  -1.1283791670955126e-300, 0.5204119951613866, 0.5205877516768808, 0.9999999845700388,
  0.9999999845954353, -0.9999999845700388, -0.9999999845954353,
];
const DENSE_GELU = [
  -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -4.6074255521944e-16,
  -9.103828801926283e-16, -2.248201624865942e-15, -4.884981308350689e-15, -1.0963452368173421e-14,
  -2.424727085781342e-14, -5.257461133112429e-14, -1.1264322807846837e-13, -2.393918396847994e-13,
  -5.040301509495749e-13, -1.050359799137368e-12, -2.1674662065152005e-12, -4.428829525338074e-12,
  -8.958667141456544e-12, -1.7940982033337605e-11, -3.557067973503081e-11, -6.982068256888852e-11,
  -1.356820655828983e-10, -2.610399119085116e-10, -4.972061873331768e-10, -9.375839105096872e-10,
  -1.7503578475519533e-9, -3.23508818622642e-9, -5.919525869479969e-9, -1.0723296411940808e-8,
  -1.923132654235715e-8, -3.4145117100425894e-8, -6.001850545445109e-8, -1.0444259362918373e-7,
  -1.7993042196184918e-7, -3.0687710406152036e-7, -5.181501685047607e-7, -8.661163777012869e-7,
  -1.4332578593401202e-6, -2.34799805540753e-6, -3.8079751293551564e-6, -6.113795033418912e-6,
  -9.717291631483604e-6, -1.5289529061324192e-5, -2.3815193193788e-5, -3.6721593525324005e-5,
  -5.605214586679175e-5, -8.469577834144258e-5, -0.00012668496733247991, -0.00018757574166859968,
  -0.0002749225669155364, -0.000398859013866415, -0.0005727909245671903, -0.0008142017766243903,
  -0.0011455595033013077, -0.0015952996698664788, -0.0021988414013307533, -0.00299956996097695,
  -0.00404969409489031, -0.00541085857111373, -0.007154364925198186, -0.00936082926820982,
  -0.012119088861668703, -0.015524163314440398, -0.019674086219030773, -0.024665453049854295,
  -0.030587584529696902, -0.037515283181914785, -0.04550026389635842, -0.05456146365040341,
  -0.06467457440326639, -0.0757612866895231, -0.0876788667192927, -0.10021080190328704,
  -0.11305932292727941, -0.1258406299612934, -0.13808360426604993, -0.1492326670410209,
  -0.15865525393145702, -0.16565411281208353, -0.16948431886671733, -0.16937455655615108,
  -0.16455187065004412, -0.15426876936299344, -0.13783130335587032, -0.1146265733433142,
  -0.0841480581121794, -0.0460172162722971, 0, 0.053982783727702904, 0.11585194188782061,
  0.1853734266566858, 0.2621686966441297, 0.34573123063700656, 0.43544812934995586,
  0.5306254434438489, 0.6305156811332827, 0.7343458871879165, 0.841344746068543, 0.9507673329589791,
  1.0619163957339501, 1.1741593700387067, 1.2869406770727205, 1.399789198096713, 1.5123211332807074,
  1.6242387133104768, 1.7353254255967336, 1.8454385363495966, 1.9544997361036416,
  2.0624847168180853, 2.1694124154703034, 2.2753345469501456, 2.380325913780969, 2.4844758366855597,
  2.587880911138331, 2.6906391707317905, 2.792845635074802, 2.8945891414288862, 2.99595030590511,
  3.097000430039023, 3.1978011585986694, 3.2984047003301336, 3.3988544404966987, 3.4991857982233756,
  3.599427209075433, 3.699601140986134, 3.7997250774330844, 3.8998124242583314, 3.9998733150326675,
  4.099915304221658, 4.199943947854133, 4.299963278406475, 4.399976184806806, 4.4999847104709385,
  4.599990282708368, 4.699993886204966, 4.799996192024871, 4.899997652001945, 4.999998566742141,
  5.099999133883622, 5.199999481849832, 5.299999693122896, 5.399999820069579, 5.499999895557407,
  5.599999939981494, 5.699999965854883, 5.799999980768674, 5.899999989276703, 5.999999994080474,
  6.099999996764912, 6.199999998249643, 6.299999999062416, 6.399999999502794, 6.49999999973896,
  6.599999999864318, 6.69999999993018, 6.799999999964429, 6.899999999982059, 6.999999999991041,
  7.099999999995571, 7.199999999997832, 7.299999999998949, 7.399999999999496, 7.49999999999976,
  7.599999999999887, 7.699999999999947, 7.799999999999976, 7.89999999999999, 7.999999999999995,
  8.099999999999998, 8.199999999999998, 8.3, 8.4, 8.5, 8.6, 8.7, 8.8, 8.9, 9, 9.1, 9.2, 9.3, 9.4,
  9.5, 9.6, 9.7, 9.8, 9.9, 10, -0, -0, -0, -0, -0, 12.5, 15, 26.5, 27, 30, 0.000500398942213911,
  -0.000499601057786089, 5e-301, -5e-301, 0.3456444842052226, 0.34581798322993373,
  3.9997732646583324, 3.9999733653882665, -0.00012673534166769975, -0.00012663461173330492,
];
const DENSE_GELU_TANH = [
  -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0,
  -0, -0, -0, -0, -0, -7.882583474838611e-16, -2.3314683517128287e-15, -7.66053886991358e-15,
  -2.3780977187470852e-14, -7.289724379688778e-14, -2.1689317009077057e-13, -6.27831120425526e-13,
  -1.7667645124674892e-12, -4.836281375375506e-12, -1.2883627498183615e-11, -3.341245613519561e-11,
  -8.43964897967453e-11, -2.0771248054884952e-10, -4.983172874339914e-10, -1.1658327303543105e-9,
  -2.660935916054541e-9, -5.927640267522349e-9, -1.2893157541604696e-8, -2.739348816671594e-8,
  -5.6875633402952987e-8, -1.1544521635320492e-7, -2.2917961972623857e-7, -4.451491860346657e-7,
  -8.463372778599875e-7, -1.5756797556498726e-6, -2.873801967961942e-6, -5.136737411925996e-6,
  -9.001941250330604e-6, -1.5473167301932598e-5, -2.6097066957342375e-5, -4.3206385748101314e-5,
  -7.024594819227126e-5, -0.00011219769187020834, -0.00017611921714145716, -0.0002718060213921236,
  -0.0004125802141636159, -0.0006161976553737403, -0.0009058509834535822, -0.0013112281183358498,
  -0.0018695651620843634, -0.0026266102305497474, -0.0036373920817729943, -0.004966666235471478,
  -0.0066888936068791646, -0.008887594639467884, -0.011653917685242743, -0.015084266089998577,
  -0.019276846155601702, -0.024327029795919095, -0.030321472961988553, -0.037330995038887836,
  -0.04540230591222494, -0.05454876554466745, -0.0647404731540702, -0.07589410444884379,
  -0.08786303785563848, -0.10042842301976707, -0.11329193283880551, -0.1260709876826906,
  -0.13829723086213513, -0.14941895382548911, -0.1588080093917233, -0.1657715112902794,
  -0.16956830856355187, -0.16942986529488321, -0.16458480076918525, -0.15428599017485606,
  -0.13783883057264382, -0.11462907645724074, -0.08414857021789374, -0.04601724895456484, 0,
  0.053982751045435165, 0.11585142978210627, 0.18537092354275922, 0.2621611694273562,
  0.34571400982514394, 0.43541519923081473, 0.5305701347051167, 0.6304316914364482,
  0.7342284887097207, 0.8411919906082768, 0.9505810461745109, 1.0617027691378647,
  1.1739290123173094, 1.2867080671611943, 1.3995715769802328, 1.5121369621443617, 1.624105895551156,
  1.7352595268459299, 1.8454512344553327, 1.954597694087775, 2.062669004961112, 2.1696785270380117,
  2.2756729702040808, 2.3807231538443983, 2.484915733910001, 2.5883460823147573, 2.6911124053605326,
  2.7933111063931206, 2.895033333764528, 2.996362607918227, 3.0973733897694506, 3.198130434837916,
  3.2986887718816638, 3.399094149016546, 3.499383802344626, 3.599587419785837, 3.699728193978608,
  3.799823880782858, 3.89988780230813, 3.9999297540518075, 4.099956793614251, 4.199973902933043,
  4.299984526832698, 4.39999099805875, 4.499994863262588, 4.599997126198032, 4.699998424320245,
  4.799999153662722, 4.899999554850814, 4.999999770820381, 5.099999884554784, 5.199999943124367,
  5.2999999726065115, 5.399999987106843, 5.499999994072359, 5.599999997339064, 5.699999998834167,
  5.799999999501682, 5.899999999792288, 5.9999999999156035, 6.099999999966587, 6.199999999987116,
  6.299999999995164, 6.399999999998234, 6.499999999999372, 6.599999999999783, 6.699999999999927,
  6.799999999999976, 6.899999999999992, 6.999999999999997, 7.099999999999999, 7.2, 7.3, 7.4, 7.5,
  7.6, 7.7, 7.8, 7.9, 8, 8.1, 8.2, 8.3, 8.4, 8.5, 8.6, 8.7, 8.8, 8.9, 9, 9.1, 9.2, 9.3, 9.4, 9.5,
  9.6, 9.7, 9.8, 9.9, 10, -0, -0, -0, -0, -0, 12.5, 15, 26.5, 27, 30, 0.000500398942213582,
  -0.000499601057786418, 5e-301, -5e-301, 0.34562727591243514, 0.34580074989292164,
  3.9998297205321163, 4.000029787556758, -7.027946788341435e-5, -7.021244324205811e-5,
];
const DENSE_ERF_F32 = [
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -0.9999999403953552, -0.9999999403953552,
  -0.9999998211860657, -0.9999996423721313, -0.9999992847442627, -0.9999984502792358,
  -0.9999969601631165, -0.9999939799308777, -0.9999883770942688, -0.9999778866767883,
  -0.999958872795105, -0.9999249577522278, -0.9998656511306763, -0.9997639656066895,
  -0.9995930194854736, -0.9993115067481995, -0.9988568425178528, -0.9981371760368347,
  -0.9970205426216125, -0.9953222870826721, -0.9927904009819031, -0.9890905022621155,
  -0.9837904572486877, -0.9763484001159668, -0.9661051630973816, -0.95228511095047,
  -0.9340079426765442, -0.9103139638900757, -0.8802050948143005, -0.8427007794380188,
  -0.7969081997871399, -0.7421009540557861, -0.6778011918067932, -0.603856086730957,
  -0.5204998850822449, -0.42839235067367554, -0.3286267817020416, -0.22270259261131287,
  -0.11246291548013687, 0, 0.11246291548013687, 0.22270259261131287, 0.3286267817020416,
  0.42839235067367554, 0.5204998850822449, 0.603856086730957, 0.6778011918067932,
  0.7421009540557861, 0.7969081997871399, 0.8427007794380188, 0.8802050948143005,
  0.9103139638900757, 0.9340079426765442, 0.95228511095047, 0.9661051630973816, 0.9763484001159668,
  0.9837904572486877, 0.9890905022621155, 0.9927904009819031, 0.9953222870826721,
  0.9970205426216125, 0.9981371760368347, 0.9988568425178528, 0.9993115067481995,
  0.9995930194854736, 0.9997639656066895, 0.9998656511306763, 0.9999249577522278, 0.999958872795105,
  0.9999778866767883, 0.9999883770942688, 0.9999939799308777, 0.9999969601631165,
  0.9999984502792358, 0.9999992847442627, 0.9999996423721313, 0.9999998211860657,
  0.9999999403953552, 0.9999999403953552, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 0.001128378789871931,
  -0.001128378789871931, 0, -0, 0.520412027835846, 0.5205877423286438, 1, 1, -1, -1,
];
const DENSE_GELU_F32 = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1.6391277313232422e-7, -1.6093254373572563e-7,
  -3.159046286782541e-7, -4.649162121950212e-7, -9.119510195887415e-7, -1.4901161193847656e-6,
  -2.3365021206700476e-6, -3.862381163344253e-6, -6.16311990597751e-6, -9.73343867372023e-6,
  -1.5288591384887695e-5, -2.3865699404268526e-5, -3.677904896903783e-5, -5.607604543911293e-5,
  -8.47995252115652e-5, -0.00012671947479248047, -0.00018759370141196996, -0.00027496812981553376,
  -0.00039895178633742034, -0.0005729198455810547, -0.0008143335580825806, -0.0011457145446911454,
  -0.0015954941045492887, -0.002199077745899558, -0.002999812364578247, -0.004049867391586304,
  -0.005411091726273298, -0.007154535967856646, -0.009360963478684425, -0.012119203805923462,
  -0.015524178743362427, -0.019674040377140045, -0.02466542460024357, -0.03058750182390213,
  -0.037515126168727875, -0.045500099658966064, -0.05456135794520378, -0.0646744966506958,
  -0.07576125115156174, -0.08767886459827423, -0.10021086037158966, -0.11305940896272659,
  -0.1258406937122345, -0.13808366656303406, -0.14923271536827087, -0.1586552858352661,
  -0.16565407812595367, -0.16948428750038147, -0.1693745106458664, -0.16455182433128357,
  -0.1542687863111496, -0.13783134520053864, -0.11462658643722534, -0.08414804935455322,
  -0.04601721093058586, 0, 0.05398279055953026, 0.11585195362567902, 0.1853734254837036,
  0.26216867566108704, 0.3457311987876892, 0.43544819951057434, 0.5306254625320435,
  0.6305157542228699, 0.7343459129333496, 0.8413447141647339, 0.9507672786712646,
  1.0619163513183594, 1.174159288406372, 1.286940574645996, 1.3997890949249268, 1.5123211145401,
  1.6242388486862183, 1.7353254556655884, 1.8454385995864868, 1.9544999599456787,
  2.0624847412109375, 2.169412612915039, 2.275334596633911, 2.38032603263855, 2.48447585105896,
  2.5878806114196777, 2.690639019012451, 2.7928454875946045, 2.8945889472961426, 2.995950222015381,
  3.0970001220703125, 3.197800874710083, 3.2984044551849365, 3.3988544940948486, 3.499185562133789,
  3.5994269847869873, 3.699601173400879, 3.79972505569458, 3.8998124599456787, 3.999873161315918,
  4.099915027618408, 4.199943542480469, 4.299963474273682, 4.3999762535095215, 4.4999847412109375,
  4.599990367889404, 4.69999361038208, 4.799996376037598, 4.899997711181641, 4.999998569488525,
  5.099998950958252, 5.1999993324279785, 5.299999713897705, 5.400000095367432, 5.5,
  5.599999904632568, 5.699999809265137, 5.800000190734863, 5.900000095367432, 6, 6.099999904632568,
  6.199999809265137, 6.300000190734863, 6.400000095367432, 6.5, 6.599999904632568,
  6.699999809265137, 6.800000190734863, 6.900000095367432, 7, 7.099999904632568, 7.199999809265137,
  7.300000190734863, 7.400000095367432, 7.5, 7.599999904632568, 7.699999809265137,
  7.800000190734863, 7.900000095367432, 8, 8.100000381469727, 8.199999809265137, 8.300000190734863,
  8.399999618530273, 8.5, 8.600000381469727, 8.699999809265137, 8.800000190734863,
  8.899999618530273, 9, 9.100000381469727, 9.199999809265137, 9.300000190734863, 9.399999618530273,
  9.5, 9.600000381469727, 9.699999809265137, 9.800000190734863, 9.899999618530273, 10, 0, 0, 0, 0,
  0, 12.5, 15, 26.5, 27, 30, 0.0005003989208489656, -0.0004996011266484857, 0, 0, 0.345644474029541,
  0.34581801295280457, 3.9997732639312744, 3.9999732971191406, -0.00012683551176451147,
  -0.00012672264711000025,
];
const FLOORDIV_A = [1, -1, 7, 5.5, -5.5, 0.3, -0.3, 1e-300, 123456.789, -0];
const FLOORDIV_B = [0.1, 0.1, 0.7, 0.5, 0.5, 0.1, 0.1, 3, -0.001, 5];
const FLOORDIV_Q = [9, -10, 10, 11, -11, 2, -3, 0, -123456790, -0];
const FLOORDIV_R = [
  0.09999999999999995, 5.551115123125783e-17, 4.440892098500626e-16, 0, -0, 0.09999999999999998,
  2.7755575615628914e-17, 1e-300, -0.0009999999982625938, -0,
];

// ---- how each table op is reached from the public API ---------------------------------------

/** The gd call for each binary op; add/sub take the alpha the tables used. */
const BINARY_CALLS: Record<BinaryOp, (a: NDArray, b: NDArray, alpha: number) => NDArray> = {
  add: (a, b, alpha) => a.add(b, alpha),
  sub: (a, b, alpha) => a.sub(b, alpha),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  pow: (a, b) => a.pow(b),
  atan2: (a, b) => a.atan2(b),
  remainder: (a, b) => a.remainder(b),
  floorDivide: (a, b) => a.floorDivide(b),
  maximum: (a, b) => a.maximum(b),
  minimum: (a, b) => a.minimum(b),
  eq: (a, b) => a.eq(b),
  ne: (a, b) => a.ne(b),
  lt: (a, b) => a.lt(b),
  le: (a, b) => a.le(b),
  gt: (a, b) => a.gt(b),
  ge: (a, b) => a.ge(b),
  logicalAnd: (a, b) => a.logicalAnd(b),
  logicalOr: (a, b) => a.logicalOr(b),
  logicalXor: (a, b) => a.logicalXor(b),
};

// ---- unary ops --------------------------------------------------------------------------------

describe('unary ops against PyTorch', () => {
  it('erf matches PyTorch at 221 points, large |x| included (float64)', () => {
    expect(
      mismatches(
        DENSE_X.map((x) => erfScalar(x)),
        DENSE_ERF,
        F64,
      ),
    ).toEqual([]);
    expectValues(f64(DENSE_X).erf(), DENSE_ERF, F64);
    expectValues(tensor(DENSE_X, { dtype: 'float32' }).erf(), DENSE_ERF_F32, F32);
    // erf saturates to exactly ±1 and is odd
    expect(erfScalar(27)).toBe(1);
    expect(erfScalar(-30)).toBe(-1);
    expect(erfScalar(-0.3)).toBe(-erfScalar(0.3));
  });

  it('gelu (exact and tanh) matches PyTorch at 221 points, large |x| included', () => {
    expectValues(f64(DENSE_X).gelu(), DENSE_GELU, F64);
    expectValues(f64(DENSE_X).gelu('tanh'), DENSE_GELU_TANH, F64);
    expectValues(tensor(DENSE_X, { dtype: 'float32' }).gelu(), DENSE_GELU_F32, F32);
    // far tails: x for large x, (-)0 for very negative x, never NaN
    expectTensor(f64([30, -30, 1e300, -1e300]).gelu(), [30, 0, 1e300, 0], 'float64');
  });

  it('sigmoid at ±50 and ±800 is finite and exact (torch.sigmoid)', () => {
    expectTensor(
      f64([-50, 50, -800, 800]).sigmoid(),
      [1.928749847963918e-22, 1, 0, 1],
      'float64',
      F64,
    );
    expect(f64([-50]).sigmoid().item()).toBeGreaterThan(0);
    expectTensor(
      tensor([-50, 50, -800, 800]).sigmoid(),
      [1.9287498933537385e-22, 1, 0, 1],
      'float32',
      F32,
    );
  });

  it('softplus switches to x above threshold 20 (F.softplus)', () => {
    expectTensor(
      f64([19.99, 20, 20.01, -40, 40]).softplus(),
      [19.990000002081867, 20.000000002061153, 20.01, 4.248354255291589e-18, 40],
      'float64',
      F64,
    );
  });

  it('round is half-to-even (torch.round)', () => {
    const x = f64([
      0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.4999999999999996,
      4503599627370495.5, -4503599627370495.5, 1e300, -0.3,
    ]);
    const want = [0, 2, 2, 4, -0, -2, -2, 0, 2, 4503599627370496, -4503599627370496, 1e300, -0];
    expectTensor(x.round(), want, 'float64');
    expect(zeroSigns(x.round(), want)).toEqual([]);
    expectTensor(
      tensor([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 8388607.5, -8388607.5]).round(),
      [0, 2, 2, 4, -0, -2, -2, 8388608, -8388608],
      'float32',
    );
  });

  it('sign: NaN gives 0 and -0 gives +0, as torch.sign does', () => {
    const s = f64([NaN, -0, 0, -Infinity, 1e-300]).sign();
    expectTensor(s, [0, 0, 0, -1, 1], 'float64');
    expect(Object.is((s.toArray() as number[])[1], 0)).toBe(true);
    expectTensor(tensor([true, false]).sign(), [true, false], 'bool');
  });

  it('clamp with only min, only max, both, NaN passing through', () => {
    const x = f64([-3, -1, 0.5, 2, 7, NaN]);
    expectTensor(x.clamp(0), [0, 0, 0.5, 2, 7, NaN], 'float64');
    expectTensor(x.clamp(null, 1), [-3, -1, 0.5, 1, 1, NaN], 'float64');
    expectTensor(x.clamp(undefined, 1), [-3, -1, 0.5, 1, 1, NaN], 'float64');
    expectTensor(x.clamp(-1, 1), [-1, -1, 0.5, 1, 1, NaN], 'float64');
    expectTensor(x.clip(-1, 1), [-1, -1, 0.5, 1, 1, NaN], 'float64');
    // min > max: every element becomes max (torch.clamp)
    expectTensor(x.clamp(2, 1), [1, 1, 1, 1, 1, NaN], 'float64');
  });

  it('clamp throws when both bounds are missing', () => {
    const x = f64([1, 2]);
    expect(() => x.clamp()).toThrow(/clamp: at least one of 'min' or 'max' must not be None/);
    expect(() => x.clamp(null, null)).toThrow(/at least one of 'min' or 'max'/);
    expect(() => x.clamp_(undefined, null)).toThrow(/at least one of 'min' or 'max'/);
  });

  it('clamp promotes with its bounds like PyTorch (int tensor, float bound -> float32)', () => {
    expectTensor(i32([1, 2]).clamp(1.5), [1.5, 2], 'float32');
    expectTensor(i32([1, 2]).clamp(null, 1), [1, 1], 'int32');
    expectTensor(i32([1, 2]).clamp(0.5, 1), [1, 1], 'float32');
    expectTensor(tensor([true, false]).clamp(0, 1), [1, 0], 'int32');
    expect(() => i32([1, 2]).clamp_(1.5)).toThrow(
      /result type float32 of clamp_ can't be cast to the desired output type int32/,
    );
    const y = i32([-5, 0, 5]);
    expect(y.clamp_(-1, 1)).toBe(y);
    expectTensor(y, [-1, 0, 1], 'int32');
  });

  it('neg of a bool tensor throws, as in PyTorch', () => {
    expect(() => tensor([true, false]).neg()).toThrow(
      /Negation, the `-` operator, on a bool tensor is not supported/,
    );
    expect(() => tensor([true]).neg_()).toThrow(/Negation, the `-` operator, on a bool tensor/);
  });

  it('bool inputs: logicalNot/isnan stay bool, float ops give float32, square gives int32 (torch)', () => {
    const b = tensor([true, false]);
    expectTensor(b.logicalNot(), [false, true], 'bool');
    expectTensor(b.isnan(), [false, false], 'bool');
    expectTensor(b.exp(), [Math.E, 1], 'float32', F32);
    expectTensor(b.sigmoid(), [0.7310585975646973, 0.5], 'float32', F32);
    expectTensor(b.square(), [1, 0], 'int32');
    expectTensor(unaryOp('powScalar', b, 2), [1, 0], 'int32');
  });

  it('logicalNot treats NaN as true (torch.logical_not)', () => {
    expectTensor(f64([NaN, 0, -0, 2]).logicalNot(), [false, true, true, false], 'bool');
  });

  it('0-d and empty inputs keep their shape', () => {
    const s = f64(4).sqrt();
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(2);
    const e = zeros([0, 3]).exp();
    expect(e.shape).toEqual([0, 3]);
    expect(e.dtype).toBe('float32');
  });
});

// ---- binary ops -------------------------------------------------------------------------------

describe('binary ops against PyTorch', () => {
  it('floorDivide follows Python // (torch.floor_divide), not Math.floor(a / b)', () => {
    const q = f64(FLOORDIV_A).floorDivide(f64(FLOORDIV_B));
    expectValues(q, FLOORDIV_Q);
    expect(zeroSigns(q, FLOORDIV_Q)).toEqual([]);
    expect(f64([1]).floorDivide(0.1).item()).toBe(9);
    expectTensor(
      f64([1, -1, 0, 3]).floorDivide(f64([0, 0, 0, -0])),
      [Infinity, -Infinity, NaN, -Infinity],
      'float64',
    );
  });

  it('remainder takes the sign of the divisor (torch.remainder)', () => {
    expectValues(f64(FLOORDIV_A).remainder(f64(FLOORDIV_B)), FLOORDIV_R, F64);
    expectTensor(f64([5, -5, 5, -5]).remainder(f64([3, 3, -3, -3])), [2, 1, -1, -2], 'float64');
    expectTensor(i32([5, -5, 5, -5]).remainder(i32([3, 3, -3, -3])), [2, 1, -1, -2], 'int32');
    expectTensor(i32([7, -7]).remainder(-2), [-1, -1], 'int32');
    expectTensor(f64([5, -5, 0]).remainder(Infinity), [5, Infinity, 0], 'float64');
  });

  it('integer remainder / floorDivide by zero throw ZeroDivisionError', () => {
    expect(() => i32([5]).remainder(0)).toThrow(/ZeroDivisionError/);
    expect(() => i32([5, 6]).remainder(i32([1, 0]))).toThrow(
      /ZeroDivisionError: integer modulo by zero/,
    );
    expect(() => i32([5]).floorDivide(0)).toThrow(/ZeroDivisionError: integer division by zero/);
    expect(() => i32([5]).floorDivide(i32([0]))).toThrow(/ZeroDivisionError/);
    // floats divide by zero to ±inf / NaN instead
    expectTensor(i32([5, -5, 0]).floorDivide(tensor(0)), [Infinity, -Infinity, NaN], 'float32');
  });

  it('pow: int32 with negative scalar exponent throws; tensor exponents follow torch', () => {
    expect(() => i32([2, 3]).pow(-1)).toThrow(
      /Integers to negative integer powers are not allowed/,
    );
    expectTensor(i32([2, 0, -1, 1, -2]).pow(i32([-1, -1, -1, -2, -1])), [0, 0, -1, 1, 0], 'int32');
    expectTensor(f64([2, 4]).pow(-1), [0.5, 0.25], 'float64');
    expectTensor(i32([1, 2]).pow(2.5), [1, 5.656854152679443], 'float32', F32);
  });

  it('maximum / minimum propagate NaN from either side', () => {
    expectTensor(
      f64([1, NaN, 3, NaN]).maximum(f64([NaN, 2, 1, NaN])),
      [NaN, NaN, 3, NaN],
      'float64',
    );
    expectTensor(
      f64([1, NaN, 3, NaN]).minimum(f64([NaN, 2, 1, NaN])),
      [NaN, NaN, 1, NaN],
      'float64',
    );
    expectTensor(f64([1, 5]).maximum(NaN), [NaN, NaN], 'float64');
  });

  it('comparisons give bool and NaN compares unequal to everything', () => {
    const a = f64([1, 2, NaN]);
    expectTensor(a.eq(2), [false, true, false], 'bool');
    expectTensor(a.ne(NaN), [true, true, true], 'bool');
    expectTensor(a.lt(2), [true, false, false], 'bool');
    expectTensor(a.le(2), [true, true, false], 'bool');
    expectTensor(a.gt(1), [false, true, false], 'bool');
    expectTensor(a.ge(f64([1, 3, NaN])), [true, false, false], 'bool');
    expectTensor(i32([1, 2]).ge(f64(1.5)), [false, true], 'bool');
    expectTensor(tensor([true, false]).eq(i32([1, 2])), [true, false], 'bool');
  });

  it('logical ops treat NaN as true (torch.logical_and/or/xor)', () => {
    const a = tensor([NaN, 0, NaN, 0]);
    const b = tensor([1, NaN, NaN, 0]);
    expectTensor(a.logicalAnd(b), [true, false, true, false], 'bool');
    expectTensor(a.logicalOr(b), [true, true, true, false], 'bool');
    expectTensor(a.logicalXor(b), [false, true, false, false], 'bool');
    expectTensor(i32([0, 3]).logicalAnd(true), [false, true], 'bool');
  });

  it('add / sub alpha: float alpha on float tensors, integral alpha required for ints', () => {
    expectTensor(f64([1, 2]).add(f64([1, 1]), 0.5), [1.5, 2.5], 'float64');
    expectTensor(i32([1, 2]).sub(1, 2), [-1, 0], 'int32');
    expectTensor(i32([1, 2]).add(i32([3, 4]), 2), [7, 10], 'int32');
    expect(() => i32([1, 2]).add(i32([1, 1]), 2.5)).toThrow(
      /For integral input tensors, argument alpha must not be a floating point number/,
    );
    expect(() => i32([1, 2]).sub_(i32([1, 1]), 0.5)).toThrow(
      /argument alpha must not be a floating point number/,
    );
    // alpha is fine when a float operand makes the result floating
    expectTensor(i32([1, 2]).add(tensor([1, 1]), 0.5), [1.5, 2.5], 'float32');
  });

  it('subtraction with a bool operand throws (torch sub_check)', () => {
    const b = tensor([true, false]);
    expect(() => b.sub(b)).toThrow(
      /Subtraction, the `-` operator, with two bool tensors is not supported/,
    );
    expect(() => b.sub(true)).toThrow(/with two bool tensors/);
    expect(() => b.sub(1)).toThrow(
      /Subtraction, the `-` operator, with a bool tensor is not supported/,
    );
    expect(() => i32([1, 2]).sub(b)).toThrow(/with a bool tensor is not supported/);
    expect(() => tensor([1.5, 2]).sub(b)).toThrow(/with a bool tensor is not supported/);
  });

  it('function and method forms agree', () => {
    const a = f64([
      [1, -2],
      [3, 4],
    ]);
    expect(binaryOp('atan2', a, 2).equal(a.atan2(2))).toBe(true);
    expect(binaryOp('add', 1, a, 3).equal(a.mul(3).add(1))).toBe(true);
  });
});

// ---- broadcasting -----------------------------------------------------------------------------

describe('broadcasting', () => {
  it('size-1 dims on both sides', () => {
    const a = f64([[1], [2], [3]]); // [3, 1]
    const b = f64([[10, 20, 30, 40]]); // [1, 4]
    expectTensor(
      a.add(b),
      [
        [11, 21, 31, 41],
        [12, 22, 32, 42],
        [13, 23, 33, 43],
      ],
      'float64',
    );
    expectTensor(
      b.sub(a),
      [
        [9, 19, 29, 39],
        [8, 18, 28, 38],
        [7, 17, 27, 37],
      ],
      'float64',
    );
    const c = arange(6, { dtype: 'float64' }).reshape(2, 1, 3);
    const d = f64([[100], [200], [300], [400]]); // [4, 1]
    const out = c.add(d);
    expect(out.shape).toEqual([2, 4, 3]);
    expectValues(out.select(0, 1).select(0, 2), [303, 304, 305]);
  });

  it('0-d with n-d, n-d with 0-d and 0-d with 0-d', () => {
    const s = f64(5);
    expectTensor(
      s.sub(
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
      [
        [4, 3, 2],
        [1, 0, -1],
      ],
      'float64',
    );
    expectTensor(
      f64([
        [1, 2, 3],
        [4, 5, 6],
      ]).mul(s),
      [
        [5, 10, 15],
        [20, 25, 30],
      ],
      'float64',
    );
    const r = s.add(f64(2));
    expect(r.shape).toEqual([]);
    expect(r.item()).toBe(7);
    expect(s.add(1).shape).toEqual([]);
  });

  it('empty tensors: [0, 3] + [3], [2, 0] + [2, 1], [0] + [1]', () => {
    const e = zeros([0, 3]).add(tensor([1, 2, 3]));
    expect(e.shape).toEqual([0, 3]);
    expect(e.numel()).toBe(0);
    expect(zeros([2, 0]).mul(zeros([2, 1])).shape).toEqual([2, 0]);
    expect(zeros([0]).add(zeros([1])).shape).toEqual([0]);
    expect(zeros([0, 3]).lt(1).dtype).toBe('bool');
  });

  it('incompatible shapes name both shapes', () => {
    expect(() => zeros([2, 3]).add(zeros([4]))).toThrow(
      /shapes \[2, 3\] and \[4\] cannot be broadcast/,
    );
    expect(() => zeros([0]).add(zeros([2]))).toThrow(/shapes \[0\] and \[2\] cannot be broadcast/);
    expect(() => where(tensor([true, false, true]), zeros([2]), 0)).toThrow(/cannot be broadcast/);
  });
});

// ---- dtype promotion --------------------------------------------------------------------------

describe('dtype of results (torch.result_type)', () => {
  const L = (): NDArray => i32([1, 2]);
  const F = (): NDArray => tensor([1.5, 2.5]);
  const B = (): NDArray => tensor([true, false]);
  const D0 = (): NDArray => f64(1.5);
  const cases: [string, () => NDArray, DType, unknown][] = [
    ['int32 + float32 tensor', () => L().add(F()), 'float32', [2.5, 4.5]],
    ['int32 tensor * 2 stays int32', () => L().mul(2), 'int32', [2, 4]],
    ['int32 tensor * 2.5 is float32', () => L().mul(2.5), 'float32', [2.5, 5]],
    ['float32 tensor + float64 0-d stays float32', () => F().sub(D0()), 'float32', [0, 1]],
    ['int32 + float64 0-d is float64', () => L().add(D0()), 'float64', [2.5, 3.5]],
    ['float32 0-d + float64 0-d is float64', () => tensor(1.5).add(D0()), 'float64', 3],
    ['int32 0-d + float32 tensor is float32', () => i32(3).add(F()), 'float32', [4.5, 5.5]],
    ['float32 + float64 tensors is float64', () => F().add(f64([1, 2])), 'float64', [2.5, 4.5]],
    ['int / int is float32', () => L().div(i32([4, 8])), 'float32', [0.25, 0.25]],
    ['int / 2 is float32', () => L().div(2), 'float32', [0.5, 1]],
    [
      'bool + bool stays bool (logical or)',
      () => B().add(tensor([true, true])),
      'bool',
      [true, true],
    ],
    [
      'bool * bool stays bool (logical and)',
      () => B().mul(tensor([true, true])),
      'bool',
      [true, false],
    ],
    ['bool + true stays bool', () => B().add(true), 'bool', [true, true]],
    ['bool + int32 tensor is int32', () => B().add(L()), 'int32', [2, 2]],
    ['bool * 2 is int32', () => B().mul(2), 'int32', [2, 0]],
    ['bool * 2.5 is float32', () => B().mul(2.5), 'float32', [2.5, 0]],
    ['bool / bool is float32', () => B().div(tensor([true, true])), 'float32', [1, 0]],
    ['int32 + true stays int32', () => L().add(true), 'int32', [2, 3]],
    ['int32 0-d + 2.5 is float32', () => i32(3).add(2.5), 'float32', 5.5],
    ['int32 0-d + int32 0-d is int32', () => i32(3).add(i32(4)), 'int32', 7],
    ['bool 0-d + int32 0-d is int32', () => tensor(true).add(i32(4)), 'int32', 5],
    ['float64 0-d + 2 stays float64', () => D0().add(2), 'float64', 3.5],
    ['int32 ** 2.5 is float32', () => L().pow(2.5), 'float32', [1, 5.656854152679443]],
    ['comparisons give bool', () => L().lt(2), 'bool', [true, false]],
    ['atan2 of ints is float32', () => i32([1, 0]).atan2(i32([0, 0])), 'float32', [Math.PI / 2, 0]],
  ];
  for (const [name, run, dtype, want] of cases) {
    it(name, () => expectTensor(run(), want, dtype, F32));
  }

  it('promotedDType / resultType agree with the ops', () => {
    expect(promotedDType(L(), 2.5)).toBe('float32');
    expect(promotedDType(F(), D0())).toBe('float32');
    expect(promotedDType(true, 2)).toBe('int32');
    expect(resultType(L(), D0())).toBe('float64');
  });
});

// ---- non-contiguous inputs --------------------------------------------------------------------

describe('non-contiguous inputs give the same results as contiguous ones', () => {
  const base = (): NDArray => arange(24, { dtype: 'float64' }).sub(11.5).reshape(4, 6);
  const layouts: [string, (x: NDArray) => NDArray][] = [
    ['transposed', (x) => x.t()],
    ['sliced with steps', (x) => x.slice(0, 1, null, 2).slice(1, 0, null, 3)],
    ['expanded', (x) => x.select(1, 2).unsqueeze(1).expand(4, 5)],
    ['offset narrow', (x) => x.narrow(1, 1, 4)],
    ['permuted 3-d', (x) => x.reshape(2, 2, 6).permute(2, 0, 1)],
  ];
  for (const [name, make] of layouts) {
    it(`${name}: unary, binary (either side), where, in-place`, () => {
      const v = make(base());
      const c = v.contiguous().clone();
      expect(v.isContiguous()).toBe(false);
      for (const op of ['exp', 'abs', 'sign', 'tanh', 'gelu', 'floor'] as const) {
        expect(v[op]().equal(c[op]())).toBe(true);
      }
      expect(v.clamp(-3, 4).equal(c.clamp(-3, 4))).toBe(true);
      const other = c.mul(0.5).add(1);
      for (const op of Object.keys(BINARY_OPS) as BinaryOp[]) {
        const x = BINARY_CALLS[op](v, other, 2);
        const y = BINARY_CALLS[op](c, other, 2);
        expect(x.equal(y) || x.allclose(y, 0, 0, true)).toBe(true);
        const x2 = BINARY_CALLS[op](other, v, 2);
        const y2 = BINARY_CALLS[op](other, c, 2);
        expect(x2.equal(y2) || x2.allclose(y2, 0, 0, true)).toBe(true);
      }
      expect(where(v.gt(0), v, other).equal(where(c.gt(0), c, other))).toBe(true);
      expect(where(c.gt(0), 1, v).equal(where(c.gt(0), 1, c))).toBe(true);
      if (name !== 'expanded') {
        const w = make(base());
        w.mul_(2).add_(other);
        expect(w.equal(c.mul(2).add(other))).toBe(true);
      }
    });
  }

  it('transposed + transposed matches explicit values', () => {
    const a = arange(6, { dtype: 'float64' }).reshape(2, 3);
    expectTensor(
      a.t().add(a.t().contiguous().mul(10)),
      [
        [0, 33],
        [11, 44],
        [22, 55],
      ],
      'float64',
    );
  });
});

// ---- in-place ops -----------------------------------------------------------------------------

describe('in-place ops', () => {
  it('add_ with alpha, sub_, mul_, div_ return this and update values', () => {
    const x = f64([1, 2, 3]);
    expect(x.add_(f64([10, 20, 30]), 0.5)).toBe(x);
    expectTensor(x, [6, 12, 18], 'float64');
    expect(x.sub_(1, 2)).toBe(x);
    expectTensor(x, [4, 10, 16], 'float64');
    x.mul_(f64([2, 0.5, -1]));
    expectTensor(x, [8, 5, -16], 'float64');
    x.div_(4);
    expectTensor(x, [2, 1.25, -4], 'float64');
    x.pow_(2);
    expectTensor(x, [4, 1.5625, 16], 'float64');
    x.maximum_(f64([5, 0, NaN]));
    expectTensor(x, [5, 1.5625, NaN], 'float64');
    const y = i32([1, 2]);
    y.add_(i32([3, 4]), 2);
    expectTensor(y, [7, 10], 'int32');
    const f = tensor([1, 2]);
    f.add_(f64([0.1, 0.2]));
    expectTensor(f, [1.100000023841858, 2.200000047683716], 'float32');
  });

  it('div_ on an int tensor throws, and other casts PyTorch refuses', () => {
    expect(() => i32([1, 2]).div_(2)).toThrow(
      "result type float32 can't be cast to the desired output type int32",
    );
    expect(() => i32([1, 2]).add_(2.5)).toThrow(
      /result type float32 can't be cast to the desired output type int32/,
    );
    expect(() => i32([1, 2]).mul_(tensor([1, 2]))).toThrow(/result type float32 can't be cast/);
    expect(() => i32([1, 2]).add_(f64(1))).toThrow(
      /result type float64 can't be cast to the desired output type int32/,
    );
    expect(() => tensor([true]).add_(2)).toThrow(
      /result type int32 can't be cast to the desired output type bool/,
    );
    expect(() => i32([1]).exp_()).toThrow(
      /result type float32 of exp_ can't be cast to the desired output type int32/,
    );
    expect(() => tensor([true]).sub_(tensor([true]))).toThrow(/with two bool tensors/);
  });

  it('bool in-place add_ / mul_ are logical or / and', () => {
    const a = tensor([true, false, false]);
    a.add_(tensor([false, false, true]));
    expectTensor(a, [true, false, true], 'bool');
    a.mul_(tensor([false, false, true]));
    expectTensor(a, [false, false, true], 'bool');
  });

  it('writing into a view changes the base', () => {
    const b = f64([
      [1, 2],
      [3, 4],
    ]);
    b.select(1, 0).add_(10);
    expectTensor(
      b,
      [
        [11, 2],
        [13, 4],
      ],
      'float64',
    );
    b.t()
      .select(0, 1)
      .mul_(f64([-1, 2]));
    expectTensor(
      b,
      [
        [11, -2],
        [13, 8],
      ],
      'float64',
    );
    const c = arange(6, { dtype: 'float64' });
    c.slice(0, 1, null, 2).neg_();
    expectTensor(c, [0, -1, 2, -3, 4, -5], 'float64');
    c.slice(0, 0, null, 2).fill_(7);
    expectTensor(c, [7, -1, 7, -3, 7, -5], 'float64');
  });

  it('broadcasting into self is fine; a result larger than self throws', () => {
    const b = f64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    b.add_(f64([1, 2, 3]));
    expectTensor(
      b,
      [
        [2, 4, 6],
        [5, 7, 9],
      ],
      'float64',
    );
    b.mul_(f64([[1], [-1]]));
    expectTensor(
      b,
      [
        [2, 4, 6],
        [-5, -7, -9],
      ],
      'float64',
    );
    b.sub_(f64(1));
    expectTensor(
      b,
      [
        [1, 3, 5],
        [-6, -8, -10],
      ],
      'float64',
    );
    expect(() =>
      f64([1, 2, 3]).add_(
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toThrow("output with shape [3] doesn't match the broadcast shape [2, 3]");
    expect(() => f64([[1], [2]]).mul_(f64([1, 2, 3]))).toThrow(
      /output with shape \[2, 1\] doesn't match the broadcast shape \[2, 3\]/,
    );
  });

  it('aliasing: x.add_(x.t()) gives x + x.t() computed out of place', () => {
    const x = f64([
      [1, 2],
      [3, 4],
    ]);
    x.add_(x.t());
    expectTensor(
      x,
      [
        [2, 5],
        [5, 8],
      ],
      'float64',
    );
    const y = arange(9, { dtype: 'float64' }).reshape(3, 3);
    y.sub_(y.t(), 2);
    expectTensor(
      y,
      [
        [0, -5, -10],
        [1, -4, -9],
        [2, -3, -8],
      ],
      'float64',
    );
    const z = f64([
      [1, 2],
      [3, 4],
    ]);
    z.mul_(z);
    expectTensor(
      z,
      [
        [1, 4],
        [9, 16],
      ],
      'float64',
    );
    const w = arange(4, { dtype: 'float64' });
    w.narrow(0, 1, 3).add_(w.narrow(0, 0, 3));
    expectTensor(w, [0, 1, 3, 5], 'float64');
  });

  it('copy_ casts (truncation toward zero, non-zero to true) and broadcasts', () => {
    const i = zeros([2, 4], { dtype: 'int32' });
    expect(i.copy_(f64([1.7, -2.7, -0.5, 3.999]))).toBe(i);
    expectTensor(
      i,
      [
        [1, -2, 0, 3],
        [1, -2, 0, 3],
      ],
      'int32',
    );
    const b = zeros([4], { dtype: 'bool' });
    b.copy_(tensor([0, NaN, -0, 0.1]));
    expectTensor(b, [false, true, false, true], 'bool');
    const f = zeros([2, 2], { dtype: 'float64' });
    f.copy_(tensor(true));
    expectTensor(
      f,
      [
        [1, 1],
        [1, 1],
      ],
      'float64',
    );
    f.copy_(2.5);
    expectTensor(
      f,
      [
        [2.5, 2.5],
        [2.5, 2.5],
      ],
      'float64',
    );
    f.t().copy_(
      f64([
        [1, 2],
        [3, 4],
      ]),
    );
    expectTensor(
      f,
      [
        [1, 3],
        [2, 4],
      ],
      'float64',
    );
    expect(copyInto(f, f.t())).toBe(f);
    expectTensor(
      f,
      [
        [1, 2],
        [3, 4],
      ],
      'float64',
    );
  });

  it('in-place ops on an expanded tensor throw (fill_ and zero_ are fine)', () => {
    const msg =
      /unsupported operation: more than one element of the written-to tensor refers to a single memory location/;
    const base = zeros([3]);
    const e = base.expand(2, 3);
    expect(() => e.add_(1)).toThrow(msg);
    expect(() => e.exp_()).toThrow(msg);
    expect(() => e.clamp_(0, 1)).toThrow(msg);
    expect(() => e.copy_(zeros([2, 3]))).toThrow(msg);
    expect(base.version).toBe(0);
    e.fill_(1);
    expectTensor(base, [1, 1, 1], 'float32');
    e.zero_();
    expectTensor(base, [0, 0, 0], 'float32');
    // a size-1 dim with stride 0 is not an overlap
    const one = zeros([1, 3]).expand(1, 3);
    one.add_(2);
    expectTensor(one, [[2, 2, 2]], 'float32');
  });

  it('copy_ with a shape that does not broadcast names both shapes', () => {
    expect(() => zeros([3]).copy_(zeros([2]))).toThrow(
      'copy_: source of shape [2] cannot be broadcast to [3]',
    );
    expect(() => zeros([3]).copy_(zeros([2, 3]))).toThrow(
      'copy_: source of shape [2, 3] cannot be broadcast to [3]',
    );
  });

  it('fill_ and zero_ (converted to the dtype, views only)', () => {
    const i = zeros([3], { dtype: 'int32' });
    expect(i.fill_(-2.7)).toBe(i);
    expectTensor(i, [-2, -2, -2], 'int32');
    expectTensor(zeros([3], { dtype: 'bool' }).fill_(2), [true, true, true], 'bool');
    expectTensor(zeros([2], { dtype: 'bool' }).fill_(true).fill_(0), [false, false], 'bool');
    const f = full([2, 3], 5, { dtype: 'float64' });
    f.select(1, 1).zero_();
    expectTensor(
      f,
      [
        [5, 0, 5],
        [5, 0, 5],
      ],
      'float64',
    );
    expect(f.zero_()).toBe(f);
    expectTensor(
      f,
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      'float64',
    );
  });

  it('the storage version counter bumps once per in-place op, shared by views', () => {
    const x = zeros([2, 3]);
    const v = x.select(0, 1);
    expect(x.version).toBe(0);
    const ops: ((t: NDArray) => unknown)[] = [
      (t) => t.add_(1),
      (t) => t.sub_(t.t().t()),
      (t) => t.mul_(2),
      (t) => t.div_(2),
      (t) => t.pow_(1),
      (t) => t.maximum_(0),
      (t) => t.neg_(),
      (t) => t.abs_(),
      (t) => t.exp_(),
      (t) => t.log_(),
      (t) => t.sqrt_(),
      (t) => t.sigmoid_(),
      (t) => t.tanh_(),
      (t) => t.relu_(),
      (t) => t.clamp_(0, 1),
      (t) => t.fill_(3),
      (t) => t.zero_(),
      (t) => t.copy_(tensor([1, 2, 3])),
      (t) => t.maskedFill_(tensor([true, false, true]), 0),
      (t) => binaryOpInPlace('atan2', t, 1),
    ];
    let expected = 0;
    for (const op of ops) {
      op(v);
      expected++;
      expect(x.version).toBe(expected);
      expect(v.version).toBe(expected);
    }
    // out-of-place ops and failed in-place ops leave it alone
    x.add(1);
    v.exp();
    x.clone().add_(1);
    expect(() => x.add_(zeros([4]))).toThrow();
    expect(() => x.mul_(zeros([5, 2, 3]))).toThrow();
    expect(x.version).toBe(expected);
    const i = zeros([2], { dtype: 'int32' });
    expect(() => i.div_(2)).toThrow();
    expect(i.version).toBe(0);
  });
});

// ---- where ------------------------------------------------------------------------------------

describe('where', () => {
  it('broadcasts condition and both values', () => {
    const cond = tensor([[true], [false]]);
    expectTensor(
      where(cond, f64([1, 2, 3]), f64(-1)),
      [
        [1, 2, 3],
        [-1, -1, -1],
      ],
      'float64',
    );
    expectTensor(
      where(
        tensor([true, false]),
        f64([
          [1, 2],
          [3, 4],
        ]),
        f64([[9], [8]]),
      ),
      [
        [1, 9],
        [3, 8],
      ],
      'float64',
    );
    expect(where(tensor(true), f64(1), f64(2)).shape).toEqual([]);
  });

  it('scalar arguments promote like PyTorch', () => {
    const c = tensor([true, false]);
    expectTensor(where(c, 1, 2.5), [1, 2.5], 'float32');
    expectTensor(where(c, 1, 2), [1, 2], 'int32');
    expectTensor(where(c, true, false), [true, false], 'bool');
    expectTensor(
      where(tensor([[true], [false]]), i32([1, 2]), f64(0)),
      [
        [1, 2],
        [0, 0],
      ],
      'float64',
    );
    expectTensor(where(c, i32([1, 2]), tensor([1.5, 2.5])), [1, 2.5], 'float32');
    expectTensor(where(c, tensor([1.5, 2.5]), 7), [1.5, 7], 'float32');
    expectTensor(f64([1, 2]).where(c, 0), [1, 0], 'float64');
  });

  it('a non-bool condition throws', () => {
    expect(() => where(i32([1, 0]), 1, 2)).toThrow(
      'where expected condition to be a boolean tensor, but got a tensor with dtype int32',
    );
    expect(() => where(tensor([1, 0]), 1, 2)).toThrow(/but got a tensor with dtype float32/);
  });

  it('maskedFill keeps the dtype and writes where the mask is true', () => {
    expectTensor(i32([1, 2]).maskedFill(tensor([true, false]), 2.5), [2, 2], 'int32');
    expectTensor(
      f64([
        [1, 2],
        [3, 4],
      ]).maskedFill(tensor([false, true]), NaN),
      [
        [1, NaN],
        [3, NaN],
      ],
      'float64',
    );
  });
});
