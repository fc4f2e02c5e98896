#!/usr/bin/env python3
"""
Writes synthetic datasets in the official file formats that panoptim's loaders read, for the training
race of bin/gpu-check (bench/gpu/train_race.py): random pixels (a seeded generator, so two runs with the
same arguments write the same bytes), label of image i = i % 10. Throughput does not depend on what
the pixels show, so these stand in for the real data where it cannot be carried (the GPU machine has
no network, and the device tool carries 64 MiB in all).

  cifar10        data_batch_1.bin .. data_batch_5.bin (the --train images split over the five, each
                 non-empty) and test_batch.bin (--test images); records of 1 label byte + 3072 pixel
                 bytes (R, G, B planes of 32x32): training/.../data/Cifar10.java
  fashion-mnist  train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
                 t10k-labels-idx1-ubyte (uncompressed IDX, 28x28): training/.../data/Idx.java

  synth_data.py {cifar10|fashion-mnist} --out DIR [--train N] [--test M] [--seed S]

Defaults: cifar10 10240 training and 512 test images (31.5 MB); fashion-mnist 60000 and 10000 (the
real set's sizes, 55 MB). Exit status 0, 2 on bad arguments.
"""
import argparse
import os
import random
import struct
import sys

CIFAR_IMAGE_BYTES = 3 * 32 * 32
CIFAR_TRAIN_FILES = [f'data_batch_{i}.bin' for i in range(1, 6)]
MNIST_SIDE = 28
CLASSES = 10


def labels(first, count):
    """Labels of images first .. first + count - 1: i % 10."""
    return bytes((first + i) % CLASSES for i in range(count))


def cifar_records(rng, first, count):
    """count CIFAR-10 records (label byte, then 3072 pixel bytes) for images first .. first + count - 1."""
    out = bytearray()
    for label in labels(first, count):
        out.append(label)
        out += rng.randbytes(CIFAR_IMAGE_BYTES)
    return bytes(out)


def write_cifar10(out, n_train, n_test, seed):
    """The five training batches (n_train images split as evenly as they go) and the test batch, in out (created)."""
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)
    base, extra = divmod(n_train, len(CIFAR_TRAIN_FILES))
    first = 0
    for k, name in enumerate(CIFAR_TRAIN_FILES):
        count = base + (1 if k < extra else 0)
        with open(os.path.join(out, name), 'wb') as f:
            f.write(cifar_records(rng, first, count))
        first += count
    with open(os.path.join(out, 'test_batch.bin'), 'wb') as f:
        f.write(cifar_records(rng, 0, n_test))


def write_idx_pair(out, prefix, rng, count):
    """prefix-images-idx3-ubyte (magic 0x803, count, 28, 28, pixels) and prefix-labels-idx1-ubyte (0x801, count, labels)."""
    with open(os.path.join(out, f'{prefix}-images-idx3-ubyte'), 'wb') as f:
        f.write(struct.pack('>iiii', 0x803, count, MNIST_SIDE, MNIST_SIDE))
        f.write(rng.randbytes(count * MNIST_SIDE * MNIST_SIDE))
    with open(os.path.join(out, f'{prefix}-labels-idx1-ubyte'), 'wb') as f:
        f.write(struct.pack('>ii', 0x801, count))
        f.write(labels(0, count))


def write_fashion_mnist(out, n_train, n_test, seed):
    """The four IDX files, in out (created)."""
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)
    write_idx_pair(out, 'train', rng, n_train)
    write_idx_pair(out, 't10k', rng, n_test)


def read_cifar10(directory, split='train'):
    """The records of a split's files (the ones write_cifar10 wrote, or the real ones), concatenated:
    N x (1 label byte + 3072 pixel bytes)."""
    names = CIFAR_TRAIN_FILES if split == 'train' else ['test_batch.bin']
    record = 1 + CIFAR_IMAGE_BYTES
    data = bytearray()
    for name in names:
        with open(os.path.join(directory, name), 'rb') as f:
            part = f.read()
        if not part or len(part) % record:
            raise ValueError(f'{name}: {len(part)} bytes is not a positive whole number of {record}-byte records')
        data += part
    return bytes(data)


DEFAULTS = {'cifar10': (10240, 512), 'fashion-mnist': (60000, 10000)}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument('format', choices=sorted(DEFAULTS))
    ap.add_argument('--out', required=True, help='folder to write (created if missing)')
    ap.add_argument('--train', type=int, help='training images')
    ap.add_argument('--test', type=int, help='test images')
    ap.add_argument('--seed', type=int, default=0)
    args = ap.parse_args(argv)
    n_train, n_test = DEFAULTS[args.format]
    n_train = n_train if args.train is None else args.train
    n_test = n_test if args.test is None else args.test
    low = len(CIFAR_TRAIN_FILES) if args.format == 'cifar10' else 1
    if n_train < low or n_test < 1:
        ap.error(f'--train must be >= {low} (every training file holds at least one image) and --test >= 1,'
                 f' got {n_train} and {n_test}')
    (write_cifar10 if args.format == 'cifar10' else write_fashion_mnist)(args.out, n_train, n_test, args.seed)
    print(f'synth_data.py: {args.format}, {n_train} training and {n_test} test images (random pixels,'
          f' labels i % 10) in {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
