"""The public exhibitor registration form and its co-exhibitor formset.

One module past 400 lines: the form is one page with many checked fields (VAT ID by country,
logo, stand wish, legal consents) whose cross-field rules belong together."""

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db.models import Field as ModelField
from django.db.models import Model
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from exhibitors import legal
from exhibitors.images import LOGO_MAX_BYTES, LOGO_MAX_SIDE, LOGO_STORED_BOX, logo_prepare
from exhibitors.models import CATALOG_TEXT_MAX_LENGTH, CoExhibitor, Exhibitor
from exhibitors.services.registration import CoExhibitorData, RegistrationData
from exhibitors.vat import country_choices, tax_identity_clean
from fair.models import Area, Stand, Topic

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REQUESTED_SQM_MAX = 1000
CO_EXHIBITORS_MAX = 50
CO_EXHIBITOR_PREFIX = "co"

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()/.\-]{3,38}$",
    _("Enter a phone number using digits, spaces and + ( ) / - only, e.g. +49 231 1204-0."),
    code="phone",
)
GERMAN_POSTAL_CODE = re.compile(r"^[0-9]{5}$")

# Browser autofill hints, so that phones can fill the address in.
AUTOCOMPLETE = {
    "company_name": "organization",
    "street": "street-address",
    "postal_code": "postal-code",
    "city": "address-level2",
    "country": "country",
    "website": "url",
    "phone": "tel",
    "contact_name": "name",
    "contact_email": "email",
    "contact_phone": "tel",
    "contact_position": "organization-title",
}


# Shorter names for the error summary where the label is a whole sentence.
SUMMARY_LABELS = {
    "terms_accepted": _("Participation terms"),
    "privacy_accepted": _("Privacy notice"),
}


def _interpolate(message: "StrOrPromise", params: dict[str, Any]) -> str:
    return message % params


# Interpolated when shown, so that the message is in the language of that moment.
interpolate_lazy = lazy(_interpolate, str)


def _model_field(name: str, model: type[Model] = Exhibitor, **kwargs: Any) -> forms.Field:
    """The form field Django derives from the model field (label, length, blank)."""
    field = model._meta.get_field(name)
    assert isinstance(field, ModelField)
    formfield = field.formfield(**kwargs)
    assert formfield is not None
    return formfield


def _url_field(name: str, model: type[Model] = Exhibitor) -> forms.Field:
    return _model_field(
        name,
        model,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


def _phone_field(name: str, label: "StrOrPromise | None" = None) -> forms.Field:
    field = _model_field(name, validators=[phone_validator])
    field.widget.input_type = "tel"
    if label is not None:
        field.label = label
    return field


class CatalogTextField(forms.CharField):
    """Counts characters as the visitor sees them: a line break is one character."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")


def topics_field() -> forms.ModelMultipleChoiceField:
    """The topic checkboxes of the registration and the portal's profile (queryset: the
    area's topics, set by the form)."""
    return forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every topic your products or projects belong to."),
    )


def catalog_text_field(label: "StrOrPromise | None" = None) -> CatalogTextField:
    """The catalog entry of the registration and the portal's profile (with the page's
    character counter, static/exhibitors/register.js)."""
    return CatalogTextField(
        label=label or _("Catalog entry"),
        required=False,
        max_length=CATALOG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": CATALOG_TEXT_MAX_LENGTH}),
        help_text=interpolate_lazy(
            _("At most %(max)d characters, shown in the fair catalog."),
            {"max": CATALOG_TEXT_MAX_LENGTH},
        ),
    )


