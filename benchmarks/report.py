"""The benchmark report: a markdown file with tables, and PNG plots beside it."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import math
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.baselines import FIXED_PROGRAM, GREEDY
from benchmarks.metrics import (
    DOSE_RULE_IDS,
    FOCUS_PREFIX,
    MISSED_COLUMNS,
    OPTIMIZER,
    PLANNERS,
    RULE_BREAKING,
    RULE_IDS,
    RULE_KEEPING,
)
from benchmarks.rule_keeping import LOCAL_SEARCH, RULE_AWARE_GREEDY

REPO_ROOT = Path(__file__).resolve().parent.parent
BREAKS_RULES = " (breaks rules)"  # every label of a rule-breaking baseline says so
PLANNER_LABELS = {
    RULE_AWARE_GREEDY: "rule-aware greedy",
    LOCAL_SEARCH: "local search",
    GREEDY: "greedy" + BREAKS_RULES,
    FIXED_PROGRAM: "fixed program" + BREAKS_RULES,
    OPTIMIZER: "optimizer",
}
PLANNER_COLOURS = {
    RULE_AWARE_GREEDY: "#5aa05a",
    LOCAL_SEARCH: "#2e6b2e",
    GREEDY: "#d98c3f",
    FIXED_PROGRAM: "#8c8c8c",
    OPTIMIZER: "#3f74b5",
}


@dataclass(frozen=True)
class RunInfo:
    """What the report says about how it was made (the settings come from the data)."""

    mode: str  # quick | full
    command: str
    scaling_scenario: str
    load_at_start: str  # `load_average()` when the run began
    studies_by_commit: dict[str, Any] = field(default_factory=dict)  # commit -> studies run


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews the timings."""
    try:
        return " / ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


# --- machine -------------------------------------------------------------------------------


def _meminfo_total_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return math.nan


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" with uncommitted changes" if dirty else "")


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """The machine and software, without host names or paths."""
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "logical CPUs": str(os.cpu_count()),
        "memory": f"{_meminfo_total_gib():.1f} GiB",
        "python": platform.python_version(),
        "ortools": _version("ortools"),
        "planner": _version("planner"),
        "commit": git_commit(),
    }


# --- tables --------------------------------------------------------------------------------


