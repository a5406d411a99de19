"""Aggregations behind the charts: fair-local days and hours, ratings, topics, statistics."""

import datetime

from django.utils import translation

from badges.models import Badge
from exhibitors.models import Exhibitor
from leads import charts
from leads.models import Lead, Scan
from leads.reports import (
    attendance_figures,
    exhibitor_statistics,
    fair_zone,
    key_figures,
    leads_filter,
    leads_per_day,
    leads_per_hour,
    rating_split,
    scans_per_device,
    tags_in_use,
    top_topics,
)
from tests import factories
from tests.leads import report_fixtures
from tests.leads.report_fixtures import berlin, lead_add

world = report_fixtures.world  # the fixture, for this module


def mine(world):
    return Lead.objects.filter(exhibitor=world.exhibitor)


def test_leads_per_day_lists_every_fair_day_by_first_scan(world):
    assert leads_per_day(leads=mine(world), fair=world.fair) == [
        (datetime.date(2019, 2, 13), 2),
        (datetime.date(2019, 2, 14), 2),
        (datetime.date(2019, 2, 15), 0),
    ]


def test_a_scan_after_midnight_berlin_counts_for_the_next_day(world):
    attendee = factories.make_attendee(fair=world.fair)
    # 23:30 UTC on the 13th is 00:30 on the 14th in Berlin.
    lead_add(
        exhibitor=world.exhibitor,
        attendee=attendee,
        scans=[(world.device, datetime.datetime(2019, 2, 13, 23, 30, tzinfo=datetime.UTC))],
    )
    per_day = dict(leads_per_day(leads=mine(world), fair=world.fair))
    assert per_day[datetime.date(2019, 2, 14)] == 3
    assert leads_per_hour(leads=mine(world), fair=world.fair)[datetime.date(2019, 2, 14)][0] == 1


def test_leads_per_hour_counts_in_berlin_time(world):
    per_hour = leads_per_hour(leads=mine(world), fair=world.fair)
    assert list(per_hour) == [datetime.date(2019, 2, d) for d in (13, 14, 15)]
    assert per_hour[datetime.date(2019, 2, 13)][10] == 1
    assert per_hour[datetime.date(2019, 2, 13)][17] == 1
    assert per_hour[datetime.date(2019, 2, 14)][9] == 1
    assert per_hour[datetime.date(2019, 2, 14)][16] == 1
    assert sum(per_hour[datetime.date(2019, 2, 15)]) == 0


def test_rating_split_counts_unrated(world):
    assert rating_split(leads=mine(world)) == {"hot": 1, "warm": 1, "cold": 1, "": 1}


def test_top_topics_count_only_visitors_who_share(world):
    with translation.override("en"):
        topics = dict(top_topics(leads=mine(world)))
    # The private visitor's topic (Digital housing) must not count.
    assert topics == {"Smart parking": 2, "Heat transition": 1}


def test_scans_per_device(world):
    counts = {
        row.label: row.scans
        for row in scans_per_device(scans=Scan.objects.filter(lead__exhibitor=world.exhibitor))
    }
    assert counts == {"Anna's iPhone": 3, "Tablet Stand": 2}


def test_exhibitor_statistics_in_constant_queries(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        stats = {
            s.company_name: s for s in exhibitor_statistics(exhibitors=Exhibitor.objects.all())
        }
    mine_stats = stats["Wärmewerk Dortmund GmbH"]
    assert (mine_stats.leads, mine_stats.hot, mine_stats.unrated) == (4, 1, 1)
    assert (mine_stats.scans, mine_stats.devices, mine_stats.shared_contacts) == (5, 2, 3)
    assert stats["Konkurrenz AG"].leads == 1


def test_key_figures(world):
    figures = key_figures(leads=mine(world))
    assert figures["leads"] == 4 and figures["scans"] == 5 and figures["devices"] == 2
    assert figures["first"] == berlin(13, 10, 15)
    assert figures["last"] == berlin(15, 11, 0)


def test_attendance_counts_visitors_and_printed_badges(world):
    figures = attendance_figures(fair=world.fair)
    assert figures["visitors_registered"] == 5
    assert figures["badges_issued"] == 5
    assert figures["badges_printed"] == 0
    Badge.objects.filter(attendee__fair=world.fair).update(printed_at=berlin(12, 9))
    assert attendance_figures(fair=world.fair)["badges_printed"] == 5


def test_filters_by_day_device_tag_rating_and_search(world):
    leads = mine(world)
    day15 = leads_filter(leads=leads, day=datetime.date(2019, 2, 15), zone=fair_zone(world.fair))
    assert list(day15) == [world.leads["repeat"]]
    by_device = leads_filter(leads=leads, device=world.device2)
    assert set(by_device) == {world.leads["private"], world.leads["repeat"]}
    assert list(leads_filter(leads=leads, tag="rückruf")) == [world.leads["shared"]]
    assert list(leads_filter(leads=leads, rating="none")) == [world.leads["repeat"]]
    assert list(leads_filter(leads=leads, search="groß müllheim")) == [world.leads["shared"]]


def test_tags_in_use_are_unique_and_sorted(world):
    assert tags_in_use(leads=mine(world)) == ["=1+1", "Angebot", "Rückruf"]


def test_nice_ticks_are_round():
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(62) == [0, 20, 40, 60, 80]
    assert charts.nice_ticks(0) == [0, 1]


def test_chart_svg_and_drawing_come_from_the_same_shapes():
    chart = charts.per_day_chart([(datetime.date(2019, 2, 13), 3), (datetime.date(2019, 2, 14), 5)])
    shapes = charts.chart_shapes(chart, width=300, height=150)
    svg = charts.chart_svg(chart, width=300, height=150)
    drawing = charts.chart_drawing(chart, width=300, height=150)
    boxes = [shape for shape in shapes.items if isinstance(shape, charts.Box)]
    assert len(boxes) == 2
    assert svg.count("<rect") == 2 and "13.02." in svg and "14.02." in svg
    assert len(drawing.contents[0].contents) == len(shapes.items)


def test_chart_svg_escapes_labels():
    chart = charts.ranking_chart("Leads", [("<script>alert(1)</script>", 2)])
    svg = charts.chart_svg(chart, width=300, height=80)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
