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
            from .distributed import any_process

            # across processes (torchrun), all stop at the same step, or the others wait forever
            if any_process(self.start is not None and time.monotonic() - self.start > seconds):
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


#: the Trainer's state file in each checkpoint, whose ``best_model_checkpoint`` is a path
TRAINER_STATE = "trainer_state.json"


def _rewrite_best(state_file, rewrite) -> None:
    import json

    data = json.loads(state_file.read_text(encoding="utf-8"))
    best = data.get("best_model_checkpoint")
    if best:
        new = rewrite(best)
        if new != best:
            data["best_model_checkpoint"] = new
            state_file.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def relative_checkpoints_callback():
    """Keep the checkpoints free of machine paths: the best checkpoint each records is
    written relative to the checkpoints folder (``checkpoint-500``), so a run's folder can be
    moved or copied and still resumed (:func:`absolute_best` turns it back before a resume)."""
    from pathlib import Path

    from transformers import TrainerCallback

    def relativize(root: Path) -> None:
        for state_file in root.glob(f"checkpoint-*/{TRAINER_STATE}"):
            _rewrite_best(state_file, lambda best: Path(best).name if Path(best).parent.resolve() == root.resolve()
                          else best)

    class RelativeCheckpoints(TrainerCallback):
        def on_save(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                relativize(Path(args.output_dir))
            return control

        def on_train_begin(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                relativize(Path(args.output_dir))
            return control

    return RelativeCheckpoints()


def absolute_best(checkpoint) -> None:
    """Before resuming from ``checkpoint``: its recorded best checkpoint, if relative, as a
    path in the checkpoint's folder (where the Trainer looks for it)."""
    from pathlib import Path

    checkpoint = Path(checkpoint)
    state_file = checkpoint / TRAINER_STATE
    if state_file.is_file():
        _rewrite_best(state_file, lambda best: str(checkpoint.parent / best) if not Path(best).is_absolute() else best)
