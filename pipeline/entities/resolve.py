"""Cross-article entity resolution: mentions to canonical entities with stable ids.

Cheap and global: it runs over every mention in the warehouse on each run (no NLP), so a
new article that reveals a full name ("Mullah Mohammed Omar") links the partial names
("Mullah Omar") of older articles too, and ids depend only on the canonical name.

`EntityResolver` takes the mentions one article at a time and keeps only what is global
(distinct names), so the warehouse can stream any number of articles through it.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
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


class EntityResolver:
    """Matching keys for mentions, fed article by article; then the cross-article links.

    1. `article()` keys one article's mentions: gazetteer aliases to their canonical key, other
       names to their matching key, and a partial name ("Omar", "Mr Jabbar") to the one longer
       PERSON/ORG name of the same article that ends with it.
    2. `cross_article_links()` then maps a multi-word partial person name ("mullah omar") to the
       single longer person name it is part of ("mullah mohammed omar"); single words never link
       across articles.
    Memory follows the distinct keys seen, not the number of articles or mentions.
    """

    def __init__(self) -> None:
        self._aliases = alias_table()
        # Canonical keys come from the gazetteer, so a key's name and label never depend on
        # which other articles happen to be in the warehouse.
        self.canonical: dict[str, tuple[str, str]] = {}
        for name, label in self._aliases.values():
            self.canonical.setdefault(match_key(name, person=label == "PERSON"), (name, label))
        self._person_keys: set[str] = set()

    def _label_of(self, key: str, label: str) -> str:
        hit = self.canonical.get(key)
        return hit[1] if hit else label

    def _key(self, text: str, label: str, hint: str | None) -> str:
        hit = self._aliases.get(hint.casefold()) if hint else self._aliases.get(display_form(text).casefold())
        if hit:
            return match_key(hit[0], person=hit[1] == "PERSON")
        return match_key(text, person=label == "PERSON")

    def article(self, texts: Sequence[str], labels: Sequence[str], hints: Sequence[str | None]) -> list[str]:
        """The key of each mention of one article (parallel columns, any order)."""
        keys = [self._key(t, lab, h) for t, lab, h in zip(texts, labels, hints)]
        long_by_last: dict[str, list[list[str]]] = defaultdict(list)
        for key, label in {k: self._label_of(k, lab) for k, lab in zip(keys, labels)}.items():
            toks = key.split()
            if label in _LINKABLE and len(toks) >= 2:
                long_by_last[toks[-1]].append(toks)
        linked: dict[str, str] = {}  # the decision depends only on the key: made once per key
        for key in keys:
            if key in linked:
                continue
            toks = key.split()
            linked[key] = key
            if toks and not (key in self.canonical and len(toks) > 1):
                targets = {" ".join(o) for o in long_by_last.get(toks[-1], ()) if len(o) > len(toks) and _subsequence(toks, o)}
                if len(targets) == 1:
                    linked[key] = targets.pop()
        keys = [linked[k] for k in keys]
        self._person_keys.update(k for k, lab in zip(keys, labels) if self._label_of(k, lab) == "PERSON")
        return keys

    def cross_article_links(self) -> dict[str, str]:
        """key -> longer person key, for the partial person names of all articles seen so far."""
        by_last: dict[str, list[list[str]]] = defaultdict(list)  # candidates share the last token
        for k in self._person_keys:
            if k.split():
                by_last[k.split()[-1]].append(k.split())
        remap: dict[str, str] = {}
        for k in sorted(self._person_keys):
            toks = k.split()
            if len(toks) < 2:
                continue
            targets = [" ".join(o) for o in by_last[toks[-1]] if len(o) > len(toks) and _subsequence(toks, o)]
            if len(targets) == 1:
                remap[k] = targets[0]
        return remap

    def entities(self, written: Iterable[tuple[str, str, str, int]], n_articles: dict[str, int]) -> dict[str, CanonicalEntity]:
        """Canonical entities by final key, from (key, text, label, mentions) rows and articles per key.

        The name is the gazetteer's, else the fullest written form, then the most frequent;
        the label is the gazetteer's, else the majority.
        """
        surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        aliases: dict[str, set[str]] = defaultdict(set)
        label_counts: dict[str, Counter[str]] = defaultdict(Counter)
        for key, text, label, n in written:
            surfaces[key][display_form(text)] += n
            aliases[key].add(clean_surface(text))
            label_counts[key][label] += n
        entities: dict[str, CanonicalEntity] = {}
        for key, forms in surfaces.items():
            if key in self.canonical:
                name, label = self.canonical[key]
            else:
                name = min(forms.items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0]))[0]
                label = min(label_counts[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            entities[key] = CanonicalEntity(
                entity_id=entity_id_for(key),
                name=name,
                label=label,
                n_mentions=sum(forms.values()),
                n_articles=n_articles[key],
                aliases=sorted(aliases[key]),
            )
        return entities


def sort_entities(entities: Iterable[CanonicalEntity]) -> list[CanonicalEntity]:
    """The `entities` table's order: most mentioned first, then by name."""
    return sorted(entities, key=lambda e: (-e.n_mentions, e.name))


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
    """`resolve_entities` over parallel columns (article key, text, label, gazetteer hint), in memory.

    With `counts`, each row stands for that many identical mentions in its article. The
    warehouse streams articles through `EntityResolver` instead (pipeline.warehouse.entities).
    """
    counts = counts if counts is not None else [1] * len(texts)
    resolver = EntityResolver()
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        by_article[article].append(i)
    keys: list[str] = [""] * len(texts)
    for idxs in by_article.values():
        for i, key in zip(idxs, resolver.article([texts[i] for i in idxs], [labels[i] for i in idxs], [hints[i] for i in idxs])):
            keys[i] = key
    remap = resolver.cross_article_links()
    keys = [remap.get(k, k) for k in keys]
    in_articles: dict[str, set[str]] = defaultdict(set)
    for key, article in zip(keys, articles):
        in_articles[key].add(article)
    entities = resolver.entities(zip(keys, texts, labels, counts), {k: len(a) for k, a in in_articles.items()})
    return [entities[k].entity_id for k in keys], sort_entities(entities.values())
