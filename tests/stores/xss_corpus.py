"""Hostile Markdown and HTML, and a checker that finds anything executable in rendered output.

Importable on its own (no fixtures), so a browser test can feed the same payloads to a real page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS: list[str] = [
    # Script elements, plain and disguised.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    '<div><script type="module">import("https://evil.example")</script></div>',
    "Text with an inline <script>alert(1)</script> in a paragraph.",
    # Event handlers.
    '<img src="x.png" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//>",
    '<p onclick="alert(1)">click</p>',
    '<a href="https://ok.example" onmouseover="alert(1)">hover</a>',
    "<body onload=alert(1)>",
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<input autofocus onfocus="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    '<marquee onstart="alert(1)">x</marquee>',
    # javascript: in Markdown link and image syntax, with case, entity and whitespace tricks.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](jav&#x0A;ascript:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](\\javascript:alert(1))",
    "![img](javascript:alert(1))",
    '![img](x.png "title" onerror="alert(1)")',
    "[ref link][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    # javascript: in raw HTML attributes.
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT:alert(1)">x</a>',
    '<img src="javascript:alert(1)">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    # Embedding elements.
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    # Styles, forms, document-level tags.
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # Markdown around raw HTML, comments and nesting.
    '<div markdown="1">[x](javascript:alert(1))</div>',
    "> quote\n> <script>alert(1)</script>",
    "- item\n  <img src=x onerror=alert(1)>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "**[bold link](javascript:alert(1))**",
    "[![img](x.png)](javascript:alert(1))",
    '<h2 id="htmx" onclick="alert(1)">heading</h2>',
    '<code class="x" onmouseover="alert(1)">code</code>',
]

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_FORBIDDEN_TAGS = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math"}
    | {"form", "input", "button", "base", "meta", "link", "template"}
)
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background", "data", "cite"}
)
# Browsers drop leading/trailing C0 controls and spaces, and tabs/newlines anywhere, before reading a scheme.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def _unsafe_url(value: str) -> bool:
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", value).lower())
    return match is not None and match.group(1) not in _SAFE_SCHEMES


class _Checker(HTMLParser):
    """Collects what would run in a browser; HTMLParser has already decoded entities in attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note forbidden elements, handlers, styles and unsafe URLs of one start tag."""
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")
            elif name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            elif name in _URL_ATTRIBUTES and value is not None and _unsafe_url(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def unsafe_parts(html: str) -> list[str]:
    """Everything in `html` that could run script or load active content; empty when safe."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems
