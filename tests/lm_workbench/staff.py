"""A user service for the workbench that knows course staff: ``?student=staff…`` is staff, anyone else a learner.

The workbench's own user service sets only ``xblock-workbench.user_id``, so the block's staff-only
downloads could never be seen there. This one fills ``opt_attrs`` the way the LMS does.
"""

from workbench.runtime import WorkBenchUserService

STAFF_PREFIX = "staff"


class StaffAwareUserService(WorkBenchUserService):
    """The workbench user, with the LMS's ``edx-platform.username`` and ``edx-platform.user_is_staff``."""

    def __init__(self):
        super().__init__(None)  # The runtime sets ``self.runtime`` next; the user id is read from it.

    def get_current_user(self):
        """The current workbench student, marked staff when their id starts with "staff"."""
        user = super().get_current_user()
        user_id = str(getattr(self.runtime, "user_id", None) or "")
        user.opt_attrs["xblock-workbench.user_id"] = user_id
        user.opt_attrs["edx-platform.username"] = user_id
        user.opt_attrs["edx-platform.user_is_staff"] = user_id.startswith(STAFF_PREFIX)
        return user


class StaffPermissions:
    """Studio's ``studio_user_permissions`` service for the workbench: staff students may read and edit the course.

    The block asks it (as Studio's own service) before saving the editor and for the staff downloads; the LMS has
    no such service, so there nobody may save settings.
    """

    def __init__(self):
        self.runtime = None  # the workbench sets it after building the service

    def _is_staff(self) -> bool:
        return str(getattr(self.runtime, "user_id", None) or "").startswith(STAFF_PREFIX)

    def can_edit_content(self, context_key) -> bool:
        """Whether the current workbench student may change the course: staff only."""
        return self._is_staff()

    def can_read_content(self, context_key) -> bool:
        """Whether the current workbench student may read the course in Studio: staff only."""
        return self._is_staff()
