"""An area as the directory tests need it: stands laid out on a plan, exhibitors in each
directory situation (public, unapproved, hidden, unlisted, non-public fields)."""

from dataclasses import dataclass
from decimal import Decimal

from exhibitors.models import CoExhibitor, Exhibitor
from fair.models import Area
from tests import factories


@dataclass
class DirectoryArea:
    area: Area
    parking: Exhibitor  # public, everything shown, topic "Smart parking", a co-exhibitor
    heat: Exhibitor  # public, shows neither logo, text nor website
    submitted: Exhibitor  # not approved yet
    hidden: Exhibitor  # approved, hidden by the organizers
    unlisted: Exhibitor  # approved, chose not to be listed

    def list_url(self) -> str:
        return f"/fairs/{self.area.fair.slug}/{self.area.slug}/exhibitors/"

    def page_url(self, exhibitor: Exhibitor) -> str:
        return f"{self.list_url()}{exhibitor.pk}/"

    def plan_url(self) -> str:
        return f"/fairs/{self.area.fair.slug}/{self.area.slug}/plan/"


def placed_stand(area: Area, number: str, x: int, y: int = 0, sides: str = "S"):
    return factories.make_stand(
        area=area,
        number=number,
        x_m=Decimal(x),
        y_m=Decimal(y),
        width_m=Decimal(6),
        depth_m=Decimal(4),
        open_sides=sides,
    )


def make_directory_area() -> DirectoryArea:
    area = factories.make_area()
    topics = list(area.topics.order_by("position"))
    parking = factories.make_approved_exhibitor(
        area=area,
        stand=placed_stand(area, "3.C01", 0),
        company_name="Parkwerk Beispiel GmbH",
        website="https://parkwerk.example",
        catalog_text="Sensoren für freie Parkplätze.",
        catalog_text_en="Sensors that find free parking spaces.",
        public_email="info@parkwerk.example",
        phone="+49 231 555 0101",
    )
    parking.topics.set([topics[0], topics[5]])
    CoExhibitor.objects.create(exhibitor=parking, name="Schranken-App Fiktiv UG")
    heat = factories.make_approved_exhibitor(
        area=area,
        stand=placed_stand(area, "3.D01", 6),
        company_name="Wärmequartier Muster AG",
        website="https://waerme.example",
        catalog_text="Geheimer Katalogtext.",
        public_logo=False,
        public_catalog_text=False,
        public_website=False,
    )
    heat.topics.set([topics[1]])
    submitted = factories.make_exhibitor(area=area, company_name="Noch Nicht Geprüft GmbH")
    submitted.topics.set([topics[0]])
    hidden = factories.make_approved_exhibitor(
        area=area,
        stand=placed_stand(area, "3.E01", 12),
        company_name="Versteckt Beispiel GmbH",
        directory_hidden=True,
    )
    hidden.topics.set([topics[0]])
    unlisted = factories.make_approved_exhibitor(
        area=area,
        stand=placed_stand(area, "3.F01", 18),
        company_name="Ungelistet Beispiel GmbH",
        directory_listed=False,
    )
    unlisted.topics.set([topics[0]])
    placed_stand(area, "3.G01", 0, 7, "NESW")  # a free island stand
    return DirectoryArea(area, parking, heat, submitted, hidden, unlisted)
