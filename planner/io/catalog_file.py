"""Reading the exercise catalog and the benefit model. The defaults ship inside the package
(`planner/models/`, read through importlib.resources, so a plain wheel install finds them);
a coach's own files load from a path. Loading validates: every problem names its entry."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.domain.catalog import BenefitModel, Catalog
from planner.errors import InputError, Problem
from planner.io.validation import problems_from
from planner.io.yaml_source import SourceMap, load_yaml, parse_yaml
from planner.vocabulary import LEVELS, RULE_TAGS, unknown_word

MODELS = "planner.models"


def _packaged(name: str) -> tuple[Any, SourceMap]:
    """A data file of the package, parsed with its source map."""
    text = resources.files("planner").joinpath("models", name).read_text(encoding="utf-8")
    return parse_yaml(text, SourceMap(f"{MODELS}/{name}"))


def _validated(model: type[BaseModel], data: Any, source: SourceMap) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from(error, source, model)) from None


def load_benefit_model(path: Path | None = None) -> BenefitModel:
    data, source = load_yaml(path) if path else _packaged("benefit.yaml")
    return _validated(BenefitModel, data, source)


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and validate the catalog: vocabulary, unique ids and per-level prescriptions."""
    data, source = load_yaml(path) if path else _packaged("catalog.yaml")
    file = source.file or "catalog.yaml"
    catalog: Catalog = _validated(Catalog, data, source)
    problems = []
    missing = set(RULE_TAGS) - set(catalog.tags)
    if missing:
        problems.append(Problem("tags", f"missing rule tags: {', '.join(sorted(missing))}", file))
    seen: set[str] = set()
    for index, exercise in enumerate(catalog.exercises):
        location = ("exercises", index)
        where = f"exercises[{index}] ({exercise.id})"
        if exercise.id in seen:
            problems.append(Problem(where, "duplicate id", file, source.line_of(location)))
        seen.add(exercise.id)
        for tag in sorted(exercise.tags):
            if tag not in catalog.tags:
                message = unknown_word("tag", tag, catalog.tags)
                problems.append(Problem(where, message, file, source.line_of(location)))
        for level in LEVELS[LEVELS.index(exercise.level) :]:
            if level not in exercise.prescription:
                message = f"no prescription for level {level}"
                problems.append(Problem(where, message, file, source.line_of(location)))
        if exercise.category == "mobility" and not exercise.tags & {"hip", "ankle", "thoracic"}:
            message = "a mobility item needs a hip, ankle or thoracic tag"
            problems.append(Problem(where, message, file, source.line_of(location)))
    problems += _harder_problems(catalog, file, source)
    if problems:
        raise InputError(problems)
    return catalog


def _harder_problems(catalog: Catalog, file: str, source: SourceMap) -> list[Problem]:
    """Each `harder` variant is another exercise of the catalog with the same pattern."""
    by_id = catalog.by_id()
    problems = []
    for index, exercise in enumerate(catalog.exercises):
        if exercise.harder is None:
            continue
        where = f"exercises[{index}] ({exercise.id}).harder"
        line = source.line_of(("exercises", index, "harder"))
        variant = by_id.get(exercise.harder)
        if variant is None:
            message = unknown_word("exercise", exercise.harder, by_id)
        elif variant.id == exercise.id:
            message = "an exercise is not its own harder variant"
        elif variant.pattern != exercise.pattern:
            message = (
                f"{variant.id} is {variant.pattern or 'no'}-pattern, {exercise.id} "
                f"{exercise.pattern}: a harder variant keeps the pattern"
            )
        else:
            continue
        problems.append(Problem(where, message, file, line))
    return problems


@cache
def default_catalog() -> Catalog:
    return load_catalog()


@cache
def default_benefit_model() -> BenefitModel:
    return load_benefit_model()
