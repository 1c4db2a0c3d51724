import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { empty, eye, manualSeed, rand, Generator } from '@gd/autograd';
import { Linear } from './index.js';
import * as init from './init.js';

// Golden values from torch 1.13: `torch.manual_seed(seed); t = torch.empty(shape, dtype);
// torch.nn.init.<fn>(t, ...)` (see the case names in the tests), and calculate_gain.
const T = {
  uniform: [
    [0.48128294944763184, 1.841109037399292, -1.5576128959655762, -1.3398475646972656],
    [-0.46288591623306274, 1.170393466949463, 0.450467050075531, 2.4822237491607666],
    [0.2781398892402649, 1.1615314483642578, -0.2555326819419861, 0.008586525917053223],
  ],
  uniform64: [
    [2.8502650090327655, 1.5390993219989397, 0.29691471563725436, 2.6037384206098015],
    [1.225120600613824, 1.9557394609015184, -1.1069691239962451, -0.24446187803035802],
    [0.9067045990378726, -0.558820539319249, 0.26434424440557114, -1.1160023689814296],
  ],
  normal12: [
    [1.3306760787963867, 1.1334620714187622, 1.0308386087417603, 1.3106586933135986],
    [0.7740470170974731, 0.9169349074363708, 0.2386157512664795, 1.1908419132232666],
    [0.48619571328163147, 0.7184736132621765, 0.553854763507843, 0.9708749055862427],
  ],
  normal25: [
    [
      0.23720204830169678, 0.6248841285705566, 0.6730095148086548, 0.19525760412216187,
      0.949916422367096,
    ],
    [
      0.6954055428504944, 0.5101138353347778, 0.19545185565948486, 0.6439276933670044,
      1.5856003761291504,
    ],
    [
      1.883713722229004, 0.9523190855979919, 1.069685697555542, 0.21074944734573364,
      0.8396896123886108,
    ],
    [
      0.8503269553184509, 1.9396729469299316, 1.16786527633667, 1.1376667022705078,
      1.8581513166427612,
    ],
    [
      0.9719301462173462, 1.4553509950637817, 0.3038070797920227, 2.34454345703125,
      0.9444900751113892,
    ],
  ],
  normal64: [
    [
      -1.622579108380064, -2.426060553680225, -2.458136305790752, -1.5984046600881623,
      0.7468911698853544,
    ],
    [
      -8.409327600414858, -4.6283079811744035, -4.685142558768815, -0.811744268180631,
      0.02388631025797472,
    ],
    [
      0.19243918353061984, 1.5822298951328495, -5.2020108124184485, 2.1594822382938053,
      1.1667146017276684,
    ],
    [
      0.7793490316575136, -4.857166708016155, -1.5420159065303904, -1.2718410681183756,
      4.149092356447838,
    ],
  ],
  xu: [
    [
      0.3973153829574585, -0.412183552980423, 0.4749780297279358, -0.08846941590309143,
      0.7399107813835144,
    ],
    [
      0.41235408186912537, -0.1990727037191391, -1.4002984762191772, 0.3954521417617798,
      -1.5334618091583252,
    ],
    [
      0.22763997316360474, 0.11510840058326721, -0.3808751106262207, 1.4162925481796265,
      0.11559155583381653,
    ],
  ],
  xn: [
    [
      -0.03427636995911598, 0.1609439104795456, -0.3497285544872284, 0.031988173723220825,
      0.2973252236843109, -0.1282520443201065,
    ],
    [
      0.7247323393821716, -0.7140695452690125, 0.18094581365585327, 0.2733815014362335,
      0.3400569260120392, -0.01504572294652462,
    ],
    [
      -0.15421952307224274, 0.22076858580112457, -0.03469516709446907, -0.8073835372924805,
      0.21694958209991455, 0.09178360551595688,
    ],
    [
      0.15134969353675842, 0.6049699783325195, 0.16709482669830322, 0.006000031717121601,
      0.345997154712677, -0.04885518550872803,
    ],
  ],
  ku: [
    [
      0.1192772388458252, 0.11818480491638184, -0.8170863389968872, -0.5799936056137085,
      -0.985610842704773, -0.9220762252807617,
    ],
    [
      0.9857891798019409, 0.8262262344360352, 0.23715806007385254, 0.9487773180007935,
      -0.36217570304870605, -0.5703434944152832,
    ],
    [
      0.8525208234786987, -0.052965521812438965, 0.18989157676696777, 0.5911625623703003,
      0.5269688367843628, -0.5725945234298706,
    ],
    [
      -0.3867368698120117, -0.9228930473327637, 0.04405808448791504, -0.35851526260375977,
      0.21475672721862793, 0.0465238094329834,
    ],
  ],
  ku_out_relu: [
    [
      0.14608418941497803, 0.14474624395370483, -1.0007222890853882, -0.7103441953659058,
      -1.2071218490600586, -1.1293082237243652,
    ],
    [
      1.2073402404785156, 1.0119163990020752, 0.29045814275741577, 1.1620101928710938,
      -0.44357284903526306, -0.6985253095626831,
    ],
    [
      1.0441205501556396, -0.06486925482749939, 0.23256874084472656, 0.7240233421325684,
      0.6454024314880371, -0.7012822031974792,
    ],
    [
      -0.47365400195121765, -1.1303085088729858, 0.053959913551807404, -0.43908974528312683,
      0.26302221417427063, 0.05697979778051376,
    ],
  ],
  ku_conv: [
    [
      [
        [0.19067099690437317, -0.21586495637893677],
        [0.2352527379989624, 0.18470995128154755],
      ],
      [
        [0.24254682660102844, -0.22132998704910278],
        [-0.1937636435031891, 0.13736282289028168],
      ],
      [
        [-0.2694697678089142, 0.28531768918037415],
        [0.06144655868411064, 0.037280235439538956],
      ],
    ],
    [
      [
        [-0.24686792492866516, 0.09199438244104385],
        [0.1241336315870285, 0.045799799263477325],
      ],
      [
        [0.27766329050064087, 0.0866941288113594],
        [-0.2559775412082672, 0.24255160987377167],
      ],
      [
        [0.09801375865936279, -0.13771355152130127],
        [-0.2651681900024414, 0.16456548869609833],
      ],
    ],
  ],
  kn: [
    [-0.7660962343215942, 0.39867377281188965, -0.930534303188324, -0.8444539904594421],
    [0.09212209284305573, -0.46452444791793823, -0.6243952512741089, 1.1708136796951294],
    [0.6527935862541199, 0.5227921009063721, 0.07502706348896027, -0.39411455392837524],
    [0.3674370348453522, 0.22520484030246735, 0.010148387402296066, 0.25415652990341187],
    [-0.585071861743927, 0.3538203537464142, -0.4009748101234436, -1.1393702030181885],
  ],
  kn64: [
    [
      0.6016296528488486, 0.9880722194999094, -0.42403283993120516, 0.4560578802950916,
      0.5642349884141493, -0.3667630472673694, 1.02020524346627,
    ],
    [
      0.20553728635867907, -0.45080943290661896, 0.5535497215374227, 0.06728150753147494,
      0.3408311168014391, -0.3831167166653297, 0.8334914618220862,
    ],
    [
      -0.12283546518229789, 0.2386136526891088, 0.006829697770787213, -0.8519178545266318,
      -0.7572035312236786, 0.23550240496363337, -1.001394382616041,
    ],
  ],
  orth35: [
    [
      -0.06183063983917236, 0.33112582564353943, 0.39880502223968506, -0.4693661034107208,
      0.7121675610542297,
    ],
    [
      -0.4412720203399658, -0.03708244487643242, 0.7296752333641052, -0.11805479228496552,
      -0.5074848532676697,
    ],
    [
      0.04120928421616554, -0.27399930357933044, 0.41563668847084045, 0.7666064500808716,
      0.4034687578678131,
    ],
  ],
  orth53: [
    [-0.14260625839233398, 0.7753439545631409, 0.9653555154800415],
    [-1.0825469493865967, 1.0401177406311035, -0.8377307057380676],
    [-0.34547749161720276, 1.116856336593628, 0.10962525755167007],
    [-1.6341980695724487, -0.9617215991020203, 0.56401127576828],
    [0.1334056407213211, 0.3804224729537964, 1.4269438982009888],
  ],
  orth423: [
    [
      [-0.39092302322387695, 0.4579941928386688, 0.6922659277915955],
      [-0.11655592173337936, 0.12195439636707306, 0.3601808249950409],
    ],
    [
      [0.8496263027191162, -0.08691725134849548, 0.40718454122543335],
      [-0.09536909312009811, -0.15060856938362122, 0.2701910138130188],
    ],
    [
      [-0.22503210604190826, -0.44616225361824036, 0.04303334653377533],
      [-0.8220979571342468, -0.2619702219963074, 0.06304331868886948],
    ],
    [
      [0.21638548374176025, 0.19853153824806213, -0.26655253767967224],
      [-0.43149688839912415, 0.8060851693153381, 0.08215285837650299],
    ],
  ],
  orth64: [
    [0.4090263321853267, -0.7625681339317155, 0.1908253645084279, -0.27470968957517106],
    [-0.2557998794842696, -0.3951467337159531, -0.11844739208461313, -0.021124303734898847],
    [-0.16690101234973595, 0.1580047182577873, 0.8747338200709981, -0.36913638301039364],
    [0.5707393080619799, 0.46784147574072393, 0.035054226749829845, -0.08819321214522055],
    [0.6082538621754383, -0.002268477279789771, -0.11287409808022485, -0.14223765130428487],
    [0.20902587087028246, -0.13602432334462985, 0.41282838899732355, 0.8716748756653375],
  ],
  orth44: [
    [-0.6256251335144043, -0.31879690289497375, 0.4811370372772217, -0.5248514413833618],
    [-0.1510828137397766, -0.6162849068641663, 0.20739734172821045, 0.7445487976074219],
    [-0.5714022517204285, 0.691398024559021, 0.16329970955848694, 0.41085442900657654],
    [-0.5091824531555176, -0.20132075250148773, -0.8359584212303162, -0.03710157424211502],
  ],
  gain: {
    linear: 1,
    conv1d: 1,
    conv2d: 1,
    conv3d: 1,
    conv_transpose1d: 1,
    conv_transpose2d: 1,
    conv_transpose3d: 1,
    sigmoid: 1,
    tanh: 1.6666666666666667,
    relu: 1.4142135623730951,
    leaky_relu: 1.4141428569978354,
    selu: 0.75,
    'leaky_relu_0.2': 1.3867504905630728,
    leaky_relu_0: 1.4142135623730951,
  },
  orth_after: [0.6266505718231201, 0.5690726637840271],
};

