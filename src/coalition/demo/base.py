"""The demo coalition's people, organisations and stakeholder map (written for this product)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from coalition.coalitions import actions as coalition_actions
from coalition.coalitions.models import Coalition
from coalition.core.permissions import Role
from coalition.stakeholders.demo_context import DemoContext
from coalition.stakeholders.models import Stakeholder

DEMO_PASSWORD = "coalition-demo-2026"  # noqa: S105 - printed for the demo, documented in README
COALITION_NAME = "Eastgate After-School Coalition"
OTHER_COALITION_NAME = "Harbourside Clean Air Network"

G, CS, CBO, PRIV, ACAD, DON, FAITH, LEAD, RES = (
    "government",
    "civil_society",
    "community_based",
    "private",
    "academia",
    "donor",
    "faith",
    "community_leader",
    "resident",
)

# name, sector, kind, level, place, power, interest, stake/power/knowledge, lived experience, marginalised, engagement
STAKEHOLDERS = [
    (
        "Eastgate Youth Centre",
        CBO,
        "organisation",
        "neighbourhood",
        "Eastgate North",
        3,
        5,
        "SK",
        True,
        False,
        "member",
    ),
    ("Riverside Primary School", G, "organisation", "neighbourhood", "Riverside", 3, 5, "SK", False, False, "member"),
    ("City Parks & Recreation Department", G, "organisation", "local", "Citywide", 4, 3, "P", False, False, "member"),
    (
        "Eastgate Public Library",
        G,
        "organisation",
        "neighbourhood",
        "Eastgate Centre",
        2,
        5,
        "K",
        False,
        False,
        "member",
    ),
    ("Families First Network", CS, "organisation", "local", "Eastgate South", 2, 5, "SK", True, True, "member"),
    ("St. Brigid's Parish", FAITH, "organisation", "neighbourhood", "Eastgate North", 2, 4, "S", True, False, "member"),
    (
        "Eastgate Tenants' Association",
        CBO,
        "organisation",
        "neighbourhood",
        "Millbrook Estate",
        2,
        5,
        "S",
        True,
        True,
        "member",
    ),
    (
        "Northvale University School of Education",
        ACAD,
        "organisation",
        "subnational",
        "Northvale",
        3,
        4,
        "K",
        False,
        False,
        "member",
    ),
    ("Harmon Family Foundation", DON, "organisation", "local", "Citywide", 4, 4, "P", False, False, "member"),
    (
        "Mrs. Lydia Okafor (block captain)",
        LEAD,
        "individual",
        "neighbourhood",
        "Millbrook Estate",
        2,
        5,
        "SK",
        True,
        True,
        "member",
    ),
    (
        "Eastgate Mosque Community Centre",
        FAITH,
        "organisation",
        "neighbourhood",
        "Eastgate South",
        2,
        4,
        "S",
        True,
        True,
        "consulted",
    ),
    ("City Council Education Committee", G, "organisation", "local", "Citywide", 5, 2, "P", False, False, "contacted"),
    (
        "Department of Children & Family Services",
        G,
        "organisation",
        "subnational",
        "Province",
        5,
        3,
        "PK",
        False,
        False,
        "consulted",
    ),
    (
        "Eastgate Police Community Unit",
        G,
        "organisation",
        "neighbourhood",
        "Eastgate Centre",
        3,
        2,
        "P",
        False,
        False,
        "contacted",
    ),
    ("Metro Transit Authority", G, "organisation", "local", "Citywide", 4, 1, "P", False, False, "identified"),
    (
        "Eastgate Health Clinic",
        G,
        "organisation",
        "neighbourhood",
        "Eastgate Centre",
        3,
        3,
        "K",
        False,
        False,
        "consulted",
    ),
    (
        "Boys & Girls Sports League",
        CS,
        "organisation",
        "local",
        "Eastgate North",
        2,
        4,
        "SK",
        False,
        False,
        "consulted",
    ),
    (
        "Literacy Volunteers of Eastgate",
        CS,
        "organisation",
        "neighbourhood",
        "Eastgate Centre",
        1,
        5,
        "K",
        False,
        False,
        "contacted",
    ),
    ("New Arrivals Support Centre", CS, "organisation", "local", "Eastgate South", 2, 4, "SK", True, True, "contacted"),
    ("Disability Rights Eastgate", CS, "organisation", "local", "Citywide", 2, 3, "SK", True, True, "identified"),
    (
        "Millbrook Mothers' Circle",
        CBO,
        "organisation",
        "neighbourhood",
        "Millbrook Estate",
        1,
        5,
        "S",
        True,
        True,
        "consulted",
    ),
    (
        "Eastgate Business Improvement District",
        PRIV,
        "organisation",
        "neighbourhood",
        "Eastgate Centre",
        3,
        2,
        "P",
        False,
        False,
        "contacted",
    ),
    (
        "Corner Grocers' Association",
        PRIV,
        "organisation",
        "neighbourhood",
        "Eastgate North",
        1,
        2,
        "S",
        False,
        False,
        "identified",
    ),
    ("BrightPath Tutoring Ltd.", PRIV, "organisation", "local", "Citywide", 2, 3, "K", False, False, "declined"),
    (
        "Regional Power & Light Co. (community fund)",
        PRIV,
        "organisation",
        "subnational",
        "Province",
        3,
        2,
        "P",
        False,
        False,
        "identified",
    ),
    (
        "Community Foundation of the Valley",
        DON,
        "organisation",
        "subnational",
        "Province",
        4,
        3,
        "P",
        False,
        False,
        "contacted",
    ),
    (
        "Northvale Community College (youth work course)",
        ACAD,
        "organisation",
        "local",
        "Northvale",
        2,
        3,
        "K",
        False,
        False,
        "identified",
    ),
    ("Pastor Daniel Reyes", LEAD, "individual", "neighbourhood", "Eastgate South", 3, 3, "S", True, False, "consulted"),
    (
        "Youth Council of Eastgate",
        CBO,
        "organisation",
        "neighbourhood",
        "Eastgate Centre",
        1,
        5,
        "SK",
        True,
        True,
        "consulted",
    ),
    (
        "Parent representative, Riverside PTA",
        RES,
        "individual",
        "neighbourhood",
        "Riverside",
        1,
        5,
        "S",
        True,
        False,
        "consulted",
    ),
    (
        "Grandparents raising grandchildren group",
        RES,
        "organisation",
        "neighbourhood",
        "Millbrook Estate",
        1,
        4,
        "S",
        True,
        True,
        "identified",
    ),
    (
        "Eastgate Arts Collective",
        CS,
        "organisation",
        "neighbourhood",
        "Eastgate North",
        1,
        4,
        "K",
        False,
        False,
        "contacted",
    ),
    ("School District Transport Office", G, "organisation", "local", "Citywide", 3, 2, "P", False, False, "identified"),
]

# username, first, last, organisation, roles, title
PEOPLE = [
    ("amina", "Amina", "Haddad", "Eastgate Youth Centre", [Role.HUB], "Backbone coordinator"),
    ("marco", "Marco", "Bianchi", None, [Role.FACILITATOR], "Independent facilitator"),
    ("grace", "Grace", "Mensah", "Families First Network", [Role.MEMBER], "Programme lead"),
    ("tomas", "Tomás", "Alvarez", "Riverside Primary School", [Role.MEMBER, Role.STEERING], "Deputy head teacher"),
    ("priya", "Priya", "Raman", "City Parks & Recreation Department", [Role.MEMBER], "Community programmes officer"),
    ("hannah", "Hannah", "Clarke", "Eastgate Public Library", [Role.MEMBER, Role.STEERING], "Branch librarian"),
    ("joseph", "Joseph", "Mwangi", "St. Brigid's Parish", [Role.CONVENER], "Parish outreach worker"),
    ("leila", "Leila", "Karimi", "Eastgate Tenants' Association", [Role.MEMBER, Role.STEERING], "Chair"),
    ("owen", "Owen", "Price", "Northvale University School of Education", [Role.MEMBER], "Research fellow"),
    ("ruth", "Ruth", "Harmon", "Harmon Family Foundation", [Role.OBSERVER], "Programme officer"),
    ("lydia", "Lydia", "Okafor", "Mrs. Lydia Okafor (block captain)", [Role.MEMBER], "Resident and block captain"),
    ("sam", "Samuel", "Osei", "Eastgate Youth Centre", [Role.HUB], "Data and learning officer"),
]

DEMO_USERNAMES = [p[0] for p in PEOPLE] + ["nadia", "felix"]


def _flags(code: str) -> dict[str, bool]:
    return {"brings_stake": "S" in code, "brings_power": "P" in code, "brings_knowledge": "K" in code}


def _user(username: str, first: str, last: str) -> User:
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", first_name=first, last_name=last, password=DEMO_PASSWORD
    )
    return user


def reset() -> None:
    """Remove an earlier demo so seeding twice gives the same result."""
    Coalition.objects.filter(name__in=[COALITION_NAME, OTHER_COALITION_NAME]).delete()
    get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()


@transaction.atomic
def seed_base(today: dt.date | None = None) -> DemoContext:
    today = today or timezone.localdate()
    reset()
    people = {username: _user(username, first, last) for username, first, last, *_ in PEOPLE}
    hub = people["amina"]
    coalition = coalition_actions.do_create_coalition(
        hub,
        name=COALITION_NAME,
        problem_statement=(
            "Too many Eastgate children aged 6 to 14 spend weekday afternoons without a safe, affordable place "
            "to learn and play, and reading scores in the neighbourhood trail the city average."
        ),
        common_purpose=(
            "Every Eastgate child has somewhere safe, welcoming and free to go after school, and reads "
            "confidently by the end of primary school."
        ),
        scope=Coalition.Scope.LOCAL,
        places="Eastgate North, Eastgate Centre, Eastgate South, Millbrook Estate, Riverside",
        phase=Coalition.Phase.OPERATING,
        starts_on=today.replace(year=today.year - 2, month=1, day=1),
        ends_on=today.replace(year=today.year + 2, month=12, day=31),
    )
    stakeholders: dict[str, Stakeholder] = {}
    for name, sector, kind, level, place, power, interest, spk, lived, marginal, engagement in STAKEHOLDERS:
        stakeholders[name] = Stakeholder.objects.create(
            coalition=coalition,
            name=name,
            sector=sector,
            kind=kind,
            level=level,
            place=place,
            power=power,
            interest=interest,
            lived_experience=lived,
            marginalised_group=marginal,
            engagement=engagement,
            **_flags(spk),
        )
    memberships = []
    for username, _first, _last, organisation, roles, title in PEOPLE:
        org = stakeholders[organisation] if organisation else None
        if username == "amina":
            membership = coalition.memberships.get(user=hub)
            coalition_actions.do_update_membership(hub, membership, organisation=org, title=title)
            coalition_actions.do_set_roles(hub, membership, roles)
        else:
            membership = coalition_actions.do_add_membership(
                hub, coalition, people[username], roles=roles, organisation=org, title=title
            )
        memberships.append(membership)
    by_user = {m.user.username: m for m in memberships}
    coalition_actions.do_save_working_group(
        hub,
        coalition,
        name="Literacy working group",
        is_codesign_group=False,
        purpose="Plans reading clubs and homework help with the library, schools and volunteers.",
        members=[by_user[u] for u in ("hannah", "tomas", "owen", "grace")],
    )
    coalition_actions.do_save_working_group(
        hub,
        coalition,
        name="Co-design group",
        is_codesign_group=True,
        purpose="Drafts the common agenda and brings it to the full coalition for agreement.",
        members=[by_user[u] for u in ("amina", "leila", "tomas", "hannah", "lydia", "joseph")],
    )
    # A second, smaller coalition that none of the demo logins belongs to: isolation is visible.
    nadia = _user("nadia", "Nadia", "Petrov")
    other = coalition_actions.do_create_coalition(
        nadia,
        name=OTHER_COALITION_NAME,
        scope=Coalition.Scope.SUBNATIONAL,
        places="Harbourside, Port District",
        problem_statement="Diesel traffic to the port keeps air quality near schools below safe levels.",
        phase=Coalition.Phase.PREPARING,
    )
    felix = _user("felix", "Felix", "Grant")
    for name, sector in (
        ("Port Authority", G),
        ("Harbourside Residents for Clean Air", CBO),
        ("Lung Health Charity", CS),
    ):
        Stakeholder.objects.create(coalition=other, name=name, sector=sector, power=3, interest=4)
    coalition_actions.do_add_membership(nadia, other, felix, roles=[Role.MEMBER])
    return DemoContext(
        coalition=coalition,
        other_coalition=other,
        hub=hub,
        facilitator=people["marco"],
        member=people["grace"],
        memberships=memberships,
        stakeholders=stakeholders,
        today=today,
    )
