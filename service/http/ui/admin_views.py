"""Admin pages: users, sites and their keys and webhooks, per-site rules, failed webhook deliveries."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from service.domain import site_rules, sites, users, webhooks
from service.extensions import db
from service.http.ui import ui_blueprint
from service.http.ui.security import admin_required
from service.storage.models import Site
from service.tasks_app import enqueue_deliveries

bp = ui_blueprint("ui_admin", __name__)


@bp.get("/admin/users")
@admin_required
def users_page():
    with db().session() as s:
        rows = [(u, users.user_site_names(s, u)) for u in users.list_users(s)]
        all_sites = list(s.scalars(select(Site.name).order_by(Site.name)))
    return render_template("users.html", rows=rows, all_sites=all_sites, roles=users.ROLES)


@bp.post("/admin/users")
@admin_required
def create_user():
    with db().session() as s:
        user = users.create_user(s, request.form.get("email", ""), request.form.get("password", ""),
                                 request.form.get("role", ""), request.form.getlist("sites"))
        flash(f"Created {user.role} {user.email}.")
    return redirect(url_for("ui_admin.users_page"))


@bp.post("/admin/users/<int:user_id>")
@admin_required
def update_user(user_id: int):
    with db().session() as s:
        user = users.update_user(s, user_id, role=request.form.get("role", ""),
                                 site_names=request.form.getlist("sites"),
                                 is_active=request.form.get("is_active") == "on",
                                 password=request.form.get("password") or None)
        flash(f"Updated {user.email}.")
    return redirect(url_for("ui_admin.users_page"))


@bp.get("/admin/sites")
@admin_required
def sites_page():
    with db().session() as s:
        rows = list(s.scalars(select(Site).order_by(Site.name)))
    return render_template("sites.html", rows=rows, shown=None)


@bp.post("/admin/sites")
@admin_required
def create_site():
    with db().session() as s:
        issued = sites.create_site(s, request.form.get("name", ""), request.form.get("url", ""))
        name = issued.site.name
    return render_template("secret_once.html", title=f"Site {name} created",
                           label="Full API key (server-side use only)", secret=issued.key)


@bp.post("/admin/sites/<name>/keys")
@admin_required
def issue_key(name: str):
    scope = request.form.get("scope", "submit")
    with db().session() as s:
        issued = sites.issue_key(s, sites.get_site_by_name(s, name), scope=scope, label=request.form.get("label"))
    label = {"submit": "Publishable key (safe in HTML forms)",
             "akismet": "Akismet-format key (only the Akismet endpoints accept it)"}.get(
        scope, "Full API key (server-side use only)")
    return render_template("secret_once.html", title=f"New {scope} key for {name}", label=label, secret=issued.key)


@bp.post("/admin/sites/<name>/webhook")
@admin_required
def set_webhook(name: str):
    with db().session() as s:
        site = sites.get_site_by_name(s, name)
        if request.form.get("rotate") == "1":
            secret = webhooks.rotate_secret(s, site)
        else:
            secret = webhooks.set_webhook(s, site, request.form.get("webhook_url"))
    if secret:
        return render_template("secret_once.html", title=f"Webhook signing secret for {name}",
                               label="Signing secret", secret=secret)
    flash(f"Webhook for {name} saved.")
    return redirect(url_for("ui_admin.sites_page"))


@bp.get("/settings/sites/<name>")
@admin_required
def settings_page(name: str):
    with db().session() as s:
        site = sites.get_site_by_name(s, name)
    return render_template("settings.html", site=site, settings=site.settings or {}, fields=site_rules.SETTINGS)


@bp.post("/settings/sites/<name>")
@admin_required
def save_settings(name: str):
    data = {}
    for field, kind in site_rules.SETTINGS.items():
        # An unticked checkbox is absent from the form: that means off.
        data[field] = request.form.get(field) == "on" if kind is bool else request.form.get(field, "")
    with db().session() as s:
        site_rules.update_site_settings(s, sites.get_site_by_name(s, name), data)
    flash(f"Rules for {name} saved.")
    return redirect(url_for("ui_admin.settings_page", name=name))


@bp.get("/admin/webhooks")
@admin_required
def webhooks_page():
    status = request.args.get("status", "failed")
    with db().session() as s:
        rows = webhooks.list_deliveries(s, status if status in ("pending", "delivered", "failed") else None)
    return render_template("webhooks.html", rows=rows, status=status)


@bp.post("/admin/webhooks/<int:delivery_id>/resend")
@admin_required
def resend(delivery_id: int):
    with db().session() as s:
        webhooks.resend(s, delivery_id)
    enqueue_deliveries([delivery_id])
    flash(f"Delivery {delivery_id} queued again.")
    return redirect(url_for("ui_admin.webhooks_page"))
