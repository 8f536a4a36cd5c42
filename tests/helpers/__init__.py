"""Helpers for the rule, property and scenario tests, in small modules: `building`
(scenarios, catalogs, dates), `solving` (the pipeline, solved cases), `plans` (reading and
editing plans) and `oracles` (rules re-derived from their text). Import from here."""

from .building import *  # noqa: F403
from .oracles import *  # noqa: F403
from .plans import *  # noqa: F403
from .solving import *  # noqa: F403
