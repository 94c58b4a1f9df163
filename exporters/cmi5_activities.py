"""The xAPI activities a cmi5 AU reports on: each quiz item, reflection prompt and action plan field, defined.

An analyst reading the LRS sees each answer against the question, its choices and the correct response, in the
lesson's language. Ids are the same URNs as the SCORM 2004 interactions (``scorm.interaction_ids``), so one item
has one id in every export; action plan fields, which SCORM does not report, are
``urn:leadmanage:<lesson>:action_plan:<id>``.
"""

from typing import NotRequired, TypedDict

from leadmanage_xblock.core.content import Lesson

from .scorm import interaction_ids
from .scorm_manifest import TARGETS

INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
LangMap = dict[str, str]


class Component(TypedDict):
    """One choice or scale point of an interaction."""

    id: str
    description: LangMap


class ActivityDefinition(TypedDict):
    """An xAPI activity definition of a ``cmi.interaction`` (xAPI 1.0.3, section 2.4.4.1)."""

    type: str
    name: LangMap
    description: NotRequired[LangMap]
    interactionType: str
    choices: NotRequired[list[Component]]
    scale: NotRequired[list[Component]]
    correctResponsesPattern: NotRequired[list[str]]


class Activity(TypedDict):
    """An activity as a statement's object."""

    objectType: str
    id: str
    definition: ActivityDefinition


def quiz_activities(lesson: Lesson, language: str) -> dict[str, Activity]:
    """Every scenario, self-rating, reflection prompt (``reflection:<id>``) and plan field (``action_plan:<id>``)."""
    ids = interaction_ids(lesson, TARGETS["scorm2004-4"])
    ids |= {
        f"action_plan:{field.id}": f"urn:leadmanage:{lesson.id}:action_plan:{field.id}"
        for field in lesson.action_plan.fields
    }
    definitions = {
        **_scenarios(lesson, language),
        **_ratings(lesson, language),
        **_texts(lesson, language),
    }
    return {key: {"objectType": "Activity", "id": ids[key], "definition": value} for key, value in definitions.items()}


def _scenarios(lesson: Lesson, language: str) -> dict[str, ActivityDefinition]:
    return {
        item.id: {
            "type": INTERACTION_TYPE,
            "name": {language: item.question},
            "description": {language: item.situation},
            "interactionType": "choice",
            "choices": [{"id": option.id, "description": {language: option.text}} for option in item.options],
            "correctResponsesPattern": [item.correct_option.id],
        }
        for item in lesson.quiz.scenarios
    }


def _ratings(lesson: Lesson, language: str) -> dict[str, ActivityDefinition]:
    scale = lesson.quiz.ratings.scale
    points: list[Component] = [
        {"id": str(point), "description": {language: scale.label_for(point) or str(point)}}
        for point in range(1, scale.points + 1)
    ]
    return {
        item.id: {
            "type": INTERACTION_TYPE,
            "name": {language: f"{item.leading} / {item.managing}"},
            "interactionType": "likert",
            "scale": points,
        }
        for item in lesson.quiz.ratings.items
    }


def _texts(lesson: Lesson, language: str) -> dict[str, ActivityDefinition]:
    """The reflection prompts and action plan fields: each a long fill-in named by its prompt or label."""
    named = [(f"reflection:{prompt.id}", prompt.text) for prompt in lesson.reflection.prompts]
    named += [(f"action_plan:{field.id}", field.label) for field in lesson.action_plan.fields]
    return {
        key: {"type": INTERACTION_TYPE, "name": {language: name}, "interactionType": "long-fill-in"}
        for key, name in named
    }
