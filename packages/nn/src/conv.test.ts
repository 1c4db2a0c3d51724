import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { arange, manualSeed, randn } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import { Conv2d, F, Sequential } from './index.js';

// Golden values: PyTorch 1.13 (torch.manual_seed(s); nn.Conv2d(...); torch.randn(...)); gd draws
// the same streams, so only the outputs are embedded.
const INIT_W = [
  -0.00176466047, 0.126440972, -0.193993598, -0.173462495, -0.0907817557, 0.0632052943,
  -0.00467001135, 0.186885849, -0.0209171716, 0.0623697788, -0.071232304, -0.0463309065,
  -0.225177795, -0.156101391, -0.0971619189, 0.00873125345, 0.0931814015, 0.141426727, -0.159792244,
  -0.102639571, 0.0856110975, 0.195724323, -0.0485075675, 0.176378772, -0.0379912816, 0.024940623,
  0.21342279, -0.218654007, -0.148383513, -0.0596716218, -0.0918767303, 0.203646943, -0.152777404,
  -0.108501501, -0.164671138, -0.220749542, -0.137588948, 0.202609196, 0.105174676, 0.114238419,
  0.01239595, -0.120840661, 0.0398772135, -0.220073953, -0.170310497, -0.121511586, 0.148713499,
  0.138197243, -0.104532786, -0.00850469992, 0.150745898, 0.234319419, 0.0935460255, 0.0318416916,
];
const INIT_B = [0.158035144, -0.138782039, 0.0439217091];
const INIT_GROUPED = [
  -0.00216125883, 0.154857919, -0.237592667, -0.212447301, -0.111184485, 0.0774103627,
  -0.00571957231, 0.228887469, -0.0256181993, 0.0763870627, -0.0872413963, -0.0567435399,
  -0.275785357, -0.191184372, -0.118998557, 0.0106935576, 0.114123441, 0.173211664, -0.195704728,
  -0.125707284, 0.104851745, 0.239712343, -0.0594093911, 0.21601899, -0.0465296283, 0.0305458996,
  0.261388451, -0.267795354, -0.181731939, -0.0730825067, -0.112525553, 0.249415547, -0.187113345,
  -0.132886648, -0.201680124, -0.270361871, -0.168511361, 0.248144582, 0.128812149, 0.139912903,
  0.0151818758, -0.147998974, 0.0488394089, -0.269534439, -0.208586901, -0.148820683, 0.182136089,
  0.169256359, -0.128025994, -0.0104160877, 0.184625268, 0.286981493, 0.114570014, 0.0389979482,
  0.193552732, -0.169972584, 0.0537928864, -0.223811418, -0.200076729, -0.149124831, 0.130617708,
  0.11609371, -0.170997441, 0.0872108042, 0.158474565, -0.0364358127, 0.011022062, 0.0668873861,
  0.179087296, 0.277184159, -0.222459853, -0.105790697,
];
// seed 1: Conv2d(2, 3, 3, stride=2, padding=1, float64); x = randn(2, 2, 5, 6); loss = (y * cos(arange)).sum()
const A_Y = [
  0.593971232821, 0.354757609302, 0.693663240281, 0.28798371907, -0.839998700928, -0.207939189084,
  0.530803032582, -0.157280131068, 0.479129630681, -0.567439042151, -1.01405075796,
  -0.0110608524284, 0.702608093416, -0.15726366608, -0.0589386555585, 0.166684794128,
  -0.293749391889, -0.361335805897, 0.344386217412, 0.887777038685, -0.384698082675,
  -0.207975975711, 0.46779680312, 0.137732458163, 0.405032305598, 0.326813701026, -0.309052318577,
  -0.289489209865, 0.233473903463, 1.14335988301, 0.471091125535, 0.0256129435406, 0.609847347949,
  0.389473831345, 0.199435275857, -0.0229621876393, 0.565553173691, -0.01106209391, -0.677661187177,
  -0.43695954886, -0.687764221624, 0.311057817434, -0.166422600474, 0.0638319976532,
  0.00855916226475, -0.457710687593, 0.470106025366, 0.185412140422, 0.563727711925, 0.534025466461,
  0.403423834599, 0.530979223045, 0.310795610484, -0.123647762251,
];
const A_GX = [
  -0.23952272409, -0.801017350529, -0.286707242776, -0.343088864915, -0.0702944446713,
  0.0280127474548, 0.49023486546, 0.164906975519, 0.427146913991, 0.199855744915, -0.0286579403122,
  -0.0309470168375, 0.210746741685, 0.808044869726, 0.298028345644, 0.442903071849, 0.111304063047,
  0.0365462910301, -0.458114816456, -0.144682165363, -0.466383043054, -0.207402279245,
  -0.0458608507046, -0.0379684204276, -0.177752661811, -0.79889936536, -0.303384409148,
  -0.533852570788, -0.150085929843, -0.100373855252, -0.0864113377033, -0.227145186353,
  -0.095007783032, -0.199382604978, -0.0162545107919, 0.112467480017, -0.118815143999,
  0.132349972812, -0.200390324151, 0.43163442797, -0.0977275644256, 0.14197080029, 0.0774430837087,
  0.212016411577, 0.0999398641946, 0.2174144882, 0.0305523944363, -0.0793129469592, 0.0947854673386,
  -0.0706301665027, 0.200153177557, -0.410399464288, 0.121500979384, -0.181062294243,
  -0.0669248058672, -0.192644126882, -0.102871648296, -0.231094818963, -0.0442387716983,
  0.044570964729, -0.108797367712, 0.335960030735, 0.179926722064, 0.79994315315, 0.303227013348,
  0.427435710913, 0.0412138834058, 0.0777044212397, -0.419660641315, -0.123083250116,
  -0.494701107775, -0.455902979583, 0.147741786964, -0.228884430623, -0.143576557009,
  -0.775795800971, -0.302891276605, -0.445717155916, -0.114915657178, -0.104609595725,
  0.370522718668, 0.0976671373711, 0.515304215724, 0.47555965296, -0.183729153345, 0.117227707076,
  0.10435270619, 0.736120890562, 0.296493168901, 0.455077569013, -0.0296735851512, -0.0207651159929,
  0.0676239181033, 0.193972566674, 0.102748302917, 0.184205793405, -0.120081371819, 0.370636887336,
  0.0705253609318, -0.0114609574498, 0.196291402086, -0.316028432745, 0.0434063718773,
  0.0549693067824, -0.0558431772881, -0.170972679678, -0.103750766789, -0.206898307491,
  0.141588033407, -0.402434004812, -0.0432907202202, -0.0518503907078, -0.188368185322,
  0.305540066938, -0.056270379775, -0.088073286523, 0.0429447348997, 0.144550773335, 0.102676658357,
  0.225449750545,
];
const A_GW = [
  1.41307071038, -0.298590353848, 0.597714878698, -1.37985747424, -5.10421659063, -3.03706505342,
  -1.55943062905, 0.821546679684, -0.74015065788, 1.06442978798, 2.51560305599, 1.51407971741,
  -2.77021329688, -1.70681431335, -2.11697747054, -0.343519225832, -2.28160857415, -0.944091014855,
  -0.818773236454, -1.26388226721, -0.111166721392, 2.42411947959, 3.77425192105, 3.6733414799,
  1.03899848502, 0.754664571851, 0.280043816216, -3.04403025656, -2.90186635064, -2.99983552229,
  1.86053044947, 1.41762348191, 0.845238151575, 2.42833458523, 2.82886693356, 2.55234238833,
  0.0789474363277, 2.60171311608, -0.395140150748, -3.03751975832, -1.77345369186, -3.65672011572,
  -0.333895294456, -2.19674213766, 0.229837866664, 4.48258638171, 2.77235344003, 3.95240213265,
  -0.620157894454, -0.876464995297, 0.57673335374, -4.08153902734, -2.87332396587, -3.70694176255,
];
const A_GB = [-0.532370219132, -0.490387971087, 1.42598486018];
// seed 2: Conv2d(4, 6, (3, 2), stride=(1, 2), padding=(1, 2), dilation=(2, 1), groups=2); x = randn(1, 4, 6, 5)
const B_Y = [
  0.263994187391, -0.286046521431, -1.02091748542, 0.765131987304, 0.263994187391, 0.238245615952,
  -0.75610563703, -0.00927631707995, 0.263994187391, 0.437564508097, -0.769515220284,
  0.346178093708, 0.263994187391, 0.435156816907, 0.274927591287, 0.14050745813, -0.0863238813018,
  -0.263216894389, -0.314355915856, -0.223604852515, -0.0863238813018, -0.927561727671,
  -0.451455025005, -0.116211089797, -0.0863238813018, -0.130603687433, -0.568467714674,
  -0.213096411116, -0.0863238813018, -0.456131584922, -0.12860298467, -0.1770799104, 0.271707697709,
  0.298542332913, 0.854048800918, 0.214539094512, 0.271707697709, 0.711095553804, 0.176982437196,
  0.030236632375, 0.271707697709, 0.54481562469, 1.45377757554, 0.343740435435, 0.271707697709,
  0.135392636036, -0.000253492980173, 0.12006775916, 0.206680271288, 0.337537269798,
  0.0107784843156, 0.391397476362, 0.206680271288, 0.089339531041, 0.0617797564414, 0.174492801313,
  0.206680271288, 0.193082567488, 0.408470460198, 0.562343332579, 0.206680271288, -0.0109278674805,
  0.151314757462, 0.249621292152, 0.0711531195984, 0.46173318754, -0.364860412887, -0.222697348302,
  0.0711531195984, 0.560425983026, 0.101539076302, 0.0181021297414, 0.0711531195984, 0.35763835894,
  -0.166098823501, -0.979337562004, 0.0711531195984, 0.146701407352, 0.441544740117,
  -0.0670139373383, 0.0920922164878, 0.281783117958, 0.0712666533856, -0.314445358471,
  0.0920922164878, 0.487320045722, -0.261423624852, 0.0075488879394, 0.0920922164878,
  0.466673719444, 0.0339121856016, -0.628314409926, 0.0920922164878, 0.546502680237,
  0.0438813592807, 0.114707948245,
];
// seed 3: Conv2d(2, 2, (4, 2), padding='same', dilation=(1, 2)); x = randn(1, 2, 5, 5)
const C_Y = [
  0.19496257106, -0.627784013488, -0.908707842496, 0.346444441022, -0.223454884437, 0.14148131467,
  -0.157260881817, 0.537461061494, -0.164449909275, -0.640921585306, -0.119021259141,
  -0.027390474425, -0.567075966831, -1.37605396169, -0.0830167872268, 0.0375362212955,
  0.00588129722747, -0.550514658944, -0.130552489922, 0.0462782598122, -0.422246177945,
  -0.17089509709, 0.547082120436, 0.024790866007, -0.762918080023, 0.0821614332099, -0.406898827528,
  -0.407409976416, 0.176625108871, -0.0400295402116, -0.469816369779, -0.496133541877,
  0.164691179945, -0.322194518069, -0.369906696943, 0.180811787406, -0.231848253627, -1.09912604091,
  -0.938029876129, -0.170576771935, -0.108641829395, -0.110976417952, -0.628527870193,
  0.441460856014, 0.254087595562, -0.661359310417, 0.328040854986, 0.491435662725, -0.319996969751,
  -0.569418649132,
];
// seed 4: Conv2d(1, 1, 2, padding='valid'); unbatched x = randn(1, 3, 3)
const D_Y = [0.342543235205, 0.806556096519, -0.318717164608, 1.41520935727];

