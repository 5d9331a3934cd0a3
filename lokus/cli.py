"""Lokus CLI."""
