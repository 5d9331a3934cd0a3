"""The DuckDB warehouse: schema migrations, loading, and the views analysts query."""
