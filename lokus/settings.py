"""All configuration in one place: each setting has a default, an environment variable and help."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Lokus settings, read from LOKUS_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="LOKUS_", extra="ignore")

    db: Path = Field(Path("data/lokus.duckdb"), description="The DuckDB warehouse file.")
    model: str = Field(
        "e5-small-q4",
        description=(
            "Embedding model: 'e5-small-q4' (bundled 4-bit multilingual-e5-small, default), "
            "'minilm' (packaged all-MiniLM-L6-v2), or any sentence-transformers name or local path."
        ),
    )
    chunk_chars: int = Field(800, description="Target characters per search chunk.")
    chunk_overlap: int = Field(120, description="Characters shared by consecutive chunks.")
    max_file_mb: int = Field(200, description="Files or downloads larger than this are refused.")
    http_timeout_s: float = Field(30.0, description="Timeout for fetching a URL.")
    http_retries: int = Field(3, description="Retries of a transient HTTP fault (timeout, 429, 5xx).")
    http_per_host: int = Field(2, description="Concurrent requests to one host at most.")
    http_delay_s: float = Field(1.0, description="Politeness delay between requests to one host.")
    http_user_agent: str = Field(
        "Lokus/0.1 (+knowledge base of benchmarking best practices)",
        description="User-Agent sent with every request.",
    )
    embed_batch_size: int = Field(32, description="Chunks embedded per batch.")
    parse_inline_first: int = Field(
        32, description="Documents a run parses in its own process before starting parser workers."
    )
    dask_address: str | None = Field(
        None,
        description=(
            "Run ingest's per-document work (read, extract, embed) on Dask: a scheduler address "
            "(tcp://host:8786), or 'local:N' for a local cluster of N worker processes. "
            "Unset: threads and parser processes on this machine."
        ),
    )
    device: str = Field(
        "auto",
        description="Torch device for sentence-transformers models: 'auto' (cuda if present), 'cpu', 'cuda'.",
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
