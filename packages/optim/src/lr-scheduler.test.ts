import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '@gd/autograd';
import { Adagrad, Adam, SGD } from './index.js';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
} from './lr-scheduler.js';
import type { AnyOptimizer, LRScheduler, ReduceLROnPlateauOptions } from './lr-scheduler.js';

// Generated with torch 1.13: SGD([{a}, {b, lr: 0.01}], lr=0.1, momentum=0.9) (or Adam with
// group 1's betas (0.8, 0.99)); get_last_lr() after construction and after each
// optimizer.step(); scheduler.step(); momentum = group['momentum'] or group['betas'][0].
interface Run {
  lrs: number[][];
  momentum: number[][] | null;
}
interface PlateauCase {
  options: ReduceLROnPlateauOptions;
  lrs: number[][];
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
}
const TORCH_DATA: {
  runs: Record<string, Run>;
  plateau: { metrics: number[]; cases: PlateauCase[] };
} = {
  runs: {
    lambda: {
      lrs: [
        [0.1, 0.01],
        [0.095, 0.0095],
        [0.09025, 0.009025],
        [0.0857375, 0.00857375],
        [0.081450625, 0.0081450625],
        [0.07737809374999999, 0.007737809374999998],
        [0.07350918906249998, 0.007350918906249998],
        [0.06983372960937498, 0.006983372960937498],
        [0.06634204312890622, 0.006634204312890623],
        [0.0630249409724609, 0.006302494097246091],
        [0.05987369392383787, 0.005987369392383787],
      ],
      momentum: null,
    },
    lambdaPerGroup: {
      lrs: [
        [0.1, 0.01],
        [0.05, 0.009000000000000001],
        [0.03333333333333333, 0.008100000000000001],
        [0.025, 0.007290000000000001],
        [0.020000000000000004, 0.006561],
        [0.016666666666666666, 0.005904900000000001],
        [0.014285714285714285, 0.00531441],
        [0.0125, 0.004782969000000001],
        [0.011111111111111112, 0.004304672100000001],
        [0.010000000000000002, 0.003874204890000001],
        [0.009090909090909092, 0.003486784401000001],
      ],
      momentum: null,
    },
    step: {
      lrs: [
        [0.1, 0.01],
        [0.1, 0.01],
        [0.1, 0.01],
        [0.05, 0.005],
        [0.05, 0.005],
        [0.05, 0.005],
        [0.025, 0.0025],
        [0.025, 0.0025],
        [0.025, 0.0025],
        [0.0125, 0.00125],
        [0.0125, 0.00125],
        [0.0125, 0.00125],
        [0.00625, 0.000625],
      ],
      momentum: null,
    },
    multiStep: {
      lrs: [
        [0.1, 0.01],
        [0.1, 0.01],
        [0.03, 0.003],
        [0.03, 0.003],
        [0.03, 0.003],
        [0.0026999999999999997, 0.00027],
        [0.0026999999999999997, 0.00027],
        [0.0026999999999999997, 0.00027],
        [0.0026999999999999997, 0.00027],
        [0.0008099999999999998, 8.1e-5],
        [0.0008099999999999998, 8.1e-5],
        [0.0008099999999999998, 8.1e-5],
        [0.0008099999999999998, 8.1e-5],
      ],
      momentum: null,
    },
    exponential: {
      lrs: [
        [0.1, 0.01],
        [0.09000000000000001, 0.009000000000000001],
        [0.08100000000000002, 0.008100000000000001],
        [0.07290000000000002, 0.007290000000000001],
        [0.06561000000000002, 0.006561000000000002],
        [0.05904900000000002, 0.005904900000000002],
        [0.05314410000000002, 0.005314410000000002],
        [0.04782969000000002, 0.004782969000000002],
        [0.043046721000000024, 0.004304672100000002],
        [0.03874204890000002, 0.003874204890000002],
        [0.03486784401000002, 0.003486784401000002],
      ],
      momentum: null,
    },
    cosine: {
      lrs: [
        [0.1, 0.01],
        [0.09757729755661011, 0.009779754323328192],
        [0.0905463412215599, 0.009140576474687263],
        [0.07959536998847742, 0.008145033635316129],
        [0.0657963412215599, 0.006890576474687263],
        [0.0505, 0.0055],
        [0.03520365877844011, 0.004109423525312737],
        [0.02140463001152259, 0.0028549663646838712],
        [0.010453658778440109, 0.001859423525312737],
        [0.0034227024433899004, 0.001220245676671809],
        [0.001, 0.001],
        [0.0034227024433899004, 0.001220245676671809],
        [0.01045365877844014, 0.0018594235253127397],
        [0.02140463001152267, 0.002854966364683878],
        [0.035203658778440255, 0.004109423525312749],
        [0.05050000000000022, 0.005500000000000018],
        [0.06579634122156018, 0.006890576474687287],
        [0.07959536998847777, 0.008145033635316157],
        [0.09054634122156031, 0.009140576474687297],
        [0.09757729755661054, 0.009779754323328227],
        [0.10000000000000045, 0.010000000000000037],
        [0.09757729755661054, 0.009779754323328227],
        [0.09054634122156033, 0.009140576474687297],
        [0.07959536998847778, 0.008145033635316157],
        [0.0657963412215602, 0.006890576474687286],
        [0.050500000000000225, 0.005500000000000017],
      ],
      momentum: null,
    },
    cosineResume: {
      lrs: [
        [0.1312471909403073, 0.013435661446562],
        [0.10050000000000002, 0.010499999999999999],
        [0.06975280905969275, 0.007564338553437999],
        [0.04201536739689894, 0.004916040103221506],
        [0.020002809059692744, 0.0028143385534380003],
        [0.005869876628632224, 0.0014649630951960415],
        [0.001, 0.001],
        [0.005869876628632224, 0.0014649630951960415],
        [0.020002809059692806, 0.002814338553438007],
        [0.0420153673968991, 0.0049160401032215225],
        [0.06975280905969304, 0.007564338553438029],
        [0.10050000000000045, 0.010500000000000044],
        [0.13124719094030787, 0.013435661446562056],
      ],
      momentum: null,
    },
    cosineDefault: {
      lrs: [
        [0.1, 0.01],
        [0.09504844339512096, 0.009504844339512096],
        [0.08117449009293669, 0.008117449009293669],
        [0.061126046697815725, 0.006112604669781573],
        [0.03887395330218429, 0.003887395330218429],
        [0.018825509907063328, 0.001882550990706333],
        [0.004951556604879048, 0.0004951556604879049],
        [0.0, 0.0],
        [0.004951556604879043, 0.0004951556604879043],
        [0.018825509907063314, 0.0018825509907063316],
        [0.03887395330218427, 0.0038873953302184278],
        [0.06112604669781568, 0.0061126046697815685],
        [0.08117449009293667, 0.008117449009293669],
        [0.09504844339512099, 0.009504844339512099],
        [0.10000000000000002, 0.010000000000000002],
        [0.09504844339512099, 0.009504844339512099],
        [0.0811744900929367, 0.00811744900929367],
        [0.061126046697815704, 0.00611260466978157],
        [0.0388739533021843, 0.0038873953302184304],
        [0.018825509907063342, 0.0018825509907063342],
        [0.004951556604879055, 0.0004951556604879055],
      ],
      momentum: null,
    },
    linearWarmup: {
      lrs: [
        [0.025, 0.0025],
        [0.043750000000000004, 0.004375],
        [0.06250000000000001, 0.00625],
        [0.08125000000000002, 0.008125],
        [0.10000000000000002, 0.01],
        [0.10000000000000002, 0.01],
        [0.10000000000000002, 0.01],
        [0.10000000000000002, 0.01],
        [0.10000000000000002, 0.01],
      ],
      momentum: null,
    },
    linearDecay: {
      lrs: [
        [0.1, 0.01],
        [0.08200000000000002, 0.0082],
        [0.06400000000000002, 0.006400000000000001],
        [0.04600000000000001, 0.004600000000000001],
        [0.02800000000000001, 0.002800000000000001],
        [0.010000000000000002, 0.0010000000000000002],
        [0.010000000000000002, 0.0010000000000000002],
        [0.010000000000000002, 0.0010000000000000002],
        [0.010000000000000002, 0.0010000000000000002],
      ],
      momentum: null,
    },
    linearDefault: {
      lrs: [
        [0.03333333333333333, 0.003333333333333333],
        [0.04666666666666667, 0.004666666666666667],
        [0.060000000000000005, 0.006000000000000001],
        [0.07333333333333335, 0.007333333333333335],
        [0.08666666666666668, 0.00866666666666667],
        [0.1, 0.010000000000000002],
        [0.1, 0.010000000000000002],
        [0.1, 0.010000000000000002],
      ],
      momentum: null,
    },
    oneCycleCos: {
      lrs: [
        [0.020000000000000018, 0.0020000000000000018],
        [0.06583592135001265, 0.006583592135001266],
        [0.18583592135001265, 0.018583592135001263],
        [0.3341640786499874, 0.033416407864998735],
        [0.45416407864998737, 0.04541640786499874],
        [0.5, 0.05],
        [0.49373200311754367, 0.04937320031175437],
        [0.47524231600673683, 0.04752423160067369],
        [0.445458088785525, 0.0445458088785525],
        [0.40587282697488153, 0.04058728269748815],
        [0.3584715008956504, 0.035847150089565044],
        [0.30563101096814466, 0.030563101096814465],
        [0.250001, 0.0250001],
        [0.19437098903185537, 0.019437098903185537],
        [0.14153049910434962, 0.014153049910434961],
        [0.09412917302511849, 0.00941291730251185],
        [0.05454391121447502, 0.005454391121447502],
        [0.024759683993263143, 0.0024759683993263145],
        [0.006269996882456277, 0.0006269996882456277],
        [2e-6, 2e-7],
      ],
      momentum: [
        [0.95, 0.95],
        [0.9404508497187474, 0.9404508497187474],
        [0.9154508497187474, 0.9154508497187474],
        [0.8845491502812526, 0.8845491502812526],
        [0.8595491502812526, 0.8595491502812526],
        [0.85, 0.85],
        [0.8512536043909088, 0.8512536043909088],
        [0.854951556604879, 0.854951556604879],
        [0.8609084258765984, 0.8609084258765984],
        [0.8688255099070633, 0.8688255099070633],
        [0.878305813044122, 0.878305813044122],
        [0.8888739533021842, 0.8888739533021842],
        [0.8999999999999999, 0.8999999999999999],
        [0.9111260466978157, 0.9111260466978157],
        [0.9216941869558779, 0.9216941869558779],
        [0.9311744900929366, 0.9311744900929366],
        [0.9390915741234015, 0.9390915741234015],
        [0.945048443395121, 0.945048443395121],
        [0.9487463956090911, 0.9487463956090911],
        [0.95, 0.95],
      ],
    },
    oneCycleLinear: {
      lrs: [
        [0.02, 0.02],
        [0.116, 0.116],
        [0.212, 0.212],
        [0.308, 0.308],
        [0.404, 0.404],
        [0.5, 0.5],
        [0.46428585714285714, 0.46428585714285714],
        [0.4285717142857143, 0.4285717142857143],
        [0.3928575714285714, 0.3928575714285714],
        [0.35714342857142856, 0.35714342857142856],
        [0.32142928571428575, 0.32142928571428575],
        [0.28571514285714283, 0.28571514285714283],
        [0.25000100000000003, 0.25000100000000003],
        [0.21428685714285717, 0.21428685714285717],
        [0.17857271428571425, 0.17857271428571425],
        [0.14285857142857145, 0.14285857142857145],
        [0.10714442857142858, 0.10714442857142858],
        [0.07143028571428572, 0.07143028571428572],
        [0.03571614285714286, 0.03571614285714286],
        [2.000000000002e-6, 2.000000000002e-6],
      ],
      momentum: [
        [0.95, 0.95],
        [0.9299999999999999, 0.9299999999999999],
        [0.9099999999999999, 0.9099999999999999],
        [0.89, 0.89],
        [0.87, 0.87],
        [0.85, 0.85],
        [0.8571428571428571, 0.8571428571428571],
        [0.8642857142857142, 0.8642857142857142],
        [0.8714285714285714, 0.8714285714285714],
        [0.8785714285714286, 0.8785714285714286],
        [0.8857142857142857, 0.8857142857142857],
        [0.8928571428571428, 0.8928571428571428],
        [0.8999999999999999, 0.8999999999999999],
        [0.9071428571428571, 0.9071428571428571],
        [0.9142857142857143, 0.9142857142857143],
        [0.9214285714285714, 0.9214285714285714],
        [0.9285714285714285, 0.9285714285714285],
        [0.9357142857142857, 0.9357142857142857],
        [0.9428571428571428, 0.9428571428571428],
        [0.95, 0.95],
      ],
    },
    oneCycleThreePhase: {
      lrs: [
        [0.020000000000000018, 0.020000000000000018],
        [0.06583592135001265, 0.06583592135001265],
        [0.18583592135001265, 0.18583592135001265],
        [0.3341640786499874, 0.3341640786499874],
        [0.45416407864998737, 0.45416407864998737],
        [0.5, 0.5],
        [0.45416407864998737, 0.45416407864998737],
        [0.3341640786499874, 0.3341640786499874],
        [0.18583592135001262, 0.18583592135001262],
        [0.06583592135001264, 0.06583592135001264],
        [0.02, 0.02],
        [0.019396986515238298, 0.019396986515238298],
        [0.01766067838674666, 0.01766067838674666],
        [0.015000500000000002, 0.015000500000000002],
        [0.01173730812849164, 0.01173730812849164],
        [0.008264691871508365, 0.008264691871508365],
        [0.005001500000000003, 0.005001500000000003],
        [0.00234132161325334, 0.00234132161325334],
        [0.0006050134847617028, 0.0006050134847617028],
        [2e-6, 2e-6],
      ],
      momentum: [
        [0.95, 0.95],
        [0.9404508497187474, 0.9404508497187474],
        [0.9154508497187474, 0.9154508497187474],
        [0.8845491502812526, 0.8845491502812526],
        [0.8595491502812526, 0.8595491502812526],
        [0.85, 0.85],
        [0.8595491502812526, 0.8595491502812526],
        [0.8845491502812526, 0.8845491502812526],
        [0.9154508497187474, 0.9154508497187474],
        [0.9404508497187474, 0.9404508497187474],
        [0.95, 0.95],
        [0.95, 0.95],
        [0.95, 0.95],
        [0.95, 0.95],
        [0.95, 0.95],
        [0.95, 0.95],
        [0.95, 0.95],
        [0.95, 0.95],
        [0.95, 0.95],
        [0.95, 0.95],
      ],
    },
    oneCycleEpochs: {
      lrs: [
        [0.09999999999999998, 0.09999999999999998],
        [0.23180194846605362, 0.23180194846605362],
        [0.55, 0.55],
        [0.8681980515339464, 0.8681980515339464],
        [1.0, 1.0],
        [0.9890847265665359, 0.9890847265665359],
        [0.956815956092479, 0.956815956092479],
        [0.9046039886902862, 0.9046039886902862],
        [0.8347307378762497, 0.8347307378762497],
        [0.75025, 0.75025],
        [0.6548539886902862, 0.6548539886902862],
        [0.552711967402193, 0.552711967402193],
        [0.4482880325978072, 0.4482880325978072],
        [0.3461460113097138, 0.3461460113097138],
        [0.2507500000000001, 0.2507500000000001],
        [0.16626926212375048, 0.16626926212375048],
        [0.0963960113097138, 0.0963960113097138],
        [0.044184043907520815, 0.044184043907520815],
        [0.011915273433464057, 0.011915273433464057],
        [0.001, 0.001],
        [0.011915273433464057, 0.011915273433464057],
      ],
      momentum: [
        [0.9, 0.9],
        [0.8853553390593274, 0.8853553390593274],
        [0.8500000000000001, 0.8500000000000001],
        [0.8146446609406727, 0.8146446609406727],
        [0.8, 0.8],
        [0.8010926199633097, 0.8010926199633097],
        [0.80432272711787, 0.80432272711787],
        [0.8095491502812526, 0.8095491502812526],
        [0.8165434696820572, 0.8165434696820572],
        [0.8250000000000001, 0.8250000000000001],
        [0.8345491502812526, 0.8345491502812526],
        [0.8447735768366174, 0.8447735768366174],
        [0.8552264231633827, 0.8552264231633827],
        [0.8654508497187474, 0.8654508497187474],
        [0.875, 0.875],
        [0.8834565303179429, 0.8834565303179429],
        [0.8904508497187474, 0.8904508497187474],
        [0.8956772728821301, 0.8956772728821301],
        [0.8989073800366904, 0.8989073800366904],
        [0.9, 0.9],
        [0.8989073800366904, 0.8989073800366904],
      ],
    },
    oneCycleAdam: {
      lrs: [
        [0.0003999999999999993, 0.0003999999999999993],
        [0.0034978965421958302, 0.0034978965421958302],
        [0.008792851591221286, 0.008792851591221286],
        [0.009944154354509118, 0.009944154354509118],
        [0.009330129698414118, 0.009330129698414118],
        [0.00811745653949763, 0.00811745653949763],
        [0.006473789976951033, 0.006473789976951033],
        [0.00462637102666975, 0.00462637102666975],
        [0.0028306099820869924, 0.0028306099820869924],
        [0.001334775301888306, 0.001334775301888306],
        [0.0003456698742539522, 0.0003456698742539522],
        [4e-8, 4e-8],
      ],
      momentum: [
        [0.95, 0.9],
        [0.9177302443521267, 0.8354604887042536],
        [0.8625744625914449, 0.7251489251828899],
        [0.8505584586887436, 0.7011169173774872],
        [0.856698729810778, 0.7133974596215561],
        [0.8688255099070633, 0.7376510198141266],
        [0.8852622412794547, 0.7705244825589095],
        [0.9037365046793212, 0.8074730093586424],
        [0.9216941869558779, 0.8433883739117558],
        [0.9366525935914912, 0.8733051871829827],
        [0.9465436874322102, 0.8930873748644205],
        [0.95, 0.9],
      ],
    },
    oneCycleNoMomentum: {
      lrs: [
        [0.020000000000000018, 0.020000000000000018],
        [0.26, 0.26],
        [0.5, 0.5],
        [0.47524231600673683, 0.47524231600673683],
        [0.40587282697488153, 0.40587282697488153],
        [0.30563101096814466, 0.30563101096814466],
        [0.19437098903185537, 0.19437098903185537],
        [0.09412917302511849, 0.09412917302511849],
        [0.024759683993263143, 0.024759683993263143],
        [2e-6, 2e-6],
      ],
      momentum: [
        [0.9, 0.9],
        [0.9, 0.9],
        [0.9, 0.9],
        [0.9, 0.9],
        [0.9, 0.9],
        [0.9, 0.9],
        [0.9, 0.9],
        [0.9, 0.9],
        [0.9, 0.9],
        [0.9, 0.9],
      ],
    },
    sequentialWarmupCosine: {
      lrs: [
        [0.010000000000000002, 0.001],
        [0.028000000000000004, 0.0028],
        [0.046000000000000006, 0.0046],
        [0.064, 0.0063999999999999994],
        [0.082, 0.008199999999999999],
        [0.1, 0.01],
        [0.09755282581475769, 0.009755282581475769],
        [0.09045084971874738, 0.009045084971874737],
        [0.07938926261462367, 0.007938926261462366],
        [0.06545084971874739, 0.006545084971874737],
        [0.05000000000000001, 0.005],
        [0.03454915028125264, 0.003454915028125263],
        [0.020610737385376353, 0.0020610737385376348],
        [0.009549150281252635, 0.0009549150281252633],
        [0.002447174185242324, 0.00024471741852423234],
        [0.0, 0.0],
        [0.0024471741852423235, 0.00024471741852423234],
        [0.009549150281252666, 0.0009549150281252665],
        [0.020610737385376433, 0.002061073738537643],
        [0.034549150281252786, 0.003454915028125278],
        [0.050000000000000225, 0.005000000000000022],
      ],
      momentum: null,
    },
    sequentialThree: {
      lrs: [
        [0.1, 0.01],
        [0.09000000000000001, 0.009000000000000001],
        [0.08100000000000002, 0.008100000000000001],
        [0.1, 0.01],
        [0.1, 0.01],
        [0.05, 0.005],
        [0.05, 0.005],
        [0.1, 0.010000000000000002],
        [0.0905463412215599, 0.009140576474687266],
        [0.06579634122155989, 0.006890576474687264],
        [0.035203658778440096, 0.004109423525312737],
        [0.010453658778440105, 0.0018594235253127371],
        [0.001, 0.001],
        [0.010453658778440102, 0.0018594235253127367],
        [0.03520365877844012, 0.004109423525312739],
        [0.06579634122155993, 0.006890576474687268],
      ],
      momentum: null,
    },
  },
  plateau: {
    metrics: [
      1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.5, 0.6, 0.7, 0.8,
      0.9, 0.95, 0.99,
    ],
    cases: [
      {
        options: { factor: 0.5, patience: 2 },
        lrs: [
          [0.1, 0.01],
          [0.1, 0.01],
          [0.1, 0.01],
          [0.1, 0.01],
          [0.05, 0.005],
          [0.05, 0.005],
          [0.05, 0.005],
          [0.05, 0.005],
          [0.05, 0.005],
          [0.025, 0.0025],
          [0.025, 0.0025],
          [0.025, 0.0025],
          [0.0125, 0.00125],
          [0.0125, 0.00125],
          [0.0125, 0.00125],
          [0.0125, 0.00125],
          [0.00625, 0.000625],
          [0.00625, 0.000625],
          [0.00625, 0.000625],
          [0.003125, 0.0003125],
        ],
        best: 0.5,
        numBadEpochs: 0,
        cooldownCounter: 0,
      },
      {
        options: {
          thresholdMode: 'abs',
          threshold: 0.05,
          patience: 1,
          cooldown: 2,
          minLr: [0.02, 0.001],
        },
        lrs: [
          [0.1, 0.01],
          [0.1, 0.01],
          [0.1, 0.01],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
          [0.02, 0.001],
        ],
        best: 0.5,
        numBadEpochs: 0,
        cooldownCounter: 2,
      },
      {
        options: { mode: 'max', threshold: 0.01, patience: 1 },
        lrs: [
          [0.1, 0.01],
          [0.1, 0.01],
          [0.010000000000000002, 0.001],
          [0.010000000000000002, 0.001],
          [0.0010000000000000002, 0.0001],
          [0.0010000000000000002, 0.0001],
          [0.00010000000000000003, 1e-5],
          [0.00010000000000000003, 1e-5],
          [1.0000000000000004e-5, 1.0000000000000002e-6],
          [1.0000000000000004e-5, 1.0000000000000002e-6],
          [1.0000000000000004e-6, 1.0000000000000002e-7],
          [1.0000000000000004e-6, 1.0000000000000002e-7],
          [1.0000000000000005e-7, 1.0000000000000004e-8],
          [1.0000000000000005e-7, 1.0000000000000004e-8],
          [1.0000000000000005e-8, 1.0000000000000004e-8],
          [1.0000000000000005e-8, 1.0000000000000004e-8],
          [1.0000000000000005e-8, 1.0000000000000004e-8],
          [1.0000000000000005e-8, 1.0000000000000004e-8],
          [1.0000000000000005e-8, 1.0000000000000004e-8],
          [1.0000000000000005e-8, 1.0000000000000004e-8],
        ],
        best: 1.0,
        numBadEpochs: 1,
        cooldownCounter: 0,
      },
      {
        options: {
          mode: 'max',
          thresholdMode: 'abs',
          threshold: 0.0,
          patience: 0,
          factor: 0.5,
          minLr: 0.04,
          eps: 0.015,
        },
        lrs: [
          [0.1, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
          [0.05, 0.01],
        ],
        best: 1.0,
        numBadEpochs: 0,
        cooldownCounter: 0,
      },
    ],
  },
};
const TORCH = TORCH_DATA.runs;

function sgd(momentum = 0.9): SGD {
  const a = zeros([2], { dtype: 'float64', requiresGrad: true });
  const b = zeros([3], { dtype: 'float64', requiresGrad: true });
  return new SGD([{ params: [a] }, { params: [b], lr: 0.01 }], { lr: 0.1, momentum });
}

function adam(): Adam {
  const a = zeros([2], { dtype: 'float64', requiresGrad: true });
  const b = zeros([3], { dtype: 'float64', requiresGrad: true });
  return new Adam([{ params: [a] }, { params: [b], lr: 0.01, betas: [0.8, 0.99] }], { lr: 0.1 });
}

function momentumOf(opt: AnyOptimizer): number[] {
  return opt.paramGroups.map((g) =>
    Array.isArray(g.betas) ? (g.betas[0] as number) : (g.momentum as number),
  );
}

function run(opt: AnyOptimizer, scheduler: LRScheduler, n: number): Run {
  const lrs = [scheduler.getLastLr()];
  const momentum = [momentumOf(opt)];
  for (let i = 0; i < n; i++) {
    opt.step();
    scheduler.step();
    lrs.push(scheduler.getLastLr());
    momentum.push(momentumOf(opt));
  }
  return { lrs, momentum };
}

function expectSeq(actual: number[][], expected: number[][], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    row.forEach((a, j) => {
      const e = expected[i]![j]!;
      if (!(Math.abs(a - e) <= tol * Math.max(1e-3, Math.abs(e)))) {
        throw new Error(`step ${i}, group ${j}: got ${a}, expected ${e}`);
      }
    });
  });
}

