"""REST API of content: posts and variants, with the same services and permissions as the UI."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from warta.content import services
from warta.content.models import Post, PostVariant
from warta.content.selectors import (
    get_post_for_user,
    get_variant_for_user,
    posts_visible,
    variants_visible,
)
from warta.core.api import ReadOnlyUnlessWriter
from warta.institutions.access import get_agency_for_user
from warta.lib.categories import PostCategory
from warta.lib.ids import parse_id


class VariantSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="channel.platform", read_only=True)
    agency = serializers.IntegerField(source="post.agency_id", read_only=True)

    class Meta:
        model = PostVariant
        fields = [
            "id",
            "post",
            "agency",
            "channel",
            "platform",
            "caption",
            "hashtags",
            "first_comment",
            "title",
            "status",
            "scheduled_at",
            "published_at",
            "platform_post_id",
            "platform_url",
            "attempts",
            "last_error",
            "findings",
            "updated_at",
        ]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    variants = VariantSerializer(many=True, read_only=True)
    media = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "agency",
            "title",
            "message",
            "category",
            "media",
            "variants",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_media(self, post: Post) -> list[int]:
        return [pm.media_id for pm in post.post_media.all()]


class PostCreateSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    message = serializers.CharField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=PostCategory.choices, default=PostCategory.OTHER)
    channels = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    media = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class ScheduleSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField(
        help_text="ISO 8601 with offset, e.g. 2026-12-01T08:00:00+08:00"
    )


class NoBodySerializer(serializers.Serializer):
    """No fields: the action needs no input."""


class PostViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReadOnlyUnlessWriter]
    serializer_class = PostSerializer

    def get_queryset(self) -> QuerySet[Post]:
        qs = (
            posts_visible(self.request.user)
            .prefetch_related("variants__channel", "post_media")
            .order_by("-created_at", "-id")
        )
        agency_id = parse_id(self.request.query_params.get("agency", ""))
        return qs.filter(agency_id=agency_id) if agency_id is not None else qs

    def get_object(self) -> Post:
        return get_post_for_user(self.request.user, int(self.kwargs["pk"])).post

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return PostCreateSerializer if self.action == "create" else PostSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PostCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        agency = get_agency_for_user(request.user, values["agency"], edit=True).agency
        post = services.post_create(
            actor=request.user,
            agency=agency,
            message=values["message"],
            title=values["title"],
            category=values["category"],
            channel_ids=values["channels"],
            media_ids=values["media"],
        )
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)


class VariantViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReadOnlyUnlessWriter]
    serializer_class = VariantSerializer

    def get_queryset(self) -> QuerySet[PostVariant]:
        qs = variants_visible(self.request.user).order_by("scheduled_at", "id")
        params = self.request.query_params
        if params.get("status") in PostVariant.Status.values:
            qs = qs.filter(status=params["status"])
        if (agency_id := parse_id(params.get("agency", ""))) is not None:
            qs = qs.filter(post__agency_id=agency_id)
        return qs

    def get_object(self) -> PostVariant:
        return get_variant_for_user(self.request.user, int(self.kwargs["pk"])).variant

    def _editable(self) -> PostVariant:
        return get_variant_for_user(self.request.user, int(self.kwargs["pk"]), edit=True).variant

    @action(detail=True, methods=["post"], serializer_class=ScheduleSerializer)
    def schedule(self, request: Request, pk: str) -> Response:
        """Check and schedule a draft (or schedule a checked variant) at `scheduled_at`."""
        variant = self._editable()
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        when = data.validated_data["scheduled_at"]
        if variant.status == PostVariant.Status.READY:
            services.variant_schedule(actor=request.user, variant=variant, when=when)
        else:
            services.variant_submit(actor=request.user, variant=variant, scheduled_at=when)
        return Response(VariantSerializer(variant).data)

    @action(detail=True, methods=["post"], serializer_class=ScheduleSerializer)
    def reschedule(self, request: Request, pk: str) -> Response:
        variant = self._editable()
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.variant_reschedule(
            actor=request.user, variant=variant, when=data.validated_data["scheduled_at"]
        )
        return Response(VariantSerializer(variant).data)

    @action(detail=True, methods=["post"], serializer_class=NoBodySerializer)
    def cancel(self, request: Request, pk: str) -> Response:
        variant = self._editable()
        services.variant_cancel(actor=request.user, variant=variant)
        return Response(VariantSerializer(variant).data)


def register(router) -> None:  # type: ignore[no-untyped-def]
    router.register("posts", PostViewSet, basename="post")
    router.register("variants", VariantViewSet, basename="variant")
