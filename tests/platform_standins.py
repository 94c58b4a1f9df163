"""Stand-ins for the Open edX services the block uses, each with the signature the platform gives it.

The signatures (never the code) are copied from the commits named in docs/architecture.md, "Platform contract":
exact parameter names and no ``**kwargs``, so a call the platform would refuse fails in the tests too.
"""

import warnings
from collections import namedtuple

from opaque_keys.edx.locator import CourseLocator, LibraryLocatorV2
from xblock.field_data import DictFieldData
from xblock.reference.user_service import UserService, XBlockUser
from xblock_runtime import RecordingRuntime

# lms/djangoapps/courseware/user_state_client.py: what iter_all_for_block yields.
XBlockUserState = namedtuple("XBlockUserState", ["username", "block_key", "state", "updated", "scope"])


class StudioPermissionsService:
    """openedx/core/djangoapps/content/services.py today: ``can_*_content``; ``can_read``/``can_write`` warn."""

    def __init__(self, user) -> None:
        self._user = user

    def _check(self, context_key, granted: frozenset) -> bool:
        # The platform's perm_for_key knows only course and (v2) library keys: a usage key is a TypeError.
        if not isinstance(context_key, CourseLocator | LibraryLocatorV2):
            raise TypeError(f"{context_key} is not a recognized LearningContextKey.")
        return context_key in granted

    def can_read_content(self, context_key) -> bool:
        return self._check(context_key, self._user.reads)

    def can_edit_content(self, context_key) -> bool:
        return self._check(context_key, self._user.edits)

    def can_read(self, context_key) -> bool:
        warnings.warn("can_read is deprecated.", DeprecationWarning, stacklevel=2)
        return self._check(context_key, self._user.reads)

    def can_write(self, context_key) -> bool:
        warnings.warn("can_write is deprecated.", DeprecationWarning, stacklevel=2)
        return self._check(context_key, self._user.edits)


class LegacyStudioPermissionsService:
    """The same service before ``can_edit_content`` (e.g. openedx-platform 1aa1039): ``can_read``, ``can_write``."""

    def __init__(self, user):
        self._user = user

    def can_read(self, context_key):
        return context_key in self._user.reads

    def can_write(self, context_key):
        return context_key in self._user.edits


#: A Studio user for the permission stand-ins: the learning context keys they may read and edit.
StudioUser = namedtuple("StudioUser", "reads edits")


class DjangoXBlockUserService(UserService):
    """common/djangoapps/xblock_django/user_service.py: the ``XBlockUser`` it builds, with its ``opt_attrs`` keys.

    Made from a username rather than a Django user: the block only calls ``get_current_user()``.
    ``user_is_staff`` and ``user_role`` default as the platform's do; Studio's editor passes neither.
    """

    def __init__(self, username: str, *, full_name=None, user_is_staff=False, user_role="student"):
        super().__init__()
        self._user = XBlockUser(is_current_user=True, emails=[f"{username}@example.com"], full_name=full_name)
        self._user.opt_attrs.update(
            {
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": 7,
                "edx-platform.username": username,
                "edx-platform.user_is_beta_tester": False,
                "edx-platform.user_is_global_staff": False,
                "edx-platform.user_is_staff": user_is_staff,
                "edx-platform.user_role": user_role,
                "edx-platform.user_preferences": {},
            }
        )

    def get_current_user(self):
        return self._user


class EventPublishingService:
    """xmodule/services.py: what the LMS reads from a ``grade`` and a ``completion`` event."""

    def __init__(self):
        self.scores, self.completions = [], []

    def publish(self, block, event_type, event):
        if event_type == "grade":  # _handle_grade_event: SCORE_PUBLISHED with these
            self.scores.append((event["value"], event["max_value"], event.get("only_if_higher")))
        elif event_type == "completion":  # CompletionService.submit_completion(usage_id, completion)
            self.completions.append((block.scope_ids.usage_id, event["completion"]))


class PlatformRuntime(RecordingRuntime):
    """The test runtime with the platform's ``handler_url`` (query appended) and its event publishing."""

    def __init__(self, field_data: DictFieldData, services: dict):
        super().__init__(field_data)
        self._services.update(services)
        self.events = EventPublishingService()

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/xblock/{block.scope_ids.usage_id}/handler/{handler_name}/{suffix}" + (f"?{query}" if query else "")

    def publish(self, block, event_type, event_data):
        super().publish(block, event_type, event_data)
        self.events.publish(block, event_type, event_data)