function check(key: string, opt: AnyOptimizer, scheduler: LRScheduler, withMomentum = false): void {
  const expected = TORCH[key]!;
  const got = run(opt, scheduler, expected.lrs.length - 1);
  expectSeq(got.lrs, expected.lrs);
  if (withMomentum) expectSeq(got.momentum!, expected.momentum!);
  // the scheduler sets the groups' lr
  expect(opt.paramGroups.map((g) => g.lr)).toEqual(got.lrs[got.lrs.length - 1]);
}

describe('lr sequences match torch.optim.lr_scheduler', () => {
  it('LambdaLR (one function, and one per group)', () => {
    let o = sgd();
    check('lambda', o, new LambdaLR(o, (e) => 0.95 ** e));
    o = sgd();
    check('lambdaPerGroup', o, new LambdaLR(o, [(e) => 1 / (e + 1), (e) => 0.9 ** e]));
  });
  it('StepLR', () => {
    const o = sgd();
    check('step', o, new StepLR(o, { stepSize: 3, gamma: 0.5 }));
  });
  it('MultiStepLR (unsorted milestones, one repeated)', () => {
    const o = sgd();
    check('multiStep', o, new MultiStepLR(o, { milestones: [9, 2, 5, 5], gamma: 0.3 }));
  });
  it('ExponentialLR', () => {
    const o = sgd();
    check('exponential', o, new ExponentialLR(o, { gamma: 0.9 }));
  });
  it('CosineAnnealingLR (recursive form, past tMax)', () => {
    let o = sgd();
    check('cosine', o, new CosineAnnealingLR(o, { tMax: 10, etaMin: 0.001 }));
    o = sgd();
    check('cosineDefault', o, new CosineAnnealingLR(o, { tMax: 7 }));
  });
  it('CosineAnnealingLR resuming at lastEpoch 3 (first step in closed form)', () => {
    const o = sgd();
    for (const g of o.paramGroups) g.initialLr = g.lr * 2;
    check('cosineResume', o, new CosineAnnealingLR(o, { tMax: 10, etaMin: 0.001, lastEpoch: 3 }));
  });
  it('LinearLR (warmup, decay, defaults)', () => {
    let o = sgd();
    check('linearWarmup', o, new LinearLR(o, { startFactor: 0.25, endFactor: 1, totalIters: 4 }));
    o = sgd();
    check('linearDecay', o, new LinearLR(o, { startFactor: 1, endFactor: 0.1, totalIters: 5 }));
    o = sgd();
    check('linearDefault', o, new LinearLR(o));
  });
  it('OneCycleLR: cos with per-group maxLr, linear, three phases, epochs × stepsPerEpoch', () => {
    let o = sgd();
    check('oneCycleCos', o, new OneCycleLR(o, { maxLr: [0.5, 0.05], totalSteps: 20 }), true);
    o = sgd();
    check(
      'oneCycleLinear',
      o,
      new OneCycleLR(o, { maxLr: 0.5, totalSteps: 20, annealStrategy: 'linear' }),
      true,
    );
    o = sgd();
    check(
      'oneCycleThreePhase',
      o,
      new OneCycleLR(o, { maxLr: 0.5, totalSteps: 20, threePhase: true }),
      true,
    );
    o = sgd();
    const s = new OneCycleLR(o, {
      maxLr: 1.0,
      epochs: 4,
      stepsPerEpoch: 5,
      pctStart: 0.25,
      divFactor: 10,
      finalDivFactor: 100,
      baseMomentum: 0.8,
      maxMomentum: 0.9,
    });
    check('oneCycleEpochs', o, s, true);
    expect(o.paramGroups[0]!.initialLr).toBe(0.1);
    expect(o.paramGroups[0]!.maxLr).toBe(1.0);
    expect(o.paramGroups[0]!.minLr).toBeCloseTo(0.001, 15);
  });
  it('OneCycleLR cycles Adam betas[0] (per-group momenta) and can leave momentum alone', () => {
    let o: AnyOptimizer = adam();
    check(
      'oneCycleAdam',
      o,
      new OneCycleLR(o, {
        maxLr: 0.01,
        totalSteps: 12,
        baseMomentum: [0.85, 0.7],
        maxMomentum: [0.95, 0.9],
      }),
      true,
    );
    expect((o.paramGroups[1]!.betas as number[])[1]).toBe(0.99);
    o = sgd();
    check(
      'oneCycleNoMomentum',
      o,
      new OneCycleLR(o, { maxLr: 0.5, totalSteps: 10, cycleMomentum: false }),
      true,
    );
  });
  it('SequentialLR: LinearLR warmup then CosineAnnealingLR', () => {
    const o = sgd();
    const warmup = new LinearLR(o, { startFactor: 0.1, totalIters: 5 });
    const cosine = new CosineAnnealingLR(o, { tMax: 10 });
    check('sequentialWarmupCosine', o, new SequentialLR(o, [warmup, cosine], [5]));
  });
  it('SequentialLR with three schedulers', () => {
    const o = sgd();
    const s1 = new ExponentialLR(o, { gamma: 0.9 });
    const s2 = new StepLR(o, { stepSize: 2, gamma: 0.5 });
    const s3 = new CosineAnnealingLR(o, { tMax: 5, etaMin: 0.001 });
    check('sequentialThree', o, new SequentialLR(o, [s1, s2, s3], [3, 7]));
  });
  it('ReduceLROnPlateau: min/max, rel/abs, patience, cooldown, per-group minLr, eps', () => {
    const { metrics, cases } = TORCH_DATA.plateau;
    for (const c of cases) {
      const o = sgd();
      const s = new ReduceLROnPlateau(o, c.options);
      const lrs = metrics.map((m) => {
        s.step(m);
        return o.paramGroups.map((g) => g.lr);
      });
      expectSeq(lrs, c.lrs);
      expect(s.getLastLr()).toEqual(lrs[lrs.length - 1]);
      expect([s.best, s.numBadEpochs, s.cooldownCounter]).toEqual([
        c.best,
        c.numBadEpochs,
        c.cooldownCounter,
      ]);
    }
  });
  it('ReduceLROnPlateau accepts a one-element tensor metric', () => {
    const o = sgd();
    const s = new ReduceLROnPlateau(o, { patience: 0 });
    s.step(tensor(1.0));
    s.step(tensor([2.0]));
    expect(s.getLastLr()).toEqual([0.010000000000000002, 0.001]);
  });
});

