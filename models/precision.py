"""Numeric precision and CPU threads for inference: which dtype a model runs in, and how.

``dtype`` is ``"auto"``, ``"float32"`` or ``"bfloat16"`` (``"float16"`` on CUDA only; the
short forms ``fp32``, ``bf16``, ``fp16`` are accepted). Reduced precision runs under
``torch.autocast``: the weights stay fp32, matrix products run in the low dtype, and
autocast keeps softmax, layer norm and the logits' reductions in fp32.

``"auto"`` means:

- CUDA: bfloat16 where the GPU supports it, else float16;
- CPU: bfloat16 only where the CPU has native bf16 instructions (``avx512_bf16`` or
  ``amx_bf16`` in ``/proc/cpuinfo``), else float32. Without them, bf16 is emulated and
  slower than fp32. On such a CPU (AMD EPYC, avx512_bf16) the default model's spans in bf16
  agree with fp32 at strict span F1 1.0000 on ``dev.json`` (25 articles, 517 spans) and 0.9998
  on 300 unlabelled articles (6,376 spans, one differs); see the README, "Performance".
"""

from __future__ import annotations

import contextlib
import math
import os
from functools import lru_cache
from pathlib import Path

__all__ = ["DTYPES", "cpu_flags", "cpu_has_bf16", "resolve_dtype", "dtype_name", "autocast", "cpu_threads",
           "limit_threads"]

#: the names ``dtype`` accepts, and what they mean
DTYPES = {"auto": "auto", "float32": "float32", "fp32": "float32", "bfloat16": "bfloat16", "bf16": "bfloat16",
          "float16": "float16", "fp16": "float16"}
#: the CPU flags that mean native bf16 arithmetic (AVX-512 BF16 dot products, AMX tiles)
BF16_FLAGS = ("avx512_bf16", "amx_bf16")


@lru_cache(maxsize=1)
def cpu_flags(path: str = "/proc/cpuinfo") -> frozenset[str]:
    """The CPU's feature flags from ``/proc/cpuinfo`` (empty where it cannot be read: not Linux)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def cpu_has_bf16(flags: frozenset[str] | None = None) -> bool:
    """Whether the CPU computes in bf16 natively (AVX-512 BF16 or AMX-BF16)."""
    flags = cpu_flags() if flags is None else flags
    return any(f in flags for f in BF16_FLAGS)


def resolve_dtype(dtype: str | None, device) -> "torch.dtype":  # noqa: F821
    """The torch dtype that ``dtype`` (a name of :data:`DTYPES`, None meaning ``auto``) means on
    ``device`` (a ``torch.device``)."""
    import torch

    name = DTYPES.get(str(dtype if dtype is not None else "auto").lower())
    if name is None:
        raise ValueError(f"dtype must be one of auto, float32, bfloat16, float16; got {dtype!r}")
    kind = getattr(device, "type", str(device))
    if name == "auto":
        if kind == "cuda":
            name = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
        elif kind == "cpu":
            name = "bfloat16" if cpu_has_bf16() else "float32"
        else:
            name = "float32"
    if name == "float16" and kind == "cpu":
        raise ValueError("float16 is for CUDA; on a CPU use bfloat16 or float32")
    return getattr(torch, name)


def dtype_name(dtype) -> str:
    """``torch.bfloat16`` -> ``"bfloat16"``."""
    return str(dtype).rpartition(".")[2]


def autocast(device, dtype):
    """A context in which the model computes in ``dtype`` on ``device``: nothing for float32,
    else ``torch.autocast``."""
    import torch

    if dtype == torch.float32:
        return contextlib.nullcontext()
    return torch.autocast(device_type=getattr(device, "type", str(device)), dtype=dtype)


def cpu_threads() -> int:
    """The CPUs this process may use: its affinity mask, capped by a cgroup CPU quota
    (``/sys/fs/cgroup/cpu.max``, a container's ``--cpus``) where there is one."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            n = min(n, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, n)


def limit_threads() -> int:
    """Lower torch's intra-op threads to :func:`cpu_threads` where it uses more (torch counts the
    host's cores, not the container's: more threads than CPUs makes every matrix product wait);
    never raises it, and leaves it alone where ``OMP_NUM_THREADS`` or ``MKL_NUM_THREADS`` is
    set. Returns the thread count in use."""
    import torch

    if not (os.environ.get("OMP_NUM_THREADS") or os.environ.get("MKL_NUM_THREADS")):
        limit = cpu_threads()
        if torch.get_num_threads() > limit:
            torch.set_num_threads(limit)
    return torch.get_num_threads()
