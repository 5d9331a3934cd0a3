"""The analysts' SQL cannot show the server's paths, settings or environment."""

from __future__ import annotations

import pytest

from warehouse.sql import QueryRefused, check_private, check_statement


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM duckdb_databases()",
        "SELECT path FROM pragma_database_list",
        'SELECT * FROM "DUCKDB_SETTINGS"()',
        "SELECT current_setting('home_directory')",
        "SELECT * FROM duckdb_extensions()",
        "SELECT * FROM duckdb_temporary_files()",
        "SELECT * FROM query('SELECT * FROM duckdb_databases()')",
        "SELECT * FROM query_table('documents')",
        "EXPLAIN SELECT * FROM duckdb_settings()",
        "SELECT getenv('HOME')",
    ],
)
def test_server_information_is_refused(statement):
    with pytest.raises(QueryRefused, match="not available here"):
        check_statement(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'",
        "SELECT * FROM duckdb_tables()",
        "SELECT * FROM pragma_table_info('documents')",
        "SELECT 'query' AS query, 1 AS current_setting",
        "SELECT count(*) AS n FROM information_schema.tables",
    ],
)
def test_catalog_listings_and_plain_words_pass(statement):
    check_private(statement)
    assert check_statement(statement)
