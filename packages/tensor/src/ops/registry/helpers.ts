/**
 * The scalar functions formulas call that JavaScript's Math lacks (see `formula.ts`): the
 * reference backend's definitions, which the other kernel languages match with their own.
 */

// Abramowitz–Stegun 7.1.26 is too coarse for gradcheck in float64, so erf uses the
// W. J. Cody rational approximations (relative error < 1e-15 in double).
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 0.46875) {
    const t = x * x;
    const num =
      (((0.185777706184603153 * t + 3.1611237438705656) * t + 113.864154151050156) * t +
        377.485237685302021) *
        t +
      3209.37758913846947;
    const den =
      (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t +
      2844.23683343917062;
    return (x * num) / den;
  }
  return Math.sign(x) * (1 - erfcPositive(ax));
}

function erfcPositive(x: number): number {
  let r: number;
  if (x < 4) {
    const num =
      (((((((2.15311535474403846e-8 * x + 5.64188496988670089e-1) * x + 8.88314979438837594) * x +
        66.1191906371416295) *
        x +
        298.635138197400131) *
        x +
        881.95222124176909) *
        x +
        1712.04761263407058) *
        x +
        2051.07837782607147) *
        x +
      1230.33935479799725;
    const den =
      (((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x +
        1621.38957456669019) *
        x +
        3290.79923573345963) *
        x +
        4362.61909014324716) *
        x +
        3439.36767414372164) *
        x +
      1230.33935480374942;
    r = num / den;
  } else {
    if (x > 27) return 0;
    const z = 1 / (x * x);
    const num =
      ((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z +
        1.25781726111229246e-1) *
        z +
        1.60837851487422766e-2) *
        z +
      6.58749161529837803e-4;
    const den =
      ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 5.27905102951428412e-1) * z +
        6.05183413124413191e-2) *
        z +
      2.33520497626869185e-3;
    r = (1 / Math.sqrt(Math.PI) - (z * num) / den) / x;
  }
  // Split x^2 so exp(-x^2) keeps full precision for large x.
  const xs = Math.trunc(x * 16) / 16;
  const del = (x - xs) * (x + xs);
  return Math.exp(-xs * xs) * Math.exp(-del) * r;
}

/** The error function, accurate to double precision. */
export const erfScalar = erf;

/** The helpers the JavaScript rendering of a formula calls as `H.name`. */
export const JS_HELPERS = {
  erf,
  // Round half to even, as PyTorch does.
  rint(x: number): number {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  // C's pow, which differs from Math.pow in pow(1, y) = 1 (NaN and ±Infinity too) and
  // pow(-1, ±Infinity) = 1.
  pow(a: number, b: number): number {
    return a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b);
  },
  // Python's modulo: the result takes the sign of the divisor.
  pyMod(a: number, b: number): number {
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },
  // PyTorch's div_floor: Python's `//` built on fmod, so 1 // 0.1 is 9 (Math.floor(1 / 0.1) is 10).
  pyFloorDiv(a: number, b: number): number {
    if (b === 0) return a / b;
    const mod = a % b;
    let div = (a - mod) / b;
    if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
    if (div === 0) {
      const q = a / b;
      return q < 0 || Object.is(q, -0) ? -0 : 0;
    }
    let fl = Math.floor(div);
    if (div - fl > 0.5) fl += 1;
    return fl;
  },
};
