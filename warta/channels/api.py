"""API v1: channels. Everyone reads within scope; officers and coordinators write their own."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from warta.channels import services
from warta.channels.models import Channel
from warta.channels.selectors import get_channel_for_user, visible_channels
from warta.core.api import ReadOnlyUnlessWriter
from warta.institutions.access import editable_agencies
from warta.lib.platforms import ConnectionMode, Platform


class ChannelSerializer(serializers.ModelSerializer):
    has_credentials = serializers.BooleanField(read_only=True)

    class Meta:
        model = Channel
        fields = [
            "id",
            "agency",
            "platform",
            "handle",
            "url",
            "mode",
            "external_id",
            "status",
            "status_reason",
            "token_expires_at",
            "last_sync_at",
            "followers",
            "has_credentials",
        ]


class ChannelWriteSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Channel.objects.none())
    platform = serializers.ChoiceField(choices=Platform.choices)
    handle = serializers.CharField(max_length=200)
    url = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    mode = serializers.ChoiceField(choices=ConnectionMode.choices, default=ConnectionMode.MANUAL)
    external_id = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    status = serializers.ChoiceField(
        choices=[("active", "active"), ("disabled", "disabled")], required=False
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # An agency the caller may not edit is simply not a valid choice.
            fields["agency"].queryset = editable_agencies(request.user)  # type: ignore[attr-defined]
        return fields


class ChannelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [ReadOnlyUnlessWriter]
    lookup_value_regex = r"\d+"  # anything else is a 404 from the router, never a 500

    def get_queryset(self) -> QuerySet[Channel]:
        return visible_channels(self.request.user).order_by("id")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in {"create", "update", "partial_update"}:
            return ChannelWriteSerializer
        return ChannelSerializer

    @extend_schema(request=ChannelWriteSerializer, responses={201: ChannelSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ChannelWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        status = data.pop("status", None)
        channel = services.channel_create(actor=request.user, **data)
        if status == "disabled":
            services.channel_set_enabled(actor=request.user, channel=channel, enabled=False)
        return Response(ChannelSerializer(channel).data, status=201)

    @extend_schema(request=ChannelWriteSerializer, responses={200: ChannelSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        channel = get_channel_for_user(request.user, int(kwargs["pk"]), edit=True).channel
        serializer = ChannelWriteSerializer(
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = {
            "platform": channel.platform,
            "handle": channel.handle,
            "url": channel.url,
            "mode": channel.mode,
            "external_id": channel.external_id,
        }
        validated = dict(serializer.validated_data)
        agency = validated.pop("agency", None)
        if agency is not None and agency.pk != channel.agency_id:
            raise serializers.ValidationError(
                {"agency": [_("Kanal tidak bisa dipindah ke perangkat daerah lain.")]}
            )
        status = validated.pop("status", None)
        data.update(validated)
        services.channel_update(actor=request.user, channel=channel, **data)
        if status is not None:
            services.channel_set_enabled(
                actor=request.user, channel=channel, enabled=status == "active"
            )
        return Response(ChannelSerializer(channel).data)

    @extend_schema(request=ChannelWriteSerializer, responses={200: ChannelSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().partial_update(request, *args, **kwargs)


def register(router) -> None:  # type: ignore[no-untyped-def]
    router.register("channels", ChannelViewSet, basename="channel")
