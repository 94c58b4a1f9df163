"""The lesson as frozen dataclasses: the one content model every output reads.

Field names equal the keys of the lesson YAML (see ``lesson.schema.json``), so the loader can build
the whole tree from type hints alone.
"""

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Pole:
    """One end of a dimension: the leading or the managing side."""

    label: str
    summary: str
    behaviours: tuple[str, ...]


@dataclass(frozen=True)
class Dimension:
    """One of the framework's dimensions, e.g. goals: change vs stability."""

    id: str
    title: str
    question: str
    leading: Pole
    managing: Pole
    takeaway: str
    self_check: tuple[str, ...]


@dataclass(frozen=True)
class Introduction:
    """The opening text and the learning objectives."""

    title: str
    paragraphs: tuple[str, ...]
    objectives_title: str
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class Practice:
    """One practice for balancing leading and managing."""

    id: str
    title: str
    text: str
    tips: tuple[str, ...]


@dataclass(frozen=True)
class Balancing:
    """How to balance the two roles."""

    title: str
    paragraphs: tuple[str, ...]
    practices: tuple[Practice, ...]
    takeaway: str


@dataclass(frozen=True)
class Closing:
    """The closing summary and the call to act."""

    title: str
    paragraphs: tuple[str, ...]
    call_to_act: str


@dataclass(frozen=True)
class Option:
    """One answer option of a scenario item."""

    id: str
    text: str
    explanation: str
    correct: bool = False


@dataclass(frozen=True)
class Scenario:
    """A workplace situation with one best response."""

    id: str
    dimension: str
    situation: str
    question: str
    options: tuple[Option, ...]

    @property
    def correct_option(self) -> Option:
        """The option marked correct (the loader guarantees exactly one)."""
        return next(option for option in self.options if option.correct)

    @cached_property
    def option_ids(self) -> frozenset[str]:
        """Ids of every option, for validating answers."""
        return frozenset(option.id for option in self.options)

    def accepts(self, option_id: object) -> bool:
        """Whether ``option_id`` names one of this item's options."""
        return isinstance(option_id, str) and option_id in self.option_ids


@dataclass(frozen=True)
class RatingScale:
    """The self-rating scale: 1 is the leading statement, ``points`` the managing one."""

    points: int
    leading_label: str
    managing_label: str
    middle_label: str

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is a point on the scale: a whole number (not a bool) from 1 to ``points``."""
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= self.points

    def label_for(self, point: int) -> str:
        """The label of a point: the two ends and the middle have one, the others none ("")."""
        if point == 1:
            return self.leading_label
        if point == self.points:
            return self.managing_label
        return self.middle_label if point * 2 == self.points + 1 else ""


@dataclass(frozen=True)
class RatingItem:
    """A self-rating between a leading and a managing statement."""

    id: str
    dimension: str
    leading: str
    managing: str


@dataclass(frozen=True)
class Ratings:
    """The self-rating part of the quiz."""

    title: str
    intro: str
    scale: RatingScale
    items: tuple[RatingItem, ...]


@dataclass(frozen=True)
class Quiz:
    """The dimension quiz: scenario items and self-ratings."""

    title: str
    intro: str
    scenarios: tuple[Scenario, ...]
    ratings: Ratings


@dataclass(frozen=True)
class Guidance:
    """What to tell a learner about one dimension, by where they lean."""

    dimension: str
    leading: str
    balanced: str
    managing: str


@dataclass(frozen=True)
class Profile:
    """How the leading/managing profile is explained."""

    title: str
    intro: str
    balanced_within: float
    guidance: tuple[Guidance, ...]


@dataclass(frozen=True)
class Prompt:
    """A reflection prompt."""

    id: str
    text: str
    hint: str = ""


@dataclass(frozen=True)
class Reflection:
    """The reflection prompts."""

    title: str
    intro: str
    max_length: int
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class PlanField:
    """One field of the action plan."""

    id: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class ActionPlan:
    """The action plan the learner fills in."""

    title: str
    intro: str
    max_length: int
    fields: tuple[PlanField, ...]


@dataclass(frozen=True)
class Timing:
    """One segment of a facilitated session."""

    segment: str
    minutes: int
    activity: str


@dataclass(frozen=True)
class Discussion:
    """Discussion questions for one dimension."""

    dimension: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class DebriefPrompt:
    """A prompt for the cohort debrief, printed when ``band`` holds more learners than any other on ``dimension``."""

    dimension: str
    band: str
    prompt: str


@dataclass(frozen=True)
class Facilitator:
    """Notes for the printed facilitator edition (and the prompts of the cohort debrief)."""

    title: str
    intro: str
    timings: tuple[Timing, ...]
    discussion: tuple[Discussion, ...]
    answer_key_notes: tuple[str, ...]
    debrief_prompts: tuple[DebriefPrompt, ...] = ()


@dataclass(frozen=True)
class Lesson:
    """A whole module."""

    schema_version: int
    id: str
    language: str
    title: str
    subtitle: str
    organisation: str
    introduction: Introduction
    dimensions: tuple[Dimension, ...]
    balancing: Balancing
    closing: Closing
    quiz: Quiz
    profile: Profile
    reflection: Reflection
    action_plan: ActionPlan
    facilitator: Facilitator
    duration_minutes: int = 60

    @cached_property
    def dimensions_by_id(self) -> dict[str, Dimension]:
        """Dimensions keyed by id."""
        return {dimension.id: dimension for dimension in self.dimensions}

    @cached_property
    def scenarios_by_id(self) -> dict[str, Scenario]:
        """Scenario items keyed by id."""
        return {item.id: item for item in self.quiz.scenarios}

    @cached_property
    def ratings_by_id(self) -> dict[str, RatingItem]:
        """Self-rating items keyed by id."""
        return {item.id: item for item in self.quiz.ratings.items}

    @cached_property
    def prompt_ids(self) -> tuple[str, ...]:
        """Reflection prompt ids in order."""
        return tuple(prompt.id for prompt in self.reflection.prompts)

    @cached_property
    def action_plan_field_ids(self) -> tuple[str, ...]:
        """Action-plan field ids in order."""
        return tuple(field.id for field in self.action_plan.fields)

    def writing_fields(self, kind: str) -> tuple[tuple[str, ...], int]:
        """The field ids and the longest text allowed for ``kind``: "reflection" or "action_plan"."""
        if kind == "reflection":
            return self.prompt_ids, self.reflection.max_length
        return self.action_plan_field_ids, self.action_plan.max_length

    def scenarios_for(self, dimension_id: str) -> tuple[Scenario, ...]:
        """The scenario items of one dimension, in lesson order."""
        return tuple(item for item in self.quiz.scenarios if item.dimension == dimension_id)

    def ratings_for(self, dimension_id: str) -> tuple[RatingItem, ...]:
        """The self-rating items of one dimension, in lesson order."""
        return tuple(item for item in self.quiz.ratings.items if item.dimension == dimension_id)

    def guidance_for(self, dimension_id: str) -> Guidance:
        """The profile guidance of one dimension."""
        return next(entry for entry in self.profile.guidance if entry.dimension == dimension_id)
