from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from warta.core.api import IsOfficer
from warta.institutions.access import is_coordinator, require_officer, visible_agencies
from warta.institutions.models import Agency, Officer


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "kind", "is_active"]


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer
    permission_classes = [IsOfficer]

    def get_queryset(self) -> QuerySet[Agency]:
        return visible_agencies(self.request.user)


class OfficerSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = Officer
        fields = ["id", "username", "name", "role", "agencies"]


class OfficerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfficerSerializer
    permission_classes = [IsOfficer]

    def get_queryset(self) -> QuerySet[Officer]:
        me = require_officer(self.request.user)
        qs = Officer.objects.filter(region_id=me.region_id).select_related("user")
        if not is_coordinator(self.request.user):
            qs = qs.filter(agencies__in=visible_agencies(self.request.user)).distinct()
        return qs.prefetch_related("agencies").order_by("id")


def register(router) -> None:  # type: ignore[no-untyped-def]
    router.register("agencies", AgencyViewSet, basename="agency")
    router.register("officers", OfficerViewSet, basename="officer")
