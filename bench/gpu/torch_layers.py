#!/usr/bin/env python3
"""
torch's side of the layer benchmarks of bench/gpu: conv2d forward, backward-data and backward-weight
over ResNet-34's distinct conv shapes (batch --batch, --hw x --hw inputs: the course's 64 x 32 x 32),
and matmul (torch.mm, i.e. cuBLAS) at a few sizes, each in fp32 with TF32 off and, reported apart,
with TF32 on. torch's convolutions are cuDNN's (torch.backends.cudnn.benchmark on, so cuDNN picks its
fastest algorithm per shape, as a tuned PyTorch run does). Timing as gpu_bench: --warmup calls, then
--steps calls back to back between CUDA events (the host clock on the CPU), median of --repeats.

Writes one JSON object per line to --json (op, pass, shape, precision, count, ms, gflops) and prints
a table with the FLOP-weighted GFLOP/s over the whole network (each shape weighted by how many of
ResNet-34's convs have it). On the CPU (--device cpu, for tests) only fp32 runs, at tiny sizes.
Exit status 0; 1 when a run failed; 2 on bad arguments; 77 when --device cuda has no GPU.

  torch_layers.py [--device cuda|cpu] [--batch N] [--hw H] [--warmup W] [--steps R] [--json FILE]
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_import  # noqa: E402  (bench/gpu/torch_import.py, beside this file)


def resnet34_convs(hw):
    """ResNet-34's convs as (C, K, R, stride, pad, H_in) with how many times each occurs."""
    convs = [(3, 64, 7, 2, 3, hw)]                      # stem
    h = (hw + 2 * 3 - 7) // 2 + 1                       # after the stem
    h = (h + 2 * 1 - 3) // 2 + 1                        # after the 3x3 stride-2 max pool
    cin = 64
    for stage, blocks in enumerate([3, 4, 6, 3]):
        width = 64 << stage
        for b in range(blocks):
            stride = 2 if stage > 0 and b == 0 else 1
            convs.append((cin, width, 3, stride, 1, h))
            h_out = (h + 2 - 3) // stride + 1
            convs.append((width, width, 3, 1, 1, h_out))
            if stride != 1 or cin != width:
                convs.append((cin, width, 1, stride, 0, h))  # the downsample shortcut
            h, cin = h_out, width
    counts = {}
    for c in convs:
        counts[c] = counts.get(c, 0) + 1
    return list(counts.items())


def conv_flops(batch, c, k, r, stride, pad, h):
    p = (h + 2 * pad - r) // stride + 1
    return 2.0 * batch * k * p * p * c * r * r


class Timer:
    def __init__(self, torch, device):
        self.torch, self.cuda = torch, device == 'cuda'

    def median_ms(self, fn, warmup, steps, repeats=5):
        torch = self.torch
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(repeats):
            if self.cuda:
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                for _ in range(steps):
                    fn()
                end.record()
                end.synchronize()
                times.append(start.elapsed_time(end) / steps)
            else:
                t0 = time.perf_counter()
                for _ in range(steps):
                    fn()
                times.append((time.perf_counter() - t0) * 1e3 / steps)
        times.sort()
        return times[len(times) // 2]


def bench_convs(torch, timer, args, precision, emit):
    F = torch.nn.functional
    for (c, k, r, stride, pad, h), count in resnet34_convs(args.hw):
        x = torch.randn(args.batch, c, h, h, device=args.device, requires_grad=True)
        w = torch.randn(k, c, r, r, device=args.device, requires_grad=True)
        y = F.conv2d(x, w, stride=stride, padding=pad)
        dy = torch.randn_like(y)
        flops = conv_flops(args.batch, c, k, r, stride, pad, h)
        shape = f'{c}x{h}x{h} -> {k}, {r}x{r} s{stride} p{pad}'
        passes = {
            'forward': lambda: F.conv2d(x, w, stride=stride, padding=pad),
            'backward_data': lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, stride=stride, padding=pad),
            'backward_weight': lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, stride=stride, padding=pad),
        }
        for name, fn in passes.items():
            with torch.no_grad():
                ms = timer.median_ms(fn, args.warmup, args.steps)
            emit({'op': 'conv2d', 'pass': name, 'shape': shape, 'precision': precision, 'count': count,
                  'flops': flops, 'ms': ms, 'gflops': flops / ms / 1e6})


def bench_matmuls(torch, timer, args, precision, emit):
    sizes = [(4096, 4096, 4096), (8192, 512, 4608), (512, 8192, 4608)] if args.device == 'cuda' else [(128, 128, 128)]
    for m, n, k in sizes:
        a = torch.randn(m, k, device=args.device)
        b = torch.randn(k, n, device=args.device)
        flops = 2.0 * m * n * k
        ms = timer.median_ms(lambda: torch.mm(a, b), args.warmup, args.steps)
        emit({'op': 'matmul', 'pass': 'forward', 'shape': f'{m}x{n}x{k}', 'precision': precision, 'count': 1,
              'flops': flops, 'ms': ms, 'gflops': flops / ms / 1e6})


def summarize(rows):
    """FLOP-weighted GFLOP/s of each (op, pass, precision) over ResNet-34's convs (count-weighted)."""
    totals = {}
    for r in rows:
        key = (r['op'], r['pass'], r['precision'])
        f, t = totals.get(key, (0.0, 0.0))
        totals[key] = (f + r['flops'] * r['count'], t + r['ms'] * r['count'])
    print(f"{'op':8} {'pass':16} {'precision':9} {'GFLOP/s':>10}")
    for (op, name, precision), (flops, ms) in sorted(totals.items()):
        print(f'{op:8} {name:16} {precision:9} {flops / ms / 1e6:10.1f}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument('--device', choices=['cuda', 'cpu'], default='cuda')
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--hw', type=int, default=32)
    ap.add_argument('--warmup', type=int, default=5)
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--json')
    args = ap.parse_args()
    if args.batch < 1 or args.hw < 8 or args.warmup < 0 or args.steps < 1:
        ap.error('--batch >= 1, --hw >= 8, --warmup >= 0 and --steps >= 1')
    torch, status = torch_import.import_torch('torch_layers.py', args.device)
    if torch is None:
        return status
    torch.manual_seed(0)
    if args.device == 'cuda':
        torch.backends.cudnn.benchmark = True
    out = open(args.json, 'w') if args.json else None
    rows = []

    def emit(row):
        row['device'] = args.device
        rows.append(row)
        if out:
            out.write(json.dumps(row) + '\n')

    timer = Timer(torch, args.device)
    precisions = ['fp32', 'tf32'] if args.device == 'cuda' else ['fp32']
    try:
        for precision in precisions:
            if args.device == 'cuda':
                torch.backends.cuda.matmul.allow_tf32 = precision == 'tf32'
                torch.backends.cudnn.allow_tf32 = precision == 'tf32'
            bench_convs(torch, timer, args, precision, emit)
            bench_matmuls(torch, timer, args, precision, emit)
    except RuntimeError as e:
        print(f'torch_layers.py: {e}', file=sys.stderr)
        return 1
    finally:
        if out:
            out.close()
    summarize(rows)
    return 0


if __name__ == '__main__':
    sys.exit(main())
