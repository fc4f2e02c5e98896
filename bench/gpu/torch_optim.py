#!/usr/bin/env python3
"""
torch.optim's side of bench/gpu: one step of SGD (momentum 0.9), RMSprop, Adam and AdamW with
fused=True (RMSprop has no fused kernel: foreach=True), and a device-to-device copy, over the workloads
of gpu_bench (one tensor of --numel params; torchvision resnet50's 161 parameter tensors, each divided
by --resnet-divisor), with gpu_bench's options and timing: --warmup steps, then --steps steps back to
back between CUDA events (the host clock on the CPU), median. Writes the same JSON fields as gpu_bench
(--json FILE, one object per line, plus "variant": fused or foreach) and prints a short table.

On the CPU (--device cpu, for tests: CPU torch has no fused AdamW before 2.x) every optimizer runs
foreach. Exit status 0, 1 when a step failed, 2 on bad arguments, 77 when --device cuda has no GPU.

  torch_optim.py [--device cuda|cpu] [--numel N] [--resnet-divisor D] [--workloads single,resnet50]
                 [--ops sgd,rmsprop,adam,adamw,copy] [--warmup W] [--steps R] [--json FILE]
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_import  # noqa: E402  (bench/gpu/torch_import.py, beside this file)

BYTES = {'sgd': 20, 'rmsprop': 20, 'adam': 28, 'adamw': 28, 'copy': 8}
ORDER = ['copy', 'sgd', 'rmsprop', 'adam', 'adamw']


def resnet50_shapes():
    """torchvision resnet50's parameter shapes in model.parameters() order (as bench/gpu/resnet50.c)."""
    shapes = [(64, 3, 7, 7), (64,), (64,)]
    cin = 64
    for stage, blocks in enumerate([3, 4, 6, 3]):
        width = 64 << stage
        out = width * 4
        for b in range(blocks):
            shapes += [(width, cin, 1, 1), (width,), (width,), (width, width, 3, 3), (width,), (width,),
                       (out, width, 1, 1), (out,), (out,)]
            if b == 0:
                shapes += [(out, cin, 1, 1), (out,), (out,)]
            cin = out
    return shapes + [(1000, 2048), (1000,)]


def check_against_torchvision(shapes):
    """The list must be torchvision's where torchvision is installed (the GPU machine has it)."""
    try:
        import torchvision
    except ImportError:
        return 'torchvision not installed: shapes not cross-checked'
    real = [tuple(p.shape) for p in torchvision.models.resnet50().parameters()]
    if real != shapes:
        raise SystemExit('torch_optim.py: resnet50_shapes() differs from torchvision.models.resnet50()')
    return 'shapes match torchvision.models.resnet50()'


def parse_list(text, allowed, what):
    items = text.split(',')
    bad = [x for x in items if x not in allowed]
    if bad:
        raise argparse.ArgumentTypeError(f'{what}: unknown {",".join(bad)} (allowed: {",".join(allowed)})')
    return items


def parse_args(argv):
    ap = argparse.ArgumentParser(description='torch.optim steps timed like bench/gpu/gpu_bench')
    ap.add_argument('--device', choices=['cuda', 'cpu'], default='cuda')
    ap.add_argument('--numel', type=int, default=1 << 28)
    ap.add_argument('--resnet-divisor', type=int, default=1)
    ap.add_argument('--workloads', type=lambda s: parse_list(s, ['single', 'resnet50'], '--workloads'),
                    default=['single', 'resnet50'])
    ap.add_argument('--ops', type=lambda s: parse_list(s, ORDER, '--ops'), default=ORDER)
    ap.add_argument('--warmup', type=int, default=5)
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--json')
    a = ap.parse_args(argv)
    if a.numel < 1 or a.resnet_divisor < 1 or a.warmup < 1 or a.steps < 1:
        ap.error('--numel, --resnet-divisor, --warmup and --steps must be >= 1')
    return a


def make_optimizer(torch, name, params, device):
    """(optimizer, variant): fused where torch has it on this device, else foreach."""
    cls, kw = {
        'sgd': (torch.optim.SGD, dict(lr=0.01, momentum=0.9)),
        'rmsprop': (torch.optim.RMSprop, dict(lr=0.01, alpha=0.99, eps=1e-8)),
        'adam': (torch.optim.Adam, dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)),
        'adamw': (torch.optim.AdamW, dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
    }[name]
    if device == 'cuda' and name != 'rmsprop':
        return cls(params, fused=True, **kw), 'fused'
    return cls(params, foreach=True, **kw), 'foreach'


