"""Content → safe HTML: Markdown through Python-Markdown and nh3, JSON as an escaped collapsible tree.

The sanitiser is the wall, not the Markdown options: raw HTML in Markdown is allowed through to nh3,
which keeps only the tags, attributes and URL schemes listed here.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Protocol

import markdown
import nh3
from markdown.extensions.toc import slugify
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from .refs import Resolution

# Every id in rendered content starts with this, so content can never take an id (or a window
# global, through named access) that the page itself uses.
ID_PREFIX = "content-"

_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code"}
    | {"ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td"}
    | {"a", "img", "em", "strong", "del", "sup", "sub", "div"}
)
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
    "div": {"class"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
# Dropped with their content, not just their tags: their text is code or markup, never prose.
_CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "textarea"}
)
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+-]{1,40}")
_TOC_CLASS = "toc"
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Narrow the allowed attributes to the values Markdown itself produces."""
    if attribute in ("href", "src"):
        # nh3 already drops URLs with other schemes. This also drops relative-looking URLs that hide
        # one behind spaces or controls (Markdown turns a tab in "java<TAB>script:" into spaces), so
        # no browser quirk in stripping them can ever revive it.
        scheme = _SCHEME.match(_SPACE_OR_CONTROL.sub("", value).lower())
        if scheme and element == "img":
            # The portal's CSP serves images from itself only: an image elsewhere would be blocked (and
            # would tell that site who reads the post), so it keeps its alt text and loses its source.
            return None
        return None if scheme and scheme.group(1) not in _URL_SCHEMES else value
    if attribute == "id":
        return value if value.startswith(ID_PREFIX) else ID_PREFIX + value
    if attribute == "class":
        allowed = value == _TOC_CLASS if element == "div" else bool(_LANGUAGE_CLASS.fullmatch(value))
        return value if allowed else None
    return value


def _slugify(value: str, separator: str) -> str:
    """Heading ids (and the table of contents' links to them) carry ID_PREFIX too."""
    return ID_PREFIX + slugify(value, separator)


_CLEANER = nh3.Cleaner(
    tags=set(_TAGS),
    clean_content_tags=set(_CLEAN_CONTENT_TAGS),
    attributes=_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=set(_URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_EXTENSIONS = ["tables", "fenced_code", "toc", "sane_lists"]
_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    # align="..." rather than style="text-align: ...": the CSP allows no inline styles.
    "tables": {"use_align_attribute": True},
    "toc": {"slugify": _slugify},
}
# A Markdown instance keeps state between conversions and is not thread-safe; one per thread
# avoids rebuilding its extensions on every call.
_local = threading.local()


def _markdown() -> markdown.Markdown:
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
        _local.markdown = converter
    return converter.reset()


def render_markdown(text: str) -> Markup:
    """Markdown → sanitised HTML: no scripts, no event handlers, only http/https/mailto and relative URLs."""
    return Markup(_CLEANER.clean(_markdown().convert(text)))  # noqa: S704 - nh3 has sanitised it


# Deeper nesting is shown as compact JSON text: it keeps recursion bounded and the page readable.
_MAX_JSON_DEPTH = 32
# Objects and arrays this shallow start expanded; deeper ones start collapsed.
_OPEN_DEPTH = 2


def _json_scalar(value: Any) -> Markup:
    if value is None:
        return Markup('<span class="json-null">null</span>')
    if isinstance(value, bool):
        return Markup('<span class="json-bool">{}</span>').format("true" if value else "false")
    if isinstance(value, int | float):
        return Markup('<span class="json-num">{}</span>').format(json.dumps(value))
    return Markup('<span class="json-str">{}</span>').format(json.dumps(value, ensure_ascii=False))


def _json_node(value: Any, label: Markup, depth: int) -> Markup:
    """One `<li>`: a scalar, or a `<details>` holding the members of an object or array."""
    if not isinstance(value, dict | list) or not value:
        shown = _json_scalar(value) if not isinstance(value, dict | list) else escape(json.dumps(value))
        return Markup("<li>{}{}</li>").format(label, shown)
    if depth >= _MAX_JSON_DEPTH:
        text = json.dumps(value, ensure_ascii=False)
        return Markup('<li>{}<span class="json-str">{}</span></li>').format(label, text)
    if isinstance(value, dict):
        summary = Markup("{}{{{}}}").format(label, len(value))
        children = [
            _json_node(item, Markup('<span class="json-key">{}</span>: ').format(key), depth + 1)
            for key, item in value.items()
        ]
    else:
        summary = Markup("{}[{}]").format(label, len(value))
        children = [_json_node(item, Markup(""), depth + 1) for item in value]
    opened = Markup(" open") if depth < _OPEN_DEPTH else Markup("")
    return Markup("<li><details{}><summary>{}</summary><ul>{}</ul></details></li>").format(
        opened, summary, Markup("").join(children)
    )


def render_json(text: str) -> Markup:
    """JSON → an escaped tree of `<details>`; text that is not JSON comes back escaped in a `<pre>`."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return Markup('<pre class="json-invalid">{}</pre>').format(text)
    return Markup('<ul class="json-tree">{}</ul>').format(_json_node(value, Markup(""), 0))


class RenderCache(Protocol):
    """Where rendered HTML is kept, by (content key, etag); swap in a shared cache here if needed."""

    def get(self, key: tuple[str, str]) -> Markup | None:
        """The HTML kept under `key`, or None."""
        ...

    def put(self, key: tuple[str, str], html: Markup) -> None:
        """Keep `html` under `key`."""
        ...


class LruCache:
    """A bounded, thread-safe, in-process least-recently-used cache."""

    def __init__(self, max_entries: int) -> None:
        """Keep at most `max_entries` entries (at least one)."""
        self.max_entries = max(1, max_entries)
        self._entries: OrderedDict[tuple[str, str], Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> Markup | None:
        """The HTML under `key` (now the most recently used), or None."""
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def put(self, key: tuple[str, str], html: Markup) -> None:
        """Keep `html` under `key`, dropping the least recently used entry when full."""
        with self._lock:
            self._entries[key] = html
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        """How many entries are kept."""
        return len(self._entries)


class Renderer:
    """Renders found content to safe HTML once per (key, etag), then serves it from the cache."""

    def __init__(self, max_entries: int = 512, cache: RenderCache | None = None) -> None:
        """A renderer with its own LRU of `max_entries`, or with the given `cache`."""
        self.cache: RenderCache = cache if cache is not None else LruCache(max_entries)
        # How many times Markdown or JSON was actually rendered (cache misses); for tests and metrics.
        self.renders = 0
        self._lock = threading.Lock()

    def cached(self, key: str, etag: str) -> Markup | None:
        """The HTML already rendered for `key` at version `etag`, or None."""
        return self.cache.get((key, etag))

    def render(self, resolution: Resolution) -> Markup:
        """The HTML of a found resolution, from the cache when its (key, etag) was rendered before."""
        if resolution.state != "found":
            raise ValueError(f"cannot render a {resolution.state} resolution")
        if resolution.html is not None:
            return resolution.html
        cache_key = (resolution.cache_key, resolution.etag) if resolution.etag else None
        if cache_key is not None and (html := self.cache.get(cache_key)) is not None:
            return html
        if resolution.text is None:
            raise ValueError("a found resolution without text or html")
        html = (
            render_json(resolution.text) if resolution.format == "json" else render_markdown(resolution.text)
        )
        with self._lock:
            self.renders += 1
        if cache_key is not None:
            self.cache.put(cache_key, html)
        return html
