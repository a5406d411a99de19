"""The demo forum of the 2019 Smart City area: the alliance's third conference, held as a
forum inside the fair on its first two days, in two rooms, with short talks on the alliance's
pilot projects and an item to rate after each. Names of speakers and organizations are
fictional. ``forum_demo_seed`` is idempotent; the votes come from ``badges.forum.demo``."""

import datetime

from django.db import transaction

from fair.forum.lines import ItemLine, SpeakerLine
from fair.forum.program import SessionData, fair_zone, room_save, session_save
from fair.models import Fair, ForumSession, Topic, VoteItem

ROOMS = [("Forum Smart City (Halle 3)", 150), ("Werkstattraum 3.2", 60)]

# (day, start, minutes, room, topic (German name), title de, title en, pilot project,
#  speakers, items)
SESSIONS = [
    (13, "10:00", 30, 0, "Smarte öffentliche Infrastruktur",
     "Eröffnung: Drei Jahre Allianz Smart City Dortmund",
     "Opening: three years of the Allianz Smart City Dortmund",
     "Allianz-Pilotprojekte im Überblick",
     [SpeakerLine("Dr. Katrin Beispiel", "Stadt Dortmund (Demo)", "Chief Digital Officer"),
      SpeakerLine("Thomas Muster", "IHK zu Dortmund (Demo)", "Moderation")],
     [ItemLine("Gemeinsame Datenplattform der Allianz",
               "A shared data platform for the alliance"),
      ItemLine("Offene Daten für Start-ups", "Open data for start-ups")]),
    (13, "10:45", 30, 0, "Smartes Parken",
     "Freie Parkplätze in Echtzeit: Sensoren in der Innenstadt",
     "Free parking spaces in real time: sensors in the city center",
     "Smart Parking Kreuzviertel",
     [SpeakerLine("Greta Parkmann", "Parkwerk Beispiel GmbH (Demo)", "Projektleitung")],
     [ItemLine("Bodensensoren je Stellplatz", "In-ground sensors per parking space"),
      ItemLine("Kamerabasierte Belegungserkennung", "Camera-based occupancy detection")]),
    (13, "11:30", 30, 0, "Wärmewende",
     "Wärmenetze im Quartier digital steuern",
     "Steering neighborhood heat networks digitally",
     "Wärmewende Hafenquartier",
     [SpeakerLine("Jan Wärmer", "Energie Muster AG (Demo)", "Leitung Netze"),
      SpeakerLine("Prof. Dr. Olga Iwanowa", "Hochschule Beispiel (Demo)", "Forschung")],
     [ItemLine("Prognosebasierte Netzsteuerung", "Forecast-based network control"),
      ItemLine("Smarte Thermostate in Mietwohnungen", "Smart thermostats in rented flats")]),
    (13, "10:45", 45, 1, "Digitalisierung der Wohnungswirtschaft",
     "Werkstatt: Die digitale Hausakte",
     "Workshop: the digital building file",
     "Digitale Hausakte Nordstadt",
     [SpeakerLine("Ayşe Öztürk", "Wohnbau Muster eG (Demo)", "Digitalisierung")],
     [ItemLine("Mieterportal mit Schadensmeldung", "Tenant portal with damage reports"),
      ItemLine("Sensorik für Feuchte und Schimmel", "Sensors for damp and mold")]),
    (13, "14:00", 45, 1, "Mensch und demographischer Wandel",
     "Werkstatt: Länger selbstständig wohnen mit Assistenzsystemen",
     "Workshop: living independently for longer with assistive systems",
     "Quartier für alle Generationen",
     [SpeakerLine("Marie Schäfer", "Sozialwerk Fiktiv e. V. (Demo)", "Quartiersmanagement"),
      SpeakerLine("Lukas Becker", "Ingenieurbüro Erdacht (Demo)", "Technik")],
     [ItemLine("Sturzerkennung ohne Kamera", "Fall detection without cameras"),
      ItemLine("Digitale Nachbarschaftshilfe", "Digital neighborly help")]),
    (14, "10:00", 30, 0, "Smarte Mobilität",
     "Mobilstationen: Bus, Rad und Carsharing an einem Ort",
     "Mobility hubs: bus, bike and car sharing in one place",
     "Mobilstationen Dortmund",
     [SpeakerLine("Mehmet Yılmaz", "Verkehrsverbund Fiktiv (Demo)", "Mobilitätsplanung")],
     [ItemLine("Eine App für alle Verkehrsmittel", "One app for every mode of transport"),
      ItemLine("Lastenräder zum Ausleihen", "Cargo bikes to borrow")]),
    (14, "10:45", 30, 0, "Digitale Quartiersentwicklung",
     "Das digitale Quartier: Plattform für Nachbarschaft und Handel",
     "The digital neighborhood: a platform for residents and local shops",
     "Digitales Quartier Hörde",
     [SpeakerLine("Sophie Krüger", "Planungsbüro Fantasie (Demo)", "Stadtplanung"),
      SpeakerLine("Paweł Nowak", "Nachbarschafts-App Fiktiv UG (Demo)", "Gründer")],
     [ItemLine("Lokaler Online-Marktplatz", "A local online marketplace"),
      ItemLine("Beteiligung an der Quartiersplanung per App",
               "Taking part in neighborhood planning by app")]),
    (14, "11:30", 30, 0, "Energie & Wasser",
     "Smart Metering und Leckageerkennung im Trinkwassernetz",
     "Smart metering and leak detection in the drinking water network",
     "Smartes Wassernetz",
     [SpeakerLine("Dr. Nikolaos Papadopoulos", "Stadtwerke Beispielstadt (Demo)", "Netzbetrieb")],
     [ItemLine("Funkzähler mit LoRaWAN", "Radio meters over LoRaWAN"),
      ItemLine("Akustische Leckortung", "Acoustic leak location")]),
    (14, "10:00", 45, 1, "Digitale Unternehmensführung",
     "Werkstatt: Digitale Prozesse im Handwerk",
     "Workshop: digital processes in the trades",
     "Handwerk 4.0 Dortmund",
     [SpeakerLine("Stefan Brandt", "Elektro Erfunden GmbH (Demo)", "Geschäftsführung")],
     [ItemLine("Digitale Auftragsmappe auf der Baustelle", "Digital job folder on site"),
      ItemLine("Gemeinsamer Einkauf über eine Plattform", "Joint purchasing through a platform")]),
    (14, "14:00", 45, 1, "Smarte öffentliche Infrastruktur",
     "Werkstatt: Intelligente Straßenbeleuchtung als Sensorträger",
     "Workshop: smart street lighting as a carrier for sensors",
     "Smarte Laterne Phoenix-West",
     [SpeakerLine("Julia Fischer", "Stadt Dortmund (Demo)", "Tiefbauamt"),
      SpeakerLine("Björn Lehmann", "Sensorik Beispiel GmbH (Demo)", "Vertrieb")],
     [ItemLine("Bedarfsgesteuertes Licht", "Light on demand"),
      ItemLine("Umweltsensoren an Laternen", "Environmental sensors on street lights")]),
]  # fmt: skip


