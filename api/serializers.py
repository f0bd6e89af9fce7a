"""Response (and error) shapes of the API, for the views and the OpenAPI document."""

from rest_framework import serializers


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()


class CertificateSerializer(serializers.Serializer):
    """A certificate as its holder (or staff) sees it."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    course_id = serializers.IntegerField()
    course_title = serializers.CharField()
    holder_name = serializers.CharField()
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    """The public answer of the verification page: status, holder, course, dates."""

    status = serializers.CharField()
    holder_name = serializers.CharField()
    course_title = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class EnrollmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    status = serializers.CharField()
    progress_percent = serializers.IntegerField()
    requested_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class RequirementStatusSerializer(serializers.Serializer):
    """One required training: its current cycle and the learner's status on it."""

    requirement_id = serializers.IntegerField()
    requirement_name = serializers.CharField(source="requirement.name")
    course_id = serializers.IntegerField(source="requirement.course_id")
    cycle = serializers.IntegerField()
    status = serializers.CharField()
    due_on = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)
    certification_expires_on = serializers.DateField(allow_null=True)


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    """The caller: profile, enrolments, required training and certificates."""

    profile = ProfileSerializer()
    enrolments = EnrollmentSerializer(many=True)
    required_training = RequirementStatusSerializer(many=True)
    certificates = CertificateSerializer(many=True)
