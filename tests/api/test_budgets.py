"""Query budgets of the first resources (the same count however long the lists are), and
the compliance rows written out by hand."""

import pytest
from rest_framework import serializers

from api.resources.compliance import report_rows
from api.resources.compliance_serializers import (
    ROW_VALUES,
    AssignmentSerializer,
    assignment_row,
)
from compliance.models import Assignment
from tests.certificates.factories import issued_certificate
from tests.compliance.factories import AssignmentFactory, requirement
from tests.compliance.report_history import build_history
from tests.learner.factories import member_of


def _history(learner, size: int) -> None:
    """``size`` completed courses with certificates, and ``size`` required trainings."""
    for n in range(size):
        certificate = issued_certificate(
            user=learner, title=f"Budget course {n}", slug=f"budget-{n}"
        )
        rule = requirement(course=certificate.enrollment.course, name=f"Rule {n}")
        AssignmentFactory(requirement=rule, user=learner)


@pytest.mark.django_db
class TestBudgets:
    @pytest.mark.parametrize("size", [1, 6])
    def test_me_is_constant_in_its_lists(
        self, catalog, client_with_token, learner, django_assert_max_num_queries, size
    ):
        _history(learner, size)
        with django_assert_max_num_queries(8):
            body = client_with_token.get("/api/v1/me/").json()
        assert len(body["enrolments"]) == len(body["certificates"]) == size
        assert len(body["required_training"]) == size

    @pytest.mark.parametrize("size", [1, 6])
    def test_certificates_are_constant_in_their_number(
        self, catalog, client_with_token, learner, django_assert_max_num_queries, size
    ):
        _history(learner, size)
        with django_assert_max_num_queries(3):
            body = client_with_token.get("/api/v1/certificates/").json()
        assert len(body) == size


@pytest.mark.django_db
class TestWrittenOutRows:
    """Compliance rows are written out by hand for speed (``assignment_row``): they
    must say what the declared serializer (and so the OpenAPI document) says."""

    @pytest.mark.parametrize("may_exempt", [True, False])
    def test_each_row_is_what_drf_would_answer(self, catalog, may_exempt):
        build_history()
        admin = member_of("Compliance admins", "cora")
        Assignment.objects.filter(user__username="exempt").update(exemption_reason="Elsewhere")
        request = type("Request", (), {"query_params": {}, "user": admin})()
        rows = report_rows(request, current_only=False)[0]
        listed = {values["pk"]: values for values in rows.values(*ROW_VALUES)}
        assert len(listed) > 5 and any(values["exempt"] for values in listed.values())
        declared = AssignmentSerializer(context={"may_exempt": may_exempt})
        for row in rows:  # model instances, as the detail views read them
            drf = serializers.Serializer.to_representation(declared, row)
            if not may_exempt:
                drf.pop("exemption_reason"), drf.pop("exempted_by_id")
            assert assignment_row(listed[row.pk], may_exempt=may_exempt) == dict(drf)
            assert declared.to_representation(row) == dict(drf)
