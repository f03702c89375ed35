"""``/contract``: the contract page and its PDF, acceptance or decline, history and certificates; the gate.

The gate (``before_app_request``): while the tenant's contract is not accepted, every page but these, sign-out,
password change, static files, health and help sends the user here; once accepted, owners and admins are
sent to the onboarding wizard until onboarding is complete, and everyone else sees a banner.
"""

from __future__ import annotations

import datetime as dt

import click
from flask import Blueprint, Response, abort, flash, g, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select, text

from portal import audit
from portal.contracts import service
from portal.contracts.forms import AcceptForm, DeclineForm
from portal.db import database
from portal.models import Contract, Tenant
from portal.navigation import Banner, register_banner
from portal.stores import get_stores
from portal.stores.blobs import content_disposition
from portal.tenancy import can, current_tenant, get_or_404, require
from portal.web import client_ip, render, wants_fragment

bp = Blueprint("contracts", __name__, url_prefix="/contract", cli_group=None)

# Pages open while the gate is closed: leaving, the password, the look of the page, and the probes.
GATE_OPEN_ENDPOINTS = frozenset(
    {"auth.login", "auth.logout", "auth.change_password", "static", "dashboard.brand_css"}
)
GATE_OPEN_AREAS = frozenset({"contracts", "health", "help"})
# While onboarding is not complete, owners and admins may still use these areas (the wizard and its content).
ONBOARDING_AREAS = frozenset({"onboarding", "refs"})


