"""The bench-compare workloads in PyTorch (run with OMP_WAIT_POLICY=PASSIVE).

usage: torch_bench.py WORKLOAD MNIST_DIR [EPOCHS]
  (WORKLOAD: matmul, conv, autograd, logreg, simple, deep, resnet, cnn, lstm, transformer)
Prints one JSON line like the gd runner's. GD_NUM_THREADS sets torch.set_num_threads; the CNN
trains on the first CNN_IMAGES training images (default 10000) per epoch, as gd's runner.
"""
import json
import os
import resource
import sys
import time

# OpenBLAS keeps its own thread pool: size it before numpy or torch loads the library.
_threads = os.environ.get("GD_NUM_THREADS", "")
if _threads:
    os.environ["OPENBLAS_NUM_THREADS"] = _threads
    os.environ["OMP_NUM_THREADS"] = _threads

import numpy as np  # noqa: E402
import torch  # noqa: E402

BATCH, LR, DROPOUT, CHAIN = 128, 0.1, 0.2, 1000
CNN_IMAGES = int(os.environ.get("CNN_IMAGES", "10000"))
SHAPES = [(128, 784, 512), (512, 512, 512), (1024, 1024, 1024), (1, 784, 512)]


WARM_UP_S = 0.2


def best_of(fn, min_s=0.4, max_reps=60):
    # Untimed calls first, as gd's runner (whose JavaScript needs them): 0.2 s (at most 5,000
    # calls), at least two.
    warm_end = time.perf_counter() + WARM_UP_S
    i = 0
    while i < 2 or (i < 5000 and time.perf_counter() < warm_end):
        fn()
        i += 1
    best, total, r = float("inf"), 0.0, 0
    while r < max_reps and (total < min_s or r < 5):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        total += dt
        best = min(best, dt)
        r += 1
    return best


def info():
    return {"torch": torch.__version__, "threads": torch.get_num_threads()}


def matmul():
    torch.manual_seed(0)
    values = {}
    variants = [(128, 784, 512, "At"), (128, 784, 512, "Bt"), (128, 784, 10, "Bt")]
    shapes = [(m, k, n, "") for m, k, n in SHAPES] + variants
    with torch.no_grad():
        for m, k, n, v in shapes:
            a = torch.randn(k, m).t() if v == "At" else torch.randn(m, k)
            b = torch.randn(n, k).t() if v == "Bt" else torch.randn(k, n)
            s = best_of(lambda: a @ b)
            values[f"{m}x{k}x{n}" + (f" {v}" if v else "")] = 2 * m * n * k / s / 1e9
    return values


# The CNN's convolution layers (3x3, padding 1): forward, input gradient and weight gradient in
# GFLOP/s, each gradient alone through autograd (ConvolutionBackward computes only what is asked).
CONV_LAYERS = [("conv1", (BATCH, 1, 28, 28), 32), ("conv2", (BATCH, 32, 14, 14), 64)]


def conv():
    torch.manual_seed(0)
    values = {}
    for name, (n, c, h, w), o in CONV_LAYERS:
        x = torch.randn(n, c, h, w, requires_grad=True)
        weight = torch.randn(o, c, 3, 3, requires_grad=True)
        bias = torch.randn(o)
        g = torch.randn(n, o, h, w)
        flops = 2 * n * o * h * w * c * 9
        with torch.no_grad():
            values[f"{name} forward"] = flops / best_of(lambda: torch.nn.functional.conv2d(x, weight, bias, padding=1)) / 1e9
        y = torch.nn.functional.conv2d(x, weight, bias, padding=1)
        for label, wrt in (("input grad", x), ("weight grad", weight)):
            s = best_of(lambda: torch.autograd.grad(y, [wrt], g, retain_graph=True))
            values[f"{name} {label}"] = flops / s / 1e9
    return values


def autograd():
    x = torch.randn(16, requires_grad=True)

    def chain():
        y = x
        for i in range(CHAIN):
            y = y * 1.0001 if i % 2 else y + 0.001
        return y

    def fwd_bwd():
        x.grad = None
        chain().sum().backward()

    def plain():
        with torch.no_grad():
            chain()

    fb = best_of(fwd_bwd, 0.5)
    p = best_of(plain, 0.5)
    return {
        "overhead us/op": (fb - p) * 1e6 / CHAIN,
        "fwd+bwd us/op": fb * 1e6 / CHAIN,
        "noGrad fwd us/op": p * 1e6 / CHAIN,
    }


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic == 2051:
        n, r, c = (int.from_bytes(data[i : i + 4], "big") for i in (4, 8, 12))
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, r * c).astype(np.float32) / 255
    n = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, np.uint8, offset=8)[:n].astype(np.int64)


