from django.contrib import admin

from warta.channels.models import Channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["handle", "platform", "agency", "mode", "status", "last_sync_at"]
    list_filter = ["platform", "mode", "status", "agency__region"]
    search_fields = ["handle", "agency__short_name"]
    # credentials_encrypted is not editable and never shown; set it through warta's page.
    exclude = ["credentials_encrypted"]
    readonly_fields = ["last_sync_at", "last_error", "token_expires_at"]
