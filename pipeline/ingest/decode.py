"""Bytes to text: byte order marks, UTF-8, declared HTML charsets, legacy encodings."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
from charset_normalizer import CharsetMatch, CharsetMatches

from pipeline.textsafe import valid_text

from .problems import IngestProblem
from .sniff import binary_problem, binary_text_problem

# Label recorded for files that are UTF-8 with stray cp1252 lines.
MIXED_ENCODING = "utf-8+cp1252"

# UTF-32 first: its little-endian mark starts with the UTF-16 one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_META_SCAN_BYTES = 8192  # browsers also only look near the top of the page

# Latin-script code pages: for English news, cp1252 is the better bet whenever
# the bytes also decode as cp1252 (short texts give the guesser little to go on).
_LATIN_FAMILY = frozenset(
    """
    cp1250 cp1252 cp1254 cp1257 cp1258 latin_1 iso8859_2 iso8859_3 iso8859_4 iso8859_9
    iso8859_10 iso8859_13 iso8859_14 iso8859_15 iso8859_16 mac_roman mac_latin2 mac_iceland
    mac_turkish cp437 cp775 cp850 cp852 cp858 hp_roman8
    """.split()
)
# Windows code pages are far more common on the web than Mac or DOS ones, so
# they win near-ties (e.g. cp1251 over mac_cyrillic for Russian).
_WINDOWS = frozenset(f"cp{n}" for n in range(1250, 1259))
_COHERENCE_NEAR_TIE = 0.05
_TIE = 0.01  # charset_normalizer scores this close count as equally good

_EMPTY_ADVICE = "re-scrape the article or remove the file"


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the encoding that produced it."""

    text: str
    encoding: str


def wide_bom(data: bytes) -> tuple[int, str] | None:
    """`(bom_length, codec)` when `data` starts with a UTF-16 or UTF-32 byte order mark."""
    for bom, codec, _label in _BOMS:
        if data.startswith(bom):
            return None if codec == "utf-8" else (len(bom), codec)
    return None


def bytes_to_text(data: bytes, *, html: bool = False, hint: str | None = None) -> Decoded:
    """Decode one article's bytes, or raise `IngestProblem` (empty, binary, decode_error).

    `html` enables the `<meta charset>` lookup; `hint` is an encoding to try
    right after UTF-8 (the encoding of the whole .jsonl file, for one line).
    Lone surrogates (a page declaring UTF-7 can decode to them) become U+FFFD.
    """
    if not data.strip():
        raise _empty(data)
    found = binary_problem(data)
    if found:
        raise IngestProblem("binary", *found)
    decoded = decode_bytes(data, html=html, hint=hint)
    decoded = Decoded(valid_text(decoded.text), decoded.encoding)
    if not decoded.text.strip():
        raise _empty(data)
    found = binary_text_problem(decoded.text)
    if found:
        raise IngestProblem("binary", *found)
    return decoded


def _empty(data: bytes) -> IngestProblem:
    problem = "is empty (0 bytes)" if not data else "contains only whitespace"
    return IngestProblem("empty", problem, _EMPTY_ADVICE)


