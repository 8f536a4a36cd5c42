"""What happened since a plan was made: the events of a replan, and the situation they leave.

A replanned plan records its events (`replanned_from.events`, FORMATS.md), each with the
date it took effect, so that the checker can rebuild the situation from the original
scenario and the plan alone:

- `missed` (a planned session not done) and `partial` (done for `minutes` only) only say
  what the history holds;
- `sick` and `unavailable` days have no gym time; the first week back after an illness
  (the 7 days after it) holds at most `return_minutes` and no plyometrics in its first 3
  days;
- `minutes` sets a weekday's gym minutes from `from` on;
- `avoid` excludes a catalog tag from `from` on.

Events accumulate: replanning a replanned plan keeps the earlier events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.domain.scenario import Exception_, Scenario

RETURN_WEEK_DAYS = 7
RETURN_NO_PLYO_DAYS = 3
DEFAULT_RETURN_VOLUME = 0.7

EventKind = Literal["missed", "partial", "sick", "unavailable", "minutes", "avoid"]


class Event(BaseModel):
    """One event, as the plan file records it (`from` and `to` are dates)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kind: EventKind
    date: dt.date | None = None  # missed, partial
    start: dt.date | None = Field(default=None, alias="from")  # sick, unavailable, minutes, avoid
    end: dt.date | None = Field(default=None, alias="to")  # sick, unavailable
    minutes: int | None = None  # partial: minutes done; minutes: the weekday's new minutes
    weekday: str | None = None  # minutes
    tag: str | None = None  # avoid
    return_volume: float | None = None  # sick
    return_minutes: int | None = None  # sick: the cap of the first week back

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def days(self) -> list[dt.date]:
        """The dates a sick or unavailable period covers."""
        if self.start is None or self.end is None:
            return []
        return [
            self.start + dt.timedelta(days=offset)
            for offset in range((self.end - self.start).days + 1)
        ]

    def return_window(self) -> list[dt.date]:
        """The first week back after an illness: the 7 days after its last day."""
        if self.kind != "sick" or self.end is None:
            return []
        return [self.end + dt.timedelta(days=offset) for offset in range(1, RETURN_WEEK_DAYS + 1)]


def situation(scenario: Scenario, events: list[Event]) -> Scenario:
    """The scenario as the events left it: days off for illness and unavailability, changed
    weekday minutes from their date on. (Avoided tags are per date: see `avoided_from`.)"""
    if not events:
        return scenario
    block_days = [
        scenario.block.start + dt.timedelta(days=offset)
        for offset in range((scenario.block.last_day - scenario.block.start).days + 1)
    ]
    minutes = {item.date: item.minutes for item in scenario.availability.exceptions}
    weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for event in sorted(
        (e for e in events if e.kind == "minutes"), key=lambda e: e.start or dt.date.min
    ):
        assert event.start is not None and event.minutes is not None
        for date in block_days:
            if date >= event.start and weekdays[date.weekday()] == event.weekday:
                minutes[date] = event.minutes
    for event in events:
        if event.kind in ("sick", "unavailable"):
            for date in event.days():
                minutes[date] = 0
    exceptions = [Exception_(date=date, minutes=value) for date, value in sorted(minutes.items())]
    availability = scenario.availability.model_copy(update={"exceptions": exceptions})
    return scenario.model_copy(update={"availability": availability})


def avoided_from(events: list[Event]) -> dict[str, dt.date]:
    """Each avoided tag and the first date it is avoided."""
    found: dict[str, dt.date] = {}
    for event in events:
        if event.kind == "avoid" and event.tag is not None and event.start is not None:
            found[event.tag] = min(found.get(event.tag, event.start), event.start)
    return found


def return_limits(events: list[Event]) -> list[tuple[list[dt.date], int | None, list[dt.date]]]:
    """For each illness: (the first week back, its minutes cap, its first days without
    plyometrics)."""
    limits = []
    for event in events:
        window = event.return_window()
        if window:
            limits.append((window, event.return_minutes, window[:RETURN_NO_PLYO_DAYS]))
    return limits


def with_avoided(scenario: Scenario, tags: list[str]) -> Scenario:
    """The scenario with more avoided tags (for planning days on which they all apply)."""
    avoid = list(dict.fromkeys([*scenario.athlete.avoid, *tags]))
    athlete = scenario.athlete.model_copy(update={"avoid": avoid})
    return scenario.model_copy(update={"athlete": athlete})
