"""Google's discovery document for the Perspective API (`commentanalyzer` v1alpha1), pointing at Moderato.

Perspective's documentation builds its client with Google's API client library from this document
(`discovery.build("commentanalyzer", "v1alpha1", discoveryServiceUrl=".../$discovery/rest?version=v1alpha1",
static_discovery=False)`), so serving it lets that code run against Moderato with only the URL changed.
`rootUrl` is the URL this request reached Moderato at; behind a reverse proxy that is only right when the
proxy's X-Forwarded-* headers are trusted (PROXY_FIX_* settings, service/http/proxy.py).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, jsonify, request

bp = Blueprint("perspective_discovery", __name__)
DOCUMENT = Path(__file__).with_name("commentanalyzer.v1alpha1.json")
VERSIONS = ("v1alpha1",)


@bp.get("/$discovery/rest")
def discovery_document():
    version = request.args.get("version", "")
    if version not in VERSIONS:
        return _not_found(version)
    document = dict(_template())
    document["rootUrl"] = document["baseUrl"] = request.url_root
    return Response(json.dumps(document), mimetype="application/json")


@lru_cache(maxsize=1)
def _template() -> dict:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def _not_found(version: str):
    message = f"Discovery document not found for API service: commentanalyzer version {version!r}."
    # Google's error envelope, with our problem-details fields beside it (as the Perspective endpoints do).
    body = {"error": {"code": 404, "message": message, "status": "NOT_FOUND"}, "type": "about:blank",
            "title": "NOT_FOUND", "status": 404, "detail": message,
            "errors": [{"field": "version", "message": f"must be one of {', '.join(VERSIONS)}"}]}
    return jsonify(body), 404
