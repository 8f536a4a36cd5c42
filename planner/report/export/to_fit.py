"""The sessions of the coming weeks as FIT workout files, one per session, for a watch.

Each file is a structured strength workout (sport training, sub-sport strength training) as
Garmin watches run them:

- every set is a step: reps (`8`) or time (`30s`); a set of each side is one step of both
  sides, the same for reps and time (`8/side` is 16 reps, `30s/side` 60 s), named with how
  many a side (`1 Split squat 8/side`), with the exercise's FIT category and name
  where the profile has one (`models/garmin_exercises.csv`), else its category, and our
  name as the step's name;
- the rest after a set is a rest step (none when the plan rests 0 s);
- an item of several sets is a repeat step over its set (and rest) that runs them `sets`
  times in all;
- a pair (R17) is A1, then A2, then the rest after A2, in one repeat of its rounds;
- the step's notes hold the target load (`target_load.text`, else the load guidance), its
  reason shortened (`target_load.why` without its `last time `, clipped to what the 250
  bytes leave) and the cue; a target in kilograms is also the step's weight, the weight of
  one implement (one dumbbell of a pair: `2 x 14 kg` weighs 14 kg, as it is picked up).

`session_steps` builds the steps as plain data; `encode_workout` writes them with fit-tool
(BSD-3). Nothing here comes from Garmin's SDK.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from typing import Literal

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile import profile_type
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    ExerciseCategory,
    FileType,
    FitBaseUnit,
    Intensity,
    Manufacturer,
    Sport,
    SubSport,
    WorkoutStepDuration,
)

from planner.domain.catalog import Prescription
from planner.domain.plan import DayPlan, Item, Plan, Session
from planner.errors import OutputError
from planner.io.garmin_file import garmin_exercise
from planner.report.export.common import (
    DEFAULT_COMING_WEEKS,
    ExportOptions,
    ItemLine,
    coming_weeks,
    item_lines,
    target_load_kg,
    target_load_why,
    what_to_lift,
)

NAME_BYTES = 48  # a step's and a workout's name, at most (watches show fewer)
# A FIT field's size is one byte: a string holds at most 254 bytes and its terminator.
# fit-tool's notes field has no fixed size (it grows to the string), so the limit is ours.
NOTES_BYTES = 250
WHY_BYTES = 110  # the most of the notes the load's reason takes
MIN_WHY_BYTES = 40  # the least, before the cue is clipped instead


@dataclass(frozen=True)
class Step:
    """One step of a workout, as the watch runs it.

    - `exercise`: a set, of `reps` repetitions or `seconds`, both sides together when
      `per_side` (8/side is 16 reps, 30s/side 60 s, and the name ends `8/side`);
    - `rest`: `seconds` of rest;
    - `repeat`: run the steps from index `repeat_from` up to this one `times` times in all.
    """

    kind: Literal["exercise", "rest", "repeat"]
    name: str = ""
    reps: int | None = None
    seconds: int | None = None
    per_side: bool = False
    repeat_from: int | None = None
    times: int | None = None
    exercise: str = ""  # our catalog id
    category: str = ""  # the FIT profile's exercise category, e.g. "squat"
    exercise_name: str | None = None  # its exercise name there, e.g. "dumbbell_split_squat"
    notes: str = ""
    weight_kg: float | None = None
    warm_up: bool = False


def _clip(text: str, limit: int) -> str:
    """`text` in at most `limit` bytes of UTF-8, cut at a character and marked with `…`."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore").rstrip() + "…"


def short_reason(item: Item) -> str:
    """Why the target load, as short as a watch wants it: the reason without its opening
    `last time ` (`3 x 5 at 40 kg, RPE 6.5: up one step (target RPE 8)`), or ""."""
    why = target_load_why(item)
    return why.removeprefix("last time ")


def step_notes(item: Item, reps: Prescription) -> str:
    """What the watch shows under the step: a side's count, the target load and why (clipped
    to what the cue leaves of NOTES_BYTES, at most WHY_BYTES, at least MIN_WHY_BYTES), the
    cue. The whole is clipped to NOTES_BYTES."""
    head = []
    if reps.per_side:
        amount = f"{reps.count} s" if reps.is_timed else f"{reps.count} reps"
        head.append(f"{amount} each side.")
    head.append(f"Load: {what_to_lift(item)}.")
    cue = f"Cue: {item.cue}" if item.cue else ""
    parts = head
    if why := short_reason(item):
        used = len(" ".join([*head, "Why: .", cue]).encode("utf-8")) + 1
        room = min(WHY_BYTES, max(NOTES_BYTES - used, MIN_WHY_BYTES))
        parts = [*head, f"Why: {_clip(why, room)}."]
    return _clip(" ".join([*parts, cue] if cue else parts), NOTES_BYTES)


def step_name(line: ItemLine, reps: Prescription) -> str:
    """`1 Split squat 8/side`, `A2 Side plank 30s/side`, `3 Goblet squat`: the label and the
    name, clipped to leave a side's count whole (the step runs both sides)."""
    sides = f" {reps.count}{'s' if reps.is_timed else ''}/side" if reps.per_side else ""
    room = NAME_BYTES - len(sides.encode("utf-8"))
    return _clip(f"{line.label} {line.item.name}", room) + sides


