"""Writes conv_bn.safetensors with the reference safetensors writer (safetensors 0.8.0, numpy):
the state dict torch gives for nn.Sequential(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3)), values known to
SafetensorsTest.loadsAFileOfTheReferenceWriter. Run: python3 reference_writer.py (needs safetensors)."""
import numpy as np
from safetensors.numpy import save_file

state = {
    "0.weight": (np.arange(54, dtype=np.float32).reshape(3, 2, 3, 3) * 0.01 - 0.2).astype(np.float32),
    "0.bias": np.array([0.1, -0.2, 0.3], dtype=np.float32),
    "1.weight": np.array([1.5, 0.5, 2.0], dtype=np.float32),
    "1.bias": np.array([0.0, 0.25, -0.25], dtype=np.float32),
    "1.running_mean": np.array([0.1, 0.2, 0.3], dtype=np.float32),
    "1.running_var": np.array([1.1, 0.9, 1.3], dtype=np.float32),
    "1.num_batches_tracked": np.array(17, dtype=np.int64),
}
save_file(state, "conv_bn.safetensors", metadata={"format": "pt"})