const flat = (t: Tensor): number[] => [t.toArray()].flat(4) as number[];

function closeTo(got: Tensor, want: unknown, atol: number): void {
  const g = flat(got);
  const w = [want].flat(4) as number[];
  expect(g).toHaveLength(w.length);
  g.forEach((v, i) => expect(Math.abs(v - w[i]!)).toBeLessThanOrEqual(atol));
}

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = t.double();
  return { mean: d.mean().item(), std: d.std().item(), min: d.min().item(), max: d.max().item() };
}

describe('init equals torch.nn.init after the same seed', () => {
  it('uniform_ (float32 and float64)', () => {
    manualSeed(0);
    expect(init.uniform_(empty([3, 4]), -2, 3).toArray()).toEqual(T.uniform);
    manualSeed(0);
    expect(init.uniform_(empty([3, 4], { dtype: 'float64' }), -2, 3).toArray()).toEqual(
      T.uniform64,
    );
  });

  it('normal_ (the serial path under 16 elements, the vectorised one from 16, float64)', () => {
    manualSeed(1);
    expect(init.normal_(empty([3, 4]), 1, 0.5).toArray()).toEqual(T.normal12);
    manualSeed(1);
    expect(init.normal_(empty([5, 5]), 1, 0.5).toArray()).toEqual(T.normal25);
    manualSeed(1);
    expect(init.normal_(empty([4, 5], { dtype: 'float64' }), -1, 2).toArray()).toEqual(T.normal64);
  });

  it('xavierUniform_ and xavierNormal_', () => {
    manualSeed(2);
    expect(init.xavierUniform_(empty([3, 5]), 2).toArray()).toEqual(T.xu);
    manualSeed(3);
    expect(init.xavierNormal_(empty([4, 6])).toArray()).toEqual(T.xn);
  });

  it('kaimingUniform_ (defaults, fanOut/relu, a conv weight with a=√5)', () => {
    manualSeed(4);
    expect(init.kaimingUniform_(empty([4, 6])).toArray()).toEqual(T.ku);
    manualSeed(4);
    expect(
      init.kaimingUniform_(empty([4, 6]), { mode: 'fanOut', nonlinearity: 'relu' }).toArray(),
    ).toEqual(T.ku_out_relu);
    manualSeed(5);
    expect(init.kaimingUniform_(empty([2, 3, 2, 2]), { a: Math.sqrt(5) }).toArray()).toEqual(
      T.ku_conv,
    );
  });

  it('kaimingNormal_ (fanOut/relu; float64 with a=0.1)', () => {
    manualSeed(6);
    expect(
      init.kaimingNormal_(empty([5, 4]), { mode: 'fanOut', nonlinearity: 'relu' }).toArray(),
    ).toEqual(T.kn);
    manualSeed(6);
    expect(init.kaimingNormal_(empty([3, 7], { dtype: 'float64' }), { a: 0.1 }).toArray()).toEqual(
      T.kn64,
    );
  });

  it('orthogonal_ within 1e-5 (wide, tall with gain, 3-d, square) and 1e-12 in float64', () => {
    manualSeed(7);
    closeTo(init.orthogonal_(empty([3, 5])), T.orth35, 1e-5);
    // It consumes the generator as torch does.
    expect(rand([2]).toArray()).toEqual(T.orth_after);
    manualSeed(7);
    closeTo(init.orthogonal_(empty([5, 3]), 2), T.orth53, 1e-5);
    manualSeed(8);
    const t3 = init.orthogonal_(empty([4, 2, 3]));
    expect(t3.shape).toEqual([4, 2, 3]);
    closeTo(t3, T.orth423, 1e-5);
    manualSeed(10);
    closeTo(init.orthogonal_(empty([4, 4])), T.orth44, 1e-5);
    manualSeed(9);
    closeTo(init.orthogonal_(empty([6, 4], { dtype: 'float64' })), T.orth64, 1e-12);
  });

  it('calculateGain', () => {
    for (const [name, v] of Object.entries(T.gain)) {
      if (name.startsWith('leaky_relu_')) continue;
      expect(init.calculateGain(name as init.Nonlinearity)).toBe(v);
    }
    expect(init.calculateGain('leaky_relu', 0.2)).toBe(T.gain['leaky_relu_0.2']);
    expect(init.calculateGain('leaky_relu', 0)).toBe(T.gain.leaky_relu_0);
    expect(() => init.calculateGain('softsign' as init.Nonlinearity)).toThrow(
      /Unsupported nonlinearity "softsign"/,
    );
  });

  it('an explicit generator gives the same draws as the global one with the same seed', () => {
    manualSeed(4);
    const a = init.kaimingUniform_(empty([4, 6]));
    const g = new Generator().manualSeed(4);
    manualSeed(99);
    const b = init.kaimingUniform_(empty([4, 6]), { generator: g });
    expect(b.toArray()).toEqual(a.toArray());
    expect(init.normal_(empty([3]), 0, 1, new Generator().manualSeed(1)).toArray()).toEqual(
      init.normal_(empty([3]), 0, 1, new Generator().manualSeed(1)).toArray(),
    );
  });
});

