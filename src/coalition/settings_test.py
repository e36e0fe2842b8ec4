"""The test suite's settings: pytest names this module (``pyproject.toml``), so tests never depend on a guess
made while settings are imported. Everything else comes from the environment as usual."""

import os

os.environ["DJANGO_ENV"] = "test"

from coalition.settings import *  # noqa: E402,F403
