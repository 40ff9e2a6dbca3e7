"""``make run`` builds every link on the address it serves (SITE_URL follows HOST and PORT)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_run_commands(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    return subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_on_another_port_gives_server_and_schedule_that_site_url():
    commands = make_run_commands("PORT=8100")
    assert (
        "SITE_URL=http://127.0.0.1:8100 .venv/bin/python manage.py runserver 127.0.0.1:8100"
        in commands
    )
    assert "SITE_URL=http://127.0.0.1:8100 .venv/bin/python manage.py run_schedule" in commands


def test_make_run_keeps_a_site_url_given_by_the_operator():
    commands = make_run_commands("SITE_URL=https://club.example.com")
    assert "SITE_URL=https://club.example.com .venv/bin/python manage.py runserver" in commands