def decode_bytes(data: bytes, *, html: bool = False, hint: str | None = None) -> Decoded:
    """Pick the most plausible encoding for `data` and decode it strictly.

    Order: byte order mark, UTF-8, `hint`, the page's declared charset (HTML),
    per-line UTF-8/cp1252 for mixed files, then charset_normalizer's guess.
    Raises `IngestProblem("decode_error", ...)` when nothing fits.
    """
    label = "utf-8"
    for bom, codec, bom_label in _BOMS:
        if data.startswith(bom):
            if codec != "utf-8":
                return decode_wide(data, len(bom), codec)
            data, label = data[len(bom) :], bom_label
            break
    try:
        return Decoded(data.decode("utf-8"), label)
    except UnicodeDecodeError:
        pass
    candidates = []
    if hint and hint not in ("utf-8", "utf-8-sig"):
        candidates.append("cp1252" if hint == MIXED_ENCODING else hint)
    if html:
        declared = declared_charset(data)
        if declared:
            candidates.append(declared)
    for codec in candidates:
        try:
            return Decoded(data.decode(codec), codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return _decode_mixed(data) or _guess(data) or _undecodable()


def decode_wide(data: bytes, bom_length: int, codec: str) -> Decoded:
    """Decode UTF-16/32 text after its byte order mark, or raise a decode_error problem."""
    try:
        return Decoded(data[bom_length:].decode(codec), codec)
    except UnicodeDecodeError as exc:
        raise IngestProblem(
            "decode_error",
            f"starts with a {codec.upper()} byte order mark but is not valid {codec.upper()} "
            f"(bad bytes at offset {exc.start + bom_length})",
            "re-save it as UTF-8",
        ) from None


def _undecodable() -> Decoded:
    raise IngestProblem(
        "decode_error",
        "is not valid UTF-8 and no other text encoding fits its bytes",
        "re-save it as UTF-8 (or check that it really is a text file)",
    )


def declared_charset(data: bytes) -> str | None:
    """The Python codec named by an HTML page's `<meta>` charset, if any and known."""
    match = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # As in browsers (WHATWG Encoding): latin-1 and ASCII labels mean windows-1252,
    # and a UTF-16 label in a byte-oriented page means UTF-8.
    if name in ("iso8859-1", "latin-1", "ascii"):
        return "cp1252"
    if name.startswith(("utf-16", "utf-32", "utf-8")):
        return None
    return name


def _decode_mixed(data: bytes) -> Decoded | None:
    """Decode UTF-8 lines as UTF-8 and the others as cp1252, if the file is such a mix."""
    parts: list[str] = []
    n_utf8 = n_cp1252 = 0
    for line in data.splitlines(keepends=True):
        if line.isascii():
            parts.append(line.decode("ascii"))
            continue
        try:
            parts.append(line.decode("utf-8"))
            n_utf8 += 1
        except UnicodeDecodeError:
            try:
                parts.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                return None
            n_cp1252 += 1
    # Only a real mix qualifies; a purely legacy file is left to the guesser.
    if n_utf8 and n_cp1252:
        return Decoded("".join(parts), MIXED_ENCODING)
    return None


def _guess(data: bytes) -> Decoded | None:
    """charset_normalizer's best guess, nudged to Windows code pages and cp1252 for Latin text."""
    try:
        matches = charset_normalizer.from_bytes(data)
        best = matches.best()
    except Exception:  # a third-party heuristic must not crash ingest
        return None
    if best is None:
        return None
    best = _prefer_windows(matches, best)
    if _prefer_cp1252(data, matches, best):
        return Decoded(data.decode("cp1252"), "cp1252")
    try:
        return Decoded(data.decode(best.encoding), best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _prefer_windows(matches: CharsetMatches, best: CharsetMatch) -> CharsetMatch:
    if best.encoding in _WINDOWS:
        return best
    for match in matches:
        if (
            match.encoding in _WINDOWS
            and match.chaos <= best.chaos + _TIE
            and match.coherence >= best.coherence - _COHERENCE_NEAR_TIE
        ):
            return match
    return best


def _prefer_cp1252(data: bytes, matches: CharsetMatches, best: CharsetMatch) -> bool:
    """True when cp1252 decodes cleanly and the guess is (or ties with) a Latin code page.

    Short texts give charset_normalizer little to go on: "café “hi”" scores the
    same in a dozen code pages, so among equally good guesses cp1252 wins.
    """
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    if best.encoding in _LATIN_FAMILY:
        return True
    ties = [match for match in matches if match.chaos <= best.chaos + _TIE and match.coherence >= best.coherence - _TIE]
    return any("cp1252" in match.could_be_from_charset for match in ties)
