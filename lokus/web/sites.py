"""Host regions (sites) from the facts views: listing, profiles, comparison and chart data."""

from __future__ import annotations

import duckdb

from lokus.web import facts


def list_sites(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every host region with its visit and document counts, most visited first."""
    if "site_profiles" not in facts.relations(conn):
        return []
    return []


def site_profile(conn: duckdb.DuckDBPyConnection, site_id: str) -> dict | None:
    """One host region's profile, or None."""
    return None


def chart_data(conn: duckdb.DuckDBPyConnection) -> dict:
    """Visits per year, per host region, and topics per year."""
    return {"per_year": [], "per_region": [], "topics": {}}
