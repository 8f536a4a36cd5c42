"""What a batch plans: a folder of scenario files, a glob, a squad file, or one scenario
file, as a list of `BatchEntry` (a valid scenario, or the input error of that athlete)."""

from __future__ import annotations

import glob
from pathlib import Path

from planner.batch.run import BatchEntry
from planner.errors import InputError, Problem
from planner.io.scenario_file import load_scenario
from planner.io.squad_file import athlete_id, is_squad, squad_from_data
from planner.io.yaml_source import load_yaml

SCENARIO_SUFFIXES = (".yaml", ".yml")
GLOB_CHARACTERS = ("*", "?", "[")


def collect_entries(source: str | Path) -> tuple[str, list[BatchEntry]]:
    """The batch's title and its athletes. Raises InputError when `source` names nothing
    to plan, or a squad file that cannot be read as a whole."""
    text = str(source)
    path = Path(text)
    if path.is_dir():
        files = sorted(
            file for file in path.iterdir()
            if file.is_file() and file.suffix.lower() in SCENARIO_SUFFIXES
        )  # fmt: skip
        if not files:
            raise _nothing(text, "the folder holds no scenario files (.yaml, .yml)")
        return path.resolve().name or text, _scenario_entries(files)
    if not path.exists() and any(character in text for character in GLOB_CHARACTERS):
        files = sorted(Path(match) for match in glob.glob(text) if Path(match).is_file())
        if not files:
            raise _nothing(text, "the pattern matches no files")
        return text, _scenario_entries(files)
    if not path.exists():
        raise _nothing(text, "no such file or folder")
    data, source_map = load_yaml(path, keep_going=True)
    if is_squad(data):
        squad = squad_from_data(data, source_map, path.parent)
        entries = [
            BatchEntry(entry.id, entry.name, f"athletes[{entry.index}]", entry.scenario,
                       entry.error)
            for entry in squad.entries
        ]  # fmt: skip
        return squad.name, entries
    return path.stem, _scenario_entries([path])


def _nothing(source: str, why: str) -> InputError:
    return InputError([Problem("", f"nothing to plan: {why}", source)])


def _scenario_entries(files: list[Path]) -> list[BatchEntry]:
    """One entry per scenario file, named by the file (`sam.yaml` -> `sam`)."""
    entries = []
    used: set[str] = set()
    for index, file in enumerate(files):
        identity = athlete_id(file.stem, index)
        while identity in used:  # the same name in two folders of a glob
            identity = f"{identity}-{index + 1}"
        used.add(identity)
        try:
            scenario = load_scenario(file)
        except InputError as error:
            entries.append(BatchEntry(identity, file.stem, str(file), None, error))
            continue
        entries.append(BatchEntry(identity, scenario.athlete.name, str(file), scenario))
    return entries