describe('init statistics on large tensors', () => {
  // Standard errors: mean σ/√n; std ≈ σ/√(2n).
  const n = 200 * 300;

  it('uniform_: inside the bounds, mean and std of U(a, b)', () => {
    manualSeed(0);
    const s = stats(init.uniform_(empty([200, 300]), -1, 3));
    expect(s.min).toBeGreaterThanOrEqual(-1);
    expect(s.max).toBeLessThan(3);
    const sigma = 4 / Math.sqrt(12);
    expect(Math.abs(s.mean - 1)).toBeLessThan((5 * sigma) / Math.sqrt(n));
    expect(Math.abs(s.std - sigma)).toBeLessThan((5 * sigma) / Math.sqrt(n));
  });

  it('normal_: mean and std', () => {
    manualSeed(1);
    const s = stats(init.normal_(empty([200, 300]), 2, 0.5));
    expect(Math.abs(s.mean - 2)).toBeLessThan((5 * 0.5) / Math.sqrt(n));
    expect(Math.abs(s.std - 0.5)).toBeLessThan((5 * 0.5) / Math.sqrt(2 * n));
  });

  it('xavierUniform_ and xavierNormal_: bound gain·√(6/(fanIn+fanOut)), std gain·√(2/(fanIn+fanOut))', () => {
    manualSeed(2);
    const bound = 1.5 * Math.sqrt(6 / 500);
    const u = stats(init.xavierUniform_(empty([200, 300]), 1.5));
    expect(Math.max(-u.min, u.max)).toBeLessThanOrEqual(bound);
    expect(Math.max(-u.min, u.max)).toBeGreaterThan(0.999 * bound);
    expect(Math.abs(u.std - bound / Math.sqrt(3))).toBeLessThan((5 * bound) / Math.sqrt(3 * n));
    const std = Math.sqrt(2 / 500);
    const v = stats(init.xavierNormal_(empty([200, 300])));
    expect(Math.abs(v.mean)).toBeLessThan((5 * std) / Math.sqrt(n));
    expect(Math.abs(v.std - std)).toBeLessThan((5 * std) / Math.sqrt(2 * n));
  });

  it('kaimingUniform_ and kaimingNormal_: bound gain·√(3/fan), std gain/√fan', () => {
    manualSeed(3);
    // weight [200, 300]: fanIn 300, fanOut 200.
    const bound = Math.sqrt(2) * Math.sqrt(3 / 300);
    const u = stats(init.kaimingUniform_(empty([200, 300]), { nonlinearity: 'relu' }));
    expect(Math.max(-u.min, u.max)).toBeLessThanOrEqual(bound);
    expect(Math.max(-u.min, u.max)).toBeGreaterThan(0.999 * bound);
    expect(Math.abs(u.mean)).toBeLessThan((5 * bound) / Math.sqrt(3 * n));
    const std = Math.sqrt(2) / Math.sqrt(200);
    const v = stats(
      init.kaimingNormal_(empty([200, 300]), { mode: 'fanOut', nonlinearity: 'relu' }),
    );
    expect(Math.abs(v.mean)).toBeLessThan((5 * std) / Math.sqrt(n));
    expect(Math.abs(v.std - std)).toBeLessThan((5 * std) / Math.sqrt(2 * n));
    // PyTorch's Linear default (a = √5): bound 1/√fanIn.
    const lin = stats(init.kaimingUniform_(empty([200, 300]), { a: Math.sqrt(5) }));
    expect(Math.max(-lin.min, lin.max)).toBeLessThanOrEqual(1 / Math.sqrt(300));
    expect(Math.max(-lin.min, lin.max)).toBeGreaterThan(0.999 / Math.sqrt(300));
  });

  it('orthogonal_: rows (or columns) orthonormal, times the gain', () => {
    manualSeed(4);
    const w = init.orthogonal_(empty([30, 50], { dtype: 'float64' }), 3);
    expect(
      w
        .matmul(w.t())
        .div(9)
        .sub(eye(30, 30, { dtype: 'float64' }))
        .abs()
        .max()
        .item(),
    ).toBeLessThan(1e-12);
    const tall = init.orthogonal_(empty([50, 30]));
    expect(tall.t().matmul(tall).sub(eye(30)).abs().max().item()).toBeLessThan(1e-5);
    // Large normal draws: the entries of a random orthogonal matrix have std 1/√n.
    const sq = stats(init.orthogonal_(empty([200, 200], { dtype: 'float64' })));
    expect(Math.abs(sq.std - 1 / Math.sqrt(200))).toBeLessThan(0.05 / Math.sqrt(200));
  });

  it('constant_, zeros_, ones_', () => {
    expect(init.constant_(empty([2, 2]), 0.25).toArray()).toEqual([
      [0.25, 0.25],
      [0.25, 0.25],
    ]);
    expect(init.zeros_(empty([3])).toArray()).toEqual([0, 0, 0]);
    expect(init.ones_(empty([3])).toArray()).toEqual([1, 1, 1]);
  });
});

