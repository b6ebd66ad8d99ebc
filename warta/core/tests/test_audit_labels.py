"""Every audit action the code records reads as Indonesian words in the audit log."""

import re
from pathlib import Path

from django.utils import translation

import warta
from warta.core.audit_labels import audit_label

ACTION = re.compile(r'action="([a-z_]+(?:\.[a-z_]+)+)"')
# The variant state machine (content.workflow._transition) is called with the bare verb and
# records it as content.variant.<verb>.
TRANSITION = re.compile(r'_transition\([^()]*?action="([a-z_]+)"', re.DOTALL)


def test_every_recorded_action_has_a_readable_label() -> None:
    root = Path(warta.__file__).parent
    codes = {
        m.group(1)
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for m in ACTION.finditer(path.read_text(encoding="utf-8"))
    }
    codes |= {
        f"content.variant.{m.group(1)}"
        for path in (root / "content").rglob("*.py")
        if "tests" not in path.parts
        for m in TRANSITION.finditer(path.read_text(encoding="utf-8"))
    }
    assert {"content.variant.retry", "content.variant.held"} <= codes
    assert "consultation.group" in codes
    with translation.override("id"):
        unnamed = sorted(c for c in codes if audit_label(c) == c)
        assert unnamed == []
        assert audit_label("consultation.group") == (
            "Konsultasi publik: masukan dikelompokkan ke tema"
        )
        # The publishing state machine records its transitions as content.variant.<verb>.
        assert audit_label("content.variant.submit_for_approval").startswith("Varian")
