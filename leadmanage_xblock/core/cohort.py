"""A cohort's aggregates for the trainer's debrief: counts only, never a learner's name or text.

``summarise_cohort`` turns the learners' work into a ``CohortSummary``: per dimension how many lean to leading,
are balanced or lean to managing (the learners' own profile bands, ``scoring.profile``) and the mean self-rating;
per scenario item how many chose each option and how many missed it; and how many learners started, submitted
and wrote a reflection. Each learner counts once, with their latest work (``latest_work``). A group smaller
than the minimum is refused (``CohortTooSmallError``): with fewer learners a count could single one out.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .content import Lesson
from .learner_work import LearnerWork
from .scoring import BANDS, profile

#: The fewest learners who must have submitted before any aggregate is shown.
DEFAULT_MIN_GROUP = 5
#: How many scenario items the debrief discusses as the hardest.
HARDEST_COUNT = 3


class CohortTooSmallError(ValueError):
    """Fewer learners submitted than the minimum group size: the aggregate could identify someone."""

    def __init__(self, submitted: int, min_group: int):
        """Say how many submitted and how many are needed."""
        super().__init__(
            f"only {submitted} learner(s) submitted the quiz; the cohort summary needs at least {min_group} "
            "so that no learner can be singled out"
        )
        self.submitted, self.min_group = submitted, min_group


@dataclass(frozen=True)
class Participation:
    """How many learners started the module, submitted the quiz and wrote any reflection."""

    started: int
    submitted: int
    reflected: int


@dataclass(frozen=True)
class DimensionTally:
    """One dimension: learners per profile band, and the mean of their average self-ratings."""

    dimension: str
    rated: int
    bands: Mapping[str, int]
    mean_rating: float | None

    @property
    def tendency(self) -> str | None:
        """The band most learners fall in, or ``None`` when no band has more learners than every other."""
        top = max(self.bands.values(), default=0)
        leaders = [band for band in BANDS if self.bands[band] == top]
        return leaders[0] if top and len(leaders) == 1 else None


@dataclass(frozen=True)
class ScenarioTally:
    """One scenario item: learners per option (lesson order), the best option and how many missed it."""

    scenario: str
    dimension: str
    correct_option: str
    options: Mapping[str, int]
    answered: int

    @property
    def missed(self) -> int:
        """Learners who answered with another option than the best one."""
        return self.answered - self.options[self.correct_option]

    def share(self, option_id: str) -> int:
        """The percentage of the answering learners who chose ``option_id`` (rounded half up)."""
        return int(100 * self.options[option_id] / self.answered + 0.5) if self.answered else 0


@dataclass(frozen=True)
class CohortSummary:
    """Everything the debrief and ``leadmanage cohort`` show of a cohort: counts and means only."""

    participation: Participation
    dimensions: tuple[DimensionTally, ...]
    scenarios: tuple[ScenarioTally, ...]

    def hardest(self, count: int = HARDEST_COUNT) -> tuple[ScenarioTally, ...]:
        """The items most often missed (as a share of those who answered), at most ``count``, none never missed."""
        missed = [item for item in self.scenarios if item.missed]
        return tuple(sorted(missed, key=lambda item: -item.missed / item.answered)[:count])

    def to_json(self) -> dict[str, Any]:
        """The summary as JSON data: what ``leadmanage cohort --format json`` prints."""
        return {
            "participation": vars(self.participation),
            "dimensions": [_dimension_json(tally) for tally in self.dimensions],
            "scenarios": [_scenario_json(tally) for tally in self.scenarios],
        }

    def to_payload(self) -> dict[str, Any]:
        """The summary as JSON data that ``from_payload`` reads back exactly (means unrounded): a task's argument."""
        return asdict(self)

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> "CohortSummary":
        """The summary ``to_payload`` wrote."""
        return cls(
            Participation(**data["participation"]),
            tuple(DimensionTally(**tally) for tally in data["dimensions"]),
            tuple(ScenarioTally(**tally) for tally in data["scenarios"]),
        )

    def flat_rows(self) -> list[tuple[str, str, str, str]]:
        """The summary as ``(section, id, measure, value)`` rows, one number each: what ``--format csv`` writes."""
        rows = [("participation", "", name, str(value)) for name, value in vars(self.participation).items()]
        for entry in self.to_json()["dimensions"]:
            rows += [("dimension", entry["id"], key, _cell(value)) for key, value in entry.items() if key != "id"]
        for tally in self.scenarios:
            rows += [("scenario", tally.scenario, f"option {key}", str(n)) for key, n in tally.options.items()]
            rows += [("scenario", tally.scenario, key, str(getattr(tally, key))) for key in ("answered", "missed")]
        return rows


