"""Settings for a run: the extractors' defaults, overridden by DUIKOU_* environment variables and the CLI."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from extractors.settings import DEFAULT, Settings

ENV_PREFIX = "DUIKOU_"


def build_settings(overrides: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> Settings:
    """DEFAULT, then environment (DUIKOU_BATCH_SIZE=32), then explicit overrides; unknown names raise."""
    env = os.environ if env is None else env
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    changes: dict[str, Any] = {}
    for name in fields:
        value = env.get(ENV_PREFIX + name.upper())
        if value is not None:
            changes[name] = _coerce(getattr(DEFAULT, name), value, name)
    for name, value in (overrides or {}).items():
        if name not in fields:
            raise ValueError(f"unknown setting {name!r}")
        changes[name] = value
    return dataclasses.replace(DEFAULT, **changes)


def _coerce(default: Any, value: str, name: str) -> Any:
    try:
        if isinstance(default, bool):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return type(default)(value)
    except ValueError:
        raise ValueError(
            f"{ENV_PREFIX}{name.upper()}={value!r} is not a valid {type(default).__name__}"
        ) from None
