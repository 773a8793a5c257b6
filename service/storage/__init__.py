"""Storage: SQLAlchemy engine, sessions and the table models."""
