"""API v1: agencies and officers. Everyone reads within their scope; coordinators write."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from warta.core.api import IsOfficer
from warta.institutions import services
from warta.institutions.access import (
    get_agency_for_user,
    get_officer_for_user,
    is_coordinator,
    require_officer,
    visible_agencies,
    visible_officers,
)
from warta.institutions.models import Agency, Officer


class CoordinatorWrites(IsOfficer):
    """Anyone with a role reads; only coordinators create and change."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or is_coordinator(request.user)


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "kind", "is_active"]


class AgencyWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=Agency.Kind.choices, default=Agency.Kind.DINAS)
    is_active = serializers.BooleanField(required=False)


class _WriteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reads through the read serializer; writes parse with the write one and call a service."""

    read_serializer: type[serializers.Serializer]
    lookup_value_regex = r"\d+"  # anything else is a 404 from the router, never a 500
    write_serializer: type[serializers.Serializer]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in {"create", "update", "partial_update"}:
            return self.write_serializer
        return self.read_serializer

    def _parse(self, request: Request, *, partial: bool, initial: dict[str, Any]) -> dict[str, Any]:
        serializer = self.write_serializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return {**initial, **serializer.validated_data}


class AgencyViewSet(_WriteViewSet):
    permission_classes = [CoordinatorWrites]
    read_serializer = AgencySerializer
    write_serializer = AgencyWriteSerializer

    def get_queryset(self) -> QuerySet[Agency]:
        return visible_agencies(self.request.user).order_by("short_name")

    @extend_schema(request=AgencyWriteSerializer, responses={201: AgencySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        me = require_officer(request.user)
        data = self._parse(request, partial=False, initial={})
        active = data.pop("is_active", True)
        agency = services.agency_create(actor=request.user, region=me.region, **data)
        if not active:
            services.agency_set_active(actor=request.user, agency=agency, active=False)
        return Response(AgencySerializer(agency).data, status=201)

    @extend_schema(request=AgencyWriteSerializer, responses={200: AgencySerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        agency = get_agency_for_user(request.user, int(kwargs["pk"]), edit=True).agency
        data = self._parse(
            request,
            partial=kwargs.get("partial", False),
            initial={
                "name": agency.name,
                "short_name": agency.short_name,
                "kind": agency.kind,
            },
        )
        active = data.pop("is_active", None)
        services.agency_update(actor=request.user, agency=agency, **data)
        if active is not None:
            services.agency_set_active(actor=request.user, agency=agency, active=active)
        return Response(AgencySerializer(agency).data)

    @extend_schema(request=AgencyWriteSerializer, responses={200: AgencySerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().partial_update(request, *args, **kwargs)


class OfficerSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    email = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)

    class Meta:
        model = Officer
        fields = ["id", "username", "name", "email", "role", "agencies", "is_active"]

    def get_email(self, obj: Officer) -> str:
        # Contact details are for the coordinator; colleagues see names and roles.
        request = self.context.get("request")
        return obj.user.email if request and is_coordinator(request.user) else ""


class OfficerWriteSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, required=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Officer.Role.choices)
    agencies = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Agency.objects.none()
    )
    password = serializers.CharField(
        required=False, write_only=True, allow_blank=True, style={"input_type": "password"}
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Only the coordinator's own region's agencies are valid choices.
            fields["agencies"].child_relation.queryset = visible_agencies(request.user)  # type: ignore[attr-defined]
        return fields


class OfficerViewSet(_WriteViewSet):
    permission_classes = [CoordinatorWrites]
    read_serializer = OfficerSerializer
    write_serializer = OfficerWriteSerializer

    def get_queryset(self) -> QuerySet[Officer]:
        return (
            visible_officers(self.request.user)
            .select_related("user")
            .prefetch_related("agencies")
            .order_by("id")
        )

    @extend_schema(request=OfficerWriteSerializer, responses={201: OfficerSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        me = require_officer(request.user)
        data = self._parse(request, partial=False, initial={"agencies": []})
        if not data.get("username"):
            raise serializers.ValidationError({"username": [_("Nama pengguna wajib diisi.")]})
        data["password"] = data.get("password") or None
        officer = services.officer_create(actor=request.user, region=me.region, **data)
        return Response(
            self.read_serializer(officer, context={"request": request}).data, status=201
        )

    @extend_schema(request=OfficerWriteSerializer, responses={200: OfficerSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        officer = get_officer_for_user(request.user, int(kwargs["pk"]), edit=True)
        user = officer.user
        data = self._parse(
            request,
            partial=kwargs.get("partial", False),
            initial={
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "phone": officer.phone,
                "role": officer.role,
                "agencies": list(officer.agencies.all()),
            },
        )
        if data.pop("password", None):
            raise serializers.ValidationError(
                {"password": [_("Kata sandi tidak diubah lewat API; gunakan halaman petugas.")]}
            )
        if data.pop("username", user.username) != user.username:
            raise serializers.ValidationError({"username": [_("Nama pengguna tidak bisa diubah.")]})
        services.officer_update(actor=request.user, officer=officer, **data)
        return Response(self.read_serializer(officer, context={"request": request}).data)

    @extend_schema(request=OfficerWriteSerializer, responses={200: OfficerSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().partial_update(request, *args, **kwargs)


def register(router) -> None:  # type: ignore[no-untyped-def]
    router.register("agencies", AgencyViewSet, basename="agency")
    router.register("officers", OfficerViewSet, basename="officer")