def permutation(n, seed):
    # The same xorshift32 Fisher-Yates as the JS runners.
    p = list(range(n))
    s = seed & 0xFFFFFFFF or 1
    for i in range(n - 1, 0, -1):
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        j = s % (i + 1)
        p[i], p[j] = p[j], p[i]
    return torch.tensor(p)


def epochs(kind, mnist_dir, count):
    tx = torch.from_numpy(idx(os.path.join(mnist_dir, "train-images-idx3-ubyte")))
    ty = torch.from_numpy(idx(os.path.join(mnist_dir, "train-labels-idx1-ubyte")))
    vx = torch.from_numpy(idx(os.path.join(mnist_dir, "t10k-images-idx3-ubyte")))
    vy = torch.from_numpy(idx(os.path.join(mnist_dir, "t10k-labels-idx1-ubyte")))
    torch.manual_seed(0)
    nn = torch.nn
    if kind == "deep":
        model = nn.Sequential(
            nn.Linear(784, 512), nn.ReLU(), nn.Dropout(DROPOUT),
            nn.Linear(512, 256), nn.ReLU(), nn.Dropout(DROPOUT),
            nn.Linear(256, 10),
        )
    elif kind == "simple":
        model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    elif kind == "resnet":
        # The lecture's ResNet(128, 2) between a Linear + ReLU stem and a Linear head.
        class ResidualBlock(nn.Module):
            def __init__(self, dim):
                super().__init__()
                self.layer1, self.layer2 = nn.Linear(dim, dim), nn.Linear(dim, dim)
                self.activation = nn.ReLU()

            def forward(self, x):
                return x + self.layer2(self.activation(self.layer1(x)))

        model = nn.Sequential(
            nn.Linear(784, 128), nn.ReLU(), ResidualBlock(128), ResidualBlock(128),
            nn.Linear(128, 10),
        )
    elif kind == "cnn":
        # gd's MnistCNN, layer for layer.
        model = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25),
            nn.Linear(128, 10),
        )
        tx, vx = tx.reshape(-1, 1, 28, 28), vx.reshape(-1, 1, 28, 28)
    else:
        model = nn.Linear(784, 10)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    n = CNN_IMAGES if kind == "cnn" else len(ty)

    def step(order, s):
        ids = order[s : s + BATCH]
        loss = loss_fn(model(tx[ids]), ty[ids])
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    model.train()
    warm = permutation(n, 99)
    for s in range(0, 5 * BATCH, BATCH):
        step(warm, s)
    values, best, last = {}, float("inf"), None
    for e in range(count):
        order = permutation(n, 1 + e)
        t0 = time.perf_counter()
        for s in range(0, n, BATCH):
            last = step(order, s)
        sec = time.perf_counter() - t0
        best = min(best, sec)
        values[f"epoch {e + 1} s"] = sec
    values["epoch s"] = best
    values["final batch loss"] = float(last)
    model.eval()
    with torch.no_grad():
        values["test accuracy"] = float((model(vx).argmax(1) == vy).float().mean())
    values["peak rss MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return values


def layer_steps(kind):
    # The same models and shapes as gd's runner (settings.ts STEP_SHAPES).
    torch.manual_seed(0)
    nn = torch.nn
    if kind == "lstm":
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(28, 128, batch_first=True)
                self.head = nn.Linear(128, 10)

            def forward(self, x):
                return self.head(self.lstm(x)[0][:, -1])
        x = torch.randn(64, 28, 28)
    else:
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, dropout=0.0, batch_first=True)
                self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
                self.head = nn.Linear(64, 10)

            def forward(self, x):
                return self.head(self.encoder(x).mean(1))
        x = torch.randn(32, 16, 64)
    model = M()
    y = torch.arange(x.shape[0]) % 10
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return {"step ms": best_of(step, 2.0, 40) * 1000}


def main():
    workload, mnist_dir = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    threads = int(os.environ.get("GD_NUM_THREADS", "0") or 0)
    if threads > 0:
        torch.set_num_threads(threads)
    if workload == "matmul":
        values = matmul()
    elif workload == "autograd":
        values = autograd()
    elif workload == "conv":
        values = conv()
    elif workload in ("lstm", "transformer"):
        values = layer_steps(workload)
    else:
        values = epochs(workload, mnist_dir, count)
    print(json.dumps({"framework": "pytorch", "workload": workload, "info": info(), "values": values}))


if __name__ == "__main__":
    main()
