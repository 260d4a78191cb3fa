"""Text that XML 1.0 can carry: what every stored string and every feed is cleaned to.

XML 1.0 has no way to write the C0 control characters other than tab, newline and carriage
return, nor U+FFFE, U+FFFF or a lone surrogate (which is not even UTF-8). One of them in an
abstract made every Atom feed holding the paper fail, so records drop them on the way in.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry; everything else is kept as it is."""
    return _NOT_XML.sub("", text)
