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
    aliases = alias_table()
    keys: list[str] = []
    canon_name: dict[str, str] = {}
    canon_label: dict[str, str] = {}
    for m in mentions:
        hit = aliases.get(m.canonical_hint.casefold()) if m.canonical_hint else aliases.get(display_form(m.text).casefold())
        if hit:
            name, label = hit
            key = match_key(name, person=label == "PERSON")
            canon_name[key], canon_label[key] = name, label
        else:
            key = match_key(m.text, person=m.label == "PERSON")
        keys.append(key)

    # Within an article: a partial name ("Omar", "Mr Jabbar", "Alliance") links to the one
    # longer PERSON/ORG name in the same article that ends with it.
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_article[m.source_path].append(i)
    for idxs in by_article.values():
        full = {keys[i]: mentions[i].label if keys[i] not in canon_label else canon_label[keys[i]] for i in idxs}
        long_names = [k for k, lab in full.items() if lab in _LINKABLE and len(k.split()) >= 2]
        for i in idxs:
            toks = keys[i].split()
            if keys[i] in canon_name and len(toks) > 1:
                continue
            targets = {
                k
                for k in long_names
                if k != keys[i] and len(k.split()) > len(toks) and k.split()[-1] == toks[-1] and _subsequence(toks, k.split())
            }
            if len(targets) == 1:
                keys[i] = targets.pop()

    # Across articles: a multi-word partial name ("mullah omar") links to the single longer
    # person name it is part of ("mullah mohammed omar"); single words never link across articles.
    person_keys = {k for k, m in zip(keys, mentions) if (canon_label.get(k) or m.label) == "PERSON"}
    remap: dict[str, str] = {}
    for k in person_keys:
        toks = k.split()
        if len(toks) < 2:
            continue
        targets = [
            o for o in person_keys if len(o.split()) > len(toks) and o.split()[-1] == toks[-1] and _subsequence(toks, o.split())
        ]
        if len(targets) == 1:
            remap[k] = targets[0]
    keys = [remap.get(k, k) for k in keys]

    # Name, label and counts per canonical key.
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    written: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    articles: dict[str, set[str]] = defaultdict(set)
    for k, m in zip(keys, mentions):
        surfaces[k][display_form(m.text)] += 1
        written[k].add(clean_surface(m.text))
        labels[k][m.label] += 1
        articles[k].add(m.source_path)
    entities: dict[str, CanonicalEntity] = {}
    for k in surfaces:
        if k in canon_name:
            name, label = canon_name[k], canon_label[k]
        else:
            # The fullest written form, then the most frequent; labels by majority.
            name = sorted(surfaces[k].items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0]))[0][0]
            label = sorted(labels[k].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        entities[k] = CanonicalEntity(
            entity_id=entity_id_for(k),
            name=name,
            label=label,
            n_mentions=sum(surfaces[k].values()),
            n_articles=len(articles[k]),
            aliases=sorted(written[k]),
        )
    ids = [entities[k].entity_id for k in keys]
    return ids, sorted(entities.values(), key=lambda e: (-e.n_mentions, e.name))
