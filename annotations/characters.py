"""Characters that carry no letter: the ones the tagger reads through (:mod:`models.clean`)
and value parsing skips (:mod:`annotations.values`), written once."""

#: zero-width and format characters that carry no letter (zero-width space and joiners, word
#: joiner, byte-order mark, soft hyphen)
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
#: characters read as one plain space (no-break and the Unicode spaces)
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
