from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from sunshine.core.ids import (
    InvalidIdError,
    complete_ids,
    id_birth_date,
    id_birth_dates,
    id_check_char,
    id_gender,
    is_valid_id,
    is_valid_student_number,
    mask_id,
    mask_name,
    student_number,
    valid_id_mask,
)

pytestmark = pytest.mark.no_postgres_rerun


def reference_valid(s: str) -> bool:
    """stdnum.cn.ric's rules without the GB/T 2260 place lookup (see the module docstring),
    on the canonical form only (stdnum would also strip spaces and upper-case an 'x')."""
    if s != ric.compact(s) or len(s) != 18 or not s[:17].isascii() or not s[:17].isdigit():
        return False
    try:
        ric.get_birth_date(s)
    except (ValidationError, ValueError):
        return False
    return s[-1] == ric.calc_check_digit(s)


# Strings close to ID numbers, so that a fair share are nearly valid.
id_like = st.text(alphabet="0123456789X", min_size=16, max_size=19) | st.text(max_size=20)


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["110105", "360426", "330199", "440305", "650102"]))
    born = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    seq = draw(st.integers(0, 999))
    first17 = f"{region}{born.year:04d}{born.month:02d}{born.day:02d}{seq:03d}"
    return first17 + id_check_char(first17)


@given(st.lists(id_like, max_size=30))
def test_scalar_and_vector_paths_agree_with_stdnum_on_random_strings(values: list[str]) -> None:
    expected = [reference_valid(v) for v in values]
    assert [is_valid_id(v) for v in values] == expected
    arr = np.array(values, dtype=object)
    assert valid_id_mask(arr).tolist() == expected
    dates = id_birth_dates(arr)
    assert np.isnat(dates).tolist() == [not e for e in expected]


@given(st.lists(valid_ids(), min_size=1, max_size=30))
def test_generated_ids_are_valid_on_every_path(values: list[str]) -> None:
    arr = np.array(values, dtype=object)
    assert valid_id_mask(arr).all()
    assert valid_id_mask(arr.astype("U18")).all()
    assert valid_id_mask(np.char.encode(arr.astype("U18"), "ascii")).all()
    births = id_birth_dates(arr)
    for value, born in zip(values, births.tolist(), strict=True):
        assert reference_valid(value)
        assert id_birth_date(value) == ric.get_birth_date(value) == born
        assert id_gender(value) == ("M" if int(value[16]) % 2 else "F")
    # Where stdnum knows the region code, its full check agrees.
    known = [v for v in values if v[:6] in {"110105", "360426"} and v[6:10] >= "1991"]
    assert all(ric.is_valid(v) for v in known)


@given(valid_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_substitution_is_caught(value: str, pos: int, char: str) -> None:
    changed = value[:pos] + char + value[pos + 1 :]
    if changed != value:
        assert not valid_id_mask(np.array([changed], dtype=object))[0]
        assert not is_valid_id(changed)


def test_examples_and_edge_cases() -> None:
    assert is_valid_id("11010519491231002X")
    assert id_check_char("11010519491231002") == "X"
    assert not is_valid_id("11010519491231002x")  # lower-case x is not the canonical form
    assert not is_valid_id("110105194902300021")  # 30 February
    assert id_birth_date("360426199101010071") == dt.date(1991, 1, 1)
    assert id_birth_date("360426199101010072") is None
    mixed = np.array(["360426199101010071", None, 42, "360426199101010071\x00"], dtype=object)
    assert valid_id_mask(mixed).tolist() == [True, False, False, False]
    with pytest.raises(InvalidIdError):
        id_gender("360426199101010072")
    with pytest.raises(InvalidIdError):
        id_check_char("12345")


def test_complete_ids_appends_the_check_character() -> None:
    out = complete_ids(np.array(["11010519491231002", "36042619910101007"]))
    assert out.tolist() == ["11010519491231002X", "360426199101010071"]
    with pytest.raises(InvalidIdError):
        complete_ids(np.array(["1101051949123100A"]))


def test_student_number_is_g_plus_id() -> None:
    assert student_number("360426199101010071") == "G360426199101010071"
    assert is_valid_student_number("G360426199101010071")
    assert not is_valid_student_number("360426199101010071")
    assert not is_valid_student_number("G360426199101010072")
    with pytest.raises(InvalidIdError):
        student_number("G360426199101010071")


@pytest.mark.parametrize(
    ("name", "masked"),
    [("", ""), ("张", "*"), ("张三", "张*"), ("张小三", "张*三"), ("欧阳娜娜", "欧**娜")],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_id_examples() -> None:
    assert mask_id("110105194912311234") == "110***********1234"
    assert mask_id("G110105194912311234") == "G11************1234"
    assert mask_id("1234567890") == "1*****7890"
    assert mask_id("1234") == "**34"
    assert mask_id("") == ""


@given(st.text(max_size=40))
def test_masking_never_reveals_much(value: str) -> None:
    masked = mask_id(value)
    assert len(masked) == len(value)
    shown = sum(1 for a, b in zip(value, masked, strict=True) if a == b and b != "*")
    assert shown <= min(7, len(value) // 2)
    name = mask_name(value)
    assert len(name) == len(value)
    assert sum(1 for c in name if c != "*") <= min(2, max(0, len(value) - 1))
