from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from badges.consent import LEAD_SHARING_TEXT
from badges.importer import MAX_BYTES
from badges.layouts import LAYOUT_CHOICES
from badges.models import Attendee
from badges.print_check import badge_print_check, print_issue_text
from exhibitors.models import Exhibitor
from fair.countries import country_choices
from fair.models import Fair, Topic
from fair.text import text_normalize


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return obj.name


class VisitorRegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("Email"), help_text=_("We send a confirmation link to this address.")
    )
    company = forms.CharField(label=_("Company / organization"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"))
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    topics = TopicChoiceField(
        label=_("What interests you?"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Never pre-ticked: the field has no initial value, and a missing box means "no".
    lead_sharing = forms.BooleanField(label=LEAD_SHARING_TEXT, required=False)
    # Asked only when the badge would print the name otherwise than typed (see clean()).
    print_as_shown = forms.BooleanField(
        label=_("Print my badge as shown above"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, topics: QuerySet[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["topics"]).queryset = topics
        language = get_language() or "de"
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", "—"),
            *country_choices(language),
        ]
        for name, autocomplete in {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "company": "organization",
            "job_title": "organization-title",
            "country": "country",
            "postal_code": "postal-code",
            "phone": "tel",
        }.items():
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        if not topics.exists():
            del self.fields["topics"]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for every error, in the order of the page."""
        items = [("", "", str(message)) for message in self.non_field_errors()]
        for bound in self:
            label = str(bound.label)
            items.extend((bound.auto_id, label, str(message)) for message in bound.errors)
        return items

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        """A name no badge font can draw, or too long for the badge, is shown to the visitor
        before the badge exists: they correct it, or confirm that it prints as shown."""
        cleaned = super().clean() or self.cleaned_data
        self.print_issues: list[str] = []
        if self.errors:
            return cleaned
        issues = badge_print_check(
            first_name=text_normalize(cleaned.get("first_name", "")),
            last_name=text_normalize(cleaned.get("last_name", "")),
            company=text_normalize(cleaned.get("company", "")),
            job_title=text_normalize(cleaned.get("job_title", "")),
        )
        self.print_issues = [print_issue_text(issue) for issue in issues]
        if self.print_issues and not cleaned.get("print_as_shown"):
            self.fields["print_as_shown"].widget = forms.CheckboxInput()
            raise forms.ValidationError(
                _(
                    "Your badge would not show your entries exactly as typed. Correct them, or "
                    "confirm that the badge may be printed as shown."
                ),
                code="print_differs",
            )
        return cleaned


class BadgeLinkRequestForm(forms.Form):
    """ "Find my badge link again": the address, and the fair when several are open."""

    email = forms.EmailField(
        label=_("Email"),
        help_text=_("The address you registered with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    fair = forms.ModelChoiceField(
        label=_("Fair"), queryset=Fair.objects.none(), empty_label=None, required=True
    )

    def __init__(self, *args: Any, fairs: list[Fair], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["fair"])
        field.queryset = Fair.objects.filter(pk__in=[fair.pk for fair in fairs]).order_by(
            "starts_on", "name"
        )
        if len(fairs) == 1:
            field.initial = fairs[0].pk
            field.widget = forms.HiddenInput()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class FairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fair) -> str:
        return f"{obj.name} ({obj.starts_on:%d.%m.%Y})"


class AttendeeImportForm(forms.Form):
    fair = FairChoiceField(label=_("Fair"), queryset=Fair.objects.all())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma or semicolon separated, with a header row; at most %(mb)d MB.")
        % {"mb": MAX_BYTES // 1048576},
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most %(limit)d MB can be imported at once.")
                % {"size": f"{upload.size / 1048576:.1f}", "limit": MAX_BYTES // 1048576}
            )
        return upload


class PrintRunForm(forms.Form):
    fair = FairChoiceField(label=_("Fair"), queryset=Fair.objects.all())
    layout = forms.ChoiceField(label=_("Layout"), choices=LAYOUT_CHOICES, initial="a6-4up")
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=Attendee.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all categories."),
    )
    exhibitor = forms.ModelChoiceField(
        label=_("Only the staff of"),
        queryset=Exhibitor.objects.filter(state=Exhibitor.State.APPROVED).order_by("company_name"),
        required=False,
    )
    not_printed = forms.BooleanField(label=_("Only badges not printed yet"), required=False)
    ids = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_ids(self) -> list[int] | None:
        text = self.cleaned_data.get("ids") or ""
        if not text:
            return None
        try:
            return [int(part) for part in text.split(",") if part]
        except ValueError as exc:
            raise forms.ValidationError(_("Invalid selection.")) from exc


class PrintRunPresetForm(forms.Form):
    """``?exhibitor=<id>`` on the print run page (the link "Print their staff badges" on an
    exhibitor's review page): the form opens on that exhibitor's staff badges."""

    exhibitor = forms.ModelChoiceField(
        queryset=Exhibitor.objects.filter(state=Exhibitor.State.APPROVED), required=False
    )

    def print_run_initial(self, *, fair: Fair | None) -> dict[str, object]:
        initial: dict[str, object] = {"fair": fair, "not_printed": True}
        exhibitor = self.cleaned_data.get("exhibitor") if self.is_valid() else None
        if exhibitor is not None:
            initial.update(
                fair=exhibitor.fair,
                exhibitor=exhibitor,
                categories=[Attendee.Category.EXHIBITOR_STAFF],
            )
        return initial


class LayoutChoiceForm(forms.Form):
    layout = forms.ChoiceField(label=_("Layout"), choices=LAYOUT_CHOICES, initial="a6-4up")