def latest_work(entries: Iterable[tuple[str, LearnerWork]]) -> list[LearnerWork]:
    """Each learner's latest work from ``(learner key, work)`` pairs in the order they were made; keys are dropped."""
    latest: dict[str, LearnerWork] = {}
    for key, work in entries:
        latest[key] = work  # a later row (a resubmission) replaces the earlier one
    return list(latest.values())


def has_submitted(work: LearnerWork) -> bool:
    """Whether ``work`` holds a submitted quiz: reports and records carry quiz choices only once submitted."""
    return bool(work.answers or work.ratings)


def summarise_cohort(lesson: Lesson, works: Iterable[LearnerWork], min_group: int = DEFAULT_MIN_GROUP) -> CohortSummary:
    """The cohort's aggregates from each learner's work (one entry per learner: see ``latest_work``).

    Raises:
        CohortTooSmallError: fewer than ``min_group`` learners submitted the quiz.
    """
    everyone = list(works)
    submitted = [work for work in everyone if has_submitted(work)]
    if len(submitted) < min_group:
        raise CohortTooSmallError(len(submitted), min_group)
    wrote = sum(1 for work in everyone if any(text.strip() for text in work.reflection.values()))
    return CohortSummary(
        Participation(len(everyone), len(submitted), wrote),
        _dimension_tallies(lesson, submitted),
        tuple(_scenario_tally(lesson, scenario.id, submitted) for scenario in lesson.quiz.scenarios),
    )


def _dimension_tallies(lesson: Lesson, works: list[LearnerWork]) -> tuple[DimensionTally, ...]:
    places = [profile(lesson, work.ratings) for work in works]
    tallies = []
    for index, dimension in enumerate(lesson.dimensions):
        rated = [learner[index] for learner in places if learner[index].band is not None]
        bands = {band: sum(1 for place in rated if place.band == band) for band in BANDS}
        means = [place.mean for place in rated if place.mean is not None]
        tallies.append(DimensionTally(dimension.id, len(rated), bands, sum(means) / len(means) if means else None))
    return tuple(tallies)


def _scenario_tally(lesson: Lesson, scenario_id: str, works: list[LearnerWork]) -> ScenarioTally:
    scenario = lesson.scenarios_by_id[scenario_id]
    chosen = [work.answers.get(scenario_id) for work in works]
    options = {option.id: chosen.count(option.id) for option in scenario.options}
    return ScenarioTally(scenario_id, scenario.dimension, scenario.correct_option.id, options, sum(options.values()))


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _dimension_json(tally: DimensionTally) -> dict[str, Any]:
    mean = None if tally.mean_rating is None else round(tally.mean_rating, 2)
    return {"id": tally.dimension, "rated": tally.rated, **tally.bands, "mean_rating": mean}


def _scenario_json(tally: ScenarioTally) -> dict[str, Any]:
    return {
        "id": tally.scenario,
        "dimension": tally.dimension,
        "correct_option": tally.correct_option,
        "answered": tally.answered,
        "missed": tally.missed,
        "options": dict(tally.options),
    }
