"""Pages nested deeper than HTML parsers go: flattened so their text survives.

libxml2 (behind lxml, hence trafilatura and readability) stops building the tree at 256 levels
and silently drops everything deeper, so a page of a few hundred nested <div>s (generated
layouts, broken templates, hostile input) would come out empty. Such a page has its wrapper
tags turned into paragraph breaks (block wrappers) or removed (inline wrappers); pages of normal
depth are passed through untouched.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Deeper than this, the page is flattened (libxml2's limit is 256; leave room for its own wrappers).
MAX_DEPTH = 180

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(/?)>")
# Elements that never nest (void) or whose end tag is optional and usually left out: a page of
# 300 unclosed <p>s is ordinary old markup, not deep nesting.
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont frame keygen "
    "p li td th tr dt dd option optgroup thead tbody tfoot colgroup caption rt rp html head body".split()
)
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_WRAPPERS = re.compile(
    r"<(/?)(?:div|section|article|main|center|blockquote|header|footer|aside|nav|figure|form|fieldset|table|tbody|thead|tr|td|th|ul|ol|li|dl|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)
_INLINE_WRAPPERS = re.compile(r"</?(?:span|font|b|i|em|strong|u|small|big|a|sup|sub|mark|abbr|cite|label)\b[^>]*>", re.IGNORECASE)
_ANY_BUT_TEXT_STRUCTURE = re.compile(
    r"</?(?!(?:p|br|h[1-6]|title|meta|head|body|html|script|style)\b)[a-zA-Z][^>]*>", re.IGNORECASE
)


def too_deep(tree: HtmlElement) -> bool:
    """True when the parsed page reaches `MAX_DEPTH`: libxml2 may have cut it short, so the
    markup should be flattened and parsed again. (A check on the tree costs a tenth of the tag
    scan `nesting_depth` does, and almost every page passes it.)"""
    return bool(tree.xpath(f"boolean(//*[count(ancestor::*) >= {MAX_DEPTH}])"))


def nesting_depth(html: str) -> int:
    """The deepest element nesting in the markup (a tag scan: tolerant of unclosed and stray tags)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(_SCRIPTS.sub("", html)):
        if name.lower() in _NOT_NESTING or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def flatten_deep_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """The page unchanged when it nests at most `max_depth` levels, else with its wrappers flattened."""
    if nesting_depth(html) <= max_depth:
        return html
    flat = _INLINE_WRAPPERS.sub("", _BLOCK_WRAPPERS.sub(lambda m: "</p>" if m.group(1) else "<p>", html))
    if nesting_depth(flat) > max_depth:  # still deep (nested unknown tags): keep only text structure
        flat = _ANY_BUT_TEXT_STRUCTURE.sub(" ", flat)
    return flat
