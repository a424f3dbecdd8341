"""Markdown previews in the Dagster UI: article text is shown as text, never read as markdown."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import dagster as dg
import pytest
from markdown_it import MarkdownIt  # CommonMark + GFM tables; installed with Dagster (rich)

from assets.definitions import build_definitions
from assets.previews import md_rows
from assets.defs.resources import NewsSettings
from conftest import RAW

HOSTILE = [
    "![x](http://host/t.png)",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1)) and <https://autolink.example/>",
    "a\\|b",  # a backslash before a pipe
    "a|b|c",
    "ends with a backslash\\",
    "line one\rline two\nline three",
    "separators\u2028and\u2029more\x85and\x0bvt\x0cff\x00nul\x1besc",
    "**bold** _it_ `code` ~~gone~~ # not a heading",
    "&lt;script&gt; &amp; &#60;b&#62; &copy;",
    "lone \ud800 surrogate",
    "[a]: http://ref.example 'title'",
    "$x$ {y} +z -w 1. v!",
]


class _Cells(HTMLParser):
    """Rows of cell texts, and every tag, from rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def render(markdown: str) -> _Cells:
    """The markdown rendered as a GFM renderer would (raw HTML allowed, as in a permissive UI)."""
    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    parser = _Cells()
    parser.feed(html)
    return parser


def split_row(line: str) -> list[str]:
    """Cells of a table row, split on pipes not taken by a backslash escape (micromark's rule)."""
    cells, cell, i = [], "", 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            cell += line[i : i + 2]
            i += 2
            continue
        if line[i] == "|":
            cells.append(cell)
            cell = ""
        else:
            cell += line[i]
        i += 1
    cells.append(cell)
    return cells[1:-1]  # the row starts and ends with a pipe


def unescaped(cell: str) -> str:
    """What is left of a cell once every backslash escape pair is taken out."""
    out, i = "", 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            i += 2
            continue
        out += cell[i]
        i += 1
    return out


def as_text(value: str) -> str:
    """What a preview cell shows for a value: line breaks and controls as spaces, surrogates too."""
    return "".join(" " if ch in "\r\n\u2028\u2029\x85\x0b\x0c\x00\x1b" or "\ud800" <= ch <= "\udfff" else ch for ch in value)


@pytest.mark.parametrize("title", HOSTILE)
def test_a_hostile_title_renders_as_its_own_text_in_one_cell(title: str) -> None:
    columns = ["source_path", "title", "chars"]
    markdown = md_rows([{"source_path": "a.txt", "title": title, "chars": 5}], columns).value
    lines = markdown.split("\n")
    assert len(lines) == 3  # header, rule, one row: no raw line break survived
    assert not any(ch in markdown for ch in "\r\u2028\u2029\x85\x0b\x0c")
    markdown.encode("utf-8")  # no lone surrogate: the metadata must serialize
    for line in (lines[0], lines[2]):
        cells = split_row(line)
        assert len(cells) == len(columns), line
        for cell in cells:
            bare = unescaped(cell)
            assert not any(s in bare for s in ("![", "](", "<", ">", "&", "`", "*", "[", "|")), cell
    rendered = render(markdown)
    assert not {"img", "a", "script", "code", "strong", "em", "s", "h1", "li"} & set(rendered.tags), rendered.tags
    assert [len(row) for row in rendered.rows] == [3, 3]
    assert rendered.rows[1] == ["a.txt", as_text(title).strip(), "5"]


def test_headers_are_escaped_and_long_cells_cut_outside_an_escape() -> None:
    long = "(" * 100
    markdown = md_rows([{"![h](x)": long}], ["![h](x)"]).value
    rendered = render(markdown)
    assert "img" not in rendered.tags
    assert rendered.rows[0] == ["![h](x)"]
    assert rendered.rows[1] == ["(" * 59 + "…"]


def test_an_articles_hostile_title_and_file_name_stay_text_in_the_asset_previews(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    body = (RAW / "002_9053da883cae559c.txt").read_text(encoding="utf-8")
    (raw / "story.json").write_text(json.dumps({"title": "![x](http://host/t.png)", "text": body}), encoding="utf-8")
    (raw / "<img src=x onerror=alert(1)>.txt").write_text("")  # quarantined as empty, under its name
    news = NewsSettings(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))
    with dg.instance_for_test() as instance:
        result = build_definitions(news).resolve_job_def("news_etl").execute_in_process(instance=instance)
    previews = {
        "articles": next(
            m for m in result.asset_materializations_for_node("warehouse_tables") if m.asset_key.path == ["articles"]
        ).metadata["preview"],
        "quarantine": next(
            m for m in result.asset_materializations_for_node("warehouse_tables") if m.asset_key.path == ["quarantine"]
        ).metadata["preview"],
        "clean": result.asset_materializations_for_node("clean_articles")[0].metadata["preview"],
        "ingest": result.asset_materializations_for_node("raw_records")[0].metadata["quarantine_preview"],
        "inventory": result.asset_materializations_for_node("raw_inventory")[0].metadata["to_process_preview"],
    }
    texts = {}
    for name, preview in previews.items():
        rendered = render(preview.value)
        assert not {"img", "a", "script"} & set(rendered.tags), (name, preview.value)
        assert len({len(row) for row in rendered.rows}) == 1, (name, preview.value)
        texts[name] = [cell for row in rendered.rows for cell in row]
    for name in ("articles", "clean"):
        assert "![x](http://host/t.png)" in texts[name]
    for name in ("quarantine", "ingest", "inventory"):
        assert "<img src=x onerror=alert(1)>.txt" in texts[name]
