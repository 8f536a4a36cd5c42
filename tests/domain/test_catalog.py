"""The catalog as a strength coach for runners reads it (issue 17, "Strength that is strength"):
every strength exercise names its pattern, every kit has a heavy knee and hip lift, every
imbalance has its accessory, a set's intensity decides what it adds to max strength, and
load notes take their %1RM from one published chart."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.domain.catalog import (
    BenefitModel,
    Exercise,
    Prescription,
    heavy,
    percent_1rm,
    prescription_for,
    set_contributions,
)
from planner.errors import InputError
from planner.io.catalog_file import default_benefit_model, default_catalog, load_catalog
from planner.solver.problem import DOSE_SCALE, _candidate
from planner.vocabulary import LEVELS, LOAD_EQUIPMENT, PATTERNS

CATALOG = default_catalog()
EXERCISES = CATALOG.by_id()
MODEL = default_benefit_model()
CATALOG_FILE = Path(__file__).resolve().parents[2] / "planner" / "models" / "catalog.yaml"


def exercise(**fields: object) -> Exercise:
    """A catalog entry with sensible defaults for the fields a test does not care about."""
    entry: dict[str, object] = {
        "id": "test_move",
        "name": "Test move",
        "category": "strength",
        "equipment": [],
        "tags": ["lower_body"],
        "level": "novice",
        "pattern": "knee",
        "prescription": {level: {"sets": [3, 4], "reps": "5", "rest_s": 150} for level in LEVELS},
        "targets": {"max_strength": 1.0},
        "cue": "Move well.",
    }
    return Exercise.model_validate(entry | fields)


def loaded_lifts(kit: set[str], level: str) -> list[Exercise]:
    """Externally loaded lower-body strength lifts an athlete with only `kit` may do."""
    return [
        e
        for e in CATALOG.exercises
        if e.category == "strength"
        and "lower_body" in e.tags
        and e.loaded
        and e.equipment <= kit
        and e.allowed_for(level)
    ]


# --- pattern ------------------------------------------------------------------------------


def test_every_strength_exercise_has_a_pattern_and_no_other_has_one() -> None:
    # R16's revision pairs one knee- and one hip-dominant lift per hard session: the catalog
    # must say which is which, for strength exercises only.
    for entry in CATALOG.exercises:
        if entry.category == "strength":
            assert entry.pattern in PATTERNS, entry.id
        else:
            assert entry.pattern is None, entry.id


@pytest.mark.parametrize(
    ("exercise_id", "pattern"),
    [
        ("back_squat", "knee"),
        ("split_squat_db", "knee"),
        ("step_up_db", "knee"),
        ("pistol_squat", "knee"),
        ("trap_bar_deadlift", "hip"),
        ("romanian_deadlift_barbell", "hip"),
        ("hip_thrust_barbell", "hip"),
        ("nordic_curl", "hip"),
        ("single_leg_rdl_kb", "hip"),
        ("push_up", "upper"),
        ("one_arm_row_db", "upper"),
        ("pull_up", "upper"),
    ],
)
def test_the_classic_lifts_have_their_pattern(exercise_id: str, pattern: str) -> None:
    # Squats, lunges, split squats, step-ups and pistols bend the knee most; deadlifts, RDLs,
    # hip thrusts and Nordics hinge at the hip; rows, push-ups and pull-ups are upper body.
    assert EXERCISES[exercise_id].pattern == pattern


def test_a_catalog_entry_without_a_pattern_is_rejected_with_its_id(tmp_path: Path) -> None:
    # The back squat's `pattern:` line removed: the loader names the entry and what it needs.
    lines = CATALOG_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  - id: back_squat\n")
    pattern = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("pattern:"))
    del lines[pattern]
    broken = tmp_path / "catalog.yaml"
    broken.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalog(broken)
    [problem] = caught.value.problems
    index = [e.id for e in CATALOG.exercises].index("back_squat")
    assert problem.path == f"exercises[{index}]"
    assert '"back_squat" needs a `pattern`' in problem.message
    assert problem.line == start + 1


def test_a_pattern_on_another_category_or_an_unknown_pattern_is_rejected() -> None:
    # A mobility drill has no knee/hip pattern for R16 to pair; "knees" is a typo for "knee".
    with pytest.raises(ValueError, match="only strength exercises have a `pattern`"):
        exercise(category="accessory", pattern="knee")
    with pytest.raises(ValueError, match='unknown pattern "knees" — did you mean "knee"'):
        exercise(pattern="knees")


# --- external load and heavy sets ---------------------------------------------------------


def test_loaded_follows_the_equipment_unless_the_entry_says_otherwise() -> None:
    assert EXERCISES["goblet_squat_kb"].loaded  # a kettlebell holds load
    assert EXERCISES["cable_split_squat"].loaded  # so does a cable stack
    assert not EXERCISES["single_leg_box_squat"].loaded  # a box does not
    assert not EXERCISES["pull_up"].loaded  # nor does a pull-up bar
    # The inverted row hangs from a barbell in a rack, but the load is the body.
    assert EXERCISES["inverted_row"].equipment & LOAD_EQUIPMENT
    assert not EXERCISES["inverted_row"].loaded
    with pytest.raises(ValueError, match="`external_load: true` needs equipment"):
        exercise(external_load=True, equipment=["band"])


def test_heavy_is_a_loaded_lower_body_strength_set_of_3_to_6_reps() -> None:
    split_squat = EXERCISES["split_squat_db"]
    assert heavy(split_squat, prescription_for(split_squat, "intermediate", True))  # 5/side
    assert heavy(split_squat, prescription_for(split_squat, "novice", False))  # 6/side
    # A novice's first mesocycle is 8/side: loaded, but not heavy.
    assert not heavy(split_squat, prescription_for(split_squat, "novice", True))
    bodyweight = EXERCISES["split_squat_bw"]
    assert not heavy(bodyweight, prescription_for(bodyweight, "intermediate", True))
    row = EXERCISES["one_arm_row_db"]  # loaded and 5/side, but upper body
    assert not heavy(row, prescription_for(row, "advanced", True))
    seven = Prescription(sets=(3, 4), reps="7/side", rest_s=150)
    assert not heavy(split_squat, seven)
    three = Prescription(sets=(3, 4), reps="3", rest_s=180)
    assert heavy(EXERCISES["back_squat"], three)


@pytest.mark.parametrize("level", ["intermediate", "advanced"])
def test_loaded_lower_body_lifts_are_heavy_for_trained_athletes(level: str) -> None:
    # R19: 3-4 sets of 4-6 reps (5 in this catalog), about RPE 8, 2-3 min rest.
    lifts = loaded_lifts(set(LOAD_EQUIPMENT) | {"rack", "bench", "box", "step"}, level)
    assert len(lifts) >= 15
    for lift in lifts:
        prescription = lift.prescription[level]
        assert heavy(lift, prescription), lift.id
        assert prescription.count == 5 and prescription.sets == (3, 4), lift.id
        assert 150 <= prescription.rest_s <= 180, lift.id


PROFILES = {
    "kettlebells": {"kettlebell"},
    "dumbbells": {"dumbbell"},
    "barbell and rack": {"barbell", "rack"},
    "trap bar": {"trap_bar"},
    "cable machine": {"cable"},
}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("level", LEVELS)
def test_every_kit_has_a_loaded_knee_and_hip_lift(profile: str, level: str) -> None:
    # R19 asks for heavy loaded lower-body work wherever the kit holds load, and R16 for one
    # knee- and one hip-dominant lift per session: each kit alone must offer both.
    lifts = loaded_lifts(PROFILES[profile], level)
    assert {"knee", "hip"} <= {lift.pattern for lift in lifts}, profile


@pytest.mark.parametrize(
    ("profile", "level"),
    [
        ("kettlebells", "novice"),
        ("dumbbells", "novice"),
        ("cable machine", "novice"),
        ("barbell and rack", "intermediate"),  # a barbell split squat is not a novice's lift
    ],
)
def test_every_kit_that_can_has_a_loaded_unilateral_lift(profile: str, level: str) -> None:
    lifts = loaded_lifts(PROFILES[profile], level)
    assert any("unilateral" in lift.tags for lift in lifts), profile


# --- accessories --------------------------------------------------------------------------


def largest_targets(entry: Exercise) -> set[str]:
    largest = max(entry.targets.values())
    return {target for target, amount in entry.targets.items() if amount == largest}


def test_every_accessory_has_one_largest_target() -> None:
    # R15's revision picks an accessory by its largest contribution: a tie would make it count
    # for two imbalances at once.
    for entry in CATALOG.exercises:
        if entry.category == "accessory":
            assert len(largest_targets(entry)) == 1, (entry.id, entry.targets)


@pytest.mark.parametrize(
    ("exercise_id", "target"),
    [
        ("side_lying_hip_abduction", "hip_stability"),
        ("banded_standing_hip_abduction", "hip_stability"),
        ("copenhagen_plank_short_lever", "hip_stability"),
        ("single_leg_calf_raise_db", "calf_achilles"),
        ("single_leg_bent_knee_calf_raise_db", "calf_achilles"),
        ("seated_soleus_raise_db", "calf_achilles"),
        ("tibialis_raise", "calf_achilles"),
        ("band_face_pull", "posture"),
        ("cable_face_pull", "posture"),
        ("cable_pull_through", "posterior_chain"),
    ],
)
def test_the_primary_accessories_serve_their_target(exercise_id: str, target: str) -> None:
    # An abductor or Copenhagen plank for hip stability, heavy calf and soleus raises for the
    # calf, a face pull for posture (R15's revision).
    entry = EXERCISES[exercise_id]
    assert entry.category == "accessory"
    assert largest_targets(entry) == {target}


def test_the_heavy_calf_and_soleus_raises_are_loaded_and_the_copenhagen_is_novice() -> None:
    assert EXERCISES["seated_soleus_raise_db"].loaded
    assert EXERCISES["single_leg_bent_knee_calf_raise_db"].loaded
    short_lever = EXERCISES["copenhagen_plank_short_lever"]
    assert short_lever.level == "novice" and "adductor" in short_lever.tags
    assert EXERCISES["copenhagen_plank"].category == "core"  # the long lever stays core work


@pytest.mark.parametrize("kit", [set(), {"band"}, {"dumbbell", "bench"}, {"cable"}])
@pytest.mark.parametrize("target", ["hip_stability", "calf_achilles", "posture"])
def test_a_novice_with_little_kit_has_an_accessory_for_each_imbalance(
    kit: set[str], target: str
) -> None:
    accessories = [
        e
        for e in CATALOG.exercises
        if e.category == "accessory" and e.equipment <= kit and e.level == "novice"
    ]
    assert any(largest_targets(e) == {target} for e in accessories), (kit, target)


@pytest.mark.parametrize("exercise_id", ["spanish_squat", "wall_sit", "eccentric_step_down"])
def test_knee_friendly_quad_work_is_accessory_work(exercise_id: str) -> None:
    # Isometric holds and slow lowering for a runner with a knee history: quad work that never
    # makes a session hard, open to novices.
    entry = EXERCISES[exercise_id]
    assert entry.category == "accessory" and not entry.hard
    assert {"quad", "lower_body"} <= entry.tags
    assert entry.tags & {"isometric", "eccentric"}
    assert entry.level == "novice"


# --- intensity in the benefit -------------------------------------------------------------


def test_a_bodyweight_strength_set_counts_half_for_an_intermediate() -> None:
    # The bodyweight split squat's catalog contribution is 1.0 max strength per set.
    split_squat = EXERCISES["split_squat_bw"]
    assert split_squat.targets["max_strength"] == 1.0
    contributions = set_contributions(split_squat, "intermediate", False, MODEL)
    assert contributions["max_strength"] == 0.5
    # The other targets are unchanged.
    assert contributions["hip_stability"] == split_squat.targets["hip_stability"]
    assert contributions["posterior_chain"] == split_squat.targets["posterior_chain"]
    assert set_contributions(split_squat, "advanced", True, MODEL)["max_strength"] == 0.5


def test_a_bodyweight_set_counts_fully_for_a_novice_in_the_first_mesocycle_only() -> None:
    split_squat = EXERCISES["split_squat_bw"]
    assert set_contributions(split_squat, "novice", True, MODEL)["max_strength"] == 1.0
    assert set_contributions(split_squat, "novice", False, MODEL)["max_strength"] == 0.5


def test_a_loaded_set_counts_fully() -> None:
    split_squat = EXERCISES["split_squat_db"]  # 1.0 max strength per set
    # 5/side: heavy, full.
    assert set_contributions(split_squat, "intermediate", False, MODEL)["max_strength"] == 1.0
    # A novice's first mesocycle, 8/side: loaded but not 3-6 reps, still full for a novice.
    assert set_contributions(split_squat, "novice", True, MODEL)["max_strength"] == 1.0
    # Then 6/side: heavy, full.
    assert set_contributions(split_squat, "novice", False, MODEL)["max_strength"] == 1.0


def test_accessory_sets_are_not_scaled() -> None:
    # The revision speaks of strength sets: the Spanish squat's hold keeps its contribution.
    spanish = EXERCISES["spanish_squat"]
    assert set_contributions(spanish, "advanced", False, MODEL) == spanish.targets


def test_the_solver_dose_is_the_intensity_scaled_contribution_and_whole() -> None:
    # The plan's item targets come from these doses, so the checker's benefit follows them.
    for entry in CATALOG.exercises:
        for level in LEVELS[LEVELS.index(entry.level) :]:
            for first in (True, False):
                contributions = set_contributions(entry, level, first, MODEL)
                candidate = _candidate(entry, level, first, MODEL)
                for option in candidate.options:
                    for target, amount in contributions.items():
                        exact = option.sets * amount * DOSE_SCALE
                        assert exact == int(exact), (entry.id, level, target)
                        assert option.dose[target] == exact
    push_up = _candidate(EXERCISES["push_up"], "intermediate", False, MODEL)
    three = next(option for option in push_up.options if option.sets == 3)
    assert three.dose["max_strength"] == 3  # 3 sets x 0.5 x half, in quarter sets


def test_intensity_factors_are_half_or_whole() -> None:
    data = MODEL.model_dump()
    data["strength_intensity"]["other"] = 0.75  # would put a 0.75 set at 0.5625 per set
    with pytest.raises(ValueError, match=r"expected 0\.5 or 1"):
        BenefitModel.model_validate(data)


def test_a_bodyweight_contribution_that_cannot_be_halved_on_the_grid_is_rejected() -> None:
    # Half of 0.75 is 0.375, which the planner's quarter-set dose cannot hold.
    with pytest.raises(ValueError, match=r"must be a multiple of 0\.5"):
        exercise(targets={"max_strength": 0.75})
    # Loaded and heavy at every level past novice: never halved, so 0.75 is fine.
    assert exercise(targets={"max_strength": 0.75}, equipment=["dumbbell"]).loaded


# --- %1RM from reps and RPE ---------------------------------------------------------------

# Rows of the chart in Helms, Cronin, Storey & Zourdos (2016), Strength Cond J 38(4):42-49
# (after Tuchscherer's Reactive Training Systems chart): %1RM for 1 to 10 reps.
PUBLISHED_ROWS = {
    10.0: (100.0, 95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9),
    9.0: (95.5, 92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7),
    8.0: (92.2, 89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0),
    7.0: (89.2, 86.3, 83.7, 81.1, 78.6, 76.2, 73.9, 70.7, 68.0, 65.3),
    6.5: (87.8, 85.0, 82.4, 79.9, 77.4, 75.1, 72.3, 69.4, 66.7, 64.0),
}


@pytest.mark.parametrize("rpe", PUBLISHED_ROWS)
def test_percent_1rm_matches_the_published_rows(rpe: float) -> None:
    assert tuple(percent_1rm(reps, rpe) for reps in range(1, 11)) == PUBLISHED_ROWS[rpe]


def test_percent_1rm_anchors() -> None:
    assert percent_1rm(1, 10) == 100.0  # a true single
    assert percent_1rm(8, 7) == 70.7  # 8 reps, 3 in reserve: about 70 %
    assert percent_1rm(5, 8) == 81.1  # 5 reps, 2 in reserve
    assert percent_1rm(3, 9.5) == 90.7


def test_percent_1rm_depends_on_reps_plus_reps_in_reserve() -> None:
    # The chart's structure: a set of r reps with k in reserve is as heavy as a set of r + k
    # reps to failure, so every row is the RPE 10 row shifted (a typo would break this).
    rpes = [10 - half / 2 for half in range(8)]  # 10, 9.5, ..., 6.5
    for rpe in rpes:
        for reps in range(1, 10):
            if rpe - 1 >= 6.5:
                assert percent_1rm(reps + 1, rpe) == percent_1rm(reps, rpe - 1), (reps, rpe)
            assert percent_1rm(reps + 1, rpe) < percent_1rm(reps, rpe)


def test_percent_1rm_outside_the_chart_is_an_error() -> None:
    with pytest.raises(ValueError, match="RPE 6"):
        percent_1rm(5, 6)
    with pytest.raises(ValueError, match="12 reps"):
        percent_1rm(12, 8)


# --- a bodyweight exercise's harder variant (the load suggestions' last step) ----------------


def test_harder_variants_keep_the_pattern_and_are_bodyweight() -> None:
    linked = [e for e in CATALOG.exercises if e.harder]
    assert linked  # split squat -> skater squat -> pistol squat, among others
    for entry in linked:
        variant = EXERCISES[entry.harder]  # type: ignore[index]
        assert variant.pattern == entry.pattern and not entry.loaded, entry.id
    with pytest.raises(ValueError, match="only a bodyweight strength exercise"):
        exercise(equipment=["dumbbell"], harder="pistol_squat")


@pytest.mark.parametrize(
    ("harder", "words"),
    [("pistol_sqat", 'did you mean "pistol_squat"'), ("nordic_curl", "keeps the pattern")],
)
def test_a_broken_harder_variant_is_named_with_its_line(
    tmp_path: Path, harder: str, words: str
) -> None:
    text = CATALOG_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "catalog.yaml"
    broken.write_text(text.replace("harder: skater_squat", f"harder: {harder}", 1), "utf-8")
    with pytest.raises(InputError) as raised:
        load_catalog(broken)
    (problem,) = raised.value.problems
    assert problem.path == "exercises[{}] (split_squat_bw).harder".format(
        next(i for i, e in enumerate(CATALOG.exercises) if e.id == "split_squat_bw")
    )
    assert words in problem.message and problem.line is not None
