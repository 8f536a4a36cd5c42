"""Content fingerprints (sha256), in one place for every feature that records one: a plan
records its scenario's (`solver.scenario_sha256`), so that a batch can tell whether an
existing plan was made for the same scenario; a replan records the earlier plan's."""

from __future__ import annotations

import hashlib
import json

from planner.domain.scenario import Scenario


def sha256_hex(content: str | bytes) -> str:
    """The sha256 of text (as UTF-8) or bytes, as 64 hex digits."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def scenario_content(scenario: Scenario) -> str:
    """The scenario as canonical JSON: every field with its value (defaults included),
    keys sorted, imported running plans already read in. Two files that say the same thing
    (comments, key order or layout aside) give the same text."""
    data = scenario.model_dump(mode="json", by_alias=True)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def scenario_sha256(scenario: Scenario) -> str:
    """The sha256 of `scenario_content`: what a plan records as `solver.scenario_sha256`."""
    return sha256_hex(scenario_content(scenario))
