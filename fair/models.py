"""The fair itself: editions, halls, areas with their topics, and stands."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fair.units import sqm_format


class Fair(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    venue = models.CharField(_("venue"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Berlin")
    # The organizer's privacy notice for visitors, linked from the visitor form: a page of the
    # organizer's own site, or the text itself (shown on a page of ours) — either or both.
    privacy_notice_url = models.URLField(
        _("privacy notice (link)"),
        blank=True,
        help_text=_("The organizer's privacy notice for visitors on its own website."),
    )
    privacy_notice = models.TextField(
        _("privacy notice (text)"),
        blank=True,
        help_text=_("Or the text itself; visitors find it linked from the registration form."),
    )
    # Each edition has its own participation terms: a registration records the version it
    # accepted (Exhibitor.terms_version). Change it whenever the terms text changes.
    terms_version = models.CharField(
        _("exhibitor terms version"),
        max_length=40,
        default="2019-01",
        help_text=_("Version of the participation terms exhibitors accept for this fair."),
    )

    class Meta:
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="fair_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        """Venue and city for a sentence: "Westfalenhallen Dortmund", not "Westfalenhallen
        Dortmund, Dortmund" (the city is named once)."""
        if not self.city or self.city.casefold() in self.venue.casefold():
            return self.venue
        return f"{self.venue}, {self.city}"

    def has_started(self, *, now: datetime.datetime | None = None) -> bool:
        """True from the first fair day on, in the fair's own time zone."""
        import zoneinfo

        now = now or timezone.now()
        return now.astimezone(zoneinfo.ZoneInfo(self.time_zone)).date() >= self.starts_on


class Hall(models.Model):
    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="halls"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ["fair", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "name"], name="hall_unique_name_per_fair"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.fair})"


