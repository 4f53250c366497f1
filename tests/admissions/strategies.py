"""Hypothesis strategies for whole data packages that pass the reader's checks: unique keys,
foreign keys that resolve, one application per child, preferences listed once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from sunshine.datasets.package import DataPackage, Zone
from sunshine.datasets.schema import GENDERS, PRIORITY_GROUPS, RELATIONS, SPECIAL_NEEDS
from tests.admissions.packages import SQUARE, make_package, make_table

# Any printable text, Chinese included; no control characters (never in a CSV cell).
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=0, max_size=12
)
NAME = TEXT.filter(bool)
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
LONS = st.floats(73.0, 136.0, allow_nan=False)
LATS = st.floats(3.0, 54.0, allow_nan=False)


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


@st.composite
def packages(draw: st.DrawFn) -> DataPackage:
    n_schools = draw(st.integers(1, 5))
    school_ids = _ids("S", n_schools)
    stages = draw(st.lists(st.sampled_from(["primary", "junior"]), min_size=n_schools,
                           max_size=n_schools))  # fmt: skip
    schools = [
        {
            "school_id": sid,
            "name": draw(NAME),
            "stage": stage,
            "kind": draw(st.sampled_from(["public", "private"])),
            "lon": draw(LONS),
            "lat": draw(LATS),
            "plan_seats": draw(st.integers(0, 10_000)),
            "class_size": draw(st.one_of(st.just(-1), st.integers(1, 60))),
            "feeds_school_id": draw(st.sampled_from(["", *school_ids])),
        }
        for sid, stage in zip(school_ids, stages, strict=True)
    ]
    address_ids = _ids("A", draw(st.integers(1, 4)))
    addresses = [
        {"address_id": a, "text": draw(NAME), "lon": draw(LONS), "lat": draw(LATS)}
        for a in address_ids
    ]
    people = _ids("P", draw(st.integers(0, 6)))
    households = [
        {
            "person_id": p,
            "household_id": draw(st.sampled_from(["H1", "H2"])),
            "address_id": draw(st.sampled_from(address_ids)),
            "registered_on": draw(DATES),
            "relation": draw(st.sampled_from(RELATIONS)),
        }
        for p in people
    ]
    properties = [
        {
            "certificate_no": f"C{i}",
            "address_id": draw(st.sampled_from(address_ids)),
            "owner_id": p,
            "share": draw(st.floats(0.0, 1.0, exclude_min=True)),
            "acquired_on": draw(DATES),
        }
        for i, p in enumerate(people[: draw(st.integers(0, len(people)))])
    ]
    permits = [
        {"person_id": p, "address_id": draw(st.sampled_from(address_ids)),
         "issued_on": draw(DATES), "valid_until": draw(DATES)}
        for p in people[: draw(st.integers(0, len(people)))]
    ]  # fmt: skip
    social = [
        {"person_id": p, "months_continuous": draw(st.integers(0, 400)), "as_of": draw(DATES)}
        for p in people[: draw(st.integers(0, len(people)))]
    ]
    children = _ids("K", draw(st.integers(0, 6)))
    births = [
        {
            "child_id": c,
            "birth_date": draw(DATES),
            "mother_id": draw(st.sampled_from(["", *people])),
            "father_id": draw(st.sampled_from(["", *people])),
            "address_id": draw(st.sampled_from(["", *address_ids])),
        }
        for c in children
    ]
    vaccinations = [{"child_id": c, "complete": draw(st.booleans())} for c in children]
    seat_usage = [
        {"certificate_no": f"C{i}", "year": draw(st.integers(1990, 2100)),
         "stage": draw(st.sampled_from(["primary", "junior"])), "child_id": c}
        for i, c in enumerate(children[: draw(st.integers(0, len(children)))])
    ]  # fmt: skip
    app_ids = _ids("APP", len(children))
    applications = [
        {
            "application_id": app,
            "child_id": child,
            "child_name": draw(NAME),
            "gender": draw(st.sampled_from(GENDERS)),
            "birth_date": draw(DATES),
            "stage": draw(st.sampled_from(["primary", "junior"])),
            "guardian_ids": tuple(draw(st.lists(st.sampled_from(people or ["G"]), max_size=2))),
            "claimed_address_id": draw(st.sampled_from(address_ids)),
            "claimed_certificate_no": draw(st.sampled_from(["", "C0"])),
            "preferences": tuple(
                draw(st.lists(st.sampled_from(school_ids), unique=True, max_size=3))
            ),
            "private_school_id": draw(st.sampled_from(["", *school_ids])),
            "priority_group": draw(st.sampled_from(["", *PRIORITY_GROUPS])),
            "special_needs": draw(st.sampled_from(["", *SPECIAL_NEEDS])),
            "sibling_application_ids": tuple(
                draw(st.lists(st.sampled_from(app_ids), unique=True, max_size=2))
            ),
            "current_school_id": draw(st.sampled_from(["", *school_ids])),
        }
        for app, child in zip(app_ids, children, strict=True)
    ]
    zones = tuple(
        Zone(
            zone_id=f"Z{i}",
            stage=draw(st.sampled_from(["primary", "junior"])),
            school_ids=tuple(
                draw(st.lists(st.sampled_from(school_ids), unique=True, min_size=1, max_size=3))
            ),
            geometry=SQUARE,
            properties={"zone_id": f"Z{i}", "note": draw(TEXT)},
        )
        for i in range(draw(st.integers(0, 3)))
    )
    rows: dict[str, list[dict[str, Any]]] = {
        "schools": schools,
        "addresses": addresses,
        "households": households,
        "properties": properties,
        "residence_permits": permits,
        "social_security": social,
        "births": births,
        "vaccinations": vaccinations,
        "seat_usage": seat_usage,
        "applications": applications,
    }
    tables = {}
    for name, table_rows in rows.items():
        extra_names = draw(st.lists(st.sampled_from(["备注", "source", "x 1"]), unique=True,
                                    max_size=2))  # fmt: skip
        extras = {e: [draw(TEXT) for _ in table_rows] for e in extra_names}
        tables[name] = make_table(name, table_rows, extras)
    return make_package(tables, zones)
