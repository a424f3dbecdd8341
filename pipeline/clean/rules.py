"""Phrase and pattern rules for publisher boilerplate found inside article text.

`SEGMENT_RULES` holds (kind, compiled regex) pairs grouped by kind: donation appeals,
subscription prompts, comment prompts, read-more links, advertisement residue, navigation
(share buttons, tags), credits, embeds and editorial notes. A sentence-sized segment takes the
kind of the first rule it matches, so the order decides between overlapping rules. Then come
the headers that open related-link blocks, bylines, the wire agencies credits and datelines name,
and the phrases the warehouse check must never find in a body. Rules are written against
chrome seen across many publishers, never against one article.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Segments that are boilerplate wherever they occur.
SEGMENT_RULES: list[tuple[str, re.Pattern[str]]] = [
    # Donation / membership appeals.
    (
        "donation_appeal",
        re.compile(r"\byour (support|donation|contribution|gift)s? (helps?|allows?|makes?|enables?|means?|will)\b", _I),
    ),
    (
        "donation_appeal",
        re.compile(r"\b(support|fund|back) (our|independent|quality|trusted|vital) (journalism|reporting|newsroom)\b", _I),
    ),
    (
        "donation_appeal",
        re.compile(
            r"\b(make|making) a (donation|contribution)\b|\bdonate (now|today)\b|\bplease (consider )?(donate|donating|supporting)\b",
            _I,
        ),
    ),
    ("donation_appeal", re.compile(r"\b(is|are) trusted by\b.{0,60}\b(readers|americans|people|million)\b", _I)),
    ("donation_appeal", re.compile(r"\block (you|readers|americans) out of\b|\bpaywalls?\b", _I)),
    (
        "donation_appeal",
        re.compile(r"\bquality journalism (must|should|is|costs)\b|\bjournalism should be available to everyone\b", _I),
    ),
    (
        "donation_appeal",
        re.compile(r"\bwe need (reporters|journalists|your)\b|\bkeep sending journalists\b|\bhelp us keep\b", _I),
    ),
    ("donation_appeal", re.compile(r"\bbecome a (member|supporter|patron)\b|\bsupport us (today|now|from)\b", _I)),
    # Subscription, newsletter, registration, bookmarking.
    ("subscription_prompt", re.compile(r"^\s*subscribe\b|\bsubscription (today|now)\b|\bstart your .{0,40}subscription\b", _I)),
    (
        "subscription_prompt",
        re.compile(
            r"\bsign ?up (for|to) (our|the|a|my)\b.{0,80}\b(newsletter|email|alerts?|briefing|digest)\b|\bnewsletter sign[- ]?up\b",
            _I,
        ),
    ),
    ("subscription_prompt", re.compile(r"^\s*(get|receive) (our|the) .{0,40}\b(newsletter|briefing|alerts?)\b", _I)),
    (
        "subscription_prompt",
        re.compile(
            r"\bbookmark (this article|your favou?rite)\b|\balready (a subscriber|have an account)\b|\b(log|sign) in to (read|continue|comment)\b",
            _I,
        ),
    ),
    (
        "subscription_prompt",
        re.compile(r"\bcreate a free account\b|\bregister (now |for free )?to (read|continue|comment)\b", _I),
    ),
    (
        "subscription_prompt",
        re.compile(
            r"\bdelivered (straight |directly )?(to|through|into) your (inbox|letterbox|door)\b|\b\d+ issues for\b|"
            r"\bthanks for signing up\b|\berror processing your subscription\b|\bkeep an eye on your inbox\b",
            _I,
        ),
    ),
    # Comment prompts.
    ("comment_prompt", re.compile(r"^\s*(\d+\s+)?comments?\s*(\(\d+\))?\s*$|^\s*(view|show|hide|read) (all )?comments\b", _I)),
    (
        "comment_prompt",
        re.compile(
            r"\bjoin (our|the) (commenting|comment|conversation|discussion|debate)\b|\bcommenting forum\b|\bleave a comment\b", _I
        ),
    ),
    (
        "comment_prompt",
        re.compile(
            r"\bthought-provoking conversations\b|\bfollow other .{0,30} readers\b|\bhave your say\b|^\s*tell us what you think\b",
            _I,
        ),
    ),
    # Read-more and continue links.
    ("read_more", re.compile(r"^\s*(read|see) (more|also)\s*[:.!…\-–—]?\s*$|^\s*(read|see) (more|also)\s*[:\-–—]", _I)),
    (
        "read_more",
        re.compile(
            r"^\s*continue reading( the main story)?\b|^\s*\[\s*read\s*:.*\]\s*$|^\s*read (the )?(full|whole|original) (story|article)\b",
            _I,
        ),
    ),
    ("read_more", re.compile(r"^\s*(click|tap) here (to|for)\b", _I)),
    # "[Read more: ...]", "➡️ Read more about X:", "Read more posts by Jane": a link line however decorated.
    ("read_more", re.compile(r"^\W*(read|see|view) more\b(?!\s+(than|of|and|or|to)\b)[^.!?]{0,80}[:\]]?\s*$", _I)),
    ("related_links", re.compile(r"^\s*also on \S+\.\w{2,}\b|^\s*don'?t miss(?=[A-Z\[])", _I)),
    # Advertisement residue.
    (
        "advertisement",
        re.compile(
            r"^\s*advertisement(\s*$|(?=(?-i:[A-Z])))|\badvertise with\b|^\s*(sponsored( content)?|promoted|paid (post|content))\s*$",
            _I,
        ),
    ),
    ("advertisement", re.compile(r"^\s*ad(\s+(ad|\w))*\s*$", _I)),  # "ad a b", "ad ad ad"
    ("advertisement", re.compile(r"^\s*story continues below( this)? (advertisement|ad)\s*$|^\s*scroll to continue\b", _I)),
    # Share / follow prompts and navigation crumbs.
    (
        "navigation",
        re.compile(
            r"^\s*(share|tweet|email|print|facebook|twitter|whatsapp|linkedin|pinterest|reddit|messenger|copy link)(\s*(this|article|story|on \w+))?\s*$",
            _I,
        ),
    ),
    (
        "navigation",
        re.compile(r"^\s*(share|follow) (this|us|on)\b.{0,60}$|^\s*skip to (main )?content\s*$|^\s*back to top\s*$", _I),
    ),
    (
        "navigation",
        re.compile(
            r"\bshare (it|this)( story| article)? with (a|your) friends?\b|"
            r"^\s*follow\b.{0,60}\bon (instagram|facebook|twitter|youtube|x|telegram)\b",
            _I,
        ),
    ),
    ("navigation", re.compile(r"^\s*tags?\s*:?\s*$|^\s*tags?\s*:\s*\S|\s[-|]\s*tags?\s*:|^\s*(filed under|topics?)\s*:", _I)),
    (
        "navigation",
        re.compile(r"^\s*(order reprints|print article|print this (page|article)|reprints? (&|and) permissions)\s*$", _I),
    ),
    # Credits: wire slugs, copyright, image credits, "Issued by".
    (
        "credit",
        re.compile(
            r"^\s*[-–—(]*\s*(reuters|ap|afp|associated press|agence france[- ]presse|dpa|upi|xinhua|anadolu|pa|bloomberg|efe|ansa)\s*[)]*\s*$",
            _I,
        ),
    ),
    ("credit", re.compile(r"^\s*(copyright|©|\(c\))\b.{0,120}$|\ball rights reserved\b", _I)),
    (
        "credit",
        re.compile(r"^\s*(image|photo|picture|video) (copyright|credit|caption|source)\b|^\s*(photo|image|picture)\s*:\s*\S", _I),
    ),
    ("credit", re.compile(r"^\s*(issued|published|distributed|produced) by\b.{0,80}$", _I)),
    (
        "credit",
        re.compile(
            r"^\s*(e-?mail|contact|write to|reach)\b.{0,80}\b(at|@)\s*\S+@\S+|^\s*have a (news )?tip\?|^\s*\S.{0,80}©.{0,60}$", _I
        ),
    ),
    ("credit", re.compile(r"\bthis copy is for your personal,? non-commercial use\b|\bto order presentation-ready copies\b", _I)),
    # Embeds and editorial notes, ahead of the last credit rules: "[caption] ... Getty Images" is `other`.
    ("other", re.compile(r"^\s*\[(button|caption|embed|gallery|video|audio)\b[^\]]*\]", _I)),
    ("other", re.compile(r"^\s*(editor'?s'? note|ed\.? note|clarification|correction)\s*[:\-–—]", _I)),
    ("credit", re.compile(r"^\s*\(?\s*(additional )?(reporting|writing|editing|compiled|translated) by\b.{0,160}$", _I)),
    ("credit", re.compile(r"\bthis material may not be (published|broadcast|rewritten|redistributed)\b", _I)),
    (
        "credit",
        re.compile(
            r"^\s*(photo|picture|image|video)s?\s*(by|courtesy of)\b.{0,100}$|^.{0,200}[\s(/|](getty images|afp via getty images|ap photo|reuters/[A-Z][\w ]{0,30}|epa-efe|shutterstock)\)?\s*$",
            _I,
        ),
    ),
]

# Lines that open a block of related links; the short lines after them are links too.
RELATED_HEADER = re.compile(
    r"^\s*(related( (stories|articles|coverage|content|links|news))?|more on this( story)?|more from\b.{0,40}|"
    r"story archives?|links?|timeline|most (read|popular|viewed)|recommended( for you)?|you may also like|"
    r"also read|trending( now)?|top stories|latest (news|stories)|further reading|in (other|related) news|"
    r"related(\s+[\w']+){0,3}|don'?t miss|also on \S+|more (stories|news|coverage) from\b.{0,40})\s*:",
    _I,
)
RELATED_HEADER_ALONE = re.compile(
    r"^\s*(related( (stories|articles|coverage|content|links|news))?|more on this( story)?|story archives?|"
    r"most (read|popular|viewed|shared)( in [\w' ]{1,30})?|recommended( for you)?|you may also like|trending( now)?|top stories|"
    r"further reading|don'?t miss|on our radar|more (stories|news)|read next|up next|what to read next)\s*[:.…]*\s*$",
    _I,
)

_NAME = r"[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}"
# "By Owen Marsh, Lashkar Gah", "BY LAILA AHMADZAI and PETER QUINLAN ·": names only, no clause after them.
BYLINE = re.compile(rf"^\s*(?:By|BY|by)\s+(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME}){{0,3}})\s*[,|·\-–—]?\s*[·|]?\s*$")

# Wire agencies named in credit lines and datelines, mapped to the name stored in `articles.agency`.
AGENCIES: dict[str, str] = {
    "reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "dpa": "dpa",
    "upi": "UPI",
    "xinhua": "Xinhua",
    "anadolu": "Anadolu",
    "pa": "PA",
    "bloomberg": "Bloomberg",
    "efe": "EFE",
    "ansa": "ANSA",
}

BOILERPLATE_PHRASES_FOR_CHECKS: tuple[str, ...] = (
    "Your support helps us to tell the story",
    "Your support makes all the difference",
    "Join our commenting forum",
    "Join thought-provoking conversations",
    "Subscribe to Independent Premium",
    "Advertise with",
    "Continue reading the main story",
)
"""Phrases that must never survive in a body (used by the warehouse asset check)."""
