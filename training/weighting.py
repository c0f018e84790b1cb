"""Per-token loss weights in the Hugging Face Trainer (``training.overrule_weight``).

:class:`training.features.TrainingRows` gives each row ``loss_weights``; :class:`WeightedCollator`
pads them beside the labels, and :class:`WeightedTrainer` takes the mean of the token losses
times their weights over the labelled tokens (rows without weights, such as the dev rows,
weigh 1: the plain cross-entropy)."""

from __future__ import annotations

from typing import Any

from .features import IGNORE, LOSS_WEIGHTS


class WeightedCollator:
    """``base`` (a token-classification collator) on the rows without their weights, then the
    weights padded with 1.0 to the batch's width (right padding, as ``base`` pads labels)."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def __call__(self, features: list[dict]) -> dict:
        import torch

        weights = [f.get(LOSS_WEIGHTS) for f in features]
        batch = self.base([{k: v for k, v in f.items() if k != LOSS_WEIGHTS} for f in features])
        if any(w is not None for w in weights):
            width = batch["labels"].shape[1]
            padded = torch.ones((len(features), width), dtype=torch.float32)
            for row, w in enumerate(weights):
                if w is not None:
                    padded[row, :len(w)] = torch.tensor(w, dtype=torch.float32)
            batch[LOSS_WEIGHTS] = padded
        return batch


def weighted_token_loss(logits, labels, weights):
    """Sum of ``weights`` times the token cross-entropies, over the number of labelled tokens."""
    import torch.nn.functional as F

    losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), labels.reshape(-1),
                             ignore_index=IGNORE, reduction="none")
    mask = labels.reshape(-1) != IGNORE
    return (losses * weights.reshape(-1).to(losses.dtype))[mask].sum() / mask.sum().clamp(min=1)


def weighted_trainer_class():
    """A :class:`transformers.Trainer` whose loss reads the batch's ``loss_weights``."""
    from transformers import Trainer

    class WeightedTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            weights = inputs.pop(LOSS_WEIGHTS, None)
            if weights is None:
                return super().compute_loss(model, inputs, return_outputs=return_outputs,
                                            num_items_in_batch=num_items_in_batch)
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            loss = weighted_token_loss(outputs.logits, labels, weights)
            return (loss, outputs) if return_outputs else loss

    return WeightedTrainer
