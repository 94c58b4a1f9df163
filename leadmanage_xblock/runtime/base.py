"""``LeadManageBase``: the block's fields and everything its parts share, in one typed class.

``LeadManageXBlock`` (``block.py``) is put together from one mixin per concern: handlers, Studio editor,
downloads, data APIs, OLX. Each mixin subclasses this base, and only this base: what a mixin reads through
``self`` is declared here (or by XBlock) and checked, and no mixin calls another. Only ``LeadManageXBlock``,
which combines them, uses more than one.
"""

from typing import NotRequired, Protocol, TypedDict

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Field
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


#: XBlock's own ``Field._sanitize``, which every field type but ``String`` keeps (``_stored``).
PLAIN_SANITIZE = getattr(Field, "_sanitize", None)


class FieldData(Protocol):
    """What ``_stored`` asks of XBlock's ``FieldData`` (the stubs leave XBlock's field data out)."""

    def get(self, block: object, name: str) -> object:
        """The stored value of the field ``name`` of ``block``; ``KeyError`` when none is stored."""
        ...


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

    # XBlock's own, which its type hints do not declare: the field data the fields are read from, and the values
    # this request has read or set (``_stored`` reads the field data directly where that is the same).
    _field_data: FieldData
    _field_data_cache: dict[str, object]

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

    def lesson(self, language: str | None = None) -> Lesson:
        """The block's lesson: the author's YAML, or the built-in lesson. All content access goes here.

        Args:
            language: ``language()``, when the caller has it already (asking Django again is not free).

        Raises:
            ContentError: the author's YAML has problems.
        """
        text = self.authored_yaml()
        if text is not None:
            return parse_lesson(text, "lesson_yaml")
        return load_builtin_lesson(language or self.language())

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
        """One user_state field's value as XBlock reads it; ``None`` when unset or unreadable.

        Straight from the field data where that gives what XBlock's read would: a field this request has not
        set, of a type whose read is only its ``from_json``. XBlock's own read of such a field also asks the
        field data for an inherited default (user state has none: the ``KeyError`` formats the whole key) and
        deep-copies a dict to notice changes made in place (``LearnerState.from_stored`` copies every value, so
        none are): about 0.02 ms a field in a warm workbench worker, eleven fields on every view and handler.
        """
        field = self.fields[name]
        try:
            if not self._reads_plainly(name, field):
                return getattr(self, name)  # read or set by this request already, or a String (XBlock cleans it)
            return field.from_json(self._field_data.get(self, name))
        except KeyError:  # not stored: from_stored gives the field's default
            return None
        except (TypeError, ValueError):  # XBlock refuses to read a Dict that holds a list, an Integer "abc", ...
            return None

    def _reads_plainly(self, name: str, field: "Field[object]") -> bool:
        """Whether XBlock's read of ``name`` is only the field data's value through ``from_json``.

        These are XBlock's internals (6.x): a version without them is read the long way, never with an error.
        """
        read_already = getattr(self, "_field_data_cache", None)
        plain = PLAIN_SANITIZE is not None and getattr(type(field), "_sanitize", None) is PLAIN_SANITIZE
        return plain and read_already is not None and name not in read_already and hasattr(self, "_field_data")

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
