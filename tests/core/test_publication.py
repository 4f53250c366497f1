from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.core.publication import (
    KEY,
    SPECS,
    Entry,
    KAnonymityError,
    ListSpec,
    Row,
    apply_diff,
    build_rows,
    check_k_anonymity,
    diff_rows,
    k_report,
    list_digest,
)

pytestmark = pytest.mark.no_postgres_rerun

ID = "330199201909230014"


def _entry(code: str, school: str = "PS1", cls: int | None = 1, status: str = "admitted") -> Entry:
    return Entry(
        code=code,
        name="欧阳娜娜",
        id_number=ID,
        status=status,
        school_code=school,
        school_name="一小",
        class_no=cls,
    )


def test_rows_are_masked_sorted_and_limited_to_the_spec() -> None:
    rows = build_rows([_entry("B"), _entry("A")], SPECS["admitted"])
    assert [r["code"] for r in rows] == ["A", "B"]
    assert rows[0]["name"] == "欧**娜"
    assert rows[0]["id_number"] == "330***********0014"
    assert set(rows[0]) == set(SPECS["admitted"].columns)
    assert ID not in repr(rows)
    assert "欧阳娜娜" not in repr(rows)


def test_two_entries_with_one_code_are_refused() -> None:
    with pytest.raises(ValueError, match="application code"):
        build_rows([_entry("A"), _entry("A")], SPECS["classes"])


def test_a_spec_must_show_its_key_and_its_quasi_identifiers() -> None:
    with pytest.raises(ValueError, match="row key"):
        ListSpec("x", ("name",), ())
    with pytest.raises(ValueError, match="not shown"):
        ListSpec("x", ("code",), ("school_code",))


def test_digest_is_of_the_canonical_rows() -> None:
    rows = build_rows([_entry("A")], SPECS["classes"])
    assert list_digest(rows) == list_digest([dict(reversed(list(rows[0].items())))])
    assert list_digest(rows) != list_digest(build_rows([_entry("A", cls=2)], SPECS["classes"]))


def test_a_lone_child_in_a_class_is_reported_by_key() -> None:
    rows = build_rows([_entry("A"), _entry("B"), _entry("C", cls=2)], SPECS["classes"])
    with pytest.raises(KAnonymityError) as caught:
        check_k_anonymity(rows, SPECS["classes"].quasi_identifiers, 2)
    report = caught.value.report
    assert [c.keys for c in report.small] == [("C",)]
    assert report.rows_at_risk == 1
    assert "class_no" in str(caught.value)
    assert check_k_anonymity(rows, SPECS["classes"].quasi_identifiers, 1).ok


def test_k_below_one_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        k_report([], ("status",), 0)


_rows = st.lists(
    st.fixed_dictionaries(
        {
            "school_code": st.sampled_from(["S1", "S2", "S3"]),
            "class_no": st.integers(1, 3),
            "status": st.sampled_from(["admitted", "overflow_placed"]),
        }
    ),
    max_size=40,
).map(lambda rs: [{KEY: f"A{i:03d}", **r} for i, r in enumerate(rs)])
_qi = st.sampled_from([("school_code",), ("school_code", "class_no"), ("status", "class_no")])


@given(_rows, _qi, st.integers(1, 6))
def test_the_k_check_never_passes_a_class_below_k(
    rows: list[Row], qi: tuple[str, ...], k: int
) -> None:
    sizes = Counter(tuple(r[c] for c in qi) for r in rows)
    report = k_report(rows, qi, k)
    assert report.ok == all(n >= k for n in sizes.values())
    assert report.classes == len(sizes)
    flagged = {key for c in report.small for key in c.keys}
    assert flagged == {str(r[KEY]) for r in rows if sizes[tuple(r[c] for c in qi)] < k}


@given(_rows, _qi, st.integers(1, 6), st.randoms(use_true_random=False))
def test_the_k_check_ignores_row_order(
    rows: list[Row], qi: tuple[str, ...], k: int, rnd: object
) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert k_report(shuffled, qi, k) == k_report(rows, qi, k)


@given(_rows, _rows)
def test_applying_the_diff_gives_the_new_version(old: list[Row], new: list[Row]) -> None:
    diff = diff_rows(old, new)
    assert apply_diff(old, diff) == sorted(new, key=lambda r: str(r[KEY]))
    assert diff.empty == (sorted(old, key=lambda r: str(r[KEY])) == apply_diff(old, diff))
    common = {r[KEY] for r in new} & {r[KEY] for r in old}
    assert diff.summary()["added"] + len(common) == len(new)
    assert diff.summary()["removed"] + len(common) == len(old)


@given(_rows, _rows)
def test_the_reverse_diff_swaps_added_and_removed(old: list[Row], new: list[Row]) -> None:
    forward, backward = diff_rows(old, new), diff_rows(new, old)
    assert forward.added == backward.removed
    assert forward.removed == backward.added
    assert [(b, a) for a, b in forward.changed] == list(backward.changed)
    assert apply_diff(new, backward) == sorted(old, key=lambda r: str(r[KEY]))


def test_a_diff_that_does_not_fit_is_refused() -> None:
    old: list[Row] = [{KEY: "A", "class_no": 1}]
    diff = diff_rows([], [{KEY: "A", "class_no": 2}])
    with pytest.raises(ValueError, match="already"):
        apply_diff(old, diff)
