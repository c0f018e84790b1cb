"""vicluster annotations: the document model, format conversion, validation and gold data."""

from .document import Document, Span
from .labels import BIO_TAGS, LABELS

__all__ = ["Document", "Span", "LABELS", "BIO_TAGS", "GOLD_DIR", "LABEL_CONFIG", "ARTICLES_DIR"]

from pathlib import Path as _Path

_HERE = _Path(__file__).resolve().parent
#: Label Studio exports of the project's gold documents
GOLD_DIR = _HERE / "gold"
#: the raw article texts the gold was made from
ARTICLES_DIR = _HERE / "articles"
#: the Label Studio labeling config (XML)
LABEL_CONFIG = _HERE / "labeling_config.xml"
