"""Moderato classifier package."""
