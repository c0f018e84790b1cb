"""The annotation loop with Label Studio: push articles (with pre-annotations), pull gold, serve the model."""

from .client import Settings, StudioError, connect, settings_from
from .predictor import Predictor

__all__ = ["Predictor", "Settings", "StudioError", "connect", "settings_from"]
