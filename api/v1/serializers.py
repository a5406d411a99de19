"""Output (and the few input) shapes of ``/api/v1/``."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from badges.models import ATTENDEE_CONTACT_FIELDS, Attendee
from exhibitors.models import Exhibitor
from fair.models import Area, Fair, Stand, Topic
from leads.models import Lead, LeadNote, Scan
from leads.report_rows import AnswerOrder
from leads.reports import answer_text
from leads.selectors import lead_contact


class FairSerializer(serializers.ModelSerializer[Fair]):
    class Meta:
        model = Fair
        fields = ["id", "name", "slug", "venue", "city", "starts_on", "ends_on", "time_zone"]


class TopicSerializer(serializers.ModelSerializer[Topic]):
    class Meta:
        model = Topic
        fields = ["id", "name_de", "name_en", "position"]


class AreaSerializer(serializers.ModelSerializer[Area]):
    hall = serializers.CharField(source="hall.name", read_only=True)
    topics = TopicSerializer(many=True, read_only=True)

    class Meta:
        model = Area
        fields = [
            "id",
            "fair",
            "hall",
            "name",
            "slug",
            "description",
            "registration_opens_at",
            "registration_deadline",
            "topics",
        ]


class StandSerializer(serializers.ModelSerializer[Stand]):
    size_sqm = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)
    exhibitor = serializers.SerializerMethodField()

    class Meta:
        model = Stand
        fields = [
            "id",
            "area",
            "number",
            "width_m",
            "depth_m",
            "size_sqm",
            "type",
            "state",
            "exhibitor",
        ]

    def get_exhibitor(self, stand: Stand) -> int | None:
        """The id of the exhibitor on this stand, if any."""
        try:
            return stand.exhibitor.pk
        except Exhibitor.DoesNotExist:
            return None


class ExhibitorSerializer(serializers.ModelSerializer[Exhibitor]):
    stand_number = serializers.CharField(source="stand.number", read_only=True, default=None)

    class Meta:
        model = Exhibitor
        fields = [
            "id",
            "fair",
            "area",
            "state",
            "company_name",
            "legal_form",
            "street",
            "postal_code",
            "city",
            "country",
            "vat_id",
            "tax_number",
            "website",
            "phone",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_position",
            "language",
            "requested_sqm",
            "preferred_stand_type",
            "wants_corner",
            "stand",
            "stand_number",
            "staff_quota",
            "created_at",
            "confirmed_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApproveSerializer(serializers.Serializer[dict[str, Any]]):
    stand = serializers.PrimaryKeyRelatedField(
        queryset=Stand.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Stand id; without it the best free stand of the area is assigned."),
    )
    staff_quota = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=32767,
        help_text=_("Staff badges; without it the quota follows from the stand size."),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RejectSerializer(serializers.Serializer[dict[str, Any]]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AttendeeSerializer(serializers.ModelSerializer[Attendee]):
    topics = serializers.PrimaryKeyRelatedField[Topic](many=True, read_only=True)

    class Meta:
        model = Attendee
        fields = [
            "id",
            "fair",
            "category",
            *ATTENDEE_CONTACT_FIELDS,
            "language",
            "topics",
            "lead_sharing",
            "lead_sharing_at",
            "exhibitor",
            "created_at",
            "confirmed_at",
        ]
        read_only_fields = fields


class ContactSerializer(serializers.Serializer[dict[str, Any]]):
    """``leads.selectors.lead_contact``: only what the visitor agreed to share."""

    first_name = serializers.CharField()
    last_name = serializers.CharField()
    company = serializers.CharField()
    job_title = serializers.CharField(required=False)
    email = serializers.EmailField(required=False)
    phone = serializers.CharField(required=False)
    country = serializers.CharField(required=False)
    postal_code = serializers.CharField(required=False)
    topics = serializers.ListField(child=serializers.CharField(), required=False)
    contact_shared = serializers.BooleanField()


class NoteSerializer(serializers.ModelSerializer[LeadNote]):
    device = serializers.CharField(source="device.label", default=None, read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = LeadNote
        fields = ["id", "text", "written_at", "device", "author"]

    def get_author(self, note: LeadNote) -> str | None:
        return note.author.get_username() if note.author is not None else None


class AnswerSerializer(serializers.Serializer[dict[str, Any]]):
    question_id = serializers.IntegerField()
    question = serializers.CharField()
    answer = serializers.JSONField(help_text=_("Text, or a list of choices."))
    answer_text = serializers.CharField()


class ScanSerializer(serializers.ModelSerializer[Scan]):
    device = serializers.CharField(source="device.label", read_only=True)
    device_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Scan
        fields = ["id", "device_id", "device", "scanned_at", "received_at"]


class LeadSerializer(serializers.ModelSerializer[Lead]):
    exhibitor_name = serializers.CharField(source="exhibitor.company_name", read_only=True)
    contact = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    notes = NoteSerializer(many=True, read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "exhibitor",
            "exhibitor_name",
            "contact",
            "rating",
            "tags",
            "answers",
            "notes",
            "first_scanned_at",
            "last_scanned_at",
            "scan_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_contact(self, lead: Lead) -> dict[str, Any]:
        return lead_contact(lead=lead)

    def get_answers(self, lead: Lead) -> list[dict[str, Any]]:
        """The answers in the exhibitor's question order, each with its question's text."""
        questions = sorted(
            lead.exhibitor.questions.all(), key=lambda question: (question.position, question.pk)
        )
        return [
            {
                "question_id": int(key) if key.isdigit() else None,
                "question": question.text if question else "",
                "answer": answer,
                "answer_text": answer_text(answer),
            }
            for key, question, answer in AnswerOrder(questions).sorted(lead.answers)
        ]


class LeadDetailSerializer(LeadSerializer):
    scans = ScanSerializer(many=True, read_only=True)

    class Meta(LeadSerializer.Meta):
        fields = [*LeadSerializer.Meta.fields, "scans"]
        read_only_fields = fields
