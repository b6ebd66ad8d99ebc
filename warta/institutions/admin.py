from django.contrib import admin

from warta.institutions.models import Agency, LeadershipTerm, Officer, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "timezone", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class LeadershipTermInline(admin.TabularInline):
    model = LeadershipTerm
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "region", "is_active"]
    list_filter = ["region", "kind", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [LeadershipTermInline]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region"]
    list_filter = ["region", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["agencies"]
    raw_id_fields = ["user"]


@admin.register(LeadershipTerm)
class LeadershipTermAdmin(admin.ModelAdmin):
    list_display = ["agency", "head_name", "title", "start", "end"]
    list_filter = ["agency__region"]
