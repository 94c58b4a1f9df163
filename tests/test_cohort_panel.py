"""The cohort panel where no learner's work is kept (a bare XBlock runtime), and where the LMS's states come from.

The LMS's come from a stand-in of the platform's user state client with its signature (tests/platform_standins.py).

The panel's counts, its minimum group and its debrief are tested in a live workbench, where learners submit
(tests/browser/test_cohort_workbench.py); here, what staff and learners get where no learner's work is kept.
"""

import sys
import types
from typing import ClassVar
from urllib.parse import urlencode

from opaque_keys.edx.keys import UsageKey
from platform_standins import XBlockUserState
from webob import Request
from xblock.fields import Scope
from xblock_runtime import block_for, call, html_of

from leadmanage_xblock.runtime.user_states import openedx_states


def test_staff_in_a_runtime_without_learners_work_are_told_where_the_summary_is():
    staff = block_for("staff_ana", staff=True)
    assert "Cohort summary (course staff only)" in html_of(staff)
    assert call(staff, "cohort_summary", {}) == (
        409,
        {"error": "The cohort summary is shown in the LMS, where the learners' work is kept."},
    )
    response = staff.handle("download_debrief", Request.blank("/"))
    assert (response.status_code, response.text) == (409, call(staff, "cohort_summary", {})[1]["error"])
    assert call(staff, "debrief_status", {"edition": "debrief"}) == call(staff, "cohort_summary", {})


def test_the_debrief_handlers_refuse_input_they_do_not_expect(django_language):
    staff = block_for("staff_ana", staff=True)
    with django_language("es"):
        for odd in ([1, 2], None, {}, {"edition": 5}, {"edition": "mine"}):
            assert call(staff, "debrief_status", odd) == (400, {"error": "Edición del cuaderno desconocida."}), odd
        for counts in ("zz", "A" * 64, "0" * 63, "../etc/passwd"):
            response = staff.handle("download_debrief", Request.blank("/?" + urlencode({"counts": counts})))
            assert (response.status_code, response.text) == (400, "Este enlace de descarga no es válido."), counts


def test_learners_get_no_panel_and_403_in_their_language(django_language):
    learner = block_for("ben")
    assert "lm-cohort" not in html_of(learner)
    assert not any("lm-cohort" in resource.data for resource in learner.render("student_view").resources)
    with django_language("es"):
        assert call(learner, "cohort_summary", {}) == (
            403,
            {"error": "Solo el equipo del curso puede ver el resumen del grupo."},
        )
        assert learner.handle("download_debrief", Request.blank("/")).status_code == 403
        refused = (403, {"error": "Solo el equipo del curso puede descargar esto."})
        assert call(learner, "debrief_status", {"edition": "debrief"}) == refused


def test_the_staff_panel_is_in_spanish_with_its_script(django_language):
    with django_language("es"):
        fragment = block_for("staff_ana", staff=True).render("student_view")
    assert "Resumen del grupo (solo para el equipo del curso)" in fragment.content
    assert "Cargando el resumen del grupo…" in fragment.content
    assert any("section.lm-cohort[data-url]" in resource.data for resource in fragment.resources)


class StandinUserStateClient:
    """lms/djangoapps/courseware/user_state_client.py (openedx-platform e57a655): the report's iterator, its signature.

    ``iter_all_for_block(block_key, scope=Scope.user_state)`` yields ``XBlockUserState`` per ``StudentModule`` row
    whose ``module_state_key`` equals ``block_key`` (stored without a branch), skipping states reset to ``{}``.
    """

    rows: ClassVar[list[tuple[str, str, dict]]] = []  # (username, module_state_key, state)

    def __init__(self, user=None):
        self.user = user

    def iter_all_for_block(self, block_key, scope=Scope.user_state):
        for username, stored_key, state in self.rows:
            if stored_key == str(block_key) and state != {}:
                yield XBlockUserState(username, block_key, state, None, scope)


def test_in_the_lms_each_learners_state_comes_from_the_platforms_report_iterator(monkeypatch):
    module = types.ModuleType("lms.djangoapps.courseware.user_state_client")
    module.DjangoXBlockUserStateClient = StandinUserStateClient
    for name in ("lms", "lms.djangoapps", "lms.djangoapps.courseware"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    block = "block-v1:Acme+LVM+2026+type@leadmanage+block@lvm1"
    other = "block-v1:Acme+LVM+2026+type@leadmanage+block@lvm2"
    ana, ben = {"answers": {"goals_s1": "a"}, "attempts": 1}, {"section": "intro"}
    rows = [("ana", block, ana), ("ben", block, ben), ("cai", block, {}), ("dee", other, ana)]
    monkeypatch.setattr(StandinUserStateClient, "rows", rows)
    key = UsageKey.from_string(block.replace("2026+", "2026+branch@published-branch+"))
    assert list(openedx_states(key)) == [("ana", ana), ("ben", ben)]
