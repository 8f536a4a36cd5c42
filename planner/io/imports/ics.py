"""Calendar feeds (ICS) read the way calendar apps read them.

- Recurrences (RRULE, RDATE, EXDATE, moved occurrences) are expanded by
  `recurring-ical-events`, on top of `icalendar`.
- A timed event's date is taken in the athlete's time zone: the scenario's `timezone`, else
  the calendar's X-WR-TIMEZONE, else the zone of the feed's own events (a TZID, or
  X-USER-TIMEZONE). Floating times (no zone) stay as they are.
- All-day events over several days (week banners such as "Training Week 1 Distance: 15 mi")
  are no runs, and are listed as left out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.errors import InputError, Problem
from planner.io.imports.report import ImportReport, ImportSettings, LeftOut, Workout, finish
from planner.io.imports.workout import Source, read_workout

LINE_PROPERTY = "X-PLANNER-EVENT"  # marks each event with its index, so occurrences keep it
OPEN_ENDED_DAYS = 366  # how far an endless recurrence is expanded when no block is given


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _event_lines(text: str) -> list[int]:
    """The line of every BEGIN:VEVENT, in file order."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def _parse(text: str, file: str) -> Any:
    import icalendar

    lines = text.splitlines()
    first = next(((n, line) for n, line in enumerate(lines, start=1) if line.strip()), None)
    if first is None or first[1].strip().upper() != "BEGIN:VCALENDAR":
        number, found = first or (1, "")
        raise InputError(
            [
                Problem(
                    "",
                    f'not a calendar: it starts with "{found.strip()[:40]}", not BEGIN:VCALENDAR',
                    file,
                    number,
                )
            ]
        )
    try:
        return icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(
            [Problem("", f"not a valid iCalendar file: {reason}", file, _bad_line(lines))]
        ) from None


def _bad_line(lines: list[str]) -> int | None:
    """The first line that is no iCalendar content line, if one is."""
    from icalendar.parser import Contentline

    for number, line in enumerate(lines, start=1):
        if not line.strip() or line[:1] in (" ", "\t"):
            continue
        try:
            Contentline(line).parts()
        except ValueError:
            return number
    return None


def _where(index: int, lines: list[int]) -> tuple[str, int | None]:
    return f"VEVENT {index + 1}", lines[index] if index < len(lines) else None


def text_of(event: Any, name: str) -> str:
    """A text property (the first, when an event repeats it)."""
    value = event.get(name, "")
    return str(value[0] if isinstance(value, list) and value else value).strip()


_DATE_PROPERTIES = {"DTSTART": "dt", "DTEND": "dt", "DURATION": "dt", "RECURRENCE-ID": "dt",
                    "EXDATE": "dts", "RDATE": "dts"}  # fmt: skip


def _check_dates(events: list[Any], lines: list[int], file: str) -> list[Problem]:
    """Date properties that cannot be read, and events without a start."""
    problems = []
    for index, event in enumerate(events):
        where, line = _where(index, lines)
        if event.get("DTSTART") is None:
            message = f'event "{text_of(event, "SUMMARY")}" has no start date (DTSTART)'
            problems.append(Problem(where, message, file, line))
        for name, attribute in _DATE_PROPERTIES.items():
            for value in _all(event.get(name)):
                try:
                    getattr(value, attribute)
                except ValueError as error:
                    shown = str(error).split(": ", 1)[-1]
                    problems.append(
                        Problem(f"{where} {name}", f"cannot read it: {shown}", file, line)
                    )
    return problems


def _check_zones(events: list[Any], lines: list[int], file: str) -> list[Problem]:
    """A TZID that neither the time-zone database nor the file's VTIMEZONEs know."""
    problems = []
    for index, event in enumerate(events):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = event.get(name)
            zone = getattr(prop, "params", {}).get("TZID")
            moment = getattr(prop, "dt", None) if not isinstance(prop, list) else None
            if zone and isinstance(moment, dt.datetime) and moment.tzinfo is None:
                where, line = _where(index, lines)
                problems.append(
                    Problem(
                        f"{where} {name}",
                        f'unknown time zone "{zone}"; use a zone name such as Europe/Berlin',
                        file,
                        line,
                    )
                )
    return problems


def athlete_zone(
    calendar: Any, events: list[Any], settings: ImportSettings, file: str, text: str = ""
) -> tuple[dt.tzinfo | None, str | None]:
    """The zone in which timed events take their date, and its name."""
    if settings.timezone:
        zone = _zone(settings.timezone)
        if zone is None:
            raise InputError(
                [Problem("timezone", f'unknown time zone "{settings.timezone}"', file)]
            )
        return zone, settings.timezone
    declared = calendar.get("X-WR-TIMEZONE")
    if declared:
        zone = _zone(str(declared))
        if zone is None:
            line = next(
                (
                    number
                    for number, content in enumerate(text.splitlines(), start=1)
                    if content.upper().startswith("X-WR-TIMEZONE")
                ),
                None,
            )
            raise InputError(
                [Problem("X-WR-TIMEZONE", f'unknown time zone "{declared}"', file, line)]
            )
        return zone, str(declared)
    for event in events:
        moment = getattr(event.get("DTSTART"), "dt", None)
        tzinfo = getattr(moment, "tzinfo", None)
        key = getattr(tzinfo, "key", None) or str(tzinfo or "")
        if tzinfo is not None and key not in ("UTC", "Etc/UTC", "Z"):
            return tzinfo, key
    for event in events:
        user_zone = event.get("X-USER-TIMEZONE")
        if user_zone and _zone(str(user_zone)) is not None:
            return _zone(str(user_zone)), str(user_zone)
    return None, None


