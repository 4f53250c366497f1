from __future__ import annotations

import codecs

import pytest

from sunshine.datasets.encoding import decode_text
from sunshine.datasets.errors import PackageError

TEXT = "school_id,name\nP1,阳光小学\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
    ],
    ids=["utf-8", "utf-8 with BOM", "gb18030"],
)
def test_the_encodings_excel_writes_decode_to_the_same_text(data: bytes) -> None:
    assert decode_text(data, "schools.csv") == TEXT


def test_bytes_that_are_neither_encoding_name_the_file() -> None:
    result = decode_text(b"school_id\n\x80\xff\n", "schools.csv")
    assert isinstance(result, PackageError)
    assert (result.file, result.row, result.column) == ("schools.csv", None, None)
    assert "UTF-8 or GB18030" in result.message


def test_a_bom_followed_by_other_bytes_is_an_error() -> None:
    result = decode_text(codecs.BOM_UTF8 + TEXT.encode("gb18030"), "schools.csv")
    assert isinstance(result, PackageError)
    assert "BOM" in result.message
