"""The demo's stakeholder details: contact people, interview notes and a few engagement moves."""

from __future__ import annotations

import datetime as dt

from coalition.stakeholders import actions
from coalition.stakeholders.demo_context import DemoContext

# stakeholder, name, position, email
CONTACTS = [
    ("Eastgate Youth Centre", "Amina Haddad", "Backbone coordinator", "amina@example.org"),
    ("Riverside Primary School", "Tomás Alvarez", "Deputy head teacher", "t.alvarez@example.org"),
    ("City Council Education Committee", "Cllr. Margaret Doyle", "Committee chair", "m.doyle@example.org"),
    ("Department of Children & Family Services", "Kwame Boateng", "District manager", "k.boateng@example.org"),
    ("Eastgate Mosque Community Centre", "Imam Yusuf Rahman", "Community liaison", ""),
    ("Eastgate Business Improvement District", "Clara Novak", "Programme manager", "clara@example.org"),
    ("Millbrook Mothers' Circle", "Fatou Diallo", "Organiser", ""),
]

# stakeholder, days ago, summary
INTERVIEWS = [
    (
        "City Council Education Committee",
        40,
        "Chair sees after-school provision as a schools matter, not the council's. Open to a briefing if we bring "
        "attendance and reading data. Worried about being asked for new money before the budget round. Suggested "
        "we talk to the School District Transport Office about late buses.",
    ),
    (
        "Eastgate Mosque Community Centre",
        25,
        "Runs a Saturday homework club for about 40 children; would share the hall on weekday afternoons if "
        "someone covers caretaker hours. Families ask for girls-only sessions. Happy to join a consultation "
        "meeting; wants materials in Arabic and Somali.",
    ),
    (
        "Millbrook Mothers' Circle",
        18,
        "Mothers describe children waiting alone on the estate until parents finish shifts at 6 pm. Cost and "
        "the walk across the ring road are the main barriers. Several would volunteer if childcare for "
        "toddlers is arranged. They asked to be kept informed by text message rather than email.",
    ),
    (
        "Department of Children & Family Services",
        12,
        "District manager confirmed a small-grants window in spring and interest in shared attendance data. "
        "Cannot join as a member while the service review runs, but will send an observer to quarterly meetings.",
    ),
]

# stakeholder, new engagement, note
ENGAGEMENT_MOVES = [
    ("Metro Transit Authority", "contacted", "Letter sent about safe routes and bus passes for under-14s."),
    ("Eastgate Business Improvement District", "consulted", "Met the programme manager; interested in sponsoring."),
]


def seed(ctx: DemoContext) -> None:
    by_name = ctx.stakeholders
    for stakeholder, name, position, email in CONTACTS:
        actions.do_add_contact(ctx.hub, by_name[stakeholder], name=name, position=position, email=email)
    for stakeholder, days_ago, summary in INTERVIEWS:
        actions.do_record_interview(
            ctx.hub,
            by_name[stakeholder],
            held_on=ctx.today - dt.timedelta(days=days_ago),
            summary=summary,
            interviewer=ctx.hub,
        )
    for stakeholder, engagement, note in ENGAGEMENT_MOVES:
        by_name[stakeholder] = actions.do_change_engagement(ctx.hub, by_name[stakeholder], engagement, note=note)
