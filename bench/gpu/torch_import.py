"""
The torch benchmarks' shared start (torch_optim.py, torch_layers.py, torch_train.py): import torch and
check that it sees the device asked for, or say why not with the exit status gpu-check reads.

  torch, status = torch_import.import_torch('torch_layers.py', args.device)
  if torch is None: return status     # 1: torch missing; 77 (a SKIP): --device cuda and no GPU
"""
import sys


def import_torch(script, device):
    """(torch, 0), or (None, status) after printing why: 1 without torch, 77 when device is cuda and torch sees none."""
    try:
        import torch
    except ImportError:
        print(f'{script}: torch is not installed', file=sys.stderr)
        return None, 1
    if device == 'cuda' and not torch.cuda.is_available():
        print(f'{script}: skipped: torch sees no CUDA device', file=sys.stderr)
        return None, 77
    return torch, 0
