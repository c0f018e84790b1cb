"""Trainer callbacks shared by fine-tuning (training/train.py) and pre-training (training/pretrain.py)."""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


def time_budget_callback(seconds: float, what: str = "training"):
    """Stop after ``seconds`` of training; evaluate and save first where the run does
    (so that the best checkpoint is kept)."""
    from transformers import TrainerCallback

    class TimeBudget(TrainerCallback):
        def __init__(self) -> None:
            self.start = None

        def on_train_begin(self, args, state, control, **kwargs):
            self.start = time.monotonic()

        def on_step_end(self, args, state, control, **kwargs):
            if self.start is not None and time.monotonic() - self.start > seconds:
                log.warning("%s: time budget of %.0f s reached at step %d; stopping", what, seconds,
                            state.global_step)
                control.should_training_stop = True
                control.should_evaluate = args.eval_strategy != "no"
                control.should_save = args.save_strategy != "no"
            return control

    return TimeBudget()


#: file in each checkpoint with the seconds of training up to it, across resumes
ELAPSED_FILE = "vicluster_elapsed.json"


def elapsed_callback(started: float, earlier: float = 0.0):
    """Write, into every checkpoint it saves, the training seconds so far: ``earlier`` (the
    seconds before a resume) plus this process's since ``started`` (``time.monotonic()``)."""
    import json
    from pathlib import Path

    from transformers import TrainerCallback

    class Elapsed(TrainerCallback):
        def on_save(self, args, state, control, **kwargs):
            ckpt = Path(args.output_dir) / f"checkpoint-{state.global_step}"
            if ckpt.is_dir() and state.is_world_process_zero:
                seconds = earlier + time.monotonic() - started
                (ckpt / ELAPSED_FILE).write_text(json.dumps({"seconds": seconds}) + "\n", encoding="utf-8")
            return control

    return Elapsed()


def elapsed_before(checkpoint) -> float:
    """Training seconds recorded in ``checkpoint`` (0 when it has none)."""
    import json
    from pathlib import Path

    path = Path(checkpoint) / ELAPSED_FILE
    return float(json.loads(path.read_text(encoding="utf-8"))["seconds"]) if path.is_file() else 0.0
