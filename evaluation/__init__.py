"""Scoring any system's extraction against gold labels, error analysis and the report.

Strict character-span matching is the primary figure; seqeval (strict IOB2 over
syllables), SemEval-2013 partial matching and bootstrap CIs are reported beside it.
"""

from .bootstrap import bootstrap_ci
from .errors import confusions, find_errors
from .evaluate import evaluate_predictions, evaluate_set
from .partial import align, score_partial
from .report import load_report, make_report, write_report
from annotations.scoring import score_strict
from .seqeval_score import score_seqeval
from .systems import FixedSystem, System, SystemUnavailable, load_predictions, parse_system

__all__ = ["align", "bootstrap_ci", "confusions", "evaluate_predictions", "evaluate_set", "find_errors",
           "FixedSystem", "load_predictions", "load_report", "make_report", "parse_system", "score_partial",
           "score_seqeval", "score_strict", "System", "SystemUnavailable", "write_report"]
