#!/usr/bin/env python3
"""
torch's side of the training race of bin/gpu-check (bench/gpu/train_race.py): training images/s of
ResNet-18 on CIFAR-10-shaped data (3 x 32 x 32, 10 classes) in torch eager mode with cuDNN, in fp32
and in bf16 autocast, at each --batch-sizes. Like for like with `panoptim train --model resnet18
--dataset cifar10`: torchvision's resnet18(num_classes=10), which is exactly the network panoptim's
ResNet.resnet18(3, 10) builds (7x7 stride-2 stem and max pool, BasicBlocks [2, 2, 2, 2], 11,181,642
parameters; where torchvision is missing the same layers are defined here), AdamW (lr 1e-3, weight
decay 0.01, torch's fused kernel on CUDA), cross-entropy, the same images normalised as panoptim's
test transform does (pixels / 255, ImageNet's mean and std), no augmentation.

Settings: cudnn.benchmark on (cuDNN picks its fastest algorithm per shape), channels_last off (NCHW,
as panoptim). fp32 runs with TF32 off (torch.backends.cuda.matmul.allow_tf32 and cudnn.allow_tf32
False): true float32 products, as panoptim's fp32 contract promises. bf16 wraps the forward and the
loss in torch.autocast(dtype=bfloat16) with float32 weights and optimizer state.

Timing: --warmup steps, then --steps steps back to back between two torch.cuda.synchronize() (host
clock); images/s = steps x batch / seconds. The whole data set sits on the device before timing and
the loss is not read back each step: torch's best case of an eager loop, while panoptim's trainer
loads batches on a host thread and reads each step's loss.

Data: --data DIR reads CIFAR-10 binary files (bench/gpu/synth_data.py cifar10 writes them: the
same files the panoptim side trains on); without it the same bytes are generated in memory.

Writes one JSON object per line to --json (system, variant, precision, graphs, batch, images_per_s,
ms_per_step, warmup, steps, status, device, model, params) and prints a line per run.
Exit status 0; 1 when a run failed; 2 on bad arguments; 77 when --device cuda has no GPU.

  torch_train.py [--device cuda|cpu] [--batch-sizes 512,64] [--precisions fp32,bf16] [--warmup W]
                 [--steps N] [--data DIR] [--images N] [--json FILE]
"""
import argparse
import contextlib
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth_data  # noqa: E402  (bench/gpu/synth_data.py and torch_import.py, beside this file)
import torch_import  # noqa: E402

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
RESNET18_CIFAR_PARAMS = 11181642   # torchvision resnet18(num_classes=10); panoptim's ResNet.resnet18(3, 10)


def own_resnet18(nn, num_classes):
    """torchvision.models.resnet18(num_classes=...) layer for layer, for a machine without torchvision."""

    class BasicBlock(nn.Module):
        def __init__(self, inplanes, planes, stride=1):
            super().__init__()
            self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = None
            if stride != 1 or inplanes != planes:
                self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return self.relu(out + identity)

    class ResNet18(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            widths = [64, 128, 256, 512]
            inplanes = 64
            for i, width in enumerate(widths):
                stride = 1 if i == 0 else 2
                setattr(self, f'layer{i + 1}', nn.Sequential(BasicBlock(inplanes, width, stride), BasicBlock(width, width)))
                inplanes = width
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(512, num_classes)
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(self.avgpool(x).flatten(1))

    return ResNet18()


def build_model(torch, num_classes=10):
    """(model, description): torchvision's resnet18 where installed, else the same layers defined here."""
    try:
        import torchvision
        return torchvision.models.resnet18(num_classes=num_classes), f'torchvision {torchvision.__version__} resnet18'
    except ImportError:
        return own_resnet18(torch.nn, num_classes), 'resnet18 defined in torch_train.py (no torchvision here)'


def load_images(torch, args):
    """(images float32 N x 3 x 32 x 32 normalised, labels int64 N) on args.device."""
    if args.data:
        raw = synth_data.read_cifar10(args.data, 'train')
    else:
        raw = synth_data.cifar_records(random.Random(0), 0, args.images)
    records = torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(-1, 1 + synth_data.CIFAR_IMAGE_BYTES)
    labels = records[:, 0].long().to(args.device)
    images = records[:, 1:].reshape(-1, 3, 32, 32).to(args.device).float().div_(255)
    mean = torch.tensor(IMAGENET_MEAN, device=args.device).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, device=args.device).view(1, 3, 1, 1)
    return (images - mean) / std, labels