const flat = (t: Tensor): number[] => t.flatten().toArray() as number[];

function expectClose(actual: Tensor, expected: readonly number[], tol = 1e-9): void {
  const got = flat(actual);
  expect(got.length).toBe(expected.length);
  const err = Math.max(
    0,
    ...got.map((v, i) => Math.abs(v - expected[i]!) / (1 + Math.abs(expected[i]!))),
  );
  expect(err).toBeLessThan(tol);
}

const cosWeights = (y: Tensor): Tensor =>
  arange(y.numel(), { dtype: y.dtype }).reshape(y.shape).cos();

describe('Conv2d initialisation', () => {
  it("draws PyTorch's weights and bias after the same manualSeed", () => {
    manualSeed(0);
    const conv = new Conv2d(2, 3, 3);
    expect(conv.weight.shape).toEqual([3, 2, 3, 3]);
    expect(conv.weight.dtype).toBe('float32');
    expectClose(conv.weight, INIT_W, 1e-7);
    expectClose(conv.bias!, INIT_B, 1e-7);
  });

  it('grouped weights have shape [out, in / groups, kh, kw]; bias: false gives no bias', () => {
    manualSeed(0);
    const conv = new Conv2d(4, 6, [3, 2], { groups: 2, bias: false });
    expect(conv.weight.shape).toEqual([6, 2, 3, 2]);
    expect(conv.bias).toBeNull();
    expectClose(conv.weight, INIT_GROUPED, 1e-7);
    expect(Object.keys(conv.stateDict())).toEqual(['weight']);
  });

  it('resetParameters re-draws from the generator', () => {
    manualSeed(0);
    const conv = new Conv2d(2, 3, 3);
    conv.resetParameters();
    manualSeed(0);
    conv.resetParameters();
    expectClose(conv.weight, INIT_W, 1e-7);
  });
});

