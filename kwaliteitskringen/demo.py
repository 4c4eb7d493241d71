"""Demo data for `manage.py seed_demo`: two circles with a year of history. Idempotent.

Kwaliteitskring Utrecht (kring@example.org) has 7 participants this year, a member absent at the
last two meetings and one without a contribution, so the dashboard shows signals; its 2025
annual report is published. Kwaliteitskring Zwolle is full, with candidate@example.org on its
waiting list. regio@example.org chairs the region Utrecht. Gelderland has no circle yet: two
people registered interest there, and candidate@example.org asks to found Kwaliteitskring
Arnhem (pending, for the secretariat to approve in the admin).

KK-7: Utrecht's programme for 2026 is agreed (each item is one of the year's meetings) and the
one for 2027 is a draft with members' proposals; Utrecht has an intervision subgroup with a held
and a planned meeting, and held a joint evening with Zwolle in October.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from kwaliteitskringen.models import (
    AnnualReport,
    Application,
    ApplicationState,
    Attendance,
    Circle,
    CircleStatus,
    ClaimState,
    Contribution,
    FoundingRequest,
    FoundingState,
    Interest,
    Meeting,
    MeetingForm,
    MeetingRegistration,
    MeetingState,
    Membership,
    MembershipState,
    Programme,
    ProgrammeItem,
    ProgrammeState,
    RegionalChair,
    ReportState,
    Subgroup,
    SubgroupMembership,
    SubsidyClaim,
)
from kwaliteitskringen.selectors import annual_report_figures, latest_pdf
from noloc_portal.accounts.demo import DEMO_PASSWORD
from noloc_portal.accounts.models import Role, RoleGrant, User
from noloc_portal.documents.models import Document
from noloc_portal.documents.services import store_bytes
from noloc_portal.pdf.rendering import render_statement

UTRECHT_MEMBERS = [
    ("ingrid.vos@example.org", "Ingrid Vos"),
    ("joost.peters@example.org", "Joost Peters"),
    ("ruud.smit@example.org", "Ruud Smit"),
    ("fatima.yilmaz@example.org", "Fatima Yilmaz"),
    ("hanneke.dekker@example.org", "Hanneke Dekker"),
]
ZWOLLE_MEMBERS = [
    ("marieke.kok@example.org", "Marieke Kok"),
    ("gerrit.mulder@example.org", "Gerrit Mulder"),
    ("anouk.brouwer@example.org", "Anouk Brouwer"),
    ("wim.van.dijk@example.org", "Wim van Dijk"),
    ("esther.hoekstra@example.org", "Esther Hoekstra"),
    ("thijs.meijer@example.org", "Thijs Meijer"),
    ("linda.bosman@example.org", "Linda Bosman"),
    ("rob.kuipers@example.org", "Rob Kuipers"),
]


def _person(email: str, name: str, *roles: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    for role in roles or (Role.PROFESSIONAL,):
        RoleGrant.objects.get_or_create(user=user, role=role)
    return user


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _cv(owner: User) -> Document:
    existing = Document.objects.filter(owner=owner, original_name="cv.pdf").first()
    if existing:
        return existing
    data = render_statement(title="Curriculum vitae", rows=[("Naam", owner.full_name)])
    return store_bytes(data=data, name="cv.pdf", content_type="application/pdf", owner=owner)


def _meeting(circle, day, theme, form, host, *, state=MeetingState.HELD, **extra) -> Meeting:
    meeting, _created = Meeting.objects.get_or_create(
        circle=circle,
        date=day,
        defaults={
            "theme": theme,
            "form": form,
            "host": host,
            "place": extra.pop("place", "Wijkcentrum De Leeuw"),
            "start_time": time(19, 30),
            "state": state,
            **extra,
        },
    )
    return meeting


def _attend(meeting: Meeting, people: list[User], absent: tuple[User, ...] = ()) -> None:
    for person in people:
        Attendance.objects.get_or_create(
            meeting=meeting, participant=person, defaults={"present": person not in absent}
        )


def _apply(circle, applicant, day, state, text) -> Application:
    application = Application.objects.filter(circle=circle, applicant=applicant).first()
    if application:
        return application
    return Application.objects.create(
        circle=circle,
        applicant=applicant,
        cv=_cv(applicant),
        expectations=text,
        submitted_at=_aware(day),
        state=state,
        decided_at=_aware(day) if state != ApplicationState.SUBMITTED else None,
        trial_started_on=day if state == ApplicationState.TRIAL else None,
    )


def seed(users: dict) -> None:
    kees, petra, karim = users["kring"], users["professional"], users["candidate"]
    _seed_utrecht(kees, petra)
    _seed_zwolle(karim)
    _seed_founding(users["regio"], karim)
    _seed_programme_subgroup_joint(kees, petra)


def _seed_founding(chair: User, karim: User) -> None:
    RegionalChair.objects.get_or_create(user=chair, region="Utrecht")
    for email in ("yara.demir@example.org", "pieter.van.leeuwen@example.org"):
        if not Interest.objects.filter(email=email, region="Gelderland").exists():
            Interest.objects.create(
                email=email,
                region="Gelderland",
                consent_at=_aware(date(2026, 9, 14)),
                expires_on=date(2027, 9, 14),
                token=secrets.token_urlsafe(32),
            )
    if not FoundingRequest.objects.filter(founder=karim, name="Kwaliteitskring Arnhem").exists():
        FoundingRequest.objects.create(
            founder=karim,
            name="Kwaliteitskring Arnhem",
            region="Gelderland",
            meeting_place="Arnhem, vergaderzaal bij het station",
            rhythm="zes keer per jaar op donderdagavond",
            motivation="De kring in Zwolle is vol en in Gelderland is er nog geen. Ik ken vijf "
            "collega's in Arnhem en Nijmegen die graag willen beginnen.",
            state=FoundingState.SUBMITTED,
        )


def _seed_utrecht(kees: User, petra: User) -> None:
    others = [_person(email, name) for email, name in UTRECHT_MEMBERS]
    ingrid, joost, ruud, fatima, hanneke = others
    circle, _created = Circle.objects.get_or_create(
        name="Kwaliteitskring Utrecht",
        defaults={
            "region": "Utrecht",
            "coordinator": kees,
            "secretary": ingrid,
            "treasurer": joost,
            "capacity": 12,
            "status": CircleStatus.OPEN,
            "started_on": date(2022, 3, 1),
            "description": "Loopbaanprofessionals uit Utrecht en omgeving; we komen op "
            "dinsdagavond bijeen in het centrum.",
            "objective": "Samen scherp blijven op ons vak: we bespreken casussen uit de "
            "praktijk, delen methodieken en volgen de arbeidsmarkt in de regio.",
        },
    )
    members_2026 = [kees, petra, *others]
    former = _person("bart.hermans@example.org", "Bart Hermans")
    for person in [*members_2026, former]:
        Membership.objects.get_or_create(
            circle=circle,
            member=person,
            year=2025,
            defaults={"state": MembershipState.RENEWED},
        )
    Membership.objects.filter(circle=circle, member=former, year=2025).update(
        state=MembershipState.LAPSED
    )
    for person in members_2026:
        Membership.objects.get_or_create(circle=circle, member=person, year=2026)

    # 2025: five evenings, the year of the published annual report.
    everyone_2025 = [*members_2026, former]
    history = [
        (date(2025, 1, 21), "Loopbaanankers in de praktijk", MeetingForm.WORKSHOP, petra),
        (date(2025, 3, 18), "Casus: vastgelopen re-integratie", MeetingForm.CASE_DISCUSSION, joost),
        (
            date(2025, 6, 10),
            "Intervisie volgens de incidentmethode",
            MeetingForm.INTERVISION,
            ingrid,
        ),
        (
            date(2025, 9, 16),
            "Boek: Werk als bron van betekenis",
            MeetingForm.BOOK_DISCUSSION,
            fatima,
        ),
        (date(2025, 11, 25), "Trends op de regionale arbeidsmarkt", MeetingForm.TIPS, kees),
    ]
    for day, theme, form, host in history:
        meeting = _meeting(circle, day, theme, form, host)
        _attend(meeting, everyone_2025, absent=(former,) if day.month > 6 else ())

    # 2026: six evenings held, one planned. Ruud missed the last two; Hanneke has not
    # contributed yet; Ruud and Hanneke are due to host (KK-7).
    year = [
        (date(2026, 1, 20), "Nieuwjaarsaftrap en jaarprogramma", MeetingForm.OTHER, kees, ()),
        (
            date(2026, 3, 17),
            "Casus: twijfel over een carrièreswitch",
            MeetingForm.CASE_DISCUSSION,
            petra,
            (hanneke,),
        ),
        (date(2026, 5, 19), "Werken met waardenkaarten", MeetingForm.METHODOLOGY, fatima, ()),
        (
            date(2026, 6, 23),
            "Intervisie: grenzen in de begeleiding",
            MeetingForm.INTERVISION,
            ingrid,
            (),
        ),
        (
            date(2026, 9, 15),
            "Tips: congressen en opleidingen dit najaar",
            MeetingForm.TIPS,
            joost,
            (ruud,),
        ),
        (
            date(2026, 11, 17),
            "Boek: De loopbaan als verhaal",
            MeetingForm.BOOK_DISCUSSION,
            petra,
            (ruud, hanneke),
        ),
    ]
    for day, theme, form, host, absent in year:
        meeting = _meeting(
            circle,
            day,
            theme,
            form,
            host,
            facilitator="Ingrid Vos" if form == MeetingForm.INTERVISION else "",
            note_taker=ingrid,
            agenda="1. Opening\n2. Inhoudelijk deel\n3. Afspraken voor de volgende keer",
            report="Verslag gemaakt door de secretaris en gedeeld met de deelnemers.",
            report_updated_at=_aware(day, 22),
        )
        _attend(meeting, members_2026, absent=absent)
    planned = _meeting(
        circle,
        date(2026, 12, 15),
        "Eindejaarsreflectie en plannen voor 2027",
        MeetingForm.INTERVISION,
        kees,
        state=MeetingState.PLANNED,
        facilitator="Ingrid Vos",
        note_taker=joost,
        agenda="1. Terugblik op het jaar\n2. Intervisie in twee groepen\n3. Programma 2027",
    )
    for person in (kees, petra, ingrid, fatima):
        MeetingRegistration.objects.get_or_create(meeting=planned, participant=person)
    Contribution.objects.get_or_create(
        circle=circle,
        participant=ruud,
        date=date(2026, 5, 19),
        defaults={"description": "Oefening met waardenkaarten voorbereid", "recorded_by": kees},
    )

    # A new applicant and one on trial who attended the November evening.
    sven = _person("sven.jansen@example.org", "Sven Jansen")
    nadia = _person("nadia.bos@example.org", "Nadia Bos")
    _apply(
        circle,
        sven,
        date(2026, 11, 9),
        ApplicationState.SUBMITTED,
        "Ik werk drie jaar als loopbaancoach bij een hogeschool en zoek collega's om casussen "
        "mee te bespreken.",
    )
    trial = _apply(
        circle,
        nadia,
        date(2026, 10, 1),
        ApplicationState.TRIAL,
        "Als zelfstandig jobcoach mis ik sparringpartners; ik wil graag meedraaien.",
    )
    Attendance.objects.get_or_create(
        meeting=Meeting.objects.get(circle=circle, date=date(2026, 11, 17)),
        participant=nadia,
        defaults={"present": True, "on_trial": True},
    )
    if trial.trial_fee_recorded_at is None:
        trial.trial_fee = Decimal("15.00")
        trial.trial_fee_recorded_at = _aware(date(2026, 11, 17), 21)
        trial.save(update_fields=["trial_fee", "trial_fee_recorded_at"])

    report, created = AnnualReport.objects.get_or_create(
        circle=circle,
        year=2025,
        defaults={
            "state": ReportState.PUBLISHED,
            "objective": circle.objective,
            "narrative": "In 2025 kwamen we vijf keer bijeen. De avonden wisselden tussen "
            "casusbesprekingen, intervisie en een boekbespreking; in november keken we samen "
            "naar de regionale arbeidsmarkt. Eén deelnemer stopte aan het eind van het jaar.",
            "submitted_at": _aware(date(2026, 1, 28)),
            "submitted_by": kees,
            "published_at": _aware(date(2026, 2, 4)),
        },
    )
    if created:
        figures = annual_report_figures(circle, 2025)
        report.member_count = figures["member_count"]
        report.meeting_count = figures["meeting_count"]
        report.activities = figures["activities"]
        report.figures_updated_at = timezone.now()
        report.save()
    if latest_pdf(report) is None:
        from noloc_portal.pdf.services import queue_report

        queue_report(kind="kk_annual_report", target=report, by=kees)
    SubsidyClaim.objects.get_or_create(
        circle=circle,
        year=2025,
        defaults={
            "state": ClaimState.APPROVED,
            "amount": Decimal("250.00"),
            "submitted_at": _aware(date(2025, 12, 2)),
            "submitted_by": kees,
            "decided_at": _aware(date(2025, 12, 10)),
            "decision_reason": "Voorwaarden in orde.",
        },
    )


def _seed_zwolle(karim: User) -> None:
    people = [_person(email, name) for email, name in ZWOLLE_MEMBERS]
    marieke = people[0]
    RoleGrant.objects.get_or_create(user=marieke, role=Role.CIRCLE_COORDINATOR)
    circle, _created = Circle.objects.get_or_create(
        name="Kwaliteitskring Zwolle",
        defaults={
            "region": "Overijssel",
            "coordinator": marieke,
            "capacity": 8,
            "status": CircleStatus.WAITING_LIST,
            "started_on": date(2024, 9, 1),
            "description": "Een volle kring in Zwolle; aanmelden kan via de wachtlijst.",
            "objective": "Intervisie en methodiekontwikkeling voor loopbaanprofessionals in "
            "de regio Zwolle.",
        },
    )
    for person in people:
        Membership.objects.get_or_create(circle=circle, member=person, year=2026)
    for day, theme, form, host in [
        (date(2026, 2, 10), "Kennismaking en jaarplanning", MeetingForm.OTHER, marieke),
        (
            date(2026, 4, 14),
            "Intervisie: de lastige opdrachtgever",
            MeetingForm.INTERVISION,
            people[1],
        ),
        (
            date(2026, 6, 9),
            "Workshop: narratieve loopbaanbegeleiding",
            MeetingForm.WORKSHOP,
            people[2],
        ),
        (date(2026, 10, 6), "Casusbespreking", MeetingForm.CASE_DISCUSSION, people[3]),
    ]:
        meeting = _meeting(circle, day, theme, form, host, place="Bibliotheek Zwolle")
        _attend(meeting, people)
    lotte = _person("lotte.de.wit@example.org", "Lotte de Wit")
    _apply(
        circle,
        karim,
        date(2026, 9, 2),
        ApplicationState.WAITLISTED,
        "Ik ben bezig met mijn certificering als loopbaanprofessional en wil graag leren van "
        "ervaren collega's in de regio.",
    )
    _apply(
        circle,
        lotte,
        date(2026, 10, 12),
        ApplicationState.WAITLISTED,
        "Ik begeleid werkzoekenden bij een gemeente en zoek verdieping in methodiek.",
    )


def _seed_programme_subgroup_joint(kees: User, petra: User) -> None:
    utrecht = Circle.objects.get(name="Kwaliteitskring Utrecht")
    zwolle = Circle.objects.get(name="Kwaliteitskring Zwolle")
    people = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
    ingrid, joost, ruud, fatima, hanneke = (people[email] for email, _name in UTRECHT_MEMBERS)

    # The 2026 programme, agreed at the January evening: every item is one of the meetings.
    agreed, created = Programme.objects.get_or_create(
        circle=utrecht,
        year=2026,
        defaults={
            "state": ProgrammeState.AGREED,
            "drafted_by": kees,
            "agreed_by": kees,
            "agreed_at": _aware(date(2026, 1, 20), 21),
        },
    )
    if created:
        plenary = Meeting.objects.filter(
            circle=utrecht, date__year=2026, subgroup__isnull=True, joint_with__isnull=True
        ).order_by("date")
        for meeting in plenary:
            ProgrammeItem.objects.create(
                programme=agreed,
                date=meeting.date,
                theme=meeting.theme,
                form=meeting.form,
                host=meeting.host,
                place=meeting.place,
                proposed_by=meeting.host or kees,
                meeting=meeting,
            )

    # The 2027 programme is being drafted: two proposals, one still without a host.
    draft, created = Programme.objects.get_or_create(
        circle=utrecht, year=2027, defaults={"drafted_by": kees}
    )
    if created:
        ProgrammeItem.objects.create(
            programme=draft,
            date=date(2027, 1, 19),
            theme="Casus: loopbaanvragen van vijftigplussers",
            form=MeetingForm.CASE_DISCUSSION,
            host=ruud,
            proposed_by=ruud,
            note="Ik breng twee casussen mee uit mijn eigen praktijk.",
        )
        ProgrammeItem.objects.create(
            programme=draft,
            date=date(2027, 3, 16),
            theme="Methodiek: het levenslijngesprek",
            form=MeetingForm.METHODOLOGY,
            proposed_by=hanneke,
            place="Wijkcentrum De Leeuw",
        )

    # An intervision subgroup with its own meetings and attendance.
    subgroup, created = Subgroup.objects.get_or_create(
        circle=utrecht,
        name="Intervisiegroep Utrecht-Oost",
        defaults={
            "purpose": "Tussen de kringavonden door intervisie in een kleine groep.",
            "convener": ingrid,
            "created_by": ingrid,
        },
    )
    for person in (ingrid, petra, fatima):
        SubgroupMembership.objects.get_or_create(subgroup=subgroup, member=person)
    held = _meeting(
        utrecht,
        date(2026, 10, 6),
        "Intervisie: een traject dat vastloopt",
        MeetingForm.INTERVISION,
        fatima,
        subgroup=subgroup,
        facilitator="Ingrid Vos",
        place="Praktijk Vos, Utrecht",
        agenda="1. Casus van Fatima\n2. Vragenronde\n3. Advies en afronding",
    )
    _attend(held, [ingrid, petra, fatima])
    planned = _meeting(
        utrecht,
        date(2026, 12, 8),
        "Intervisie: afscheid nemen van een cliënt",
        MeetingForm.INTERVISION,
        petra,
        state=MeetingState.PLANNED,
        subgroup=subgroup,
        facilitator="Ingrid Vos",
        place="Praktijk Vos, Utrecht",
    )
    MeetingRegistration.objects.get_or_create(meeting=planned, participant=petra)

    # A joint evening with Zwolle: both circles on one attendance list, each person once.
    joint = _meeting(
        utrecht,
        date(2026, 10, 20),
        "Samen met Zwolle: de arbeidsmarkt in Midden- en Oost-Nederland",
        MeetingForm.TIPS,
        joost,
        joint_with=zwolle,
        place="Hotel Amersfoort Centraal",
    )
    zwolle_people = [m.member for m in Membership.objects.filter(circle=zwolle, year=2026)]
    utrecht_people = [m.member for m in Membership.objects.filter(circle=utrecht, year=2026)]
    _attend(joint, [*utrecht_people, *zwolle_people], absent=(ruud, zwolle_people[-1]))
