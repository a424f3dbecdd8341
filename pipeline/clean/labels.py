"""Controls' labels left in the text: the words of a gallery, a player or the article tools.

Extractors keep the text of a page's widgets when it sits inside the story's container: "Image",
"Caption", "Close", "1 / 8", "Back to Gallery", "Print Article", "Text size", "4 min read", a bare
URL. A short line made only of interface words (`interface_label` in `data/chrome_vocabulary.tsv`)
and numbers carries nothing a reader of the story needs, whatever the publisher; it leaves the
body as `navigation`. A line with one word outside that class stays, so a subheading ("Back to
school", "Next steps for Kabul") is never taken.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.clean.vocabulary import alternation

if TYPE_CHECKING:
    from pipeline.clean.passes import TextState

_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
# A gallery's counter alone: "1 / 8", "3 of 12" (spaced, so a fraction "1/8" is not one).
_COUNTER = re.compile(r"^\s*\d+\s+(?:/|of)\s+\d+\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _label_line() -> re.Pattern[str]:
    unit = rf"(?:{alternation('interface_label')}|\d+)"
    # Units separated by spaces and the marks menus use: "1of/8", "Image | Caption", "- Print Article".
    # Not quotes, brackets or "=": `"email": email,` is a line of code.
    sep = r"[\s/|·•:\-–—>›»…,.]*"
    return re.compile(rf"^{sep}{unit}(?:{sep}{unit})*{sep}$", re.IGNORECASE)


def is_interface_label(line: str, max_words: int) -> bool:
    """True for a line of at most `max_words` words, every one an interface word or a number,
    with at least one word (a line of only digits is a table cell or a list number); a gallery's
    counter; a bare URL."""
    if _URL_LINE.match(line) or _COUNTER.match(line):
        return True
    words = re.findall(r"\w+", line)
    if not words or len(words) > max_words or all(w.isdigit() for w in words):
        return False
    if re.search(r"(?<!\.)[.!?]$", line.strip()):  # a sentence ("2. Video, video, video."), not a label
        return False
    return bool(_label_line().match(line))


def mark_interface_labels(state: TextState) -> None:
    """Lines that are a control's label leave the body as `navigation`."""
    for ln in state.lines:
        if ln.is_open and is_interface_label(ln.text, state.options.interface_label_max_words):
            ln.drop("navigation")
