from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """`migrate` also creates the database cache table (when that cache is configured),
    so no operator, test run or upgrade has a separate step to forget."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "warta.core"
    label = "core"

    def ready(self) -> None:
        # Django's empty choice ("- Select an option -") has no Indonesian translation;
        # Django documents overriding it here (USE_BLANK_CHOICE_DASH is deprecated).
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        from warta.core import (
            api_auth,  # noqa: F401  (registers the OpenAPI token scheme)
            tasks,  # noqa: F401  (registers periodic jobs)
        )

        fields.BLANK_CHOICE_LABEL = _("— Pilih —")

        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="warta-cache-table")
        # However a password changes (the set-password link, a coordinator, `changepassword`,
        # the admin), the tokens made under the old one stop working.
        from django.conf import settings
        from django.db.models.signals import post_save, pre_save

        from warta.core import apitokens

        pre_save.connect(
            apitokens._note_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="warta-token-password-note",
        )
        post_save.connect(
            apitokens._revoke_after_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="warta-token-password-revoke",
        )