describe('scheduler basics', () => {
  it('stores initialLr in the groups and baseLrs; a second scheduler keeps the first initialLr', () => {
    const o = sgd();
    const s = new ExponentialLR(o, { gamma: 0.5 });
    s.step();
    expect(o.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.01]);
    const t = new StepLR(o, { stepSize: 1 });
    expect(t.baseLrs).toEqual([0.1, 0.01]);
    expect(s.lastEpoch).toBe(1);
    expect(t.lastEpoch).toBe(0);
  });
  it('resuming with lastEpoch needs initialLr in every group', () => {
    expect(() => new StepLR(sgd(), { stepSize: 2, lastEpoch: 4 })).toThrow(
      /param 'initialLr' is not specified in paramGroups\[0\] when resuming an optimizer/,
    );
    const o = sgd();
    for (const g of o.paramGroups) g.initialLr = g.lr;
    const s = new StepLR(o, { stepSize: 2, gamma: 0.5, lastEpoch: 4 });
    expect(s.lastEpoch).toBe(5);
    // the chainable form at epoch 5 (not a multiple of 2) keeps the current rate
    expect(s.getLastLr()).toEqual([0.1, 0.01]);
  });
  it('step(epoch) jumps with the closed form', () => {
    const o = sgd();
    const s = new StepLR(o, { stepSize: 3, gamma: 0.5 });
    s.step(7);
    expect(s.getLastLr()).toEqual([0.025, 0.0025]);
    const c = new CosineAnnealingLR(sgd(), { tMax: 10 });
    c.step(5);
    expect(c.getLastLr()[0]).toBeCloseTo(0.05, 15);
  });
  it('getLastLr returns a copy', () => {
    const s = new ExponentialLR(sgd(), { gamma: 0.5 });
    s.getLastLr()[0] = 42;
    expect(s.getLastLr()).toEqual([0.1, 0.01]);
  });
});

