"""The inputs of eligibility as plain numpy columns, with every identifier already factorised.

People (children, guardians, owners, permit holders), certificates and addresses are small
integer codes assigned by the adapter (:mod:`sunshine.datasets.to_core`); ``-1`` means "none".
Person codes are shared by every table, so joins are integer searches, never string compares.
Schools are indices into the stage's :class:`SchoolSet`, addresses into :class:`Addresses`.
Dates are ``datetime64[D]`` (``NaT`` when absent).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from sunshine.core.policy import PriorityGroup, SpecialNeed
from sunshine.core.zoning import ZoneLayer

NONE = -1

# Codes of the enum columns, in declaration order of the core enums.
PRIORITY_GROUP_CODES: tuple[PriorityGroup, ...] = tuple(PriorityGroup)
SPECIAL_NEED_CODES: tuple[SpecialNeed, ...] = tuple(SpecialNeed)


class Relation(IntEnum):
    """Relation to the head of a 户籍 household."""

    HEAD = 0
    SPOUSE = 1
    CHILD = 2
    OTHER = 3


@dataclass(frozen=True, slots=True)
class Applicants:
    """The applications of one stage; row ``i`` is application ``i`` of the market."""

    application_id: np.ndarray  # object [n]: public id, for output rows
    id_number: np.ndarray  # object [n]: the child's 身份证 number as given
    child: np.ndarray  # int32 [n]: person code of the child
    birth_date: np.ndarray  # datetime64[D] [n]: as claimed on the application
    guardian_ptr: np.ndarray  # int64 [n + 1]: CSR over ``guardian``
    guardian: np.ndarray  # int32: person codes of the listed guardians
    claimed_address: np.ndarray  # int32 [n]
    claimed_certificate: np.ndarray  # int32 [n]: certificate code, -1 none claimed
    pref_ptr: np.ndarray  # int64 [n + 1]: CSR over ``pref_school``, as listed
    pref_school: np.ndarray  # int32: school index, -1 for a school not of this stage
    private_school: np.ndarray  # int32 [n]: -1 none; -2 a school not of this stage
    priority_group: np.ndarray  # int8 [n]: index into PRIORITY_GROUP_CODES, -1 none
    special_need: np.ndarray  # int8 [n]: index into SPECIAL_NEED_CODES, -1 none
    feeder_school: np.ndarray  # int32 [n]: school the child's current school feeds, -1 none

    def __len__(self) -> int:
        return len(self.child)


@dataclass(frozen=True, slots=True)
class Addresses:
    lon: np.ndarray  # float64 [a]
    lat: np.ndarray  # float64 [a]


@dataclass(frozen=True, slots=True)
class Households:
    """户籍: one row per person (the person code is unique)."""

    person: np.ndarray  # int32
    household: np.ndarray  # int32
    address: np.ndarray  # int32
    registered_on: np.ndarray  # datetime64[D]
    relation: np.ndarray  # int8, a Relation


@dataclass(frozen=True, slots=True)
class Properties:
    """房产: one row per (certificate, owner)."""

    certificate: np.ndarray  # int32
    address: np.ndarray  # int32
    owner: np.ndarray  # int32 person code
    share: np.ndarray  # float64 in (0, 1]
    acquired_on: np.ndarray  # datetime64[D]


@dataclass(frozen=True, slots=True)
class Permits:
    """居住证."""

    person: np.ndarray  # int32
    address: np.ndarray  # int32
    issued_on: np.ndarray  # datetime64[D]
    valid_until: np.ndarray  # datetime64[D]


@dataclass(frozen=True, slots=True)
class SocialSecurity:
    person: np.ndarray  # int32, unique
    months: np.ndarray  # int64: continuous months as of ``as_of``
    as_of: np.ndarray  # datetime64[D]


@dataclass(frozen=True, slots=True)
class Births:
    child: np.ndarray  # int32, unique
    birth_date: np.ndarray  # datetime64[D]
    mother: np.ndarray  # int32, -1 unknown
    father: np.ndarray  # int32, -1 unknown


@dataclass(frozen=True, slots=True)
class Vaccinations:
    child: np.ndarray  # int32, unique
    complete: np.ndarray  # bool


@dataclass(frozen=True, slots=True)
class SeatUsage:
    """Earlier admissions *of this stage* that used a home (学位锁定)."""

    certificate: np.ndarray  # int32
    year: np.ndarray  # int64
    child: np.ndarray  # int32 person code


@dataclass(frozen=True, slots=True)
class SchoolSet:
    """The schools of one stage, in the package's row order."""

    school_id: np.ndarray  # object [m]
    capacity: np.ndarray  # int64 [m]
    is_private: np.ndarray  # bool [m]
    lon: np.ndarray  # float64 [m]
    lat: np.ndarray  # float64 [m]

    def __len__(self) -> int:
        return len(self.school_id)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything eligibility reads for one stage."""

    applicants: Applicants
    addresses: Addresses
    households: Households
    properties: Properties
    permits: Permits
    social_security: SocialSecurity
    births: Births
    vaccinations: Vaccinations
    seat_usage: SeatUsage
    schools: SchoolSet
    zones: ZoneLayer
