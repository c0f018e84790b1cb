"""Training across processes: what ``python -m training`` needs when ``torchrun`` (or
``accelerate launch``) starts it several times.

    torchrun --nproc_per_node 2 -m training --config smoke --output runs/smoke

The Hugging Face Trainer does the distributed work (DDP; the gloo backend on CPU, NCCL on
GPUs) and saves only on the main process. Around it, the command must act once, not once a
process: the main process alone decides whether ``--output`` may be used (the others would
see the files it has just created and refuse), and alone reads and prints the metrics it
wrote. :func:`start` opens the process group early for that (the Trainer then uses it), and
:func:`decide` gives every process the main process's answer.
"""

from __future__ import annotations

import os
from typing import Callable, TypeVar

__all__ = ["world_size", "rank", "is_main", "start", "decide", "any_process", "trainer_device"]

T = TypeVar("T")


def world_size() -> int:
    """Processes of this run (``WORLD_SIZE`` set by torchrun or accelerate; 1 otherwise)."""
    try:
        return max(1, int(os.environ.get("WORLD_SIZE", "1")))
    except ValueError:
        return 1


def rank() -> int:
    """This process's rank (``RANK``; 0 when not launched across processes)."""
    try:
        return int(os.environ.get("RANK", "0"))
    except ValueError:
        return 0


def is_main() -> bool:
    return rank() == 0


def start() -> bool:
    """Open the default process group when launched across processes and none is open yet
    (NCCL where CUDA is present, else gloo). Returns whether the run is distributed."""
    if world_size() < 2:
        return False
    import torch
    import torch.distributed as dist

    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")
    return True


def trainer_device() -> dict:
    """Keyword arguments for ``TrainingArguments`` that make a run launched across processes
    on a machine without CUDA really data-parallel. Without ``use_cpu`` Accelerate finds no
    accelerator backend, reports no distribution, and every process trains the whole data
    alone and writes the same checkpoints (a race: one process rotates away the folder
    another is writing). Empty for a single process or where CUDA is present."""
    if world_size() < 2:
        return {}
    import torch

    return {} if torch.cuda.is_available() else {"use_cpu": True}


def decide(fn: Callable[[], T]) -> T:
    """``fn()`` run on the main process only; every process returns its result (which must
    be picklable). Where ``fn`` raises, the main process raises that and the others a
    ``RuntimeError`` naming it (none waits forever). Without a process group: just ``fn()``."""
    import torch.distributed as dist

    if world_size() < 2 or not dist.is_available() or not dist.is_initialized():
        return fn()
    error: BaseException | None = None
    box: list = [None]
    if dist.get_rank() == 0:
        try:
            box = [("ok", fn())]
        except Exception as exc:  # noqa: BLE001 - told to the other processes, then raised here
            error, box = exc, [("error", f"{type(exc).__name__}: {exc}")]
    dist.broadcast_object_list(box, src=0)
    if error is not None:
        raise error
    status, value = box[0]
    if status == "error":
        raise RuntimeError(f"the main process failed: {value}")
    return value


def any_process(flag: bool) -> bool:
    """Whether ``flag`` is true on any process of the run (an all-reduce; ``flag`` itself
    without a process group), so that every process takes the same decision."""
    import torch
    import torch.distributed as dist

    if world_size() < 2 or not dist.is_available() or not dist.is_initialized():
        return flag
    value = torch.tensor([1 if flag else 0], dtype=torch.int32)
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value.item())