describe('scheduler state dicts', () => {
  function roundTrip(
    make: (o: AnyOptimizer) => LRScheduler,
    n: number,
    m: number,
    makeOpt: () => AnyOptimizer = sgd,
  ): void {
    const o1 = makeOpt();
    const s1 = make(o1);
    for (let i = 0; i < n; i++) s1.step();
    const optSd = o1.stateDict();
    const sd = s1.stateDict();
    const a: number[][] = [];
    for (let i = 0; i < m; i++) {
      s1.step();
      a.push(s1.getLastLr());
    }
    const o2 = makeOpt();
    const s2 = make(o2);
    o2.loadStateDict(optSd);
    s2.loadStateDict(sd);
    const b: number[][] = [];
    for (let i = 0; i < m; i++) {
      s2.step();
      b.push(s2.getLastLr());
    }
    expect(b).toEqual(a);
  }
  it('resumes every scheduler exactly', () => {
    roundTrip((o) => new LambdaLR(o, (e) => 1 / (e + 1)), 3, 5);
    roundTrip((o) => new StepLR(o, { stepSize: 2 }), 3, 5);
    roundTrip((o) => new MultiStepLR(o, { milestones: [2, 6] }), 3, 5);
    roundTrip((o) => new ExponentialLR(o, { gamma: 0.7 }), 3, 5);
    roundTrip((o) => new CosineAnnealingLR(o, { tMax: 6, etaMin: 0.01 }), 4, 10);
    roundTrip((o) => new LinearLR(o, { startFactor: 0.2, totalIters: 6 }), 3, 5);
    roundTrip((o) => new OneCycleLR(o, { maxLr: 0.3, totalSteps: 15 }), 5, 9);
    roundTrip((o) => new OneCycleLR(o, { maxLr: 0.3, totalSteps: 15 }), 5, 9, adam);
    roundTrip(
      (o) =>
        new SequentialLR(
          o,
          [
            new LinearLR(o, { startFactor: 0.1, totalIters: 4 }),
            new CosineAnnealingLR(o, { tMax: 8 }),
          ],
          [4],
        ),
      3,
      10,
    );
  });
  it('state dicts are plain data: SequentialLR nests its schedulers, LambdaLR leaves out its functions', () => {
    const o = sgd();
    const seq = new SequentialLR(o, [new LinearLR(o), new ExponentialLR(o, { gamma: 0.5 })], [3]);
    const sd = seq.stateDict();
    expect(sd.optimizer).toBeUndefined();
    expect(sd.milestones).toEqual([3]);
    expect((sd.schedulers as Record<string, unknown>[]).map((s) => s.lastEpoch)).toEqual([0, -1]);
    const lambda = new LambdaLR(sgd(), (e) => e).stateDict();
    expect(lambda.lrLambdas).toBeUndefined();
    expect(Object.values(lambda).some((v) => typeof v === 'function')).toBe(false);
    expect(structuredClone(lambda)).toEqual(lambda);
  });
  it('ReduceLROnPlateau resumes exactly', () => {
    const metrics = [1, 0.9, 0.95, 0.97, 0.99, 0.8, 0.85, 0.9, 0.92, 0.95, 0.96];
    const o1 = sgd();
    const s1 = new ReduceLROnPlateau(o1, { patience: 1, factor: 0.5, cooldown: 1 });
    metrics.slice(0, 4).forEach((m) => s1.step(m));
    const optSd = o1.stateDict();
    const sd = s1.stateDict();
    const a = metrics.slice(4).map((m) => (s1.step(m), s1.getLastLr()));
    const o2 = sgd();
    const s2 = new ReduceLROnPlateau(o2, { patience: 1, factor: 0.5, cooldown: 1 });
    o2.loadStateDict(optSd);
    s2.loadStateDict(sd);
    const b = metrics.slice(4).map((m) => (s2.step(m), s2.getLastLr()));
    expect(b).toEqual(a);
    expect(a[a.length - 1]).not.toEqual([0.1, 0.01]);
  });
});