def _abstract(title_de: str, project: str) -> tuple[str, str]:
    return (
        f"Kurzvortrag aus dem Pilotprojekt „{project}“ der Allianz Smart City Dortmund: was "
        f"ausprobiert wurde, was funktioniert und was nicht. Danach bewertet das Publikum "
        f"die vorgestellten Ansätze per Smartphone nach ihrer Relevanz.",
        f"A short talk from the Allianz Smart City Dortmund pilot project “{project}”: what "
        f"was tried, what works and what does not. Afterwards the audience rates the "
        f"approaches presented for their relevance from their phones.",
    )


@transaction.atomic
def forum_demo_seed(*, fair: Fair) -> list[ForumSession]:
    """The demo forum for ``fair`` (whose areas carry the Smart City topics); with every item
    closed after its talk, as at a fair that is over. Running it again changes nothing."""
    if ForumSession.objects.filter(fair=fair).exists():
        return list(ForumSession.objects.filter(fair=fair))
    zone = fair_zone(fair)
    rooms = [
        room_save(fair=fair, name=name, capacity=capacity, position=position)
        for position, (name, capacity) in enumerate(ROOMS)
    ]
    topics = {topic.name_de: topic for topic in Topic.objects.filter(area__fair=fair)}
    sessions = []
    for number, spec in enumerate(SESSIONS, start=1):
        day, start, minutes, room, topic, title_de, title_en, project, speakers, items = spec
        hour, minute = (int(part) for part in start.split(":"))
        starts_at = datetime.datetime.combine(
            fair.starts_on + datetime.timedelta(days=day - 13),
            datetime.time(hour, minute),
            tzinfo=zone,
        )
        abstract_de, abstract_en = _abstract(title_de, project)
        session = session_save(
            fair=fair,
            data=SessionData(
                code=f"F{day - 12}-{number:02d}",
                room=rooms[room],
                topic=topics.get(topic),
                title_de=title_de,
                title_en=title_en,
                abstract_de=abstract_de,
                abstract_en=abstract_en,
                pilot_project=project,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=minutes),
                speakers=speakers,
                items=items,
            ),
        )
        # Voting on each item was open in the last minutes of the talk.
        VoteItem.objects.filter(session=session).update(
            state=VoteItem.State.CLOSED,
            opened_at=session.ends_at - datetime.timedelta(minutes=6),
            closed_at=session.ends_at - datetime.timedelta(minutes=1),
        )
        sessions.append(session)
    return sessions
