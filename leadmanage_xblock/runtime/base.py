"""``LeadManageBase``: the block's fields and everything its parts share, in one typed class.

``LeadManageXBlock`` (``block.py``) is put together from one mixin per concern: handlers, Studio editor,
downloads, data APIs, OLX. Each mixin subclasses this base, and only this base: what a mixin reads through
``self`` is declared here (or by XBlock) and checked, and no mixin calls another. Only ``LeadManageXBlock``,
which combines them, uses more than one.
"""

from typing import NotRequired, TypedDict

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.reference.user_service import UserService, XBlockUser

from ..core.content import ContentError, Lesson, load_builtin_lesson, parse_lesson
from ..core.languages import ui_language
from ..core.learner_work import LearnerState
from ..core.rendering import translations_for
from ..core.validation import InputError
from .fields import LeadManageFields

#: The block's user_state fields, read together by ``learner_state`` ("plan" is the action plan before 0.2).
USER_STATE_FIELDS = (
    *("answers", "ratings", "reflection", "action_plan", "plan", "draft"),
    *("attempts", "completed", "revisions", "timestamps", "section"),
)
# StudioPermissionsService methods: (current, older). Current Open edX has both and deprecates the older one
# (it warns); releases before the change have only the older one. docs/architecture.md: "Platform contract".
type Permission = tuple[str, str]
EDIT_CONTENT: Permission = ("can_edit_content", "can_write")
READ_CONTENT: Permission = ("can_read_content", "can_read")
# Keys of the platform's XBlockUser.opt_attrs (common/djangoapps/xblock_django/constants.py).
USERNAME = "edx-platform.username"
USER_IS_STAFF = "edx-platform.user_is_staff"


class DownloadLink(TypedDict):
    """A download offered on the learner's page or in the Studio editor.

    ``edition`` names a workbook the page asks ``workbook_status`` about before it follows the link ("mine", or
    a staff edition): where the platform's workers render workbooks, the file may still be being prepared.
    """

    label: str
    url: str
    edition: NotRequired[str]


class LeadManageBase(LeadManageFields, CompletableXBlockMixin, XBlock):
    """The fields, the language, the lesson, the learner's state and who is asking, for every mixin."""

    def gettext(self, text: str) -> str:
        """Translate a UI string with this package's catalog, in the learner's language (``language()``).

        Not through the runtime's i18n service: the workbench's never translates, and the platform's only
        knows our strings once they have been pulled in from openedx-translations. The package's own
        catalog (``conf/locale``) is the one the templates use, so every string comes out alike.
        """
        return translations_for(self.language()).gettext(text)

    def ugettext(self, text: str) -> str:
        """The same catalog for XBlock code that asks for ``ugettext`` (Studio's field labels)."""
        return self.gettext(text)

    def language(self) -> str:
        """The learner's interface language, if this package has it; otherwise English."""
        try:  # Django is always there in the LMS and Studio, but not in every runtime.
            from django.conf import settings
            from django.utils import translation
        except ImportError:
            return "en"
        return ui_language(translation.get_language() if settings.configured else None)

    def lesson(self) -> Lesson:
        """The block's lesson: the author's YAML, or the built-in lesson. All content access goes here.

        Raises:
            ContentError: the author's YAML has problems.
        """
        text = self.authored_yaml()
        return parse_lesson(text, "lesson_yaml") if text is not None else load_builtin_lesson(self.language())

    def authored_yaml(self) -> str | None:
        """The author's lesson YAML, or ``None`` when the block shows the built-in lesson."""
        text = self.lesson_yaml  # a ``LongString``: scanned once per worker, not per read
        # isspace() stops at the first letter, where strip() would copy the whole text.
        return text if text and not text.isspace() else None

    def lesson_for_learner(self) -> Lesson:
        """The block's lesson; when it has problems, a 409 that tells the learner to come back later.

        Raises:
            InputError: the author's YAML has problems.
        """
        try:
            return self.lesson()
        except ContentError:
            message = self.gettext("This activity is being updated by the course team. Try again later.")
            raise InputError(message, 409) from None

    def learner_state(self) -> LearnerState:
        """This learner's stored state, each field read tolerantly (a value of the wrong type counts as unset)."""
        return LearnerState.from_stored({name: self._stored(name) for name in USER_STATE_FIELDS})

    def _stored(self, name: str) -> object:
        try:
            return getattr(self, name)
        except (TypeError, ValueError):  # XBlock refuses to read a Dict that holds a list, an Integer "abc", ...
            return None

    def can_save(self) -> bool:
        """Whether there is a learner to save for (not an anonymous visitor, not Studio's preview)."""
        return self.scope_ids.user_id is not None and not getattr(self.runtime, "is_author_mode", False)

    def current_user(self) -> XBlockUser | None:
        """The platform's ``XBlockUser`` for the current request, or ``None`` in a runtime without a user service."""
        service: UserService | None = self.runtime.service(self, "user")
        return service.get_current_user() if service is not None else None

    def is_staff(self) -> bool:
        """Whether the current user is course staff: they may have the packages and the facilitator workbook.

        The LMS's user service says so in ``user_is_staff``. Studio's does not: there the flag is never set and
        the ``user_role`` it gives in previews is "staff" or "instructor" for anybody who opens one, so Studio's
        permissions service decides: whoever may read the course's content in Studio may download it.
        """
        user = self.current_user()
        return bool(user and user.opt_attrs.get(USER_IS_STAFF)) or bool(self.studio_permits(READ_CONTENT))

    def studio_permits(self, permission: Permission) -> bool | None:
        """What Studio's permissions service says of the current user and this block's course or library.

        ``None`` where there is no such service (the LMS; Studio always has one).

        Args:
            permission: ``EDIT_CONTENT`` or ``READ_CONTENT``: the service's current method and the older one.
        """
        service: object | None = self.runtime.service(self, "studio_user_permissions")
        if service is None:
            return None
        context_key = getattr(self.scope_ids.usage_id, "context_key", None)
        current, older = permission
        check = getattr(service, current, None) or getattr(service, older)
        return bool(check(context_key))

    def staff_download_links(self) -> list[DownloadLink]:
        """The downloads both views offer staff (``download_*`` handlers, ``downloads.py``); none for anybody else."""
        if not self.is_staff():
            return []
        _, url = self.gettext, self.runtime.handler_url
        return [
            {"label": _("Download SCORM package"), "url": url(self, "download_scorm")},
            {"label": _("Download SCORM 2004 package"), "url": url(self, "download_scorm", query="target=scorm2004-4")},
            self._workbook_link(_("Download workbook (PDF)"), "learner"),
            self._workbook_link(_("Download facilitator workbook (PDF)"), "facilitator"),
        ]

    def _workbook_link(self, label: str, edition: str) -> DownloadLink:
        url = self.runtime.handler_url(self, "download_workbook", query=f"edition={edition}")
        return {"label": label, "url": url, "edition": edition}
