"""``python -m evaluation``: score systems against gold labels and write the report."""

import sys

from .cli import main

sys.exit(main())