describe('Conv2d forward and backward vs PyTorch', () => {
  it('stride 2, padding 1: output and gradients of input, weight and bias', () => {
    manualSeed(1);
    const conv = new Conv2d(2, 3, 3, { stride: 2, padding: 1, dtype: 'float64' });
    const x = randn([2, 2, 5, 6], { dtype: 'float64', requiresGrad: true });
    const y = conv.call(x);
    expect(y.shape).toEqual([2, 3, 3, 3]);
    expectClose(y, A_Y);
    y.mul(cosWeights(y)).sum().backward();
    expectClose(x.grad!, A_GX);
    expectClose(conv.weight.grad!, A_GW);
    expectClose(conv.bias!.grad!, A_GB);
  });

  it('asymmetric stride/padding/dilation with groups', () => {
    manualSeed(2);
    const conv = new Conv2d(4, 6, [3, 2], {
      stride: [1, 2],
      padding: [1, 2],
      dilation: [2, 1],
      groups: 2,
      dtype: 'float64',
    });
    const y = conv.call(randn([1, 4, 6, 5], { dtype: 'float64' }));
    expect(y.shape).toEqual([1, 6, 4, 4]);
    expectClose(y, B_Y);
  });

  it("padding 'same' with an even kernel pads the extra zero at the bottom, as PyTorch does", () => {
    manualSeed(3);
    const conv = new Conv2d(2, 2, [4, 2], { padding: 'same', dilation: [1, 2], dtype: 'float64' });
    const y = conv.call(randn([1, 2, 5, 5], { dtype: 'float64' }));
    expect(y.shape).toEqual([1, 2, 5, 5]);
    expectClose(y, C_Y);
  });

  it("padding 'valid' on an unbatched input", () => {
    manualSeed(4);
    const conv = new Conv2d(1, 1, 2, { padding: 'valid', dtype: 'float64' });
    const y = conv.call(randn([1, 3, 3], { dtype: 'float64' }));
    expect(y.shape).toEqual([1, 2, 2]);
    expectClose(y, D_Y);
  });

  it('F.conv2d computes what the layer does', () => {
    manualSeed(1);
    const conv = new Conv2d(2, 3, 3, { stride: 2, padding: 1, dtype: 'float64' });
    const x = randn([2, 2, 5, 6], { dtype: 'float64' });
    expectClose(F.conv2d(x, conv.weight, conv.bias, { stride: 2, padding: 1 }), A_Y);
  });
});

