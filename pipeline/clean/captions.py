"""Picture captions and their credits inside article text (kind `credit`).

A credit is recognised by its shape, not by a publisher's wording: a caption label from the
vocabulary followed by names ("Photograph: Name/Agency", "Credit: Studio"), a parenthesis naming
a picture source ("(AP Photo/Jane Doe, File)"), names joined by a slash to a picture source
("Ahmad al-Rubaye/AFP via Getty Images", "REUTERS/Azad Lashkari"), or a picture source alone.
The names part must read like names: capitalised words and a few connectors, no clause. So
"A Reuters photographer saw the convoy" and "The photo showed ..." stay: neither has a label
followed by names nor a slash credit.

A caption sentence glued to its credit goes with it (`mark_captions`): a short paragraph whose
last segment is a credit, and a numbered gallery caption ("4 of 12 Iraqi soldiers ...").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.clean.vocabulary import alternation

if TYPE_CHECKING:
    from pipeline.clean.passes import TextState

_I = re.IGNORECASE
# Lower-case words a run of names may hold ("Ahmad al-Rubaye/AFP via Getty Images", "Courtesy of").
_CONNECTORS = frozenset(
    "via for of and the de del da di du al el la le van von der den bin ibn y e courtesy by photo photos file handout staff"
    .split()
)
_TOKEN = re.compile(r"[^\s/,()|]+")
# How many words a credit's names part may have (agency, photographer, "via" and library).
_MAX_CREDIT_WORDS = 12


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """The credit shapes, built from the vocabulary once."""
    label, source = alternation("caption_label"), alternation("picture_source")
    return {
        # "Photograph: Name/Agency", "Photo by Jane Doe", "Image provided by Studio", "Credit: X".
        "label": re.compile(
            rf"(?:^|(?<=[\s(\[|]))\(?\s*(?P<label>{label})\s*(?P<sep>:|\s[-–—]\s|[–—]|(?:(?:provided|supplied|taken)\s+)?by\b|courtesy(?:\s+of)?\b|©)"
            rf"\s*(?P<who>[^:;!?]{{1,120}}?)\s*\)?\s*$",
            _I,
        ),
        # "(AP Photo/Jane Doe, File)", "(Photo by X/AFP via Getty Images)", "(Reuters/Name)", then maybe a photo id.
        "paren": re.compile(
            rf"\(\s*(?P<who>(?:{source})(?:\s+photo)?\s*/[^()]{{1,100}}|{label}\s*(?::|by\b)[^()]{{1,100}}|(?:{source})\s+photo)\s*\)"
            rf"(?:\s*[A-Z]{{2,8}}\d{{3,8}}(?:-\d{{1,6}})?)?\s*$",
            _I,
        ),
        # "... /Getty Images", "Name/AFP via Getty Images", "REUTERS/Name": a slash next to a picture source.
        "slash": re.compile(r"(?P<who>\S[^/]{0,60}/[^/]{0,60}(?:/[^/]{0,60})?)\s*$"),
        "source_part": re.compile(rf"^\s*(?:©\s*)?{source}(?:\s+photo)?(?:\s+via\s+{source})?\s*$", _I),
        # A picture source alone: "Getty Images", "© Shutterstock", "AFP PHOTO".
        "alone": re.compile(rf"^\W*(?:©\s*)?(?:\d{{4}}\s+)?{source}(?:\s+(?:photos?|images?))?\W*$", _I),
        # "4 of 12 ...", "Image 3 of 9", "Photo 1/12": a gallery's counter opening a caption ("5/5" alone is a rating).
        "gallery": re.compile(
            rf"^\W*(?:(?:(?i:{label}|slide)\s+)(?P<a>\d{{1,3}})\s*(?:of|/)|(?P<a2>\d{{1,3}})\s+of)\s*(?P<b>\d{{1,3}})(?=\s*$|\s*[:|\-–—]|\s+[A-Z\"“‘(])"
        ),
    }


def _names_like(text: str) -> bool:
    """Capitalised words, initials, slashes and a few connectors: a credit's names, not a clause."""
    tokens = _TOKEN.findall(text.replace("©", " "))
    if not tokens or len(tokens) > _MAX_CREDIT_WORDS:
        return False
    for tok in tokens:
        word = tok.strip(".'’\"-:;")
        if not word or word[0].isupper() or word[0].isdigit():
            continue
        if word.lower() in _CONNECTORS or re.match(r"^[a-z]{1,3}-[A-Z]", word) or "." in word:
            continue  # "al-Rubaye", "depositphotos.com"
        return False
    return True