describe('scheduler errors', () => {
  it('LambdaLR needs one function per group', () => {
    expect(() => new LambdaLR(sgd(), [(e) => e])).toThrow(/Expected 2 lr_lambdas, but got 1/);
  });
  it('LinearLR factors must lie in [0, 1]', () => {
    expect(() => new LinearLR(sgd(), { startFactor: 1.5 })).toThrow(
      /Starting multiplicative factor expected to be between 0 and 1/,
    );
    expect(() => new LinearLR(sgd(), { endFactor: -0.1 })).toThrow(
      /Ending multiplicative factor expected to be between 0 and 1/,
    );
  });
  it('OneCycleLR validates its sizes and stops after totalSteps', () => {
    expect(() => new OneCycleLR(sgd(), { maxLr: 0.1 })).toThrow(
      /You must define either total_steps OR \(epochs AND steps_per_epoch\)/,
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 2.5 })).toThrow(
      'OneCycleLR: totalSteps must be an integer, got number 2.5',
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: 0.1, epochs: 0, stepsPerEpoch: 3 })).toThrow(
      /Expected positive integer epochs, but got 0/,
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: 0.1, epochs: 2 })).toThrow(
      /Expected positive integer steps_per_epoch, but got undefined/,
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 5, pctStart: 1.5 })).toThrow(
      /Expected float between 0 and 1 pct_start, but got 1.5/,
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: [0.1], totalSteps: 5 })).toThrow(
      /expected 2 values for max_lr, got 1/,
    );
    const w = zeros([1], { requiresGrad: true });
    expect(() => new OneCycleLR(new Adagrad([w]), { maxLr: 0.1, totalSteps: 5 })).toThrow(
      /optimizer must support momentum with `cycle_momentum` option enabled/,
    );
    const s = new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 5 });
    for (let i = 0; i < 5; i++) s.step();
    expect(() => s.step()).toThrow(
      /Tried to step 7 times. The specified number of total steps is 5/,
    );
  });
  it('SequentialLR checks optimizers and milestones', () => {
    const o = sgd();
    const a = new LinearLR(o);
    const b = new ExponentialLR(o, { gamma: 0.9 });
    expect(() => new SequentialLR(o, [a, b], [2, 4])).toThrow(
      /expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 2 and the number of milestones to be equal to 2/,
    );
    expect(() => new SequentialLR(sgd(), [a, b], [2])).toThrow(
      /got schedulers at index 0 to be different than the optimizer passed in/,
    );
  });
  it('ReduceLROnPlateau validates its options', () => {
    expect(() => new ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow(/Factor should be < 1.0./);
    expect(() => new ReduceLROnPlateau(sgd(), { mode: 'up' as 'min' })).toThrow(
      /mode up is unknown!/,
    );
    expect(() => new ReduceLROnPlateau(sgd(), { thresholdMode: 'x' as 'rel' })).toThrow(
      /threshold mode x is unknown!/,
    );
    expect(() => new ReduceLROnPlateau(sgd(), { minLr: [0.1] })).toThrow(
      /expected 2 min_lrs, got 1/,
    );
  });
});
