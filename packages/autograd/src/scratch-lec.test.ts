import { it } from 'vitest';
import { randn, where } from './index.js';
it('scratch', () => {
  const x = randn([3, 4], { requiresGrad: true });
  const v = randn([4], { requiresGrad: true });
  const b = randn([4, 5], { requiresGrad: true });
  const B = randn([2, 3, 4], { requiresGrad: true });
  const C = randn([2, 4, 5], { requiresGrad: true });
  const ops: Record<string, () => { gradFn: { name: string } | null }> = {
    'x*2': () => x.mul(2), 'x+1': () => x.add(1), 'x+x': () => x.add(x), 'x-1': () => x.sub(1), 'x/2': () => x.div(2),
    'x**2': () => x.pow(2), 'x**x': () => x.pow(x), 'x.square()': () => x.square(), '-x': () => x.neg(), 'x.exp()': () => x.exp(),
    'x.log()': () => x.abs().log(), 'x.sin()': () => x.sin(), 'x.cos()': () => x.cos(), 'x.tanh()': () => x.tanh(), 'x.sigmoid()': () => x.sigmoid(),
    'x.relu()': () => x.relu(), 'x.sqrt()': () => x.abs().sqrt(), 'x.abs()': () => x.abs(), 'x.sum()': () => x.sum(), 'x.sum(0)': () => x.sum(0),
    'x.mean()': () => x.mean(), 'x.mean(0)': () => x.mean(0), 'x.max()': () => x.max(), 'x.max(0)': () => x.max(0).values, 'x.amax(0)': () => x.amax(0),
    'x.prod()': () => x.prod(), 'x.prod(0)': () => x.prod(0), 'x.t()': () => x.t(), 'x.T': () => x.T, 'x.view(12)': () => x.view(12),
    'x.reshape(12)': () => x.reshape(12), 'x.transpose(0,1)': () => x.transpose(0, 1), 'x.permute(1,0)': () => x.permute(1, 0),
    'x.unsqueeze(0)': () => x.unsqueeze(0), 'x.squeeze()': () => x.unsqueeze(0).squeeze(), 'x.squeeze(0)': () => x.unsqueeze(0).squeeze(0),
    'x.expand': () => x.slice(0, 0, 1).expand(3, 4), 'x[0]': () => x.index(0), 'x.select': () => x.select(0, 1), 'x[0:2]': () => x.slice(0, 0, 2),
    'x.clone()': () => x.clone(), 'x.double()': () => x.double(), 'x@b': () => x.matmul(b), 'x.mm(b)': () => x.mm(b), 'x@v': () => x.matmul(v),
    'v@v': () => v.matmul(v), 'B@C': () => B.matmul(C), 'x.mv(v)': () => x.mv(v), 'v.dot(v)': () => v.dot(v), 'B.bmm(C)': () => B.bmm(C), 'v.outer(v)': () => v.outer(v),
    'x.softmax(1)': () => x.softmax(1), 'x.log_softmax(1)': () => x.logSoftmax(1), 'x.clamp(0,1)': () => x.clamp(0, 1), 'x.var()': () => x.var(),
    'x.std()': () => x.std(), 'x.norm()': () => x.norm(), 'x.cumsum(0)': () => x.cumsum(0), 'x.logsumexp(1)': () => x.logsumexp(1),
    'torch.where': () => where(x.gt(0), x, 0), 'x.maximum(x)': () => x.maximum(x), 'x.flatten()': () => x.flatten(), 'x.narrow': () => x.narrow(0, 0, 2),
    'x.contiguous()': () => x.t().contiguous(), 'x.float()': () => x.double().float(),
  };
  for (const [k, f] of Object.entries(ops)) {
    let n: string;
    try { n = f().gradFn?.name ?? 'null'; } catch (e) { n = 'ERR ' + (e as Error).message; }
    console.log(`'${k}': '${n}'`);
  }
});