class Clock:
    """Marks before each step and after the last; CUDA events on the current stream, or the host clock."""

    def __init__(self, torch, device, marks):
        self.torch, self.cuda = torch, device == 'cuda'
        self.marks = [torch.cuda.Event(enable_timing=True) for _ in range(marks)] if self.cuda else [0.0] * marks

    def mark(self, i):
        if self.cuda:
            self.marks[i].record()
        else:
            self.marks[i] = time.perf_counter()

    def ms(self):
        if self.cuda:
            self.marks[-1].synchronize()
            return [a.elapsed_time(b) for a, b in zip(self.marks, self.marks[1:])]
        return [1e3 * (b - a) for a, b in zip(self.marks, self.marks[1:])]


def timed(torch, device, fn, warmup, steps):
    for _ in range(warmup):
        fn()
    clock = Clock(torch, device, steps + 1)
    for i in range(steps):
        clock.mark(i)
        fn()
    clock.mark(steps)
    ms = sorted(clock.ms())
    return ms[len(ms) // 2], ms[0]


def workload_params(torch, name, a):
    shapes = [(a.numel,)] if name == 'single' else resnet50_shapes()
    if name == 'resnet50' and a.resnet_divisor > 1:
        shapes = [(-(-torch.Size(s).numel() // a.resnet_divisor),) for s in shapes]
    gen = torch.Generator(device=a.device).manual_seed(1)
    params = []
    for s in shapes:
        p = torch.empty(s, device=a.device).uniform_(-1, 1, generator=gen).requires_grad_()
        g = torch.empty(s, device=a.device).uniform_(0.1, 1, generator=gen)
        p.grad = torch.where(torch.rand(s, device=a.device, generator=gen) < 0.5, -g, g)
        params.append(p)
    return params


def run(torch, a, out_rows):
    device_name = torch.cuda.get_device_name(0) if a.device == 'cuda' else f'cpu ({torch.get_num_threads()} threads)'
    failed = False
    for wname in a.workloads:
        params = workload_params(torch, wname, a)
        total = sum(p.numel() for p in params)
        for op in [o for o in ORDER if o in a.ops]:
            row = dict(impl='torch', device=device_name, workload=wname, optimizer=op,
                       tensors=1 if op == 'copy' else len(params), numel=total, bytes_per_param=BYTES[op],
                       warmup=a.warmup, steps=a.steps, ms=0.0, ms_min=0.0, gbps=0.0, status='ok', check='-',
                       variant='copy_' if op == 'copy' else '')
            try:
                if op == 'copy':
                    src = torch.empty(total, device=a.device).uniform_(-1, 1)
                    dst = torch.empty_like(src)
                    fn, opt = (lambda: dst.copy_(src)), None
                else:
                    opt, row['variant'] = make_optimizer(torch, op, params, a.device)
                    fn = opt.step
                with torch.no_grad():
                    row['ms'], row['ms_min'] = timed(torch, a.device, fn, a.warmup, a.steps)
                row['gbps'] = BYTES[op] * total / (row['ms'] * 1e-3) / 1e9
            except Exception as e:  # reported per row, as gpu_bench does
                row['status'] = f'error: {type(e).__name__}: {e}'.replace('\n', ' ')
                failed = True
            finally:
                src = dst = opt = fn = None
                if a.device == 'cuda':
                    torch.cuda.empty_cache()
            out_rows.append(row)
            print(f"{wname:9s} {op:8s} {row['variant']:8s} {total:11d} {row['ms']:10.4f} {row['gbps']:9.1f}  {row['status']}")
        del params
    return failed


def main(argv):
    a = parse_args(argv)
    torch, status = torch_import.import_torch('torch_optim.py', a.device)
    if torch is None:
        return status
    print(f'torch {torch.__version__} on {a.device}: {check_against_torchvision(resnet50_shapes())}; '
          f'median of {a.steps} steps after {a.warmup} warm-up')
    print(f"{'workload':9s} {'op':8s} {'variant':8s} {'numel':>11s} {'ms':>10s} {'GB/s':>9s}  status")
    rows = []
    failed = run(torch, a, rows)
    if a.json:
        with open(a.json, 'w') as f:
            for r in rows:
                f.write(json.dumps(r) + '\n')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
