"""Prefect flows: ingestion of documents into the warehouse."""
