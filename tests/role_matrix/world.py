"""The fixture world every action of the matrix runs against.

Two counties of one city (A 330110 and B 330120, city 3301), each a ``build_county()`` of
``tests/portal/factories.py``; one person per role and scope variant (:data:`ACTORS`); and in
county A a published admitted list in two versions, a published lottery ceremony, a hotline and
two signed audit checkpoints. Actions target county A's objects, so "of another county", "of
another school" and "of another family" are the scope variants that must be refused.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import PublishedList, PublishedVersion
from sunshine.admissions.publication import publish_list
from sunshine.audit.checkpoints import publish_checkpoint, receipt_for_object
from sunshine.audit.keys import raw_private_key
from sunshine.audit.services import record_event
from sunshine.ceremony import services as ceremony
from sunshine.ceremony.models import Ceremony
from sunshine.portal.models import Hotline
from tests.portal.factories import County, admit, build_county, make_user

PASSWORD = "matrix-password-1"  # every world account's password, for the sign-in actions
CITY = "3301"
COUNTY_A, COUNTY_B = "330110", "330120"

# Every kind of visitor, and the scope variants that must be told apart. Keep the names
# stable: actions name them in their ``allowed`` sets.
ACTORS: tuple[str, ...] = (
    "anonymous",
    "parent",  # the family of county A's application A1
    "parent_other_family",  # the family of county A's application A3
    "school_staff",  # 城东小学 (east) of county A, which A1 lists
    "school_staff_other_school",  # the junior school of county A, which A1 does not list
    "bureau_reviewer",
    "bureau_admin",
    "bureau_admin_other_county",  # county B
    "inspector",
    "inspector_other_county",  # county B
    "supervisor",  # city 3301: counties A and B
    "supervisor_other_city",  # city 3302
    "notary",
    "witness",
)


def signing_key_setting() -> str:
    """A fresh audit signing key, for SUNSHINE_AUDIT_SIGNING_KEY while the world lives."""
    return base64.b64encode(raw_private_key(Ed25519PrivateKey.generate())).decode()


@dataclass
class World:
    a: County
    b: County
    users: dict[str, User]
    ceremony: Ceremony
    published: PublishedVersion
    receipt: dict[str, object]  # county A application A1's receipt
    checkpoints: tuple[int, int]  # the tree sizes of the two signed checkpoints
    extra: dict[str, object] = field(default_factory=dict)  # for other apps' actions

    def user(self, actor: str) -> User | None:
        return self.users.get(actor)


def _people(a: County, b: County) -> dict[str, User]:
    def make(key: str, role: Role, **scope: object) -> User:
        user = make_user(role, username=f"matrix-{key}", **scope)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return user

    users = {
        "parent": make("parent", Role.PARENT),
        "parent_other_family": make("parent_other_family", Role.PARENT),
        "school_staff": make("school_staff", Role.SCHOOL_STAFF, school=a.east),
        "school_staff_other_school": make(
            "school_staff_other_school", Role.SCHOOL_STAFF, school=a.junior
        ),
        "bureau_reviewer": make("bureau_reviewer", Role.BUREAU_REVIEWER, region_code=COUNTY_A),
        "bureau_admin": make("bureau_admin", Role.BUREAU_ADMIN, region_code=COUNTY_A),
        "bureau_admin_other_county": make(
            "bureau_admin_other_county", Role.BUREAU_ADMIN, region_code=COUNTY_B
        ),
        "inspector": make("inspector", Role.INSPECTOR, region_code=COUNTY_A),
        "inspector_other_county": make(
            "inspector_other_county", Role.INSPECTOR, region_code=COUNTY_B
        ),
        "supervisor": make("supervisor", Role.SUPERVISOR, region_code=CITY),
        "supervisor_other_city": make("supervisor_other_city", Role.SUPERVISOR, region_code="3302"),
        "notary": make("notary", Role.NOTARY),
        "witness": make("witness", Role.WITNESS),
    }
    users["parent"].applications.set([a.applications["a1"]])
    users["parent_other_family"].applications.set([a.applications["a3"]])
    return users


def _ceremony(a: County, users: dict[str, User]) -> Ceremony:
    admin = users["bureau_admin"]
    held = ceremony.freeze_pool(a.season, actor=admin, label="示范县小学摇号")
    held = ceremony.announce(held, actor=admin, witness_roles=["notary", "parent_rep"])
    ceremony.add_witness_input(held, actor=users["notary"], role="notary", name="张公证", value="7")
    ceremony.add_witness_input(
        held, actor=users["witness"], role="parent_rep", name="李家长", value="42"
    )
    return ceremony.publish(ceremony.draw(held, actor=admin), actor=admin)


def build_world() -> World:
    """Build the world; call with SUNSHINE_PUBLICATION_K = 1 and an audit signing key set."""
    a = build_county(COUNTY_A, "示范县")
    b = build_county(COUNTY_B, "邻县")
    users = _people(a, b)
    Hotline.objects.create(season=a.season, name="县教育局招生办", phone="0571-12345678")
    held = _ceremony(a, users)
    with transaction.atomic():  # the registration event a family's receipt proves
        record_event(
            actor="cli:matrix",
            action="application.registered",
            object_type="application",
            object_id=a.applications["a1"].code,
        )
    first = publish_checkpoint(actor="cli:matrix")
    publisher, approver = users["bureau_admin"], users["bureau_reviewer"]
    kind = PublishedList.Kind.ADMITTED
    publish_list(a.season, kind, None, actor=publisher, approver=approver)
    admit(a.applications["a1"], a.east)  # a late admission: version 2 of the list
    version = publish_list(
        a.season, kind, None, actor=publisher, approver=approver, reason="补录一名儿童"
    )
    second = publish_checkpoint(actor="cli:matrix")
    receipt = receipt_for_object("application", a.applications["a1"].code)
    return World(a, b, users, held, version, receipt, (first.tree_size, second.tree_size))
