"""Paths and settings in one place, shared by the ETL and the dashboard."""

import os
from pathlib import Path

DEFAULT_FICHAS_DIR = Path("data/fichas")
DEFAULT_DB = Path("data/fichas.duckdb")


def database_path() -> Path:
    """The database file: `FICHAS_DB` from the environment, else data/fichas.duckdb."""
    return Path(os.environ.get("FICHAS_DB") or DEFAULT_DB)
