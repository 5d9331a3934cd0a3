"""Scheduled ingestion: one Prefect deployment per source, served by one long-running process.

`lokus schedule` calls `serve_sources`: every source in sources.yaml becomes a deployment
`ingest-source/<name>` of the `ingest_source` flow, with its cron schedule and time zone (none:
run by hand only; `enabled: false`: created paused). The serving process runs one flow run at a
time; a run that finds the warehouse busy (a manual `lokus ingest`) waits for it. With a Prefect
server running (`prefect server start`, PREFECT_API_URL set), the deployments, their runs and
logs appear in the Prefect UI, and any source can be run by hand from there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.sources import Source, load_sources

FLOW_NAME = "ingest-source"


def deployment_options(
    source: Source, sources_file: str | Path, db_path: str | Path
) -> dict[str, Any]:
    """Keyword arguments of `Flow.to_deployment` for one source (kept plain, to be checked)."""
    from prefect.schedules import Cron

    from flows.ingest import SCHEDULED_LOCK_WAIT_S

    parameters = {
        "source_name": source.name,
        "sources_file": str(Path(sources_file).resolve()),
        "db_path": str(Path(db_path).resolve()),
        "lock_wait_s": SCHEDULED_LOCK_WAIT_S,
    }
    where = source.location or ", ".join(source.urls[:3])
    described = f"Ingest {source.kind} source {source.name!r}: {where}"
    if source.owner:
        described += f" (owner: {source.owner})"
    return {
        "name": source.name,
        "schedule": Cron(source.schedule, timezone=source.timezone) if source.schedule else None,
        "paused": not source.enabled,
        "parameters": parameters,
        "description": described,
        "tags": ["lokus", source.kind] + ([source.region] if source.region else []),
    }


def deployments(sources_file: str | Path, db_path: str | Path) -> list[Any]:
    """A RunnerDeployment of the `ingest_source` flow per source in the file."""
    from prefect.deployments.runner import EntrypointType

    from flows.ingest import ingest_source

    return [
        ingest_source.to_deployment(
            **deployment_options(source, sources_file, db_path),
            entrypoint_type=EntrypointType.MODULE_PATH,  # runs from any working directory
        )
        for source in load_sources(sources_file)
    ]


def serve_sources(sources_file: str | Path, db_path: str | Path) -> None:
    """Serve every source's deployment until stopped (Ctrl-C), one flow run at a time."""
    from prefect import serve

    serve(*deployments(sources_file, db_path), limit=1)

