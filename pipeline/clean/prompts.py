"""Calls to action, teasers, embedded posts and link lists inside article text, by their features.

- A call to action (`subscription_prompt`): a segment that opens with an imperative from the
  vocabulary (sign up, subscribe, get, download, follow, join, ...) whose object, a few words on,
  is a product (newsletter, alerts, app, briefing, inbox, podcast, ...), however it is worded:
  "Sign up for breaking news alerts from Tigris Wire", "Download our free app". "Sign up centres
  for conscripts opened in ..." names no product, so it stays; a segment that reports speech
  ("said", "told") is never a prompt.
- A media teaser (`read_more`): "WATCH: ...", "Video: ... 02:31": like "READ MORE: ...", a pointer
  to other content.
- An embedded social post (`other`: quoted third-party content, the same kind as embed
  shortcodes; it is neither the site's navigation nor a link list): the signature line
  "— Name (@handle) Month D, YYYY" and the post just before it, or a short line carrying a
  pic.twitter.com link.
- A "More from ..." header followed by link titles (`related_links`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.clean.vocabulary import alternation

if TYPE_CHECKING:
    from pipeline.clean.passes import TextState

_I = re.IGNORECASE
_WORD = re.compile(r"[\w’'\-]+")
# A segment that reports speech is a sentence of the story, whatever verb opens it.
_REPORTED = re.compile(r"\b(said|says|told|tells|according to|warned|urged|asked)\b", _I)
# "— Name (@handle) December 15, 2025": the signature under an embedded post.
_SIGNATURE = re.compile(r"^[—–\-]+\s*[^()\n]{1,80}?\(@\w{1,30}\)\s*(?:on\s+)?(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})?\s*$")
_POST_SHARED = re.compile(r"^\s*a (post|photo|video) shared by\b.{0,80}\(@\w{1,30}\)", _I)
_PIC_LINK = re.compile(r"\bpic\.twitter\.com/\w+|\bt\.co/\w+", _I)
# "More from Tigris Wire", "More on this story", "Read more about X:": a header opening a list.
_LIST_HEADER = re.compile(r"^\W*(?:more (?:from|on|in|about|of)\b|read more (?:about|on|from)\b|more (?:stories|news|coverage)\b)", _I)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """The call-to-action and teaser shapes, built from the vocabulary once."""
    verb, gerund, product = alternation("cta_verb"), alternation("cta_gerund"), alternation("cta_product")
    media = alternation("media_label")
    return {
        "imperative": re.compile(rf"^\W*(?:please\s+)?(?:(?:click|tap)\s+here\s+(?:to|and)\s+)?{verb}\b(?!-)(?P<rest>.*)$", _I | re.S),
        "gerund": re.compile(rf"\b(?:please\s+)?consider\s+(?:\w+ing,?\s+(?:and\s+)?){{0,3}}{gerund}\b(?P<rest>.*)$", _I),
        "product": re.compile(rf"\b{product}\b|\byour inbox\b", _I),
        "bare": re.compile(r"^\W*(?:sign\s*-?up|subscribe|register|join)(?:\s+(?:now|today|here|free|for free|it'?s free))*\W*$", _I),
        "inbox": re.compile(r"\bdelivered\b.{0,40}\b(?:to|in|into)\s+your\s+inbox\b", _I),
        "teaser": re.compile(rf"^\W*{media}\s*(?::|\||[-–—]\s)[^|]*$", _I),
        "duration": re.compile(rf"\b{media}\b.*\b\d{{1,2}}:\d{{2}}\s*\)?\s*$", _I),
    }


# Words that end the verb's object: past them, a product word belongs to another clause
# ("Follow industry trends to stay competitive and improve your podcast").
_CLAUSE_BREAK = frozenset("to and or but by that which while because if so as".split())
_LEADING_PREPOSITION = re.compile(r"^\W*(?:up\s+)?(?:for|to|on|with|in)\b", _I)


def _product_within(rest: str, window: int) -> bool:
    """The verb's object names a product: a product word among the first `window` words after
    the verb (and its own preposition, "sign up for", "subscribe to"), before any clause break."""
    head = []
    for word in _WORD.findall(_LEADING_PREPOSITION.sub("", rest))[:window]:
        if word.lower() in _CLAUSE_BREAK:
            break
        head.append(word)
    return bool(_patterns()["product"].search(" ".join(head)))


def prompt_kind(segment: str, window: int = 10, max_words: int = 40) -> str | None:
    """The kind of the call to action or media teaser the segment is, or None."""
    p = _patterns()
    n = len(_WORD.findall(segment))
    if n > max_words or _REPORTED.search(segment):
        return None
    match = p["imperative"].match(segment)
    if match and _product_within(match.group("rest"), window):
        return "subscription_prompt"
    match = p["gerund"].search(segment)
    if match and _product_within(match.group("rest"), window):
        return "subscription_prompt"
    if p["bare"].match(segment) or p["inbox"].search(segment):
        return "subscription_prompt"
    if n <= 20 and (p["teaser"].match(segment) or p["duration"].search(segment)):
        return "read_more"
    return None


def mark_embedded_posts(state: TextState) -> None:
    """Embedded social posts: a signature line ("— Name (@handle) date") and the post just above it
    when it is no longer than a post can be, a "A post shared by ..." line, a short line with a
    pic.twitter.com link."""
    if not state.options.embedded_posts:
        return
    limit = state.options.embed_max_chars
    for i, ln in enumerate(state.lines):
        if not ln.is_open:
            continue
        if _SIGNATURE.match(ln.text) or _POST_SHARED.match(ln.text):
            ln.drop("other")
            before = state.lines[i - 1] if i else None
            if before is not None and before.is_open and len(before.text) <= limit:
                before.drop("other")
        elif _PIC_LINK.search(ln.text) and len(ln.text) <= limit:
            ln.drop("other")


def mark_link_lists(state: TextState) -> None:
    """A short "More from ..." header followed by at least `list_min_items` link titles (short
    lines without a full stop): the header and the titles are related links."""
    lines, options = state.lines, state.options
    for i, ln in enumerate(lines):
        if not (ln.is_open and _LIST_HEADER.match(ln.text) and state.is_short_label(ln.text.rstrip(":"))):
            continue
        items = []
        for nxt in lines[i + 1 :]:
            if not (nxt.is_open and state.is_short_label(nxt.text)) or state.is_prose(nxt.text):
                break
            items.append(nxt)
        if len(items) >= options.list_min_items:
            for x in (ln, *items):
                x.drop("related_links")
