#!/usr/bin/env python3
"""
Joins gpu_bench's and torch_optim.py's JSON lines into one Markdown table: per workload and optimizer,
panoptim's ms and GB/s with its ratio to the copy and the roofline of the same run, torch's ms and
GB/s (fused, or foreach) with its ratio to torch's own copy, and torch ms / panoptim ms. Then the two
targets (docs/BENCHMARKS.md), as figures with a verdict that never fails the run:
  AdamW, one 2^28 tensor: panoptim GB/s >= 0.90 x the copy's;   AdamW, resnet50: >= 1.2x faster than torch.

  combine.py PANOPTIM.json [TORCH.json]     (a missing or empty torch file leaves its columns blank)
"""
import json
import os
import sys

OPS = ['sgd', 'rmsprop', 'adam', 'adamw', 'roofline', 'copy']
COPY_TARGET, TORCH_TARGET = 0.90, 1.2


def load(path):
    rows = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    rows[(r['workload'], r['optimizer'])] = r
    return rows


def ok(r):
    return r is not None and r.get('status') == 'ok' and r.get('ms', 0) > 0


def fmt(x, spec):
    return '-' if x is None else format(x, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


def table(pan, tor):
    lines = ['| workload | op | panoptim ms | GB/s | x copy | x roofline | check | torch variant | torch ms | torch GB/s'
             ' | torch x copy | torch / panoptim time |',
             '|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|']
    workloads = sorted({w for w, _ in list(pan) + list(tor)}, key=lambda w: (w != 'single', w))
    for w in workloads:
        pcopy, proof, tcopy = pan.get((w, 'copy')), pan.get((w, 'roofline')), tor.get((w, 'copy'))
        for op in OPS:
            p, t = pan.get((w, op)), tor.get((w, op))
            if p is None and t is None:
                continue
            pg = p['gbps'] if ok(p) else None
            tg = t['gbps'] if ok(t) else None
            lines.append('| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |'.format(
                w, op,
                fmt(p['ms'], '.4f') if ok(p) else (p['status'][:40] if p else '-'),
                fmt(pg, '.1f'),
                fmt(ratio(pg, pcopy['gbps'] if ok(pcopy) else None), '.2f'),
                fmt(ratio(pg, proof['gbps'] if ok(proof) else None), '.2f'),
                p.get('check', '-') if p else '-',
                t.get('variant', '-') if t else '-',
                fmt(t['ms'], '.4f') if ok(t) else (t['status'][:40] if t else '-'),
                fmt(tg, '.1f'),
                fmt(ratio(tg, tcopy['gbps'] if ok(tcopy) else None), '.2f'),
                fmt(ratio(t['ms'] if ok(t) else None, p['ms'] if ok(p) else None), '.2f')))
    return '\n'.join(lines)


def targets(pan, tor):
    out = []
    p, c = pan.get(('single', 'adamw')), pan.get(('single', 'copy'))
    if ok(p) and ok(c):
        x = p['gbps'] / c['gbps']
        out.append(f"AdamW, one tensor of {p['numel']}: {x:.2f} x the copy's GB/s (target >= {COPY_TARGET}): "
                   f"{'met' if x >= COPY_TARGET else 'MISSED'}")
    p, t = pan.get(('resnet50', 'adamw')), tor.get(('resnet50', 'adamw'))
    if ok(p) and ok(t):
        x = t['ms'] / p['ms']
        out.append(f"AdamW, resnet50: {x:.2f}x torch {t.get('variant', '')} (target >= {TORCH_TARGET}x): "
                   f"{'met' if x >= TORCH_TARGET else 'MISSED'}")
    return out


def main(argv):
    if not 1 <= len(argv) <= 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    pan, tor = load(argv[0]), load(argv[1] if len(argv) > 1 else None)
    if not pan and not tor:
        print(f'combine.py: no results in {" ".join(argv)}', file=sys.stderr)
        return 1
    devices = sorted({r['device'] for r in list(pan.values()) + list(tor.values())})
    print(f"device: {'; '.join(devices)}")
    print(table(pan, tor))
    for line in targets(pan, tor):
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
