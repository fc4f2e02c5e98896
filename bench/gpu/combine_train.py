#!/usr/bin/env python3
"""
Turns the training race's train.json (bench/gpu/train_race.py: one JSON object per run, panoptim's and
torch's) into one Markdown table per batch size: training images/s of each configuration and its ratio
to torch eager in the same precision and to torch eager bf16; then the targets (docs/BENCHMARKS.md,
"Training race"), as figures with a verdict that never fails the run:
  panoptim bf16 >= 1.0x torch eager bf16;   panoptim with CUDA graphs >= 1.3x torch eager (same precision)
and the demo's epoch.

  combine_train.py TRAIN.json
"""
import json
import sys

BF16_TARGET, GRAPHS_TARGET = 1.0, 1.3


def ok(r):
    return r is not None and r.get('status') == 'ok' and r.get('images_per_s', 0) > 0


def name(r):
    if r['system'] == 'torch':
        return f"torch eager {r['precision']}" + (' (autocast)' if r['precision'] == 'bf16' else ' (TF32 off)')
    return f"panoptim {r['precision']}" + (' + CUDA graphs' if r.get('graphs') else '')


def ratio_text(r, ref):
    return f"{r['images_per_s'] / ref['images_per_s']:.2f}" if ok(r) and ok(ref) else '-'


def table(rows, batch):
    mine = [r for r in rows if r.get('batch') == batch and r.get('variant') in ('trainer', 'eager')]
    torch = {r['precision']: r for r in mine if r['system'] == 'torch'}
    lines = [f'batch {batch}:', '| configuration | images/s | x torch eager, same precision | x torch eager bf16 | note |',
             '|---|---:|---:|---:|---|']
    for r in sorted(mine, key=lambda r: (r['system'] != 'torch', r['precision'] != 'fp32', bool(r.get('graphs')))):
        note = r.get('note', '') if ok(r) else r['status']
        lines.append(f"| {name(r)} | {r['images_per_s']:.0f} | " if ok(r) else f'| {name(r)} | - | ')
        lines[-1] += f"{ratio_text(r, torch.get(r['precision']))} | {ratio_text(r, torch.get('bf16'))} | {note} |"
    return '\n'.join(lines)


def targets(rows, batch):
    find = {(r['system'], r.get('precision'), bool(r.get('graphs'))): r for r in rows if r.get('batch') == batch
            and r.get('variant') in ('trainer', 'eager')}
    checks = [(('panoptim', 'bf16', False), 'bf16', BF16_TARGET),
              (('panoptim', 'fp32', True), 'fp32', GRAPHS_TARGET),
              (('panoptim', 'bf16', True), 'bf16', GRAPHS_TARGET)]
    out = []
    for key, precision, target in checks:
        mine, ref = find.get(key), find.get(('torch', precision, False))
        if mine is None:
            continue                      # a configuration this race did not run (--sim runs two)
        label = f'batch {batch}: {name(mine)} vs torch eager {precision}'
        if ok(mine) and ok(ref):
            x = mine['images_per_s'] / ref['images_per_s']
            out.append(f"{label}: {x:.2f}x (target >= {target}x): {'met' if x >= target else 'MISSED'}")
        else:
            why = mine['status'] if not ok(mine) else (f"torch: {ref['status']}" if ref else 'no torch figure')
            out.append(f'{label}: no figure (target >= {target}x): {why[:120]}')
    return out


def demo_line(rows):
    for r in rows:
        if r.get('variant') == 'demo':
            if ok(r):
                return (f"demo (ResNet-18, {r.get('data', 'Fashion-MNIST')}, batch 128, fp32, {r['device']}): one epoch"
                        f" {r['epoch_seconds']:.1f} s (epoch {r['epoch']} of {r['epochs']},"
                        f" {r['images_per_s']:.0f} images/s train){'; ' + r['note'] if r.get('note') else ''}")
            return f"demo: {r['status']}"
    return None


def report(rows):
    """The tables, the targets and the demo's epoch, as text."""
    # torch names the GPU; panoptim's rows say only cuda or cpu
    devices = sorted({r['device'] for r in rows if r.get('device') and r['system'] == 'torch'}
                     or {r['device'] for r in rows if r.get('device')})
    parts = [f"training race: ResNet-18, 3x32x32 synthetic CIFAR-10, AdamW; device: {'; '.join(devices) or '-'}"]
    batches = sorted({r['batch'] for r in rows if r.get('variant') in ('trainer', 'eager') and 'batch' in r},
                     reverse=True)
    for b in batches:
        parts += [table(rows, b), '']
    for b in batches:
        parts += targets(rows, b)
    parts += [f"{r['system']}: {r['status']}" for r in rows if 'batch' not in r]
    demo = demo_line(rows)
    if demo:
        parts.append(demo)
    return '\n'.join(parts)


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[0]) as f:
            rows = [json.loads(ln) for ln in f if ln.strip()]
    except (OSError, ValueError) as e:
        print(f'combine_train.py: {argv[0]}: {e}', file=sys.stderr)
        return 1
    if not rows:
        print(f'combine_train.py: no results in {argv[0]}', file=sys.stderr)
        return 1
    print(report(rows))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