describe('Conv2d gradcheck (float64)', () => {
  it('strided, padded, dilated, grouped', () => {
    manualSeed(10);
    const x = randn([1, 4, 5, 6], { dtype: 'float64', requiresGrad: true });
    const w = randn([4, 2, 2, 3], { dtype: 'float64', requiresGrad: true });
    const b = randn([4], { dtype: 'float64', requiresGrad: true });
    const options = { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 } as const;
    expect(gradcheck((x, w, b) => F.conv2d(x!, w!, b!, options), [x, w, b])).toBe(true);
  });

  it("padding 'same' with an even kernel (the extra zero padding is differentiable too)", () => {
    manualSeed(11);
    const x = randn([1, 2, 4, 4], { dtype: 'float64', requiresGrad: true });
    const w = randn([2, 2, 2, 3], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((x, w) => F.conv2d(x!, w!, null, { padding: 'same' }), [x, w])).toBe(true);
  });

  it("the layer's parameters", () => {
    manualSeed(12);
    const conv = new Conv2d(2, 2, 3, { padding: 1, dtype: 'float64' });
    const x = randn([2, 2, 3, 3], { dtype: 'float64', requiresGrad: true });
    expect(
      gradcheck((x, w, b) => F.conv2d(x!, w!, b!, { padding: 1 }), [x, conv.weight, conv.bias!]),
    ).toBe(true);
  });
});

