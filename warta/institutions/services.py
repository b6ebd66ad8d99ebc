"""Writes for regions, agencies, officers and leadership terms.

Every function validates everything first and raises a ValidationError with field-level
Indonesian messages; only then does it save, inside one transaction, and audit the change.

Split by feature: regions.py (first-run set-up, letterhead), agencies.py (agencies and
their leadership terms), officers.py (accounts, roles, passwords), validation.py (who acts,
the field errors). Every write stays importable from here: views, the API, the commands
and the imports call `services.<name>`.
"""

from warta.institutions.agencies import (
    agency_create,
    agency_set_active,
    agency_update,
    term_add,
    term_close,
)
from warta.institutions.officers import (
    officer_create,
    officer_email_password_link,
    officer_reset_password,
    officer_set_active,
    officer_set_password,
    officer_snapshot,
    officer_update,
)
from warta.institutions.regions import region_letterhead_update, region_setup
from warta.institutions.validation import Actor

__all__ = [
    "Actor",
    "agency_create",
    "agency_set_active",
    "agency_update",
    "officer_create",
    "officer_email_password_link",
    "officer_reset_password",
    "officer_set_active",
    "officer_set_password",
    "officer_snapshot",
    "officer_update",
    "region_letterhead_update",
    "region_setup",
    "term_add",
    "term_close",
]
