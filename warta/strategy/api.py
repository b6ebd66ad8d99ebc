"""Strategy API: versions (read-only) and the current merged strategy of an agency."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from warta.core.api import IsOfficer
from warta.institutions.access import get_agency_for_user, officer_of, visible_agencies
from warta.lib.ids import parse_id
from warta.strategy.models import StrategyVersion
from warta.strategy.selectors import current_strategy


class StrategyVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategyVersion
        fields = [
            "id",
            "agency",
            "number",
            "based_on",
            "status",
            "data",
            "sections",
            "reason",
            "author",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "head_change_flag",
            "head_change_note",
        ]


class StrategyVersionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StrategyVersionSerializer
    permission_classes = [IsOfficer]

    def get_queryset(self) -> QuerySet[StrategyVersion]:
        officer = officer_of(self.request.user)
        if officer is None:
            return StrategyVersion.objects.none()
        qs = StrategyVersion.objects.filter(region_id=officer.region_id).filter(
            Q(agency__isnull=True) | Q(agency__in=visible_agencies(self.request.user))
        )
        agency_id = parse_id(self.request.query_params.get("agency"))
        if agency_id is not None:
            qs = qs.filter(agency_id=agency_id)
        return qs.order_by("id")

    @action(detail=False, methods=["get"])
    def current(self, request: Request) -> Response:
        """The strategy an agency works under now (?agency=ID): baseline merged with its own."""
        agency_id = parse_id(request.query_params.get("agency", ""))
        if agency_id is None:
            raise Http404
        agency = get_agency_for_user(request.user, agency_id).agency
        current = current_strategy(agency)
        body: dict[str, Any] = {
            "agency": agency.pk,
            "version": current.own.number if current.own else None,
            "baseline_version": current.baseline.number if current.baseline else None,
            "data": current.data,
        }
        return Response(body)


def register(router) -> None:  # type: ignore[no-untyped-def]
    router.register("strategy-versions", StrategyVersionViewSet, basename="strategy-version")
