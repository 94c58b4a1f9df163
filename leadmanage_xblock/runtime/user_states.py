"""Every learner's stored state for one block, read from the platform's own store: what the cohort is recounted from.

XBlock gives a block no way to read other users' state, so this small adapter asks the store each runtime keeps:

- Open edX (the LMS): ``lms.djangoapps.courseware.user_state_client.DjangoXBlockUserStateClient`` and its
  ``iter_all_for_block(block_key, scope=Scope.user_state)``, the call the platform's Problem Responses report makes
  (openedx-platform e57a655). It yields ``XBlockUserState(username, block_key, state, updated, scope)`` per learner
  (one ``StudentModule`` row each), ``state`` already parsed, and skips states emptied by a reset (``{}``).
- The xblock-sdk workbench: its ``workbench.models.XBlockState`` rows, one per (scope, block, user) holding every
  field of that scope as JSON; a learner's ``Scope.user_state`` row is ``scope="usage"`` with their ``user_id``.

Studio's settings have long installed the courseware app as well (other apps import its models) and Studio shares the
LMS's database, so where it is installed Studio's preview counts the same rows. Elsewhere (XBlock's test runtimes, a
runtime with neither app) there is no store of learners' work, and ``StatesUnavailableError`` says so. Platform
modules are imported inside the functions that use them: nothing else of the block needs them, and only one of them
exists in any process.
"""

import json
from collections.abc import Iterator

#: The app that holds the LMS's ``StudentModule`` (Studio installs it too).
COURSEWARE_APP = "lms.djangoapps.courseware"
WORKBENCH_APP = "workbench"

#: One learner's stored state: (a key telling learners apart, the block's user_state fields as stored).
type StoredState = tuple[str, object]


class StatesUnavailableError(LookupError):
    """This runtime keeps no learners' states that the block can read (a bare XBlock runtime)."""


def learner_states(usage_id: object) -> Iterator[StoredState]:
    """Each learner's stored state for the block ``usage_id``, once per learner, emptied states left out.

    Raises:
        StatesUnavailableError: no store of learners' states is reachable here.
    """
    installed = _installed_apps()
    if COURSEWARE_APP in installed:
        return openedx_states(usage_id)
    if WORKBENCH_APP in installed:
        return workbench_states(str(usage_id))
    raise StatesUnavailableError("no learner state store in this runtime")


def _installed_apps() -> set[str]:
    try:  # Django is always there in the LMS and Studio, but not in every runtime.
        from django.apps import apps
        from django.conf import settings
    except ImportError:
        return set()
    if not (settings.configured and apps.ready):
        return set()
    return {name for name in (COURSEWARE_APP, WORKBENCH_APP) if apps.is_installed(name)}


def openedx_states(usage_key: object) -> Iterator[StoredState]:
    """The LMS's: ``StudentModule`` rows of the block, keyed by its usage key without a branch (as they are stored)."""
    from lms.djangoapps.courseware.user_state_client import (  # type: ignore[import-not-found]
        DjangoXBlockUserStateClient,
    )

    if isinstance(usage_key, str):  # a Celery task's job carries the key as text
        from opaque_keys.edx.keys import UsageKey

        usage_key = UsageKey.from_string(usage_key)
    for_branch = getattr(usage_key, "for_branch", None)  # StudentModule keys name no branch; a split key may
    block_key = for_branch(None) if for_branch else usage_key
    for entry in DjangoXBlockUserStateClient().iter_all_for_block(block_key):
        yield str(entry.username), entry.state


def workbench_states(usage_id: str) -> Iterator[StoredState]:
    """The xblock-sdk workbench's: each learner's ``Scope.user_state`` row of the block, in the order first stored."""
    from workbench.models import XBlockState  # type: ignore[import-untyped]

    rows = XBlockState.objects.filter(scope="usage", scope_id=usage_id, user_id__isnull=False).order_by("id")
    for user_id, text in rows.values_list("user_id", "state"):
        state = _parsed(text)
        if state != {}:  # as the platform's client: a state emptied by a reset is no learner's
            yield str(user_id), state


def _parsed(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None  # read as no work (LearnerState.from_stored is tolerant of any shape)
