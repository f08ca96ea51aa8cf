"""Choosing how a run executes: the quick look at Prefect's settings sources must never miss an API
that Prefect itself would find, and must say no on a plain machine (or it saves nothing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows import engine

API = "http://127.0.0.1:4299/api"
PROFILES_WITH_API = f'active = "team"\n[profiles.team]\nPREFECT_API_URL = "{API}"\n'
PROFILES_WITHOUT = 'active = "quiet"\n[profiles.quiet]\nPREFECT_LOGGING_LEVEL = "WARNING"\n'

# (files in the working directory, files in PREFECT_HOME, extra environment, may name an API)
CASES = {
    "plain machine": ({}, {}, {}, False),
    "a profile without an API": ({}, {"profiles.toml": PROFILES_WITHOUT}, {}, False),
    "an unrelated pyproject": ({"pyproject.toml": '[project]\nname = "x"\n'}, {}, {}, False),
    "PREFECT_API_URL": ({}, {}, {"PREFECT_API_URL": API}, True),
    "lower-case variable": ({}, {}, {"prefect_api_url": API}, True),
    "the active profile": ({}, {"profiles.toml": PROFILES_WITH_API}, {}, True),
    "PREFECT_PROFILE picks one": (
        {},
        {"profiles.toml": PROFILES_WITH_API.replace('active = "team"', 'active = "none"')},
        {"PREFECT_PROFILE": "team"},
        True,
    ),
    "prefect.toml": ({"prefect.toml": f'[api]\nurl = "{API}"\n'}, {}, {}, True),
    "pyproject [tool.prefect]": ({"pyproject.toml": f'[tool.prefect.api]\nurl = "{API}"\n'}, {}, {}, True),
    ".env": ({".env": f"PREFECT_API_URL={API}\n"}, {}, {}, True),
}

_PROBE = """
import json, sys
from flows import engine
may = engine.settings_may_name_an_api()
ours = engine.configured_api_url()
from prefect.settings import get_current_settings
print(json.dumps({"may": may, "ours": ours, "prefect": get_current_settings().api.url}))
"""


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_settings_check_agrees_with_prefect(case: str, tmp_path: Path) -> None:
    cwd_files, home_files, extra, may = CASES[case]
    cwd, home = tmp_path / "cwd", tmp_path / "home"
    for d, files in ((cwd, cwd_files), (home, home_files)):
        d.mkdir()
        for name, text in files.items():
            (d / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PREFECT_", "DUIKOU_"))}
    env.update(PREFECT_HOME=str(home), PYTHONPATH=str(Path(__file__).resolve().parents[2]), **extra)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["prefect"] == (API if may else None), "the case does not set up what it says"
    assert seen["may"] is may
    assert seen["ours"] == seen["prefect"]


def test_an_unreadable_profiles_file_counts_as_naming_an_api(tmp_path: Path) -> None:
    (tmp_path / "profiles.toml").mkdir()  # a directory where the file should be: reading fails
    assert engine.settings_may_name_an_api(env={"PREFECT_HOME": str(tmp_path)}, cwd=tmp_path)


@pytest.mark.parametrize(
    ("entrypoint", "name"),
    [("flows.pipeline.pipeline_flow", "pipeline"), ("flows.ingest.ingest_flow", "ingest")],
)
def test_deployment_entrypoints_load_as_prefect_flows(entrypoint: str, name: str) -> None:
    """prefect.yaml and serve's runs name `flows.pipeline.pipeline_flow`: Prefect's own loader
    (what `prefect deploy` and a worker use) must find a flow there, parameters and all."""
    from prefect.flows import Flow, load_flow_from_entrypoint
    from prefect.utilities.callables import parameter_schema

    flow = load_flow_from_entrypoint(entrypoint)
    assert isinstance(flow, Flow) and flow.name == name
    assert {"raw", "out", "workers", "lock_timeout"} <= set(parameter_schema(flow).properties)
    assert f"{flow.__module__}.{flow.__name__}" == entrypoint  # what a deployment records


def test_prefect_yaml_names_a_loadable_flow() -> None:
    text = (Path(__file__).resolve().parents[2] / "prefect.yaml").read_text(encoding="utf-8")
    assert "entrypoint: flows.pipeline.pipeline_flow" in text


_NO_PANDAS = """
import sys
from flows import engine
import pyarrow as pa
engine.pyarrow_without_pandas()
table = pa.table({"n": [1, 2], "s": ["a", "b"]})  # list conversions after the settled probe
loaded_by_arrow = "pandas" in sys.modules
import pandas
print(loaded_by_arrow, table.to_pandas()["s"].tolist())  # pandas itself still works with Arrow
"""


def test_pyarrow_converts_lists_without_importing_pandas_and_to_pandas_still_works() -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _NO_PANDAS], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "['a',", "'b']"]