def _send_to(url: str):
    """A redirect, or for an htmx fragment request an HX-Redirect (a swapped-in page would be wrong)."""
    if wants_fragment():
        return Response(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@bp.before_app_request
def gate():
    """Send a signed-in user of a tenant without an accepted contract (or onboarding) where they must go."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in GATE_OPEN_ENDPOINTS or request.blueprint in GATE_OPEN_AREAS:
        return None
    if not current_user.is_authenticated:
        return None
    tenant = g.get("tenant")
    if tenant is None:
        return None
    if tenant.contract_accepted_on is None:
        return _send_to(url_for("contracts.current"))
    if (
        tenant.onboarding_completed_on is None
        and request.blueprint not in ONBOARDING_AREAS
        and can("onboarding.edit")
    ):
        return _send_to(url_for("onboarding.index"))
    return None


def _onboarding_banner() -> Banner | None:
    """Others than owner/admin: the portal is still being set up (they are not sent to the wizard)."""
    tenant = g.get("tenant")
    if tenant is None or tenant.contract_accepted_on is None or tenant.onboarding_completed_on is not None:
        return None
    if can("onboarding.edit"):
        return None
    return Banner(
        "info",
        "Your portal is still being set up: your owner or admin is completing onboarding. Strategy, "
        "content and reports appear once it is done.",
    )


register_banner(_onboarding_banner)


def _page(
    contract: Contract | None,
    accept_form: AcceptForm | None = None,
    decline_form: DeclineForm | None = None,
    refusal: str | None = None,
    status: int = 200,
    live: Contract | None = None,
):
    """The contract page for ``contract`` (the live one, given as ``live`` too, or an older version)."""
    accept_form = accept_form or AcceptForm(formdata=None)
    decline_form = decline_form or DeclineForm(formdata=None)
    consent = service.consent_text(contract, current_tenant, current_user.full_name) if contract else None
    body = render(
        "contracts/contract.html",
        contract=contract,
        live=live or (service.current_contract() if contract is not None else None),
        owners=service.owners() if contract is not None and contract.status == "sent" else [],
        accept_form=accept_form,
        decline_form=decline_form,
        consent=consent,
        refusal=refusal,
    )
    return body, status


@bp.route("/")
@login_required
@require("contract.view")
def current():
    """The live contract: the PDF, its facts, and the owner's accept/decline forms while it waits."""
    contract = service.current_contract()
    return _page(contract, live=contract)


@bp.route("/<ulid:contract_ref>")
@login_required
@require("contract.view")
def show(contract_ref: str):
    """One version of the contract (older versions stay readable)."""
    return _page(get_or_404(Contract, contract_ref, *service.with_people()))


@bp.route("/<ulid:contract_ref>/document")
@login_required
@require("contract.view")
def document(contract_ref: str):
    """The contract PDF, streamed from the object store: inline, or as a download with ?download=1."""
    contract = get_or_404(Contract, contract_ref)
    fetched = service.pdf(contract)
    if fetched.state == "unavailable":
        abort(503)
    if fetched.state != "found" or fetched.blob is None:
        abort(404)
    filename = f"{current_tenant.slug}-contract-v{contract.template_version}.pdf"
    response = Response(fetched.blob.body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(
        filename, inline=request.args.get("download") != "1"
    )
    return response


def _decide(contract_ref: str, form, form_name: str, act, done: tuple[str, str], back: str):
    """An owner's decision on the contract: 409 when it is not waiting (or someone decided first), the page
    with the form's errors or the refusal (400), else ``act(contract, form)``, ``done`` flashed, ``back``."""
    contract = get_or_404(Contract, contract_ref, *service.with_people())
    if contract.status != "sent":
        return _page(contract, refusal=service.decided_message(contract), status=409)
    if not form.validate_on_submit():
        return _page(contract, **{form_name: form}, status=400)
    try:
        act(contract, form)
    except service.AlreadyDecided as decided:
        return _page(decided.contract, refusal=str(decided), status=409)
    except service.ContractRefused as refused:
        return _page(contract, **{form_name: form}, refusal=str(refused), status=400)
    flash(*done)
    return redirect(back)


@bp.route("/<ulid:contract_ref>/accept", methods=["POST"])
@login_required
@require("contract.accept")
def accept(contract_ref: str):
    """Accept the contract (owner only): typed name, ticked consent; the evidence is recorded once."""
    return _decide(
        contract_ref,
        AcceptForm(),
        "accept_form",
        lambda contract, form: service.accept(
            contract, form.full_name.data, current_user, client_ip(), request.user_agent.string
        ),
        ("Thank you: the contract is accepted. Next, tell us about your business.", "success"),
        url_for("onboarding.index"),
    )


@bp.route("/<ulid:contract_ref>/decline", methods=["POST"])
@login_required
@require("contract.accept")
def decline(contract_ref: str):
    """Decline the contract with a reason (owner only); the agency sends a revised version."""
    return _decide(
        contract_ref,
        DeclineForm(),
        "decline_form",
        lambda contract, form: service.decline(contract, form.reason.data, current_user),
        ("The contract is declined. The agency will send a revised version.", "info"),
        url_for("contracts.current"),
    )


@bp.route("/history")
@login_required
@require("contract.view")
def history():
    """Every version of the contract with its acceptance or decline, newest first."""
    page = service.history(request.args.get("cursor"))
    return render("contracts/history.html", page=page)


@bp.route("/<ulid:contract_ref>/certificate")
@login_required
@require("contract.view")
def certificate(contract_ref: str):
    """The printable acceptance certificate: the evidence and the document's SHA-256."""
    contract = get_or_404(Contract, contract_ref, *service.with_people())
    return render(
        "contracts/certificate.html",
        contract=contract,
        accepted_utc=_utc(contract.accepted_on),
        events=audit.history(contract),
    )


def _utc(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else None


@bp.route("/<ulid:contract_ref>/certificate.pdf")
@login_required
@require("contract.view")
def certificate_pdf(contract_ref: str):
    """The acceptance certificate as a PDF download (a version never accepted has none: see the page)."""
    contract = get_or_404(Contract, contract_ref, *service.with_people())
    if contract.accepted_on is None:
        return redirect(url_for("contracts.certificate", contract_ref=contract.ref_id))
    body = service.certificate_pdf(contract, current_tenant, _utc(contract.accepted_on))
    response = Response(body, mimetype="application/pdf")
    filename = f"{current_tenant.slug}-contract-v{contract.template_version}-certificate.pdf"
    response.headers["Content-Disposition"] = content_disposition(filename, inline=False)
    return response


@bp.cli.command("send-contract")
@click.option("--colleague", required=True, help="E-mail of someone in the tenant (RLS hides tenants).")
@click.option("--title", required=True, help="The contract's title.")
@click.option("--pdf", "pdf_path", required=True, type=click.Path(exists=True, dir_okay=False))
def send_contract_command(colleague: str, title: str, pdf_path: str) -> None:
    """Send a new contract version to a tenant: the live one is superseded and the gate turns back on."""
    lookup = database().new_session()
    tenant_id = lookup.execute(
        text("SELECT tenant_id FROM auth_lookup(:e)"), {"e": colleague.lower()}
    ).scalar()
    lookup.close()
    if tenant_id is None:
        raise click.ClickException("No account has the colleague's e-mail address.")
    session = database().new_session(tenant_id)
    try:
        tenant = session.scalars(select(Tenant).where(Tenant.id == tenant_id)).one()
        with open(pdf_path, "rb") as handle:
            contract = service.send_new_version(session, tenant, title, handle.read(), get_stores())
    except service.ContractRefused as refused:
        raise click.ClickException(str(refused)) from refused
    finally:
        session.close()
    click.echo(
        f"Sent {contract.title} v{contract.template_version} to {tenant.name} ({contract.pdf_sha256})."
    )