class Area(models.Model):
    """A part of a fair with its own exhibitor list, topics and registration window."""

    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="areas"
    )
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="areas"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"))
    description = models.TextField(_("description"), blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_deadline = models.DateTimeField(_("registration deadline"))

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["fair", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "slug"], name="area_unique_slug_per_fair"),
            models.CheckConstraint(
                condition=Q(registration_deadline__gt=F("registration_opens_at")),
                name="area_deadline_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.fair}"

    def registration_is_open(self, *, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_deadline


class Topic(models.Model):
    """One entry of an area's topic list, named in German and English."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="topics"
    )
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["area", "position", "name_de"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name_de"], name="topic_unique_name_per_area"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


# A stand's open sides, in this order, as a string of the letters that are open: "S" is a row
# stand open to the aisle in the south, "ES" a corner, "ESW" a head stand, "NESW" an island.
# North is up on the plan (y grows southwards, as in SVG). The number of open sides decides the
# type (DOMAIN.md: row 1, corner 2, head 3, island 4); two opposite open sides ("NS") count as
# a corner stand too, as the price lists do.
SIDES = "NESW"
OPEN_SIDES_CHOICES: tuple[str, ...] = tuple(
    "".join(side for index, side in enumerate(SIDES) if mask & (1 << index))
    for mask in range(1, 16)
)
_TYPE_BY_COUNT = {1: "row", 2: "corner", 3: "head", 4: "island"}
# A stand stored before it had open sides (or made with a type only) gets these.
DEFAULT_OPEN_SIDES = {"row": "S", "corner": "ES", "head": "ESW", "island": "NESW"}


def open_sides_normalize(value: str) -> str:
    """ "sw", "W,S", "s w" → "SW" (canonical order N, E, S, W); German O (Ost) means E.
    Raises ValueError for other letters, repeats or no side at all."""
    letters = [letter for letter in value.upper().replace("O", "E") if letter not in " ,;/+-"]
    unknown = sorted({letter for letter in letters if letter not in SIDES})
    if unknown or len(set(letters)) != len(letters) or not letters:
        raise ValueError(value)
    return "".join(side for side in SIDES if side in letters)


def open_sides_validate(value: str) -> None:
    """Only canonical strings are stored ("ES", never "se"); a form normalizes before."""
    if value not in OPEN_SIDES_CHOICES:
        raise ValidationError(
            _("Open sides are letters of N, E, S, W in this order, e.g. “ES”."), code="invalid"
        )


def stand_type_for(open_sides: str) -> str:
    """The stand type that the open sides make (a canonical ``open_sides`` string)."""
    return _TYPE_BY_COUNT[len(open_sides)]


def _open_sides_match_type() -> Q:
    condition = Q()
    for count, stand_type in _TYPE_BY_COUNT.items():
        sides = [value for value in OPEN_SIDES_CHOICES if len(value) == count]
        condition |= Q(type=stand_type, open_sides__in=sides)
    return condition


class Stand(models.Model):
    class Type(models.TextChoices):
        ROW = "row", _("Row stand (1 side open)")
        CORNER = "corner", _("Corner stand (2 sides open)")
        HEAD = "head", _("Head stand (3 sides open)")
        ISLAND = "island", _("Island stand (4 sides open)")

    class State(models.TextChoices):
        FREE = "free", _("free")
        RESERVED = "reserved", _("reserved")
        ASSIGNED = "assigned", _("assigned")

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="stands"
    )
    number = models.CharField(_("stand number"), max_length=20)
    width_m = models.DecimalField(
        _("width (m)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    depth_m = models.DecimalField(
        _("depth (m)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    # The type follows from the open sides (save() derives it; a constraint holds them
    # together). A stand made with a type only gets that type's default open sides.
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.ROW)
    open_sides = models.CharField(
        _("open sides"),
        max_length=4,
        validators=[open_sides_validate],
        help_text=_("Sides open to an aisle: N, E, S, W (north is up on the plan)."),
    )
    # The stand's north-west corner on the area's plan, in metres from the plan's origin.
    x_m = models.DecimalField(
        _("x (m)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    y_m = models.DecimalField(
        _("y (m)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    price_per_sqm = models.DecimalField(_("price per m² (EUR)"), max_digits=8, decimal_places=2)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.FREE)

    class Meta:
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        ordering = ["area", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="stand_unique_number_per_area"),
            models.CheckConstraint(
                condition=Q(width_m__gt=0) & Q(depth_m__gt=0), name="stand_positive_size"
            ),
            models.CheckConstraint(
                condition=Q(price_per_sqm__gte=0), name="stand_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(type__in=["row", "corner", "head", "island"]), name="stand_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["free", "reserved", "assigned"]), name="stand_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(x_m__gte=0) & Q(y_m__gte=0), name="stand_position_not_negative"
            ),
            models.CheckConstraint(
                condition=_open_sides_match_type(), name="stand_type_follows_open_sides"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({sqm_format(self.size_sqm)}, {self.get_type_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep type and open sides together: the open sides decide the type; a stand made
        with a type only gets that type's default open sides."""
        if not self.open_sides:
            self.open_sides = DEFAULT_OPEN_SIDES[self.type]
        self.type = stand_type_for(self.open_sides)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "open_sides" in update_fields:
            kwargs["update_fields"] = {*update_fields, "type"}
        super().save(*args, **kwargs)

    @property
    def size_sqm(self) -> Decimal:
        return (self.width_m * self.depth_m).quantize(Decimal("0.01"))

    @property
    def price(self) -> Decimal:
        return (self.size_sqm * self.price_per_sqm).quantize(Decimal("0.01"))


class RateLimitCounter(models.Model):
    """Attempts per key and time window, kept in the database so that every app process behind
    the load balancer counts into the same place."""

    key = models.CharField(_("key"), max_length=64)
    window_start = models.DateTimeField(
        _("window start"),
    )
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_unique_window"),
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count}"


# The forum program's models live in their own module; importing them here registers them
# with the fair app (and keeps `from fair.models import …` the one place to find a model).
from fair.forum.models import ForumSession, Room, Speaker, VoteItem  # noqa: E402, F401
