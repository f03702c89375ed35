"""Request plumbing shared by every blueprint: who is asking, how to answer (page or htmx fragment), the
security headers on every response, and one log line per request."""

from __future__ import annotations

import logging
import secrets
import time
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, render_template, request, session, url_for
from jinja2_fragments.flask import render_block
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.extensions import htmx

request_log = logging.getLogger("portal.request")

# The only endpoints that answer without signing in (the route walk in the tests holds every other to it).
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "auth.forgot_password",  # asking for a reset link (same answer for any address, throttled)
        "auth.reset_password",  # using one: the link's single-use token is the credential
        "health.healthz",
        "health.readyz",
        "static",
        "leads.web_form",
        "team.accept_invitation",  # the invited person has no account yet: the link's token admits them
        "two_factor.code",  # the sign-in's second step: only after the right password (signed cookie)
    }
)
# The only unsafe endpoints without a CSRF token: the lead form posted from the tenant's own website
# (it carries a secret token in its URL instead, and is rate limited).
CSRF_EXEMPT_ENDPOINTS = frozenset({"leads.web_form"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def client_ip() -> str | None:
    """The client's address (ProxyFix has already trusted exactly TRUSTED_PROXIES forwarded hops)."""
    return request.remote_addr


def absolute_url(path: str) -> str:
    """The portal's absolute URL for a path: BASE_URL, never the Host header (the client writes that)."""
    return current_app.config["BASE_URL"] + path


def external_url(endpoint: str, **values) -> str:
    """``url_for`` as an absolute URL, for links that leave the browser (e-mails, addresses to copy)."""
    return absolute_url(url_for(endpoint, **values))


def safe_next_url(target: str | None) -> str | None:
    """A ``next`` target only if it stays on this site (a path, no scheme or host), else None."""
    # A control character (CR/LF above all) cannot go into a Location header: werkzeug would raise.
    if not target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return None
    return target


def wants_fragment() -> bool:
    """Whether htmx asked for a part of a page (not a boosted navigation or a history restore)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, block: str | None = None, **context) -> str:
    """The whole page, or only ``block`` of the same template when htmx asked for a fragment.

    One template serves both, so markup has one source (jinja2-fragments).
    """
    if block and wants_fragment():
        return render_block(template, block, **context)
    return render_template(template, **context)


def _start_request() -> None:
    g.request_started = time.perf_counter()
    g.request_id = request.headers.get("X-Request-ID", "")[:64] or secrets.token_hex(8)


def _finish_request(response: Response) -> Response:
    # One pass over the response's headers: a setdefault per header looked each one up, and werkzeug
    # builds an exception for every name it does not find.
    present = {name.lower() for name, _ in response.headers.items()}
    response.headers.extend([(n, v) for n, v in SECURITY_HEADERS.items() if n.lower() not in present])
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    response.headers["X-Request-ID"] = g.get("request_id", "")
    response.vary.add("HX-Request")
    if session.get("tid"):
        # Signed-in pages are private to the user: no shared caches, no back-button copies after sign-out.
        response.headers.setdefault("Cache-Control", "no-store")
    _log_request(response)
    return response


def _log_request(response: Response) -> None:
    started = g.get("request_started")
    elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
    # Plain strings noted when the user was loaded: logging must not query (the database may be why we
    # answer, or a view may have moved the session to another tenant).
    user, tenant = g.get("user_ref", "-"), g.get("tenant_ref", "-")
    request_log.info(
        "%s %s %s %d %.1fms user=%s tenant=%s ip=%s",
        g.get("request_id", "-"),
        request.method,
        request.path,
        response.status_code,
        elapsed_ms,
        user,
        tenant,
        client_ip(),
    )


def init_app(app: Flask) -> None:
    """Install the proxy handling, security headers and request log on the app."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.before_request(_start_request)
    app.after_request(_finish_request)
