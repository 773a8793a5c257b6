"""Moderato worker package."""