class ErrorSummaryMixin:
    """The list of errors at the top of a long form (``exhibitors/_error_summary.html``)."""

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for every error, in the order of the page."""
        assert isinstance(self, forms.BaseForm)
        items = [("", "", str(message)) for message in self.non_field_errors()]
        for bound in self:
            label = SUMMARY_LABELS.get(bound.name, bound.label)
            items.extend((bound.auto_id, str(label), str(message)) for message in bound.errors)
        return items


class DeferredValidationForm(forms.Form):
    """A bound form that keeps what was typed but shows no errors (``defer_validation``).

    Used when the visitor only asked for another co-exhibitor row: the page comes back with
    everything filled in, without complaining about fields not yet filled in.
    """

    def __init__(self, *args: Any, defer_validation: bool = False, **kwargs: Any) -> None:
        self.defer_validation = defer_validation
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        if not self.defer_validation:
            super().full_clean()
            return
        self._errors = ErrorDict()
        self.cleaned_data = {}


class RegistrationForm(ErrorSummaryMixin, DeferredValidationForm):
    # Company
    company_name = _model_field("company_name")
    legal_form = _model_field("legal_form", help_text=_("e.g. GmbH, AG, KG, Ltd., S.A."))
    street = _model_field("street")
    postal_code = _model_field("postal_code")
    city = _model_field("city")
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, initial="DE")
    vat_id = forms.CharField(
        label=_("VAT ID"),
        max_length=30,
        required=False,
        help_text=_(
            "e.g. DE123456788. Required for companies in the EU outside Germany; German "
            "companies without a VAT ID give their tax number instead."
        ),
    )
    tax_number = forms.CharField(
        label=_("Tax number (Steuernummer)"),
        max_length=40,
        required=False,
        help_text=_("Only for German companies without a VAT ID, e.g. 181/815/08155."),
    )
    website = _url_field("website")
    phone = _phone_field("phone")

    # Contact person
    contact_name = _model_field("contact_name", label=_("Name"))
    contact_email = _model_field(
        "contact_email",
        label=_("Email"),
        help_text=_("We send the confirmation link to this address."),
    )
    contact_phone = _phone_field("contact_phone", label=_("Phone"))
    contact_position = _model_field("contact_position", label=_("Position"))
    language = forms.ChoiceField(
        label=_("Language for our emails"), choices=settings.LANGUAGES, initial="de"
    )

    # Separate invoice address (optional)
    invoice_company = _model_field("invoice_company", label=_("Company"))
    invoice_street = _model_field("invoice_street", label=_("Street and number"))
    invoice_postal_code = _model_field("invoice_postal_code", label=_("Postal code"))
    invoice_city = _model_field("invoice_city", label=_("City"))
    invoice_country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: [("", "—"), *country_choices()],
    )
    invoice_email = _model_field(
        "invoice_email", label=_("Email for invoices"), help_text=_("If invoices go elsewhere.")
    )

    # Stand request
    requested_sqm = forms.IntegerField(
        label=_("Stand size (m²)"),
        validators=[MinValueValidator(1), MaxValueValidator(REQUESTED_SQM_MAX)],
        help_text=interpolate_lazy(_("Stands from 1 to %(max)d m²."), {"max": REQUESTED_SQM_MAX}),
        widget=forms.NumberInput(attrs={"min": 1, "max": REQUESTED_SQM_MAX, "step": 1}),
    )
    preferred_stand_type = forms.ChoiceField(
        label=_("Preferred stand type"),
        choices=Stand.Type.choices,
        initial=Stand.Type.ROW,
        widget=forms.RadioSelect,
    )
    wants_corner = forms.BooleanField(label=_("We would like a corner position"), required=False)

    # Presentation
    topics = topics_field()
    catalog_text = catalog_text_field()
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=interpolate_lazy(
            _(
                "PNG or JPEG, at most %(mb)d MB and %(px)d × %(px)d pixels. "
                "We store it scaled to at most %(box)d pixels."
            ),
            {"mb": LOGO_MAX_BYTES // (1024 * 1024), "px": LOGO_MAX_SIDE, "box": LOGO_STORED_BOX[0]},
        ),
    )

    # Consent (never pre-ticked)
    terms_accepted = forms.BooleanField(
        label=_("I accept the participation terms."),
        error_messages={"required": _("Please read and accept the participation terms.")},
    )
    privacy_accepted = forms.BooleanField(
        label=_("I have read the privacy notice and agree to the processing described there."),
        error_messages={"required": _("Please read and accept the privacy notice.")},
    )

    fieldsets = {
        "company": [
            "company_name",
            "legal_form",
            "street",
            "postal_code",
            "city",
            "country",
            "website",
            "phone",
        ],
        "tax": ["vat_id", "tax_number"],
        "contact": [
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_position",
            "language",
        ],
        "invoice": [
            "invoice_company",
            "invoice_street",
            "invoice_postal_code",
            "invoice_city",
            "invoice_country",
            "invoice_email",
        ],
    }
    invoice_required = [
        "invoice_company",
        "invoice_street",
        "invoice_postal_code",
        "invoice_city",
        "invoice_country",
    ]

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area = area
        topics = self.fields["topics"]
        assert isinstance(topics, forms.ModelMultipleChoiceField)
        topics.queryset = area.topics.all()
        # Django points each widget's aria-describedby at <id>_helptext and <id>_error, the
        # ids templates/includes/field.html gives the help text and the errors.
        for name, field in self.fields.items():
            if name in AUTOCOMPLETE:
                field.widget.attrs["autocomplete"] = AUTOCOMPLETE[name]

    def fieldset(self, name: str) -> list[forms.BoundField]:
        return [self[field] for field in self.fieldsets[name]]

    @property
    def invoice_given(self) -> bool:
        return any((self[name].value() or "").strip() for name in self.fieldsets["invoice"])

    def clean_contact_email(self) -> str:
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_invoice_email(self) -> str:
        return self.cleaned_data["invoice_email"].strip().lower()

    def clean_logo(self) -> File | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return logo_prepare(upload)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        if country and not {"vat_id", "tax_number"} & set(self.errors):
            try:
                identity = tax_identity_clean(
                    country=country,
                    vat_id=data.get("vat_id", ""),
                    tax_number=data.get("tax_number", ""),
                )
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    for item in errors:
                        self.add_error(field, item)
            else:
                data["vat_id"] = identity.vat_id
                data["tax_number"] = identity.tax_number
        if country:
            postal_code = data.get("postal_code", "")
            if country == "DE" and postal_code and not GERMAN_POSTAL_CODE.match(postal_code):
                self.add_error(
                    "postal_code", _("German postal codes have exactly 5 digits, e.g. 44139.")
                )

        invoice_fields = self.fieldsets["invoice"]
        if any(data.get(name) for name in invoice_fields):
            for name in self.invoice_required:
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        ValidationError(
                            _("Needed for a separate invoice address."), code="invoice_required"
                        ),
                    )

        # The page names the text versions it showed; they must still be the current ones.
        for field, version_key, current in (
            ("terms_accepted", "terms_version", self.area.fair.terms_version),
            ("privacy_accepted", "privacy_version", legal.PRIVACY_VERSION),
        ):
            if self.data.get(version_key) != current and field not in self.errors:
                self.add_error(
                    field,
                    ValidationError(
                        _(
                            "This text has changed since the form was opened. Please read it "
                            "again (version %(version)s) and confirm."
                        ),
                        code="legal_text_changed",
                        params={"version": current},
                    ),
                )
        return data

    def registration_data(self) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            company_name=data["company_name"],
            legal_form=data["legal_form"],
            street=data["street"],
            postal_code=data["postal_code"],
            city=data["city"],
            country=data["country"],
            vat_id=data["vat_id"],
            tax_number=data["tax_number"],
            website=data["website"],
            phone=data["phone"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            contact_position=data["contact_position"],
            language=data["language"],
            invoice_company=data["invoice_company"],
            invoice_street=data["invoice_street"],
            invoice_postal_code=data["invoice_postal_code"],
            invoice_city=data["invoice_city"],
            invoice_country=data["invoice_country"],
            invoice_email=data["invoice_email"],
            requested_sqm=data["requested_sqm"],
            preferred_stand_type=data["preferred_stand_type"],
            wants_corner=data["wants_corner"],
            catalog_text=data["catalog_text"],
            terms_version=self.area.fair.terms_version,
            privacy_version=legal.PRIVACY_VERSION,
        )


class CoExhibitorForm(DeferredValidationForm):
    name = _model_field("name", CoExhibitor, label=_("Company name"))
    website = _url_field("website", model=CoExhibitor)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class BaseCoExhibitorFormSet(forms.BaseFormSet):
    """The co-exhibitor rows; ``defer_validation`` as for DeferredValidationForm."""

    def __init__(self, *args: Any, defer_validation: bool = False, **kwargs: Any) -> None:
        self.defer_validation = defer_validation
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        if not self.defer_validation:
            super().full_clean()
            return
        self._errors: list[ErrorDict] = []
        self._non_form_errors = self.error_class(error_class="nonform")

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            name = form.cleaned_data.get("name")
            if not name:
                continue
            key = name.casefold()
            if key in seen:
                form.add_error("name", _("This co-exhibitor is listed twice."))
            seen.add(key)

    def co_exhibitors(self) -> list[CoExhibitorData]:
        return [
            CoExhibitorData(name=form.cleaned_data["name"], website=form.cleaned_data["website"])
            for form in self.forms
            if form.cleaned_data.get("name")
        ]


CoExhibitorFormSet = forms.formset_factory(
    CoExhibitorForm,
    formset=BaseCoExhibitorFormSet,
    extra=1,
    max_num=CO_EXHIBITORS_MAX,
    validate_max=True,
    absolute_max=CO_EXHIBITORS_MAX,
)


def co_exhibitor_formset(
    data: QueryDict | None = None, *, defer_validation: bool = False, add_row: bool = False
) -> BaseCoExhibitorFormSet:
    """The co-exhibitor formset; ``add_row`` gives back the posted rows plus an empty one."""
    if data is not None and add_row:
        data = data.copy()
        key = f"{CO_EXHIBITOR_PREFIX}-TOTAL_FORMS"
        try:
            total = int(data.get(key, "0"))
        except ValueError:
            total = 0
        data[key] = str(min(max(total, 0) + 1, CO_EXHIBITORS_MAX))
    # formset_factory is typed as returning BaseFormSet; it returns a BaseCoExhibitorFormSet.
    return CoExhibitorFormSet(  # type: ignore[call-arg, return-value]
        data,
        prefix=CO_EXHIBITOR_PREFIX,
        defer_validation=defer_validation,
        form_kwargs={"defer_validation": defer_validation},
    )
