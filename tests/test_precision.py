"""dtype names, CPU bf16 detection and the thread limit (models/precision.py)."""

from __future__ import annotations

import pytest


def _flags(tmp_path, line: str):
    from models.precision import cpu_flags

    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nmodel name\t: test\n{line}\n\nprocessor\t: 1\n{line}\n", encoding="utf-8")
    return cpu_flags.__wrapped__(str(path))


def test_cpu_flags_and_bf16_detection(tmp_path):
    from models.precision import cpu_has_bf16

    zen4 = _flags(tmp_path, "flags\t\t: fpu sse2 avx2 avx512f avx512_bf16")
    sapphire = _flags(tmp_path, "flags\t\t: fpu avx512f amx_tile amx_bf16")
    old = _flags(tmp_path, "flags\t\t: fpu sse2 avx2 avx512f")
    assert "avx512_bf16" in zen4 and cpu_has_bf16(zen4) and cpu_has_bf16(sapphire)
    assert not cpu_has_bf16(old) and not cpu_has_bf16(frozenset())
    from models.precision import cpu_flags

    assert cpu_flags.__wrapped__(str(tmp_path / "absent")) == frozenset()


@pytest.mark.parametrize("bf16", [True, False])
def test_auto_is_bf16_only_on_a_cpu_that_has_it(monkeypatch, bf16):
    import torch

    import models.precision as precision

    monkeypatch.setattr(precision, "cpu_has_bf16", lambda flags=None: bf16)
    cpu = torch.device("cpu")
    assert precision.resolve_dtype("auto", cpu) == (torch.bfloat16 if bf16 else torch.float32)
    assert precision.resolve_dtype(None, cpu) == precision.resolve_dtype("auto", cpu)
    for name in ("float32", "fp32", "FP32"):
        assert precision.resolve_dtype(name, cpu) == torch.float32
    for name in ("bfloat16", "bf16"):  # forcing bf16 works everywhere (emulated where not native)
        assert precision.resolve_dtype(name, cpu) == torch.bfloat16


def test_bad_dtypes_are_refused():
    import torch

    from models.precision import resolve_dtype

    with pytest.raises(ValueError, match="float16 is for CUDA"):
        resolve_dtype("float16", torch.device("cpu"))
    with pytest.raises(ValueError, match="dtype must be one of"):
        resolve_dtype("int8", torch.device("cpu"))


def test_autocast_is_off_for_float32():
    import contextlib

    import torch

    from models.precision import autocast, dtype_name

    assert isinstance(autocast(torch.device("cpu"), torch.float32), contextlib.nullcontext)
    with autocast(torch.device("cpu"), torch.bfloat16):
        assert (torch.ones(4, 4) @ torch.ones(4, 4)).dtype == torch.bfloat16
    assert dtype_name(torch.bfloat16) == "bfloat16"


def test_thread_limit_only_lowers(monkeypatch):
    import torch

    import models.precision as precision

    before = torch.get_num_threads()
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    monkeypatch.setattr(precision, "cpu_threads", lambda: before + 8)
    assert precision.limit_threads() == before  # never raised
    monkeypatch.setattr(precision, "cpu_threads", lambda: 1)
    monkeypatch.setenv("OMP_NUM_THREADS", str(before))
    assert precision.limit_threads() == before  # the user's setting wins
    try:
        monkeypatch.delenv("OMP_NUM_THREADS")
        assert precision.limit_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_cpu_threads_counts_this_process():
    import os

    from models.precision import cpu_threads

    assert 1 <= cpu_threads() <= (os.cpu_count() or 1)
