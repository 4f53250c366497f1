"""Decoding CSV bytes: UTF-8 (with or without BOM) or GB18030, what Chinese Excel writes."""

from __future__ import annotations

import codecs

from sunshine.datasets.errors import PackageError


def decode_text(data: bytes, file: str) -> str | PackageError:
    """The text of ``data``, or an error naming ``file`` when it is neither encoding.

    Strict UTF-8 is tried first: GB18030 text is almost never valid UTF-8, while UTF-8 text
    often decodes as (wrong) GB18030, so the order matters.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return PackageError(
                file, None, None, f"starts with a UTF-8 BOM but is not UTF-8 ({exc})"
            )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return PackageError(
            file, None, None, "cannot be decoded as UTF-8 or GB18030; save it as CSV UTF-8"
        )
