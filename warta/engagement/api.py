"""REST endpoints of the inbox, information requests and consultations (same rules as the UI)."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from warta.channels.models import WhatsAppTemplate
from warta.core.api import ReadOnlyUnlessWriter
from warta.engagement import ppid, selectors, services
from warta.engagement.access import (
    get_consultation_for_user,
    get_inbox_item_for_user,
    get_info_request_for_user,
)
from warta.engagement.models import (
    Consultation,
    InboxItem,
    InformationRequest,
    Reply,
)
from warta.institutions.access import get_agency_for_user


class InboxItemSerializer(serializers.ModelSerializer):
    # Plain text in the schema: its choices share the name "kind" with Agency's and Region's.
    kind = serializers.CharField(read_only=True, help_text="comment / reply / mention / message")

    class Meta:
        model = InboxItem
        fields = [
            "id",
            "agency",
            "channel",
            "variant",
            "parent",
            "platform_item_id",
            "platform_post_id",
            "kind",
            "author_name",
            "author_handle",
            "text",
            "received_at",
            "sentiment",
            "is_abusive",
            "is_hate_speech",
            "intent",
            "is_spam",
            "annotated_at",
            "status",
            "assignee",
            "first_response_at",
            "response_due_at",
            "hidden_on_platform",
            "deleted_on_platform_at",
            "done_at",
        ]
        read_only_fields = fields


class ReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = Reply
        fields = [
            "id",
            "item",
            "text",
            "idempotency_key",
            "status",
            "platform_reply_id",
            "error",
            "created_at",
            "sent_at",
            "wa_template",
            "delivered_at",
            "read_at",
        ]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(allow_null=True)


class ReplyInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=services.MAX_REPLY_CHARS)
    idempotency_key = serializers.UUIDField(required=False)
    # WhatsApp outside the 24-hour window: the id of an approved template of the channel.
    wa_template = serializers.IntegerField(required=False, allow_null=True)


class DoneSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class InboxPagination(CursorPagination):
    # Keyset paging: no COUNT over a large inbox.
    ordering = ("-received_at", "-id")
    page_size = 50


class InboxItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InboxItemSerializer
    permission_classes = [ReadOnlyUnlessWriter]
    pagination_class = InboxPagination

    def get_queryset(self) -> QuerySet[InboxItem]:
        filters = selectors.InboxFilters.from_query(self.request.query_params)
        return selectors.inbox_items(self.request.user, filters)

    def get_object(self) -> InboxItem:
        edit = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return get_inbox_item_for_user(self.request.user, int(self.kwargs["pk"]), edit=edit).obj

    @extend_schema(request=AssignSerializer, responses=InboxItemSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_id = data.validated_data["assignee"]
        assignee = get_object_or_404(User, pk=user_id) if user_id else None
        item = services.inbox_item_assign(item=item, assignee=assignee, actor=request.user)
        return Response(InboxItemSerializer(item).data)

    @extend_schema(request=ReplyInputSerializer, responses=ReplySerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template_id = data.validated_data.get("wa_template")
        template = (
            WhatsAppTemplate.objects.filter(pk=template_id, channel_id=item.channel_id).first()
            if template_id
            else None
        )
        if template_id and template is None:
            raise ValidationError(
                {"wa_template": _("Pilih templat yang sudah disetujui Meta untuk kanal ini.")}
            )
        reply = services.reply_create(
            item=item,
            text=data.validated_data["text"],
            actor=request.user,
            idempotency_key=data.validated_data.get("idempotency_key"),
            wa_template=template,
        )
        reply.refresh_from_db()
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DoneSerializer, responses=InboxItemSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = DoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.inbox_item_set_done(
            item=item, actor=request.user, done=data.validated_data["done"]
        )
        return Response(InboxItemSerializer(item).data)


class InformationRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "agency",
            "register_number",
            "inbox_item",
            "channel",
            "origin",
            "requester_name",
            "requester_contact",
            "information_requested",
            "purpose",
            "received_at",
            "due_at",
            "original_due_at",
            "extended_at",
            "extension_reason",
            "status",
            "response",
            "exemption_reason",
            "responded_at",
            "responsible",
        ]
        read_only_fields = [
            "register_number",
            "channel",
            "due_at",
            "original_due_at",
            "extended_at",
            "extension_reason",
            "status",
            "response",
            "exemption_reason",
            "responded_at",
            "responsible",
        ]
        extra_kwargs = {"received_at": {"required": False}}


class RespondSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=sorted(ppid.FINAL))
    response = serializers.CharField()
    exemption_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    reason = serializers.CharField()


class InformationRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InformationRequestSerializer
    permission_classes = [ReadOnlyUnlessWriter]

    def get_queryset(self) -> QuerySet[InformationRequest]:
        return selectors.info_requests(self.request.user).order_by("-id")

    def get_object(self) -> InformationRequest:
        edit = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return get_info_request_for_user(self.request.user, int(self.kwargs["pk"]), edit=edit).obj

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = InformationRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        agency = get_agency_for_user(request.user, d["agency"].pk, edit=True).agency
        item = d.get("inbox_item")
        if item is not None:
            item = get_inbox_item_for_user(request.user, item.pk, edit=True).obj
        created = ppid.info_request_create(
            agency=agency,
            actor=request.user,
            requester_name=d["requester_name"],
            requester_contact=d["requester_contact"],
            information_requested=d["information_requested"],
            origin=d["origin"],
            received_at=d.get("received_at"),
            purpose=d.get("purpose", ""),
            inbox_item=item,
        )
        return Response(InformationRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RespondSerializer, responses=InformationRequestSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        data = RespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        req = ppid.info_request_respond(request=req, actor=request.user, **data.validated_data)
        return Response(InformationRequestSerializer(req).data)

    @extend_schema(request=ExtendSerializer, responses=InformationRequestSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        data = ExtendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        req = ppid.info_request_extend(
            request=req, reason=data.validated_data["reason"], actor=request.user
        )
        return Response(InformationRequestSerializer(req).data)


class ConsultationSerializer(serializers.ModelSerializer):
    themes = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "agency",
            "title",
            "question",
            "background",
            "opens_at",
            "closes_at",
            "has_public_form",
            "announcing_variants",
            "follow_up_post",
            "themes",
        ]
        read_only_fields = fields

    def get_themes(self, obj: Consultation) -> list[dict[str, Any]]:
        return [
            {
                "id": t.pk,
                "label": t.label,
                "keywords": t.keywords,
                "count": getattr(t, "people", 0),
                "answer": t.answer,
                "answer_reason": t.answer_reason,
                "quotes": [q.text for q in getattr(t, "quotes", [])],
                "actions": [
                    {"title": a.title, "progress": a.progress, "due_date": a.due_date}
                    for a in t.actions.all()
                ],
            }
            for t in selectors.themes_with_counts(obj)
        ]


class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConsultationSerializer
    permission_classes = [ReadOnlyUnlessWriter]

    def get_queryset(self) -> QuerySet[Consultation]:
        return selectors.consultations(self.request.user).prefetch_related("announcing_variants")

    def get_object(self) -> Consultation:
        return get_consultation_for_user(self.request.user, int(self.kwargs["pk"])).obj


def register(router) -> None:  # type: ignore[no-untyped-def]
    router.register("inbox-items", InboxItemViewSet, basename="inbox-item")
    router.register(
        "information-requests", InformationRequestViewSet, basename="information-request"
    )
    router.register("consultations", ConsultationViewSet, basename="consultation")
