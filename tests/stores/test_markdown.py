"""Rendering: Markdown features survive sanitising, hostile input does not, JSON is a safe tree, caching."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from markupsafe import Markup

from portal.stores.markdown import ID_PREFIX, LruCache, Renderer, render_json, render_markdown
from portal.stores.refs import Resolution

from .xss_corpus import PAYLOADS, unsafe_parts


def test_corpus_is_large_enough() -> None:
    """The corpus keeps at least forty distinct payloads."""
    assert len(set(PAYLOADS)) >= 40


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payload_is_neutralised(payload: str) -> None:
    """No payload leaves a script, an event handler, a style or a non-http(s)/mailto URL."""
    html = render_markdown(payload)
    assert unsafe_parts(html) == [], html


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<a href="jav&#x09;ascript:x">', "href"),
        ('<img src=" \x01JaVaScRiPt:x">', "src"),
        ('<p onclick="x">', "onclick"),
        ("<script></script>", "<script>"),
        ('<b style="x">', "style"),
    ],
)
def test_checker_catches_what_it_should(html: str, problem: str) -> None:
    """The checker itself finds what it looks for, so a clean result means something."""
    assert any(problem in found for found in unsafe_parts(html))


def test_markdown_features() -> None:
    """Tables, fenced code, heading ids (prefixed), lists and safe links come through."""
    html = render_markdown(
        "# Launch Plan\n\n[TOC]\n\n| Channel | Budget |\n|:--|--:|\n| Blog | 100 |\n\n"
        "```python\nprint('hi')\n```\n\n3. three\n4. four\n\n"
        'See [docs](https://example.com/docs "Docs") or [mail](mailto:a@example.com).\n\n'
        '![chart](https://example.com/c.png "Chart") ![logo](/static/img/logo.png)\n\n<h2 id="htmx">Raw</h2>\n'
    )
    assert f'<h1 id="{ID_PREFIX}launch-plan">Launch Plan</h1>' in html
    assert f'<a href="#{ID_PREFIX}launch-plan" rel="noopener noreferrer">' in html
    assert f'<h2 id="{ID_PREFIX}htmx">Raw</h2>' in html
    assert '<th align="left">Channel</th>' in html and '<td align="right">100</td>' in html
    assert "<pre><code class=\"language-python\">print('hi')" in html
    assert '<ol start="3">' in html
    assert '<a href="https://example.com/docs" title="Docs" rel="noopener noreferrer">docs</a>' in html
    assert 'href="mailto:a@example.com"' in html
    # images elsewhere lose their source (the CSP would block them and they would track readers)
    assert '<img alt="chart" title="Chart">' in html
    assert '<img alt="logo" src="/static/img/logo.png">' in html
    assert isinstance(html, Markup)


def test_classes_are_limited_to_what_markdown_makes() -> None:
    """Raw HTML cannot borrow the page's CSS classes."""
    html = render_markdown('<div class="modal">x</div>\n\n<code class="btn-danger">y</code>')
    assert "modal" not in html and "btn-danger" not in html


def test_json_tree_escapes_everything() -> None:
    """Keys and values are escaped and typed; objects and arrays fold into <details>."""
    html = render_json('{"<b>key</b>": ["<script>x</script>", 1.5, true, null, {}], "n": -2}')
    assert html.startswith('<ul class="json-tree">')
    assert '<span class="json-key">&lt;b&gt;key&lt;/b&gt;</span>' in html
    assert '<span class="json-str">&#34;&lt;script&gt;x&lt;/script&gt;&#34;</span>' in html
    assert '<span class="json-num">1.5</span>' in html and '<span class="json-num">-2</span>' in html
    assert '<span class="json-bool">true</span>' in html and '<span class="json-null">null</span>' in html
    assert html.count("<details") == 2
    assert unsafe_parts(html) == [] and "<script" not in html


def test_json_deep_nesting_stays_bounded() -> None:
    """Very deep JSON renders (the deepest part as text) instead of exhausting the stack."""
    assert "json-tree" in render_json("[" * 500 + "]" * 500)


def test_invalid_json_is_escaped_text() -> None:
    """What is not JSON is shown as escaped text."""
    assert render_json("<script>{oops") == '<pre class="json-invalid">&lt;script&gt;{oops</pre>'


def found(text: str, etag: str, key: str = "T1/a.md") -> Resolution:
    """A found Markdown resolution."""
    return Resolution("found", text=text, etag=etag, key=key)


def test_same_key_and_etag_render_once() -> None:
    """A second render of the same (key, etag) is a cache hit; a new etag renders again."""
    renderer = Renderer()

    first = renderer.render(found("# One", "v1"))
    second = renderer.render(found("# One", "v1"))
    changed = renderer.render(found("# Two", "v2"))

    assert first == second and "One" in first and "Two" in changed
    assert renderer.renders == 2
    assert renderer.cached("T1/a.md", "v1") == first


def test_cache_is_bounded_and_least_recently_used() -> None:
    """The LRU drops the entry used longest ago once full."""
    cache = LruCache(2)
    cache.put(("a", "1"), Markup("A"))
    cache.put(("b", "1"), Markup("B"))
    cache.get(("a", "1"))
    cache.put(("c", "1"), Markup("C"))

    assert (cache.get(("a", "1")), cache.get(("b", "1")), cache.get(("c", "1"))) == ("A", None, "C")
    assert len(cache) == 2


def test_renderer_is_thread_safe() -> None:
    """Concurrent renders of different content each get their own, correct HTML."""
    renderer = Renderer(max_entries=8)

    def work(number: int) -> int:
        """Render twenty versions of this thread's own content."""
        for round_ in range(20):
            html = renderer.render(
                found(f"# Title {number}\n\n- {round_}", f"{number}-{round_}", f"k{number}")
            )
            assert f"Title {number}" in html and f"<li>{round_}</li>" in html
        return number

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(work, range(4))) == [0, 1, 2, 3]
    assert renderer.renders == 80
