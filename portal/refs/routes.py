"""``/refs/<source>/<ref>``: a content fragment (htmx loads it after the page), and its original for download.

One view serves every source; each source gets its own URL so its id parameter names its table.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_login import login_required

from portal.refs import service
from portal.stores.blobs import content_disposition
from portal.tenancy import require
from portal.web import render

bp = Blueprint("refs", __name__, url_prefix="/refs")

STATUS = {"found": 200, "missing": 200, "unavailable": 503}


def _fragment_view(source: service.Source):
    def view(**kwargs: str):
        content = service.load(source, kwargs[f"{source.name}_ref"])
        if content.resolution.state == "refused":
            abort(404)
        body = render("refs/content.html", "fragment", content=content, endpoint=f"refs.{source.name}")
        return body, STATUS[content.resolution.state]

    view.__doc__ = f"The rendered {source.label} of a {source.model.__name__} (a fragment for htmx)."
    return view


def _original_view(source: service.Source):
    def view(**kwargs: str):
        fetched = service.original(source, kwargs[f"{source.name}_ref"])
        if fetched.state == "unavailable":
            abort(503)
        if fetched.state != "found":
            abort(404)
        response = Response(
            fetched.blob.body, mimetype=fetched.blob.content_type or "application/octet-stream"
        )
        response.headers["Content-Disposition"] = content_disposition(fetched.filename, inline=False)
        return response

    view.__doc__ = f"Download the {source.label} of a {source.model.__name__} as stored."
    return view


for _source in service.SOURCES.values():
    _param = f"<ulid:{_source.name}_ref>"
    bp.add_url_rule(
        f"/{_source.name}/{_param}",
        endpoint=_source.name,
        view_func=login_required(require(_source.permission)(_fragment_view(_source))),
    )
    bp.add_url_rule(
        f"/{_source.name}/{_param}/original",
        endpoint=f"{_source.name}_original",
        view_func=login_required(require(_source.permission)(_original_view(_source))),
    )
