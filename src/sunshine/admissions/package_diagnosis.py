"""Turning the database's refusal of a package into an error that names the rows at fault.
The constraints stay the authority; this only explains, after the rollback, what broke them."""

from __future__ import annotations

from collections import Counter

import numpy as np
from django.db import IntegrityError
from django.db.models.deletion import ProtectedError, RestrictedError

from sunshine.admissions.errors import (
    DuplicateChild,
    DuplicatePreference,
    PackageImportError,
    PackageRejected,
    SeasonExists,
)
from sunshine.admissions.models import Season
from sunshine.datasets.package import DataPackage


def describe_protected(error: ProtectedError | RestrictedError) -> str:
    """What still refers to a season being replaced, counted by kind (no personal data)."""
    objs = (
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    )
    kinds = Counter(str(obj._meta.verbose_name) for obj in objs)
    listed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"it is referred to by rows kept beyond the season ({listed})"


def diagnose_refusal(pkg: DataPackage, error: IntegrityError) -> PackageImportError:
    """Called after the import's transaction rolled back: which rows broke which rule."""
    applications = pkg["applications"]
    codes = applications["application_id"]
    children = applications["child_id"].astype(str)
    _, inverse, counts = np.unique(children, return_inverse=True, return_counts=True)
    repeated = np.flatnonzero(counts > 1)
    if repeated.size:
        first = np.flatnonzero(inverse == repeated[0])
        return DuplicateChild(tuple(str(c) for c in codes[first]), more=int(repeated.size) - 1)
    for code, listed in zip(codes.tolist(), applications["preferences"].tolist(), strict=True):
        seen: set[str] = set()
        for school in listed:
            if school in seen:
                return DuplicatePreference(code, school)
            seen.add(school)
    policy = pkg.policy
    if Season.objects.filter(
        region_code=policy.region_code, school_year=policy.school_year
    ).exists():
        # Another import of the same season committed first (two concurrent imports).
        return SeasonExists(policy.region_code, policy.school_year)
    return PackageRejected(f"the database refused the package: {error}")
