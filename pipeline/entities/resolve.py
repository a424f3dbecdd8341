"""Cross-article entity resolution: mentions to canonical entities with stable ids.

Cheap and global: it runs over every mention in the warehouse on each run (no NLP), so a
new article that reveals a full name ("Mullah Mohammed Omar") links the partial names
("Mullah Omar") of older articles too, and ids depend only on the canonical name.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.entities.names import clean_surface, display_form, match_key
from pipeline.nlp.gazetteer import alias_table
from pipeline.records import Mention

_LINKABLE = ("PERSON", "ORG")


@dataclass
class CanonicalEntity:
    """One row of the `entities` table."""

    entity_id: str
    name: str
    label: str
    n_mentions: int
    n_articles: int
    aliases: list[str]


def entity_id_for(key: str) -> str:
    """Stable id of a canonical entity: a digest of its matching key."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(tok in it for tok in short)


def resolve_entities(mentions: Sequence[Mention]) -> tuple[list[str], list[CanonicalEntity]]:
    """Entity id for each mention (same order) and the canonical entities they form."""
    return resolve_entity_columns(
        [m.source_path for m in mentions],
        [m.text for m in mentions],
        [m.label for m in mentions],
        [m.canonical_hint for m in mentions],
    )


def resolve_entity_columns(
    articles: Sequence[str],
    texts: Sequence[str],
    labels: Sequence[str],
    hints: Sequence[str | None],
    counts: Sequence[int] | None = None,
) -> tuple[list[str], list[CanonicalEntity]]:
    """`resolve_entities` over parallel columns (article key, text, label, gazetteer hint) of mentions.

    With `counts`, each row stands for that many identical mentions in its article: the
    warehouse passes distinct rows, so memory follows distinct names, not mentions.
    """
    counts = counts if counts is not None else [1] * len(texts)
    aliases = alias_table()
    keys: list[str] = []
    canon_name: dict[str, str] = {}
    canon_label: dict[str, str] = {}
    for text, label_, hint in zip(texts, labels, hints):
        hit = aliases.get(hint.casefold()) if hint else aliases.get(display_form(text).casefold())
        if hit:
            name, label = hit
            key = match_key(name, person=label == "PERSON")
            canon_name[key], canon_label[key] = name, label
        else:
            key = match_key(text, person=label_ == "PERSON")
        keys.append(key)

    # Within an article: a partial name ("Omar", "Mr Jabbar", "Alliance") links to the one
    # longer PERSON/ORG name in the same article that ends with it.
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        by_article[article].append(i)
    for idxs in by_article.values():
        full = {keys[i]: labels[i] if keys[i] not in canon_label else canon_label[keys[i]] for i in idxs}
        long_by_last: dict[str, list[list[str]]] = defaultdict(list)
        for k, lab in full.items():
            if lab in _LINKABLE and len(k.split()) >= 2:
                long_by_last[k.split()[-1]].append(k.split())
        linked: dict[str, str] = {}  # the decision depends only on the key: made once per key
        for i in idxs:
            key = keys[i]
            if key not in linked:
                toks = key.split()
                linked[key] = key
                if toks and not (key in canon_name and len(toks) > 1):
                    targets = {
                        " ".join(o) for o in long_by_last.get(toks[-1], ()) if len(o) > len(toks) and _subsequence(toks, o)
                    }
                    if len(targets) == 1:
                        linked[key] = targets.pop()
            keys[i] = linked[key]

    # Across articles: a multi-word partial name ("mullah omar") links to the single longer
    # person name it is part of ("mullah mohammed omar"); single words never link across articles.
    person_keys = {k for k, label in zip(keys, labels) if (canon_label.get(k) or label) == "PERSON"}
    # Candidates share the last token: indexing by it keeps this linear in distinct names.
    by_last: dict[str, list[list[str]]] = defaultdict(list)
    for k in person_keys:
        if k.split():
            by_last[k.split()[-1]].append(k.split())
    remap: dict[str, str] = {}
    for k in sorted(person_keys):
        toks = k.split()
        if len(toks) < 2:
            continue
        targets = [" ".join(o) for o in by_last[toks[-1]] if len(o) > len(toks) and _subsequence(toks, o)]
        if len(targets) == 1:
            remap[k] = targets[0]
    keys = [remap.get(k, k) for k in keys]

    # Name, label and counts per canonical key.
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    written: dict[str, set[str]] = defaultdict(set)
    label_counts: dict[str, Counter[str]] = defaultdict(Counter)
    in_articles: dict[str, set[str]] = defaultdict(set)
    for k, text, label, article, n in zip(keys, texts, labels, articles, counts):
        surfaces[k][display_form(text)] += n
        written[k].add(clean_surface(text))
        label_counts[k][label] += n
        in_articles[k].add(article)
    entities: dict[str, CanonicalEntity] = {}
    for k in surfaces:
        if k in canon_name:
            name, label = canon_name[k], canon_label[k]
        else:
            # The fullest written form, then the most frequent; labels by majority.
            name = sorted(surfaces[k].items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0]))[0][0]
            label = sorted(label_counts[k].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        entities[k] = CanonicalEntity(
            entity_id=entity_id_for(k),
            name=name,
            label=label,
            n_mentions=sum(surfaces[k].values()),
            n_articles=len(in_articles[k]),
            aliases=sorted(written[k]),
        )
    ids = [entities[k].entity_id for k in keys]
    return ids, sorted(entities.values(), key=lambda e: (-e.n_mentions, e.name))
