"""Ids no database column can hold are simply not found (never a 500)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("comment_id", [2**63 - 1, 2**63, 10**30])
def test_a_comment_id_beyond_bigint_is_404(client, auth, comment_id):
    response = client.get(f"/api/v1/comments/{comment_id}", headers=auth)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
