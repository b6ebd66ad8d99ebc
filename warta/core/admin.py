from django.contrib import admin
from django.http import HttpRequest

from warta.core.models import AuditEvent


def _superuser_only(request: HttpRequest) -> bool:
    # Day-to-day management happens in warta's own pages, with the agency boundary and the
    # audit log; the admin is a superuser's repair tool only.
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superuser_only  # type: ignore[method-assign]
admin.site.site_header = "warta"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr", "region", "agency"]
    list_filter = ["action", "region"]
    search_fields = ["object_repr", "action", "actor__username"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
