"""Build the offline default backbone's tokenizer from the project's own training text.

A character-level BPE over segmented word forms (the same forms the tagger feeds the
model), case-preserving, with RoBERTa's special tokens, saved as a standard
``PreTrainedTokenizerFast`` directory that ``AutoTokenizer.from_pretrained`` loads.
"""

from __future__ import annotations

import string
import unicodedata
from typing import Iterable

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]

# Every letter Vietnamese writes, upper and lower case, in NFC, plus ASCII.
_VI_BASE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def vietnamese_alphabet() -> list[str]:
    chars = set(string.ascii_letters + string.digits + string.punctuation + "_")
    for base in _VI_BASE + "fjwz":
        for tone in _TONES:
            ch = unicodedata.normalize("NFC", base + tone)
            if len(ch) == 1:
                chars.add(ch)
                chars.add(ch.upper())
    chars.update("–—“”‘’…²³°•★·€£¥¶")
    return sorted(chars)


def build_tokenizer(word_forms: Iterable[Iterable[str]], *, vocab_size: int = 8000, model_max_length: int = 256,
                    fold_digits: bool = False):
    """Train a BPE tokenizer on ``word_forms`` (an iterable of documents, each an iterable
    of word forms) and return it as a ``PreTrainedTokenizerFast``. With ``fold_digits``
    the tokenizer maps every digit to ``0`` before splitting (saved in its normalizer)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>", continuing_subword_prefix="##", fuse_unk=True))
    if fold_digits:
        # Every digit reads as 0: the model sees a number's shape (00,0 ha; 0.000 m2; 0000),
        # never a particular value it could memorise (a vocabulary entry "537" seen only
        # in one context would otherwise decide the label of every "537").
        tok.normalizer = normalizers.Replace(Regex(r"\d"), "0")
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIALS,
        initial_alphabet=vietnamese_alphabet(),
        continuing_subword_prefix="##",
        show_progress=False,
    )
    # One pseudo-document puts every character in word-internal position, so that an
    # unseen word never needs <unk> for a letter the alphabet has.
    internal = " ".join("a" + ch for ch in vietnamese_alphabet())
    docs = (" ".join(forms) for forms in word_forms)
    tok.train_from_iterator(_chain_one(internal, docs), trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>", eos_token="</s>", cls_token="<s>", sep_token="</s>",
        unk_token="<unk>", pad_token="<pad>", mask_token="<mask>",
        model_max_length=model_max_length,
    )


def _chain_one(first: str, rest: Iterable[str]) -> Iterable[str]:
    yield first
    yield from rest
