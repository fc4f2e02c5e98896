#!/usr/bin/env python3
"""
The training race of bin/gpu-check (its train stage; docs/BENCHMARKS.md, "Training race"): ResNet-18 on
CIFAR-10-shaped synthetic data (bench/gpu/synth_data.py), training images/s of panoptim's trainer
(`bin/panoptim train`: fp32 and bf16, each without and with CUDA graphs) and of torch eager with cuDNN
(bench/gpu/torch_train.py: fp32 with TF32 off, bf16 autocast), at batch 512 and the course's 64, on the
same GPU and the same data; then the seconds of one epoch of `bin/panoptim demo --device cuda`
(Fashion-MNIST's whole training set, two epochs). Writes train.json (one JSON object per run) to --out
and prints bench/gpu/combine_train.py's table with the targets.

panoptim runs two epochs of each configuration and reports the second (the first is the warm-up: CUDA
context, workspace allocations, graph capture), parsed from the trainer's line
`epoch 2/2: ... | N images/s train, M eval | S s`. A configuration the build refuses (an unknown option,
or an argument error: the launcher's exit status 2) is reported as "not available in this build: <the
error line>" and does not fail the race; a crash, a torch error or a run that printed no epoch does.

Time: every run gets at most what is left of --budget seconds (torch first, then panoptim at batch 512,
then at 64, then the demo with the rest); the race prints its own wall time.

--sim (gpu-check --sim, no GPU): a tiny race on the CPU that runs every code path once: torch on the CPU
(where a python with torch is given), panoptim fp32 on the CPU and one configuration the CPU refuses
(bf16 with CUDA graphs), no demo.

  train_race.py --out DIR [--work DIR] [--budget SECONDS] [--python PY] [--library LIBPANOPTIM] [--sim]
Exit status: 0 when no run failed, 1 otherwise, 2 on bad arguments.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import combine_train  # noqa: E402
import synth_data  # noqa: E402

EPOCH_LINE = re.compile(r'^epoch (\d+)/(\d+): .*\| (\d+) images/s train, (\d+) eval \| ([0-9.]+) s\s*$', re.M)
USAGE_EXIT = 2          # panoptim's launcher: usage and argument errors (picocli's USAGE)
TIMEOUT_EXIT = 124      # timeout(1)
FASHION_MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte',
                       't10k-labels-idx1-ubyte']
PANOPTIM_CONFIGS = [('fp32', False), ('fp32', True), ('bf16', False), ('bf16', True)]


class Plan:
    """Sizes of one race: the GPU's, or --sim's tiny CPU one."""

    def __init__(self, sim):
        self.sim = sim
        self.device = 'cpu' if sim else 'cuda'
        self.train_images, self.test_images = (64, 16) if sim else (10240, 512)
        # batch -> --subset: batch 512 trains on all 10240 images (20 steps an epoch), 64 on every 2nd (80 steps).
        self.subsets = {8: 4} if sim else {512: 1, 64: 2}
        self.configs = [('fp32', False), ('bf16', True)] if sim else PANOPTIM_CONFIGS
        self.torch_args = (['--batch-sizes', '8', '--precisions', 'fp32', '--warmup', '0', '--steps', '1']
                           if sim else ['--batch-sizes', '512,64', '--precisions', 'fp32,bf16', '--warmup', '10',
                                        '--steps', '50'])
        self.torch_cap, self.panoptim_cap = (40, 30) if sim else (60, 25)


class Clock:
    """What is left of the budget; each run gets min(its cap, what is left - reserve)."""

    def __init__(self, budget):
        self.start, self.budget = time.monotonic(), budget

    def elapsed(self):
        return time.monotonic() - self.start

    def allow(self, cap, reserve=0):
        return int(max(0, min(cap, self.budget - self.elapsed() - reserve)))


def run(cmd, seconds, env=None, log=None):
    """(exit status, stdout, stderr) of cmd stopped after seconds (exit 124, as timeout(1))."""
    if log:
        log.write(f'$ {" ".join(cmd)}   (at most {seconds}s)\n')
        log.flush()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds, env=env, cwd=ROOT)
        code, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        code = TIMEOUT_EXIT
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or '')
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or '')
    if log:
        log.write(out + err + f'[exit {code}]\n\n')
        log.flush()
    return code, out, err


def error_line(stderr, stdout=''):
    """The first line that says what went wrong: panoptim's own message, else the first that is not a JVM warning."""
    lines = [ln.strip() for ln in (stderr + '\n' + stdout).splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith('panoptim:') or 'Unknown option' in ln or 'Exception' in ln or 'Error' in ln:
            return ln[:200]
    rest = [ln for ln in lines if not ln.startswith('WARNING')]
    return (rest[0] if rest else 'no output')[:200]


def epochs(stdout):
    """[(epoch, of, train images/s, eval images/s, seconds)] of the trainer's epoch lines."""
    return [(int(a), int(b), float(c), float(d), float(e)) for a, b, c, d, e in EPOCH_LINE.findall(stdout)]


def figure_row(row, code, out, err, seconds):
    """Fills status, images_per_s, epoch_seconds and epoch of a panoptim row from one launcher run."""
    found = epochs(out)
    if found:
        epoch, of, ips, _, secs = found[-1]
        row.update(images_per_s=ips, epoch_seconds=secs, epoch=epoch, epochs=of, status='ok')
        if epoch == 1 and of > 1:
            row['note'] = 'epoch 1 only (includes the warm-up)'
        if code == TIMEOUT_EXIT:
            row['note'] = (row.get('note', '') + f'; stopped at the {seconds}s limit').lstrip('; ')
        elif code != 0:
            row['note'] = (row.get('note', '') + f'; then exit {code}: {error_line(err, out)}').lstrip('; ')
    elif code == USAGE_EXIT:
        row['status'] = f'not available in this build: {error_line(err, out)}'
    elif code == TIMEOUT_EXIT:
        row['status'] = f'failed: no epoch finished within {seconds}s'
    else:
        row['status'] = f'failed: exit {code}: {error_line(err, out)}'
    return row


def unpack_trainer(log):
    """Unpacks .device/trainer.tar.xz (bench/gpu/pack-trainer.sh) where the launcher looks: jdk/ to
    .device/jdk, training/target/ into the tree. Nothing to do without the archive or when already done."""
    archive = os.path.join(ROOT, '.device', 'trainer.tar.xz')
    java = os.path.join(ROOT, '.device', 'jdk', 'bin', 'java')
    jar = os.path.join(ROOT, 'training', 'target', 'panoptim-training.jar')
    if not os.path.isfile(archive) or (os.path.isfile(java) and os.path.isfile(jar)):
        return
    safe = {'filter': 'data'} if hasattr(tarfile, 'data_filter') else {}
    with tarfile.open(archive, 'r:xz') as t:
        members = t.getmembers()
        t.extractall(os.path.join(ROOT, '.device'), [m for m in members if m.name.split('/')[0] == 'jdk'], **safe)
        t.extractall(ROOT, [m for m in members if m.name.split('/')[0] == 'training'], **safe)
    log.write(f'unpacked {archive}\n')
    print(f'train race: unpacked {os.path.relpath(archive, ROOT)} (Java runtime and training jars)')


def launcher_env(args):
    env = dict(os.environ)
    jdk = os.path.join(ROOT, '.device', 'jdk')
    if os.path.isfile(os.path.join(jdk, 'bin', 'java')):
        env['JAVA_HOME'] = jdk       # the carried runtime (bench/gpu/pack-trainer.sh)
    if args.library:
        env['JAVA_OPTS'] = (env.get('JAVA_OPTS', '') + f' -Dpanoptim.library.path={args.library}').strip()
    return env


def panoptim_ready(env, log):
    """None when bin/panoptim can run without building; else why not."""
    jar = os.path.join(ROOT, 'training', 'target', 'panoptim-training.jar')
    if not os.path.isfile(jar) or not os.path.isdir(os.path.join(ROOT, 'training', 'target', 'lib')):
        return ('training/target/panoptim-training.jar and lib/ are not built (mvn package here;'
                ' for the GPU machine bench/gpu/pack-trainer.sh and carry them)')
    code, out, err = run(['bin/panoptim', '--version'], 30, env, log)
    return None if code == 0 else f'bin/panoptim --version: exit {code}: {error_line(err, out)}'


def race_torch(args, plan, clock, data, log):
    if not args.python:
        return [{'system': 'torch', 'variant': 'eager', 'status': 'skipped: no python3 here can import torch'}]
    rows_file = os.path.join(args.work, 'torch_train.json')
    if os.path.exists(rows_file):
        os.remove(rows_file)
    seconds = clock.allow(plan.torch_cap)
    cmd = [args.python, os.path.join(HERE, 'torch_train.py'), '--device', plan.device, '--data', data,
           '--json', rows_file] + plan.torch_args
    code, out, err = run(cmd, seconds, dict(os.environ, PYTHONUNBUFFERED='1'), log)
    sys.stdout.write(out)
    rows = []
    if os.path.exists(rows_file):
        with open(rows_file) as f:
            rows = [json.loads(ln) for ln in f if ln.strip()]
    if code not in (0, 1) or not rows:
        what = f'timed out after {seconds}s' if code == TIMEOUT_EXIT else f'exit {code}: {error_line(err, out)}'
        rows.append({'system': 'torch', 'variant': 'eager', 'status': f'failed: {what}'})
    return rows


def race_panoptim(args, plan, clock, data, env, log):
    rows, refused = [], {}
    for batch, subset in plan.subsets.items():
        for precision, graphs in plan.configs:
            row = {'system': 'panoptim', 'variant': 'trainer', 'precision': precision, 'graphs': graphs,
                   'batch': batch, 'device': plan.device}
            if (precision, graphs) in refused:       # the batch size does not change what a build accepts
                row['status'] = refused[(precision, graphs)]
                rows.append(row)
                continue
            reserve = 0 if plan.sim else 30          # keep some time for the demo
            seconds = clock.allow(plan.panoptim_cap, reserve)
            if seconds < 5:
                row['status'] = 'skipped: the race ran out of time'
                rows.append(row)
                continue
            cmd = ['bin/panoptim', 'train', '--dataset', 'cifar10', '--data', data, '--model', 'resnet18',
                   '--device', plan.device, '--precision', precision, '--batch-size', str(batch), '--epochs', '2',
                   '--subset', str(subset), '--val-subset', '1', '--no-checkpoints',
                   '--dir', os.path.join(args.work, 'panoptim'), '--project', 'train-race',
                   '--name', f'{precision}{"-graphs" if graphs else ""}-b{batch}']
            if graphs:
                cmd.append('--cuda-graphs')
            code, out, err = run(cmd, seconds, env, log)
            figure_row(row, code, out, err, seconds)
            if row['status'].startswith('not available'):
                refused[(precision, graphs)] = row['status']
            print(f"panoptim {precision:4} {'graphs' if graphs else 'eager ':6} batch {batch:4}: "
                  + (f"{row['images_per_s']:9.0f} images/s (epoch {row['epoch']}, {row['epoch_seconds']:.1f} s)"
                     if row['status'] == 'ok' else row['status']))
            rows.append(row)
    return rows


def fashion_mnist_dir(args):
    """(folder, 'real' or 'synthetic'): the installed or carried Fashion-MNIST, else a synthetic one of its size."""
    for d in ['/usr/share/datasets/fashion-mnist', os.path.join(ROOT, '.device', 'fashion-mnist')]:
        if all(os.path.exists(os.path.join(d, f)) or os.path.exists(os.path.join(d, f + '.gz'))
               for f in FASHION_MNIST_FILES):
            return d, 'real'
    d = os.path.join(args.work, 'fashion-mnist')
    synth_data.write_fashion_mnist(d, 60000, 10000, 0)
    return d, 'synthetic'


def race_demo(args, plan, clock, env, log):
    row = {'system': 'panoptim', 'variant': 'demo', 'device': plan.device, 'batch': 128, 'precision': 'fp32',
           'graphs': False}
    if plan.sim:
        row['status'] = 'skipped: --sim (the demo trains two epochs of 60000 images: minutes on the CPU)'
        return row
    data, kind = fashion_mnist_dir(args)
    row['data'] = f'Fashion-MNIST ({kind}: {data})'
    seconds = clock.allow(10 ** 6, 5)
    if seconds < 20:
        row['status'] = f'skipped: the race ran out of time ({seconds}s left)'
        return row
    cmd = ['bin/panoptim', 'demo', '--device', plan.device, '--data', data, '--no-checkpoints',
           '--dir', os.path.join(args.work, 'demo')]
    code, out, err = run(cmd, seconds, env, log)
    figure_row(row, code, out, err, seconds)
    print(f"demo ({kind} Fashion-MNIST): " + (f"epoch {row['epoch']}/{row['epochs']} {row['epoch_seconds']:.1f} s"
                                              if row['status'] == 'ok' else row['status']))
    return row


def failed(rows):
    return [r for r in rows if r['status'].startswith('failed')]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument('--out', required=True, help='where train.json and train-race.log go')
    ap.add_argument('--work', help='scratch folder for the data and the runs (default OUT/train-race-work)')
    ap.add_argument('--budget', type=int, default=150, help='seconds for the whole race (default 150)')
    ap.add_argument('--python', help='a python that can import torch (none: torch is skipped)')
    ap.add_argument('--library', help='libpanoptim.so for the launcher (-Dpanoptim.library.path)')
    ap.add_argument('--sim', action='store_true', help='the tiny CPU race of gpu-check --sim')
    args = ap.parse_args(argv)
    if args.budget < 10:
        ap.error(f'--budget must be at least 10 seconds, got {args.budget}')
    plan, clock = Plan(args.sim), Clock(args.budget)
    args.work = os.path.abspath(args.work or os.path.join(args.out, 'train-race-work'))
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    os.makedirs(args.out, exist_ok=True)
    data = os.path.join(args.work, 'cifar10')
    synth_data.write_cifar10(data, plan.train_images, plan.test_images, 0)
    print(f'train race: {plan.train_images} + {plan.test_images} synthetic CIFAR-10 images in {data};'
          f' budget {args.budget}s{" (--sim: tiny, on the CPU)" if plan.sim else ""}')
    with open(os.path.join(args.out, 'train-race.log'), 'w') as log:
        rows = race_torch(args, plan, clock, data, log)
        unpack_trainer(log)
        env = launcher_env(args)
        why_not = panoptim_ready(env, log)
        if why_not:
            print(f'panoptim: skipped: {why_not}')
            rows.append({'system': 'panoptim', 'variant': 'trainer', 'status': f'skipped: {why_not}'})
        else:
            rows += race_panoptim(args, plan, clock, data, env, log)
            rows.append(race_demo(args, plan, clock, env, log))
    with open(os.path.join(args.out, 'train.json'), 'w') as f:
        for r in rows:
            f.write(json.dumps(r) + '\n')
    print()
    print(combine_train.report(rows))
    bad = failed(rows)
    print(f'train race: {clock.elapsed():.0f}s of {args.budget}s; {len(bad)} run(s) failed')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
