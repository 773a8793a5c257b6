"""Moderato service package."""
