"""One calendar event (VEVENT) per gym session, written with the `icalendar` library.

Events start at `ExportOptions.session_hour` local time (floating time, no time zone, so a
calendar shows them at that hour wherever the runner is) and last the session's minutes.
The description holds the whole session. UIDs are stable (scenario, athlete and date), so
importing a re-solved plan updates the events instead of duplicating them. The library
escapes commas, semicolons and newlines in text values.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar

from planner import __version__
from planner.domain.plan import DayPlan, Plan
from planner.report.export.common import (
    ExportOptions,
    athlete_name,
    run_unit,
    session_text,
    session_title,
)

PRODID = f"-//planner {__version__}//strength and mobility plan//EN"


def session_uid(plan: Plan, day: DayPlan) -> str:
    """The same session date of the same scenario and athlete always gets the same UID."""
    digest = hashlib.sha256(f"{plan.scenario}\x1f{athlete_name(plan)}".encode()).hexdigest()[:16]
    return f"{day.date:%Y%m%d}-{digest}@planner"


def export(plan: Plan, options: ExportOptions) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # X- properties have no known type: say it is text, so that it gets escaped too.
    calendar.add("x-wr-calname", icalendar.vText(f"{plan.scenario}: gym sessions"))
    stamp = options.stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    unit = run_unit(plan, options)
    for day, session in plan.sessions():
        start = dt.datetime.combine(day.date, dt.time(options.session_hour))
        event = icalendar.Event()
        event.add("uid", session_uid(plan, day))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=session.minutes))
        event.add("summary", session_title(session))
        event.add("description", session_text(day, session, unit))
        event.add("categories", ["Training"])
        calendar.add_component(event)
    return bytes(calendar.to_ical())