def sync(torch, device):
    if device == 'cuda':
        torch.cuda.synchronize()


def race_one(torch, args, images, labels, batch, precision):
    """images/s and ms per step of --steps training steps after --warmup, at this batch and precision."""
    torch.manual_seed(0)
    model, description = build_model(torch)
    model = model.to(args.device).train()
    params = sum(p.numel() for p in model.parameters())
    fused = {'fused': True} if args.device == 'cuda' else {}
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01, **fused)
    loss_fn = torch.nn.CrossEntropyLoss()
    batches = images.shape[0] // batch

    def autocast():
        if precision == 'bf16':
            return torch.autocast(device_type=args.device, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def step(i):
        k = (i % batches) * batch
        x, y = images[k:k + batch], labels[k:k + batch]
        with autocast():
            loss = loss_fn(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    for i in range(args.warmup):
        step(i)
    sync(torch, args.device)
    t0 = time.perf_counter()
    for i in range(args.steps):
        step(args.warmup + i)
    sync(torch, args.device)
    seconds = time.perf_counter() - t0
    return {'images_per_s': args.steps * batch / seconds, 'ms_per_step': seconds * 1e3 / args.steps,
            'model': description, 'params': params,
            'optimizer': 'AdamW (fused)' if fused else 'AdamW (foreach or loop: torch default on the CPU)'}


def parse_list(text, kind, allowed=None):
    items = [t for t in text.split(',') if t]
    if not items:
        raise ValueError(f'empty {kind} list')
    if allowed:
        bad = [t for t in items if t not in allowed]
        if bad:
            raise ValueError(f'{kind} {bad[0]!r}: allowed {", ".join(allowed)}')
        return items
    return [int(t) for t in items]


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument('--device', choices=['cuda', 'cpu'], default='cuda')
    ap.add_argument('--batch-sizes', default='512,64')
    ap.add_argument('--precisions', default='fp32,bf16')
    ap.add_argument('--warmup', type=int, default=10)
    ap.add_argument('--steps', type=int, default=30)
    ap.add_argument('--data', help='folder of CIFAR-10 binary files (synth_data.py cifar10)')
    ap.add_argument('--images', type=int, default=10240, help='images generated in memory without --data')
    ap.add_argument('--json')
    args = ap.parse_args()
    try:
        batch_sizes = parse_list(args.batch_sizes, 'batch size')
        precisions = parse_list(args.precisions, 'precision', ['fp32', 'bf16'])
    except ValueError as e:
        ap.error(str(e))
    if min(batch_sizes) < 1 or args.warmup < 0 or args.steps < 1 or args.images < 1:
        ap.error('batch sizes >= 1, --warmup >= 0, --steps >= 1 and --images >= 1')
    torch, status = torch_import.import_torch('torch_train.py', args.device)
    if torch is None:
        return status
    if args.device == 'cuda':
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = False   # fp32 means float32 products (panoptim's fp32 contract)
        torch.backends.cudnn.allow_tf32 = False
    device_name = torch.cuda.get_device_name() if args.device == 'cuda' else 'cpu'
    images, labels = load_images(torch, args)
    if images.shape[0] < max(batch_sizes):
        print(f'torch_train.py: {images.shape[0]} images are fewer than the batch size {max(batch_sizes)}', file=sys.stderr)
        return 2
    failed = False
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(args.json, 'w')) if args.json else None
        for batch in batch_sizes:
            for precision in precisions:
                row = {'system': 'torch', 'variant': 'eager', 'precision': precision, 'graphs': False, 'batch': batch,
                       'warmup': args.warmup, 'steps': args.steps, 'device': device_name}
                try:
                    row.update(race_one(torch, args, images, labels, batch, precision), status='ok')
                    print(f"torch eager {precision:4} batch {batch:4}: {row['images_per_s']:9.0f} images/s"
                          f" ({row['ms_per_step']:.2f} ms/step; {row['model']}, {row['params']} params)")
                    if row['params'] != RESNET18_CIFAR_PARAMS:
                        row['status'] = f"wrong model: {row['params']} params, expected {RESNET18_CIFAR_PARAMS}"
                except RuntimeError as e:
                    row['status'] = f'error: {str(e).splitlines()[0][:200]}'
                if row['status'] != 'ok':
                    failed = True
                    print(f'torch eager {precision} batch {batch}: {row["status"]}', file=sys.stderr)
                if args.device == 'cuda':
                    torch.cuda.empty_cache()
                if out:
                    out.write(json.dumps(row) + '\n')
                    out.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
