"""History import: parse exported comment history into labelled rows."""
