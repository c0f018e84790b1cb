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