describe('Conv2d summary, state dict and errors', () => {
  it('prints like PyTorch with camelCase names and [h, w] pairs', () => {
    expect(String(new Conv2d(1, 16, 3, { stride: 1, padding: 1 }))).toBe(
      'Conv2d(1, 16, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1])',
    );
    expect(
      String(new Conv2d(2, 4, [3, 5], { stride: 2, dilation: 2, groups: 2, bias: false })),
    ).toBe('Conv2d(2, 4, kernelSize=[3, 5], stride=[2, 2], dilation=[2, 2], groups=2, bias=false)');
    expect(String(new Conv2d(2, 3, 3, { padding: 'same' }))).toBe(
      'Conv2d(2, 3, kernelSize=[3, 3], stride=[1, 1], padding=same)',
    );
    expect(String(new Sequential(new Conv2d(1, 2, 3)))).toBe(
      'Sequential(\n  (0): Conv2d(1, 2, kernelSize=[3, 3], stride=[1, 1])\n)',
    );
  });

  it("state dict keys are PyTorch's", () => {
    const model = new Sequential(new Conv2d(1, 2, 3), new Conv2d(2, 2, 1, { bias: false }));
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '1.weight']);
    expect(model.numParameters()).toBe(2 * 9 + 2 + 4);
  });

  it("throws PyTorch's messages", () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(
      /^in_channels must be divisible by groups$/,
    );
    expect(() => new Conv2d(4, 3, 3, { groups: 2 })).toThrow(
      /^out_channels must be divisible by groups$/,
    );
    expect(() => new Conv2d(4, 4, 3, { padding: 'foo' as 'same' })).toThrow(
      `Conv2d: padding must be an integer, a pair of integers, 'valid' or 'same', got the string "foo"`,
    );
    expect(() => new Conv2d(4, 4, 3, { padding: 'same', stride: 2 })).toThrow(
      /padding='same' is not supported for strided convolutions/,
    );
    expect(() => new Conv2d(2, 4, 0)).toThrow(/kernelSize must be positive/);
    expect(() => new Conv2d(2, 4, 3).call(randn([1, 3, 5, 5]))).toThrow(
      /^Given groups=1, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 2 channels, but got 3 channels instead$/,
    );
    expect(() => new Conv2d(2, 4, 3).call(randn([3, 5, 5]))).toThrow(
      /expected input\[1, 3, 5, 5\] to have 2 channels, but got 3 channels instead/,
    );
    expect(() => new Conv2d(2, 4, 3).call(randn([5, 5]))).toThrow(
      /Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[5, 5\]/,
    );
  });
});

describe('Conv1d, ConvTranspose2d, GroupNorm and PReLU gradcheck (float64)', () => {
  const leaf = (shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });
  it('conv1d with stride, padding, dilation and groups', () => {
    manualSeed(3);
    const options = { stride: 2, padding: 1, dilation: 2, groups: 2 };
    expect(
      gradcheck(
        (x, w, b) => F.conv1d(x!, w!, b!, options),
        [leaf([2, 4, 7]), leaf([4, 2, 2]), leaf([4])],
      ),
    ).toBe(true);
  });
  it('convTranspose2d with stride, padding, outputPadding and groups', () => {
    manualSeed(4);
    const options = { stride: 2, padding: 1, outputPadding: 1, groups: 2 };
    expect(
      gradcheck(
        (x, w, b) => F.convTranspose2d(x!, w!, b!, options),
        [leaf([1, 4, 2, 3]), leaf([4, 1, 3, 3]), leaf([2])],
      ),
    ).toBe(true);
  });
  it('groupNorm and prelu', () => {
    manualSeed(5);
    expect(
      gradcheck(
        (x, w, b) => F.groupNorm(x!, 2, { weight: w!, bias: b! }),
        [leaf([2, 4, 3]), leaf([4]), leaf([4])],
      ),
    ).toBe(true);
    expect(gradcheck((x, w) => F.prelu(x!, w!), [leaf([2, 3, 4]), leaf([3])])).toBe(true);
  });
  it('refuses mismatched channels and output padding', () => {
    expect(() => F.convTranspose2d(randn([1, 3, 4, 4]), randn([4, 2, 3, 3]))).toThrow(
      'expected input[1, 3, 4, 4] to have 4 channels, but got 3 channels instead',
    );
    expect(() =>
      F.convTranspose2d(randn([1, 4, 4, 4]), randn([4, 2, 3, 3]), null, { outputPadding: 1 }),
    ).toThrow('output padding must be smaller than either stride or dilation');
  });
});