def _cell(value: Any, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if fmt and isinstance(value, int | float):
        return fmt.format(value)
    return str(value)


def markdown_table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    """A GitHub markdown table; numbers right-aligned, NaN shown as a dash."""
    formats = formats or {}
    columns = list(frame.columns)
    numeric = [pd.api.types.is_numeric_dtype(frame[column]) for column in columns]
    lines = [
        "| " + " | ".join(str(column) for column in columns) + " |",
        "|" + "|".join("---:" if is_number else "---" for is_number in numeric) + "|",
    ]
    for _, row in frame.iterrows():
        cells = [_cell(row[column], formats.get(column)) for column in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _short(stem: str) -> str:
    number, _, rest = stem.partition("_")
    return f"{number} {rest.replace('_', ' ')}"


def _quality_table(suite: pd.DataFrame) -> pd.DataFrame:
    """Benefit per minute per scenario and planner, the rule-keeping baselines first. The
    optimizer is compared with the better rule-keeping baseline only (`vs best valid
    baseline`, at equal wall time: the baselines get the optimizer's time limit); the
    rule-breaking baselines stand apart, labelled so. A last row holds the medians."""
    ratio = suite.pivot_table(
        index="scenario", columns="planner", values="benefit_per_minute", sort=False
    )
    optimizer = suite[suite["planner"] == OPTIMIZER].set_index("scenario")
    table = pd.DataFrame(index=ratio.index)
    table.index.name = "scenario"
    table["weeks"] = suite.groupby("scenario", sort=False)["weeks"].first()
    for planner in (OPTIMIZER, *RULE_KEEPING):
        if planner in ratio:
            table[PLANNER_LABELS[planner]] = ratio[planner]
    if not optimizer.empty:
        table["bound"] = optimizer["bound"]
        table["gap %"] = optimizer["gap_pct"]
        table["status"] = optimizer["status"]
        valid = [p for p in RULE_KEEPING if p in ratio]
        if valid and OPTIMIZER in ratio:
            best = ratio[valid].max(axis=1)
            table[VS_VALID] = (ratio[OPTIMIZER] / best - 1) * 100
    for planner in RULE_BREAKING:
        if planner in ratio:
            table[PLANNER_LABELS[planner]] = ratio[planner]
    table = table.reset_index()
    if len(table) > 1:
        medians = {"scenario": "**median**", "status": ""} | {
            column: table[column].median()
            for column in table.columns
            if column not in ("scenario", "status", "weeks")
            and pd.api.types.is_numeric_dtype(table[column])
        }
        table = pd.concat([table, pd.DataFrame([medians])], ignore_index=True)
    return table


VS_VALID = "vs best valid baseline"
BENEFIT_COLUMNS = [
    "scenario", "planner", "benefit", "minutes", "benefit_per_minute", "solve_time_s",
]  # fmt: skip


def _violations_table(suite: pd.DataFrame) -> pd.DataFrame:
    rules = [rule for rule in (*RULE_IDS, "other") if suite[rule].fillna(0).sum() > 0]
    missed = [column for column in MISSED_COLUMNS if column in suite]
    table = suite[["scenario", "planner", "violations", *rules, "missed", *missed]].copy()
    table["planner"] = table["planner"].map(PLANNER_LABELS)
    return table.rename(columns={column: column.replace("_", " ") for column in missed})


def _matched_table(suite: pd.DataFrame, matched: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and baseline: the baseline's benefit and minutes next to the optimizer's
    (`objective: total`) within the baseline's own minutes; a last row of medians."""
    rows = []
    for _, run in matched.iterrows():
        baseline = suite[
            (suite["scenario"] == run["scenario"]) & (suite["planner"] == run["budget_of"])
        ]
        if baseline.empty:
            continue
        base = baseline.iloc[0]
        rows.append(
            {
                "scenario": run["scenario"],
                "baseline": PLANNER_LABELS[run["budget_of"]],
                "order": PLANNERS.index(run["budget_of"]),
                "budget min/wk": run["budget_minutes"],
                "baseline benefit": base["benefit"],
                "baseline min": base["minutes"],
                "optimizer benefit": run["benefit"],
                "optimizer min": run["minutes"],
                "benefit ×": run["benefit"] / base["benefit"] if base["benefit"] else math.nan,
                "baseline violations": base["violations"],
                "optimizer violations": run["violations"],
                "baseline missed": base["missed"],
                "optimizer missed": run["missed"],
                "status": run["status"],
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    # The rule-keeping baselines first; each baseline's rows, then its own median row, so
    # that no median mixes valid and rule-breaking baselines.
    table = table.sort_values(["order", "scenario"], kind="stable")
    parts = []
    for label, rows_of in table.groupby("baseline", sort=False):
        median = {"scenario": "**median**", "baseline": label, "status": ""} | rows_of.drop(
            columns=["scenario", "baseline", "status", "order"]
        ).median().to_dict()
        parts += [rows_of, pd.DataFrame([median])]
    return pd.concat(parts, ignore_index=True).drop(columns=["order"])


def focus_cell(row: pd.Series) -> str:
    """A row's accessory sets per loading week for each focus target weighted 4 or 5, as
    "hip stability 6, calf achilles 3"; a dash without any."""
    parts = [
        f"{column.removeprefix(FOCUS_PREFIX).replace('_', ' ')} {row[column]:g}"
        for column in row.index
        if column.startswith(FOCUS_PREFIX) and not pd.isna(row[column])
    ]
    return ", ".join(parts) or "–"


def _coach_table(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["scenario", "planner", "session_minutes", "strength_sets", "loaded_lower_sets"]
    table = frame.reindex(columns=[*columns, "warmup_minutes"])
    table["planner"] = [
        PLANNER_LABELS[planner]
        + (f" ({PLANNER_LABELS[budget_of]}'s time)" if study == "matched" else "")
        for planner, budget_of, study in zip(
            frame["planner"], frame["budget_of"], frame["study"], strict=True
        )
    ]
    table["complete sessions"] = [
        f"{complete:.0f} / {hard:.0f}"
        for complete, hard in zip(
            frame["complete_sessions"], frame["loading_hard_sessions"], strict=True
        )
    ]
    table["focus accessory sets/wk"] = [focus_cell(row) for _, row in frame.iterrows()]
    table["pairs used"] = frame.get("pairs_used", pd.Series(math.nan, index=frame.index))
    table["minutes saved by pairs"] = frame.get(
        "pair_minutes_saved", pd.Series(math.nan, index=frame.index)
    )
    return table.rename(
        columns={
            "session_minutes": "median session min",
            "strength_sets": "strength sets/wk",
            "loaded_lower_sets": "loaded lower-body sets/wk",
            "warmup_minutes": "hard warm-up min",
        }
    ).sort_values(["scenario", "planner"], kind="stable")


def _speed_table(frame: pd.DataFrame, first: list[str]) -> pd.DataFrame:
    columns = [
        *first, "exercises", "status", "benefit_per_minute", "bound", "gap_pct",
        "solve_time_s", "time_to_1pct_s", "peak_memory_mb",
    ]  # fmt: skip
    table = frame[columns].rename(
        columns={
            "benefit_per_minute": "benefit/min",
            "gap_pct": "gap %",
            "solve_time_s": "solve s",
            "time_to_1pct_s": "to 1 % s",
            "peak_memory_mb": "peak MB",
            "catalog_size": "catalog",
        }
    )
    return table


FORMATS = {
    **{label: "{:.3f}" for label in PLANNER_LABELS.values()}, "bound": "{:.3f}",
    "gap %": "{:.1f}", VS_VALID: "{:+.0f} %", "benefit/min": "{:.3f}",
    "pairs used": "{:g}", "minutes saved by pairs": "{:g}", "seconds": "{:.1f}",
    "solve s": "{:.1f}", "to 1 % s": "{:.1f}", "peak MB": "{:.0f}", "benefit": "{:.1f}",
    "minutes": "{:.0f}", "exercises": "{:.0f}", "workers": "{:.0f}", "violations": "{:.0f}",
    "weeks": "{:.0f}", "catalog": "{:.0f}", "missed": "{:.0f}",
    "budget min/wk": "{:.0f}", "baseline benefit": "{:.1f}", "baseline min": "{:.0f}",
    "optimizer benefit": "{:.1f}", "optimizer min": "{:.0f}", "benefit ×": "{:.2f}",
    "baseline violations": "{:.0f}", "optimizer violations": "{:.0f}",
    "baseline missed": "{:.0f}", "optimizer missed": "{:.0f}",
    "median session min": "{:.0f}", "strength sets/wk": "{:.0f}",
    "loaded lower-body sets/wk": "{:g}", "hard warm-up min": "{:g}",
    **{rule: "{:.0f}" for rule in (*RULE_IDS, "other")},
    **{f"missed {rule}": "{:.0f}" for rule in DOSE_RULE_IDS},
}  # fmt: skip


# --- plots ---------------------------------------------------------------------------------


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_quality(suite: pd.DataFrame, path: Path) -> None:
    """Grouped bars of benefit per minute per scenario and planner; the optimizer's proven
    bound as a black tick (an arrow at the top when it is off the chart)."""
    plt = _pyplot()
    scenarios = list(dict.fromkeys(suite["scenario"]))
    planners = [p for p in PLANNERS if p in set(suite["planner"])]
    width = 0.8 / max(1, len(planners))
    figure, axes = plt.subplots(figsize=(max(7.0, 1.1 * len(scenarios) + 2), 4.8))
    tallest = max(1e-9, float(suite["benefit_per_minute"].max()))
    top = tallest * 1.3
    for offset, planner in enumerate(planners):
        rows = suite[suite["planner"] == planner].set_index("scenario").reindex(scenarios)
        positions = [i + (offset - (len(planners) - 1) / 2) * width for i in range(len(scenarios))]
        axes.bar(
            positions,
            rows["benefit_per_minute"],
            width,
            label=PLANNER_LABELS[planner],
            color=PLANNER_COLOURS[planner],
        )
        if planner == OPTIMIZER:
            for position, bound in zip(positions, rows["bound"], strict=True):
                if math.isnan(bound):
                    continue
                if bound <= top:
                    axes.plot([position], [bound], marker="_", color="black", markersize=14)
                else:
                    axes.plot([position], [top * 0.97], marker="^", color="black", markersize=6)
                    axes.annotate(
                        f"{bound:.1f}",
                        (position, top * 0.97),
                        textcoords="offset points",
                        xytext=(4, -3),
                        fontsize=7,
                    )
    axes.plot(
        [], [], marker="_", color="black", linestyle="none", markersize=14, label="proven bound"
    )
    axes.set_ylim(0, top)
    axes.set_xticks(range(len(scenarios)))
    axes.set_xticklabels([_short(s)[:22] for s in scenarios], rotation=30, ha="right", fontsize=8)
    axes.set_ylabel("benefit per gym minute")
    axes.set_title("Plan quality on the suite (checker's figures)")
    axes.legend(fontsize=8, ncols=2)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def plot_scaling(frame: pd.DataFrame, x: str, xlabel: str, title: str, path: Path) -> None:
    """Left: median solve time (solid) and time to a 1 % gap (dashed) per worker count, with
    the time limit dotted. Right: the gap left at the end."""
    plt = _pyplot()
    figure, (times, gaps) = plt.subplots(1, 2, figsize=(10, 4))
    for workers, rows in frame.groupby("workers"):
        rows = rows.sort_values(x)
        label = f"{workers:.0f} worker{'s' if workers != 1 else ''}"
        line = times.plot(rows[x], rows["solve_time_s"], marker="o", label=f"solve, {label}")[0]
        times.plot(
            rows[x],
            rows["time_to_1pct_s"],
            marker="x",
            linestyle="--",
            color=line.get_color(),
            label=f"to 1 % gap, {label}",
        )
        gaps.plot(rows[x], rows["gap_pct"], marker="o", color=line.get_color(), label=label)
    limits = frame.sort_values(x)
    times.plot(limits[x], limits["time_limit_s"], linestyle=":", color="grey", label="time limit")
    times.set_xlabel(xlabel)
    times.set_ylabel("seconds (median over runs)")
    times.set_ylim(bottom=0)
    times.legend(fontsize=7)
    gaps.set_xlabel(xlabel)
    gaps.set_ylabel("gap to proven bound, % (0 = optimal)")
    gaps.set_ylim(bottom=0)
    gaps.legend(fontsize=7)
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


# --- report --------------------------------------------------------------------------------


def _settings(summary: pd.DataFrame) -> str:
    """Time limits, runs per case and suite workers, as found in the results."""
    optimizer = summary[summary["planner"] == OPTIMIZER]
    if optimizer.empty:
        return "baselines only."
    limits = optimizer[["weeks", "time_limit_s"]].drop_duplicates()
    usual = float(limits["time_limit_s"].mode().iloc[0])
    other = limits[limits["time_limit_s"] != usual]
    exceptions = ", ".join(
        f"{limit:g} s for {weeks:.0f} weeks"
        for (limit,), rows in other.groupby(["time_limit_s"])
        for weeks in [rows["weeks"].min()]
    )
    runs = int(optimizer["runs"].max())
    workers = sorted(summary.loc[summary["study"] == "suite", "workers"].dropna().unique())
    text = f"time limit {usual:g} s per solve" + (f" ({exceptions})" if exceptions else "")
    text += f"; {runs} run(s) per case (seeds 0 to {runs - 1}), figures are medians over runs"
    if workers:
        text += f"; the suite is solved with {', '.join(f'{w:.0f}' for w in workers)} workers"
    return text + "."


def write_report(summary: pd.DataFrame, info: RunInfo, out_dir: Path, suffix: str) -> Path:
    """Write report{suffix}.md and its plots into out_dir; returns the report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    host = machine()
    lines = [
        f"# Benchmarks ({info.mode} run)",
        "",
        f"Made on {now} by `{info.command}`.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in host.items()],
        f"| load average (1 / 5 / 15 min) | {info.load_at_start} at the start, "
        f"{load_average()} at the end |",
        "",
        f"Settings: {_settings(summary)} Each optimizer solve runs in a fresh process. "
        "Every plan, baseline or not, is judged by the independent checker, and the benefit "
        "and minutes below are the checker's. Definitions are in `benchmarks/README.md`.",
        "",
    ]
    if len(info.studies_by_commit) > 1:
        lines += [
            "Studies of this report and the commit each ran on (a partial run keeps the "
            "others): "
            + "; ".join(
                f"{', '.join(studies)} at {commit}"
                for commit, studies in info.studies_by_commit.items()
            )
            + ".",
            "",
        ]
    suite = summary[summary["study"] == "suite"]
    if not suite.empty:
        quality_png = f"quality{suffix}.png"
        plot_quality(suite, out_dir / quality_png)
        lines += [
            "## Plan quality on the suite",
            "",
            "Benefit per gym minute of each planner's plan. `bound` is the optimizer's proven "
            "upper bound on the ratio of any plan that keeps the hard rules; `gap %` is how far "
            "its plan may be from the optimum. The rule-aware greedy and the local search keep "
            "every hard rule (their plans pass the checker) and get the optimizer's time "
            "limit, so `vs best valid baseline` compares valid plans at equal wall time. Both "
            "meet fewer dose targets than the optimizer, whose floor (R13, R16) comes before "
            "the ratio (missed targets in the next tables). The baselines marked `breaks "
            "rules` ignore most coaching rules on purpose; they stand apart, their ratio is "
            "not bounded by `bound`, and no figure mixes them with the valid ones. The last "
            "row holds the medians over scenarios.",
            "",
            markdown_table(_quality_table(suite), FORMATS),
            "",
            f"![Benefit per minute per scenario and planner]({quality_png})",
            "",
            "### Benefit and minutes",
            "",
            markdown_table(
                suite[BENEFIT_COLUMNS]
                .assign(planner=lambda f: f["planner"].map(PLANNER_LABELS))
                .rename(columns={"benefit_per_minute": "benefit/min", "solve_time_s": "seconds"}),
                FORMATS,
            ),
            "",
            "## Coaching-rule violations and missed dose targets found by the checker",
            "",
            "Hard-rule violations per rule (the worst run; rules without any violation are "
            "left out), then the missed dose targets (R13 hard sessions, R14 repetition, R16 "
            "minimum effective dose), which the optimizer meets wherever the availability "
            "allows.",
            "",
            markdown_table(_violations_table(suite), FORMATS),
            "",
        ]
        matched = summary[summary["study"] == "matched"]
        if not matched.empty:
            lines += [
                "## Matched budget: benefit at equal time",
                "",
                "The ratio table compares plans of very different sizes. Here the optimizer "
                "runs with `objective: total` (the most benefit, R13 and R16 first) under each "
                "rule-keeping baseline's own minutes (a weekly cap of the baseline's total over "
                "its weeks, so the optimizer's total stays within the baseline's) and its time "
                "limit, so `benefit ×` compares what the same gym time buys, valid plans "
                "against valid plans. The optimizer keeps every coaching rule and cuts deload "
                "and taper weeks as R6 and R8 require, so it often uses fewer minutes than its "
                "budget.",
                "",
                markdown_table(_matched_table(suite, matched), FORMATS),
                "",
            ]
        coach = pd.concat([suite, matched])
        lines += [
            "## A coach's table",
            "",
            "What a strength coach looks at first: the median session length; the median "
            "strength sets of a base or build loading week, all of them and the loaded "
            "lower-body ones (dumbbell, kettlebell, barbell, trap bar or cable; R19); the "
            "median minutes of a hard session's mobility block (its warm-up, R15); the "
            "loading-week hard sessions that hold all five template blocks (mobility, power, "
            "strength, accessory, core; R15); and, for each focus target weighted 4 or 5, "
            "the median accessory sets of a base or build loading week whose largest "
            "contribution is that target (R15, R16 (d)); the paired sets (R17) of the whole "
            "plan, as pairs used (pair labels, per session) and the minutes they save (the "
            "items' own minutes less the sessions' minutes). The baselines never pair.",
            "",
            markdown_table(_coach_table(coach), FORMATS),
            "",
        ]
        optimizer = suite[suite["planner"] == OPTIMIZER]
        if not optimizer.empty:
            lines += [
                "## Optimizer speed on the suite",
                "",
                markdown_table(_speed_table(optimizer, ["scenario", "weeks"]), FORMATS),
                "",
            ]
    weeks = summary[summary["study"] == "weeks"]
    if not weeks.empty:
        weeks_png = f"time_vs_weeks{suffix}.png"
        title = f"Block length: {_short(info.scaling_scenario)}, full catalog"
        plot_scaling(weeks, "weeks", "weeks in the block", title, out_dir / weeks_png)
        lines += [
            "## Scaling with the block length",
            "",
            f"`{info.scaling_scenario}` cut to its last weeks or extended with repeats of its "
            "opening loading cycles; the race stays on the last day. Full catalog.",
            "",
            markdown_table(_speed_table(weeks, ["weeks", "workers"]), FORMATS),
            "",
            f"![Solve time and gap vs weeks]({weeks_png})",
            "",
        ]
    catalog = summary[summary["study"] == "catalog"]
    if not catalog.empty:
        catalog_png = f"catalog_size{suffix}.png"
        title = f"Catalog size: {_short(info.scaling_scenario)}"
        plot_scaling(
            catalog, "catalog_size", "exercises in the catalog", title, out_dir / catalog_png
        )
        lines += [
            "## Scaling with the catalog size",
            "",
            f"`{info.scaling_scenario}` with deterministic subsets of the catalog that keep "
            "every category and the athlete's equipment; `exercises` is what remains after "
            "the level, equipment and dominance filters.",
            "",
            markdown_table(_speed_table(catalog, ["catalog_size", "workers"]), FORMATS),
            "",
            f"![Solve time and gap vs catalog size]({catalog_png})",
            "",
        ]
    path = out_dir / f"report{suffix}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
