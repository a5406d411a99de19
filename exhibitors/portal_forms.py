"""Forms of the exhibitor portal. They validate; the services in services/portal.py save."""

from typing import Any

from django import forms
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from exhibitors.forms import ErrorSummaryMixin, catalog_text_field, topics_field
from exhibitors.images import LOGO_MAX_BYTES, LOGO_MAX_SIDE, logo_prepare
from exhibitors.models import Exhibitor, StaffMember
from exhibitors.services.portal import PROFILE_FIELDS, STAFF_FIELDS
from fair.models import Topic


class ProfileForm(ErrorSummaryMixin, forms.ModelForm):
    """The registration form's company, contact and presentation parts, as far as the
    exhibitor may change them; the same fields, layout and character counter."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    topics = topics_field()
    catalog_text = catalog_text_field(label=_("Catalog entry (German)"))
    catalog_text_en = catalog_text_field(label=_("Catalog entry (English)"))
    public_email = forms.EmailField(
        label=_("Public email address"),
        required=False,
        max_length=254,
        help_text=_("For visitors, e.g. info@…; leave empty to show none."),
    )

    class Meta:
        model = Exhibitor
        fields = [*PROFILE_FIELDS, "topics"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
        }
        help_texts = {"language": _("Language of the mails we send you.")}
        # As the registration form names them.
        labels = {
            "contact_name": _("Name"),
            "contact_phone": _("Phone"),
            "contact_position": _("Position"),
            "language": _("Language for our emails"),
        }

    new_logo = forms.FileField(
        label=_("New logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_logo"].help_text = _(
            "PNG or JPEG, at most %(mb)d MB and %(px)d × %(px)d pixels."
        ) % {"mb": LOGO_MAX_BYTES // (1024 * 1024), "px": LOGO_MAX_SIDE}
        topics = self.fields["topics"]
        assert isinstance(topics, forms.ModelMultipleChoiceField)
        topics.queryset = Topic.objects.filter(area_id=self.instance.area_id)
        topics.initial = list(self.instance.topics.values_list("pk", flat=True))

    def clean_new_logo(self) -> File | None:
        upload = self.cleaned_data.get("new_logo")
        return logo_prepare(upload) if upload else None

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


class StaffMemberForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["first_name", "last_name", "email", "role"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args: Any, exhibitor: Exhibitor, **kwargs: Any) -> None:
        self.exhibitor = exhibitor
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = StaffMember.objects.filter(exhibitor=self.exhibitor, email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This person is already on your staff list."))
        return email

    def staff_values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in STAFF_FIELDS}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw our registration. Our stand is given to another exhibitor."),
        required=True,
    )


class AccessRequestForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