def set_step(line: ItemLine) -> Step:
    """One set of the item of `line`. A set of each side (`8/side`, `30s/side`) is one step of
    both: 16 reps or 60 s, its name saying how many a side."""
    item = line.item
    reps = Prescription(sets=(1, 1), reps=item.reps, rest_s=0)  # parses N, N/side, Ns, Ns/side
    place = garmin_exercise(item.exercise, item.category)
    both = 2 if reps.per_side else 1
    return Step(
        kind="exercise",
        name=step_name(line, reps),
        reps=None if reps.is_timed else reps.count * both,
        seconds=reps.count * both if reps.is_timed else None,
        per_side=reps.per_side,
        exercise=item.exercise,
        category=place.category,
        exercise_name=place.name,
        notes=step_notes(item, reps),
        weight_kg=target_load_kg(item),
        warm_up=item.category == "mobility",
    )


def session_steps(session: Session) -> list[Step]:
    """The session's steps in order: each item's set (a pair's two) and rest, repeated."""
    steps: list[Step] = []
    lines = item_lines(session)
    for index, line in enumerate(lines):
        if line.pair is not None and not line.first_of_pair:
            continue  # the pair's second item goes in with its first
        group = [line]
        if line.first_of_pair:
            group += [other for other in lines[index + 1 :] if other.pair == line.pair][:1]
        first = len(steps)
        steps.extend(set_step(member) for member in group)
        rest_s = group[-1].rest_s
        if rest_s:
            steps.append(Step(kind="rest", name="Rest", seconds=rest_s))
        sets = max(member.item.sets for member in group)
        if sets > 1:
            steps.append(Step(kind="repeat", repeat_from=first, times=sets))
    return steps


def workout_name(day: DayPlan, session: Session) -> str:
    """`W3 Mon 18 Jan hard`: short enough for a watch's list."""
    kind = "hard" if session.hard else "light"
    return f"W{day.week} {day.date:%a %d %b} {kind}"


def file_name(day: DayPlan, session: Session) -> str:
    """`2027-01-18-week03-hard.fit`: in date order in a folder."""
    kind = "hard" if session.hard else "light"
    return f"{day.date.isoformat()}-week{day.week:02d}-{kind}.fit"


def _exercise_numbers(step: Step) -> tuple[int, int | None]:
    """The FIT profile's numbers of the step's category and exercise name."""
    category = ExerciseCategory[step.category.upper()]
    names = "".join(word.capitalize() for word in step.category.split("_")) + "ExerciseName"
    table = getattr(profile_type, names, None)
    if step.exercise_name is None or table is None:
        return category.value, None
    for spelling in (step.exercise_name.upper(), f"N{step.exercise_name.upper()}"):
        if spelling in table.__members__:
            return category.value, int(table[spelling].value)
    return category.value, None


def _step_message(index: int, step: Step) -> WorkoutStepMessage:
    message = WorkoutStepMessage()
    message.message_index = index
    if step.kind == "repeat":
        message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
        message.duration_step = step.repeat_from
        message.target_repeat_steps = step.times
        return message
    message.workout_step_name = step.name
    if step.kind == "rest":
        message.intensity = Intensity.REST
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = float(step.seconds or 0)
        return message
    message.intensity = Intensity.WARMUP if step.warm_up else Intensity.ACTIVE
    if step.seconds is not None:
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = float(step.seconds)
    else:
        message.duration_type = WorkoutStepDuration.REPS
        message.duration_reps = step.reps
    category, name = _exercise_numbers(step)
    message.exercise_category = category
    if name is not None:
        message.exercise_name = name
    if step.notes:
        message.notes = step.notes
    if step.weight_kg is not None:
        message.exercise_weight = step.weight_kg
        message.weight_display_unit = FitBaseUnit.KILOGRAM.value
    return message


def encode_workout(name: str, steps: list[Step], created: dt.datetime, serial: int) -> bytes:
    """A FIT workout file holding `steps`."""
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = serial
    file_id.time_created = round(created.timestamp() * 1000)
    workout = WorkoutMessage()
    workout.workout_name = _clip(name, NAME_BYTES)
    workout.sport = Sport.TRAINING
    workout.sub_sport = SubSport.STRENGTH_TRAINING
    workout.num_valid_steps = len(steps)
    builder = FitFileBuilder(auto_define=True, min_string_size=NAME_BYTES)
    builder.add(file_id)
    builder.add(workout)
    builder.add_all([_step_message(index, step) for index, step in enumerate(steps)])
    return bytes(builder.build().to_bytes())


def workout_files(plan: Plan, options: ExportOptions) -> dict[str, bytes]:
    """File name -> FIT workout, for every session of the coming weeks (`options.weeks`,
    DEFAULT_COMING_WEEKS when None, from the week holding `options.today`)."""
    weeks = {
        w.index for w in coming_weeks(plan, options.weeks or DEFAULT_COMING_WEEKS, options.today)
    }
    created = options.stamp or dt.datetime.now(dt.UTC)
    files = {}
    for day, session in plan.sessions():
        if day.week not in weeks:
            continue
        # The same session of the same plan keeps its serial number: a stable id for the file.
        serial = zlib.crc32(f"{plan.scenario}|{day.date.isoformat()}".encode()) or 1
        name = workout_name(day, session)
        files[file_name(day, session)] = encode_workout(
            name, session_steps(session), created, serial
        )
    if not files:
        numbers = sorted(weeks)
        span = f"weeks {numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else f"week {numbers[0]}"
        raise OutputError(f"no gym session in {span} of the plan: no workouts to write")
    return files
