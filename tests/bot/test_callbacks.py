"""Callback data: what the bot makes it reads back; anything else is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.callbacks import MAX_BYTES, BadCallback, make, new_nonce, parse


def test_made_data_reads_back_typed():
    data = make("bd", 12, 0, dt.date(2026, 12, 4))
    assert data == "bd:12:0:20261204"
    assert parse(data).args == (12, 0, dt.date(2026, 12, 4))
    nonce = new_nonce()
    assert parse(make("bo", 2**31 - 1, 1, 0, nonce)).args[-1] == nonce


def test_longest_data_fits_telegrams_limit():
    longest = make("bo", 2**31 - 1, 2**31 - 1, 2**31 - 1, "zzzzzz")
    assert len(longest.encode()) <= MAX_BYTES


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        b"\xff",
        "bs",
        "bs:0",
        "bs:-1",
        "bs:1:2",
        "bs:01",
        "bd:1:0:20261332",
        "ph:1:24",
        "bo:1:1:0:ABCDEF",
        "drop table:1",
        "bs:" + "1" * 70,
        # Beyond what an integer column or date arithmetic can hold.
        "mc:999999999999",
        "mc:2147483648",
        "bt:3:9999999999",
        "bo:2147483648:3:0:abcdef",
        "bd:3:0:99991231",
        "bd:3:0:19000101",
    ],
)
def test_anything_else_is_refused(data):
    with pytest.raises(BadCallback):
        parse(data)
