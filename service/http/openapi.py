"""The OpenAPI 3.1 document at /api/v1/openapi.json, merged from per-area fragments.

Fragments are JSON files holding `paths` and `components` for one area of the API (submission,
moderation, training, compat, ...), kept in `service/openapi/*.json` and shipped as package data.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)
PACKAGE_DIR = Path(__file__).resolve().parent.parent / "openapi"

BASE: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "Moderato API",
        "version": "1",
        "description": "Self-hosted comment moderation. Errors are RFC 9457 problem+json naming the fields.",
    },
    "servers": [{"url": "/"}],
    "paths": {},
    "components": {
        "securitySchemes": {
            "siteKey": {"type": "http", "scheme": "bearer", "description": "A site's API key."},
            "personalToken": {"type": "http", "scheme": "bearer",
                              "description": "A moderator's or admin's personal API token."},
        },
        "schemas": {
            "Problem": {
                "type": "object",
                "required": ["type", "title", "status", "detail", "errors"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["field", "message"],
                            "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                        },
                    },
                },
            },
        },
    },
}


def fragment_files() -> list[Path]:
    """Every fragment file, in a stable order."""
    return sorted(PACKAGE_DIR.glob("*.json"))


def merge(base: dict, fragment: dict, source: str) -> None:
    """Merge one fragment's paths (per method) and components (per name) into `base`; clashes are errors."""
    for path, operations in fragment.get("paths", {}).items():
        target = base["paths"].setdefault(path, {})
        for method, operation in operations.items():
            if method in target and target[method] != operation:
                raise ValueError(f"{source}: {method.upper()} {path} is already defined by another fragment")
            target[method] = operation
    for section, items in fragment.get("components", {}).items():
        target = base["components"].setdefault(section, {})
        for name, value in items.items():
            if name in target and target[name] != value:
                raise ValueError(f"{source}: components.{section}.{name} differs from another fragment's")
            target[name] = value
    for tag in fragment.get("tags", []):
        if tag not in base.setdefault("tags", []):
            base["tags"].append(tag)


@lru_cache(maxsize=1)
def build_document() -> dict:
    """The whole document: the base plus every fragment."""
    document = json.loads(json.dumps(BASE))
    for path in fragment_files():
        merge(document, json.loads(path.read_text(encoding="utf-8")), path.name)
    return document


@bp.get("/api/v1/openapi.json")
def openapi_document():
    return jsonify(build_document())
