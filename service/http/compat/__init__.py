"""Drop-in compatible endpoints: Akismet 1.1, Perspective comments:analyze, Coral external moderation."""

from __future__ import annotations

from flask import Blueprint

from service.http.compat import akismet, coral, perspective, perspective_discovery

bp = Blueprint("compat", __name__)
bp.register_blueprint(akismet.bp)
bp.register_blueprint(akismet.bp_12)
bp.register_blueprint(perspective.bp)
bp.register_blueprint(perspective_discovery.bp)
bp.register_blueprint(coral.bp)
