"""Reading the figures a page shows: the ``data-figure`` / ``data-value`` elements of macros/ui.html's
``figure``, and the ``data-figure-sum`` containers whose figures are the parts of a total."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Container:
    """An element declaring data-figure-sum, while it is open: its tag, nesting depth and parts' values."""

    total: str
    tag: str
    depth: int = 1
    parts: list[str] = field(default_factory=list)


class FigureParser(HTMLParser):
    """The (name, value) of every data-figure of a page, and each data-figure-sum container's parts."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[str, str]] = []
        self.sums: list[Container] = []
        self._open: list[Container] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record figures and open sum containers; count nesting of the containers' own tag."""
        attributes = dict(attrs)
        for container in self._open:
            if container.tag == tag:
                container.depth += 1
        if attributes.get("data-figure"):
            value = attributes.get("data-value") or ""
            self.figures.append((attributes["data-figure"], value))
            for container in self._open:
                container.parts.append(value)
        if attributes.get("data-figure-sum"):
            self._open.append(Container(attributes["data-figure-sum"], tag))

    def handle_endtag(self, tag: str) -> None:
        """Close the sum containers this tag ends."""
        for container in list(self._open):
            if container.tag == tag:
                container.depth -= 1
                if container.depth == 0:
                    self._open.remove(container)
                    self.sums.append(container)


def figures_of(response) -> dict[str, str]:
    """The response's figures by name (the last value when a name is shown twice)."""
    parser = FigureParser()
    parser.feed(response.get_data(as_text=True))
    return dict(parser.figures)
