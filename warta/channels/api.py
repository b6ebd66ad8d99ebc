from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from warta.channels.models import Channel
from warta.core.api import IsOfficer
from warta.institutions.access import visible_agencies


class ChannelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Channel
        fields = [
            "id", "agency", "platform", "handle", "url", "mode", "status", "status_reason",
            "token_expires_at", "last_sync_at", "followers",
        ]


class ChannelViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ChannelSerializer
    permission_classes = [IsOfficer]

    def get_queryset(self) -> QuerySet[Channel]:
        return Channel.objects.filter(agency__in=visible_agencies(self.request.user)).order_by("id")


def register(router) -> None:  # type: ignore[no-untyped-def]
    router.register("channels", ChannelViewSet, basename="channel")
