"""``python -m evaluation``: score systems against gold labels and write the report."""

import sys

from annotations.prog import guarded

from .cli import main

sys.exit(guarded("python -m evaluation", main))
