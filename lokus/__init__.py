"""Lokus: a knowledge base of benchmarking visits and best practices in Indonesia's public sector."""

__version__ = "0.1.0"
