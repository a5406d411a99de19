"""Back office for the fair itself: fairs, halls, areas with their topics, and stands."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fair.models import Area, Fair, Hall, Stand, Topic
from fair.units import sqm_format, sqm_number_format

# The back office names itself, not Django.
admin.site.site_header = _("Fairlead back office")
admin.site.site_title = _("Fairlead back office")
admin.site.index_title = _("Fairs, exhibitors, badges and leads")
# The change lists need the width at 1280 px more than a second menu beside the breadcrumbs.
admin.site.enable_nav_sidebar = False


@admin.register(Fair)
class FairAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "city", "starts_on", "ends_on", "time_zone", "area_count"]
    search_fields = ["name", "venue", "city"]
    list_filter = ["city"]
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Fair]:
        return super().get_queryset(request).annotate(_area_count=Count("areas"))

    @admin.display(description=_("areas"), ordering="_area_count")
    def area_count(self, obj: Fair) -> int:
        return obj._area_count  # type: ignore[attr-defined]  # annotated in get_queryset


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["name", "fair"]
    list_filter = ["fair"]
    search_fields = ["name", "fair__name"]
    list_select_related = ["fair"]


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 1
    fields = ["position", "name_de", "name_en"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "fair",
        "hall",
        "registration_opens_at",
        "registration_deadline",
        "registration_open",
        "stand_count",
        "exhibitor_count",
    ]
    list_filter = ["fair", "hall"]
    search_fields = ["name", "fair__name"]
    list_select_related = ["fair", "hall", "hall__fair"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TopicInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Area]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _stand_count=Count("stands", distinct=True),
                _exhibitor_count=Count("exhibitors", distinct=True),
            )
        )

    @admin.display(description=_("registration open"), boolean=True)
    def registration_open(self, obj: Area) -> bool:
        return obj.registration_is_open()

    @admin.display(description=_("stands"), ordering="_stand_count")
    def stand_count(self, obj: Area) -> int:
        return obj._stand_count  # type: ignore[attr-defined]  # annotated in get_queryset

    @admin.display(description=_("exhibitors"), ordering="_exhibitor_count")
    def exhibitor_count(self, obj: Area) -> int:
        return obj._exhibitor_count  # type: ignore[attr-defined]  # annotated in get_queryset


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "area", "position"]
    list_filter = ["area__fair", "area"]
    search_fields = ["name_de", "name_en"]
    list_select_related = ["area", "area__fair"]


class StandAdminForm(forms.ModelForm):
    """The state of a stand that an exhibitor holds is set by the workflow, not by hand."""

    class Meta:
        model = Stand
        # The type follows from the open sides (Stand.save), so it is shown, not edited.
        fields = [
            "area",
            "number",
            "x_m",
            "y_m",
            "width_m",
            "depth_m",
            "open_sides",
            "price_per_sqm",
            "state",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        state = cleaned.get("state")
        holder = getattr(self.instance, "exhibitor", None) if self.instance.pk else None
        if holder is not None and state != Stand.State.ASSIGNED:
            raise forms.ValidationError(
                _(
                    "Stand is assigned to %(company)s. Assign the exhibitor another stand "
                    "(or withdraw/reject it) before changing the state."
                )
                % {"company": holder.company_name}
            )
        if holder is None and state == Stand.State.ASSIGNED:
            raise forms.ValidationError(
                _("A stand becomes assigned when an exhibitor is approved for it.")
            )
        if holder is not None and cleaned.get("area") and cleaned["area"].pk != holder.area_id:
            raise forms.ValidationError(
                _("Stand is assigned to %(company)s; it cannot move to another area.")
                % {"company": holder.company_name}
            )
        return cleaned


@admin.register(Stand)
class StandAdmin(admin.ModelAdmin):
    form = StandAdminForm
    readonly_fields = ["type"]
    list_display = [
        "number",
        "area",
        "size",
        "dimensions",
        "position",
        "type",
        "open_sides",
        "price_per_sqm",
        "state",
        "exhibitor_link",
    ]
    list_filter = ["area__fair", "area", "type", "state"]
    search_fields = ["number", "exhibitor__company_name"]
    list_select_related = ["area", "area__fair", "exhibitor"]
    ordering = ["area", "number"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Stand]:
        return super().get_queryset(request).annotate(_size=F("width_m") * F("depth_m"))

    @admin.display(description=_("size"), ordering="_size")
    def size(self, obj: Stand) -> str:
        return sqm_format(obj.size_sqm)

    @admin.display(description=_("width × depth (m)"))
    def dimensions(self, obj: Stand) -> str:
        return f"{sqm_number_format(obj.width_m)} × {sqm_number_format(obj.depth_m)}"

    @admin.display(description=_("Position x / y (m)"))
    def position(self, obj: Stand) -> str:
        return f"{obj.x_m:g} / {obj.y_m:g}"

    @admin.display(description=_("exhibitor"), ordering="exhibitor__company_name")
    def exhibitor_link(self, obj: Stand) -> str:
        from django.urls import reverse
        from django.utils.html import format_html

        holder = getattr(obj, "exhibitor", None)
        if holder is None:
            return "–"
        url = reverse("admin:exhibitors_exhibitor_change", args=[holder.pk])
        return format_html('<a href="{}">{}</a>', url, holder.company_name)

    def has_delete_permission(self, request: HttpRequest, obj: Stand | None = None) -> bool:
        if obj is not None and getattr(obj, "exhibitor", None) is not None:
            return False
        return super().has_delete_permission(request, obj)


# The forum program's admin classes register themselves on import.
from fair.forum import admin as forum_admin  # noqa: E402, F401