def _opens_credit(segment: str, match: re.Match[str]) -> bool:
    """A label opens a credit at the segment's start, or, glued to a caption, when it is
    capitalised and a colon or dash follows ("... in Mosul Photograph: Name/AFP"); "images by
    Steve McCurry" ending a sentence of the story is no credit."""
    if not re.search(r"\w", segment[: match.start("label")]):
        return True
    return match.group("label")[0].isupper() and match.group("sep").strip() in {":", "-", "–", "—", "©"}


def credit_start(segment: str) -> int | None:
    """Where a picture credit ending the segment starts, or None when the segment ends in none."""
    p = _patterns()
    if p["alone"].match(segment):
        return 0
    match = p["paren"].search(segment)
    if match and _names_like(match.group("who")):
        return match.start()
    match = p["label"].search(segment)
    if match and _names_like(match.group("who")) and _opens_credit(segment, match):
        return match.start()
    match = p["slash"].search(segment)
    if match and "/" in match.group("who"):
        start = _slash_credit_start(segment, match.start())
        if start is not None:
            return start
    return None


def _slash_credit_start(segment: str, start: int) -> int | None:
    """The start of "Name/Agency via Library" at the end of the segment: one slash-separated part
    is a picture source, the parts after the first slash are names, and so are the (at most
    four) words before it, read back to the end of the caption sentence."""
    first_slash = segment.index("/", start)
    parts = segment[first_slash + 1 :].split("/")
    p = _patterns()
    head = list(re.finditer(r"\S+", segment[start:first_slash]))
    if not (any(p["source_part"].match(x) for x in parts) or (head and p["source_part"].match(head[-1].group()))):
        return None
    if not all(_names_like(x) for x in parts if x.strip()):
        return None
    if not head:
        return first_slash  # "/Getty Images" after the caption
    kept = None
    for word in reversed(head[-4:]):
        if not _names_like(word.group()) or (kept is not None and word.group().endswith((".", ",", ":", ";", "!", "?"))):
            break
        kept = word
    return None if kept is None else start + kept.start()


def credit_kind(segment: str) -> str | None:
    """`credit` when the segment ends in a picture credit (its caption sentence goes with it)."""
    return "credit" if credit_start(segment) is not None else None


def is_gallery_caption(line: str) -> bool:
    """A numbered gallery caption: "4 of 12 Iraqi soldiers ...", "Image 3 of 9", "Photo 1/12"."""
    match = _patterns()["gallery"].match(line)
    if not match:
        return False
    a, b = int(match.group("a") or match.group("a2")), int(match.group("b"))
    return 0 < a <= b and b >= 2


def mark_captions(state: TextState) -> None:
    """Captions: a short paragraph ending in a picture credit goes whole with it (a caption is
    glued to its credit), and so does a numbered gallery caption."""
    options = state.options
    for ln in state.lines:
        if not ln.is_open or len(ln.text.split()) > options.caption_max_words:
            continue
        a, b, kind = ln.segments[-1] if ln.segments else (0, 0, None)
        last_is_credit = kind == "credit" and credit_start(ln.text[a:b]) is not None  # a picture credit, not a contact line
        if (last_is_credit and len(ln.segments) <= options.caption_max_segments) or is_gallery_caption(ln.text):
            ln.drop("credit")
