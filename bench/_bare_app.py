"""The baseline: a bare Flask endpoint that parses the same JSON body and answers 202, nothing else."""

from __future__ import annotations

from flask import Flask, jsonify, request


def create_app() -> Flask:
    app = Flask("bare")

    @app.post("/api/v1/comments")
    def submit():
        data = request.get_json()
        return jsonify({"id": 1, "status": "pending", "content": data.get("content")}), 202

    return app