describe('init on parameters', () => {
  it('writes in place outside the graph and returns the tensor', () => {
    const l = new Linear(4, 3);
    const w = l.weight;
    expect(init.xavierUniform_(l.weight)).toBe(w);
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
    expect(init.zeros_(l.bias!).toArray()).toEqual([0, 0, 0]);
  });

  it('fan computation and its errors', () => {
    expect(init.calculateFanInAndFanOut(empty([3, 4]))).toEqual([4, 3]);
    expect(init.calculateFanInAndFanOut(empty([8, 3, 5, 5]))).toEqual([75, 200]);
    expect(() => init.xavierUniform_(empty([5]))).toThrow(
      /Fan in and fan out can not be computed for tensor with fewer than 2 dimensions/,
    );
    expect(() => init.kaimingNormal_(empty([2, 2]), { mode: 'fan_in' as 'fanIn' })).toThrow(
      /Mode fan_in not supported, please use one of fanIn, fanOut/,
    );
    expect(() => init.orthogonal_(empty([5]))).toThrow(
      /Only tensors with 2 or more dimensions are supported/,
    );
    // Zero-element tensors are left alone (no draws).
    manualSeed(0);
    init.kaimingUniform_(empty([0, 3]));
    init.orthogonal_(empty([0, 3]));
    const next = rand([1]).item();
    manualSeed(0);
    expect(rand([1]).item()).toBe(next);
  });
});