def _all(value: Any) -> list[Any]:
    """A property's values: none, one, or the list of a repeated property."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _window(events: list[Any], settings: ImportSettings) -> tuple[dt.date, dt.date, bool]:
    """The dates to expand recurrences over (a day of margin for time zones), and whether an
    endless recurrence was cut. Without a block, recurrences run for OPEN_ENDED_DAYS."""
    starts = []
    for event in events:
        moment = getattr(event.get("DTSTART"), "dt", None)
        if isinstance(moment, dt.datetime):
            starts.append(moment.date())
        elif isinstance(moment, dt.date):
            starts.append(moment)
    first = settings.start or min(starts, default=dt.date.today())
    if settings.last_day is not None:
        return first - dt.timedelta(days=1), settings.last_day + dt.timedelta(days=2), False
    endless = any(
        not re.search(r"COUNT|UNTIL", rule.to_ical().decode())
        for event in events
        for rule in _all(event.get("RRULE"))
    )
    last = max(starts, default=first)
    if any("RRULE" in event or "RDATE" in event for event in events):
        last = max(last, first + dt.timedelta(days=OPEN_ENDED_DAYS))
    return first - dt.timedelta(days=1), last + dt.timedelta(days=2), endless


def _occurrences(calendar: Any, events: list[Any], window: tuple[dt.date, dt.date],
                 lines: list[int], file: str) -> list[Any]:  # fmt: skip
    import icalendar
    import recurring_ical_events

    try:
        return list(recurring_ical_events.of(calendar).between(*window))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        failed = str(error)
    for index, event in enumerate(events):
        alone = icalendar.Calendar()
        alone.add_component(event)
        try:
            list(recurring_ical_events.of(alone).between(*window))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            where, line = _where(index, lines)
            shown = " ".join(rule.to_ical().decode() for rule in _all(event.get("RRULE")))
            message = f"broken recurrence {shown}: {str(error).replace(chr(92), '')}".strip()
            raise InputError([Problem(where, message, file, line)]) from None
    raise InputError([Problem("", f"the calendar's recurrences cannot be read: {failed}", file)])


def _zoned(event: Any) -> bool:
    moment = event["DTSTART"].dt
    return isinstance(moment, dt.datetime) and moment.tzinfo is not None


def _local_date(moment: dt.date, zone: dt.tzinfo | None) -> dt.date:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None and zone is not None:
            return moment.astimezone(zone).date()
        return moment.date()
    return moment


def _banner_days(event: Any) -> int:
    """The number of days of an all-day event (1 for a one-day event)."""
    start = getattr(event.get("DTSTART"), "dt", None)
    end = getattr(event.get("DTEND"), "dt", None)
    duration = getattr(event.get("DURATION"), "dt", None)
    if isinstance(start, dt.datetime) or not isinstance(start, dt.date):
        return 0
    if isinstance(end, dt.date) and not isinstance(end, dt.datetime):
        return (end - start).days
    if isinstance(duration, dt.timedelta):
        return duration.days
    return 1


def _length_minutes(event: Any) -> int | None:
    start = getattr(event.get("DTSTART"), "dt", None)
    end = getattr(event.get("DTEND"), "dt", None)
    duration = getattr(event.get("DURATION"), "dt", None)
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return max(0, round((end - start).total_seconds() / 60)) or None
    if isinstance(start, dt.datetime) and isinstance(duration, dt.timedelta):
        return max(0, round(duration.total_seconds() / 60)) or None
    return None


def _estimated_minutes(event: Any) -> int | None:
    """Runna's X-WORKOUT-ESTIMATED-DURATION, in seconds."""
    value = event.get("X-WORKOUT-ESTIMATED-DURATION")
    try:
        return round(float(str(value)) / 60) if value is not None else None
    except ValueError:
        return None


def read_ics(path: Path, text: str, settings: ImportSettings) -> ImportReport:
    """Read a calendar of runs (see the module docstring)."""
    file = str(path)
    calendar = _parse(text, file)
    lines = _event_lines(text)
    events = list(calendar.walk("VEVENT"))
    problems = _check_dates(events, lines, file)
    if problems:
        raise InputError(problems)
    problems = _check_zones(events, lines, file)
    if problems:
        raise InputError(problems)
    for index, event in enumerate(events):
        event[LINE_PROPERTY] = str(index)
    zone, zone_name = athlete_zone(calendar, events, settings, file, text)
    start, end, endless = _window(events, settings)
    notes: list[str] = []
    if endless:
        notes.append(
            f"a repeating event has no end: shown for {OPEN_ENDED_DAYS} days; "
            "give the block (--start, --weeks) to read the right span"
        )
    workouts: list[Workout] = []
    left_out: list[LeftOut] = []
    occurrences = _occurrences(calendar, events, (start, end), lines, file)
    if zone is None and any(_zoned(event) for event in occurrences):
        notes.append(
            "times are in UTC and the feed names no time zone: dates are taken in UTC; "
            "give the athlete's `timezone` (--timezone)"
        )
    for event in occurrences:
        index = int(str(event.get(LINE_PROPERTY, "0")))
        _, line = _where(index, lines)
        title = text_of(event, "SUMMARY")
        date = _local_date(event["DTSTART"].dt, zone)
        days = _banner_days(event)
        if days > 1:
            left_out.append(
                LeftOut(date, title, f"an all-day event over {days} days, not a run", line)
            )
            continue
        source = Source(
            date=date,
            title=title,
            description=text_of(event, "DESCRIPTION"),
            line=line,
            planned_minutes=_estimated_minutes(event),
            length_minutes=_length_minutes(event),
        )
        read = read_workout(source, settings)
        if isinstance(read, LeftOut):
            left_out.append(read)
        else:
            workouts.append(read)
    return finish(file, "calendar", workouts, left_out, settings, zone_name, tuple(notes))
