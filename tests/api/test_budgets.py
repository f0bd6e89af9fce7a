"""Query budgets of the first resources: the same count however long the lists are."""

import pytest

from tests.certificates.factories import issued_certificate
from tests.compliance.factories import AssignmentFactory, requirement


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
