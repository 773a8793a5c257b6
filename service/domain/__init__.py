"""Domain logic: plain functions over a SQLAlchemy session. No HTTP here: views translate."""
