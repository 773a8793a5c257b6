"""model activation history, for rollbacks that walk back

Revision ID: 0002_model_activations
Revises: 0001
Create Date: 2026-12-02 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_model_activations"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_activations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_version_id", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rolled_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["model_version_id"], ["model_versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("model_activations", schema=None) as batch_op:
        batch_op.create_index("ix_model_activations_model_version_id", ["model_version_id"], unique=False)
        batch_op.create_index("ix_model_activations_head_id", ["head", "id"], unique=False)
    # The history so far is each version's latest activation, oldest first (the active ones last).
    op.execute(
        "INSERT INTO model_activations (model_version_id, head, version, activated_at) "
        "SELECT id, head, version, activated_at FROM model_versions WHERE activated_at IS NOT NULL "
        "ORDER BY activated_at, id"
    )


def downgrade() -> None:
    op.drop_table("model_activations")
