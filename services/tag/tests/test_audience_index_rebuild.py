"""The audience index rebuilt from PostgreSQL equals the index that followed the changes live."""

from __future__ import annotations

import sqlalchemy as sa
from pyroaring import BitMap
from test_behavior_tags import add_customer, wait_until
from test_definitions_audiences import give_assets

from lingxi_common.service import ServiceRunner
from lingxi_tag.index import AudienceIndex, bitmap_from_int4_array
from lingxi_tag.runtime import runtime_for


async def test_int4_arrays_from_postgres_become_bitmaps(tag: ServiceRunner) -> None:
    cases = {
        "'{}'::int4[]": BitMap(),
        "ARRAY[7]::int4[]": BitMap([7]),
        "ARRAY[2147483647, 1, 65536, 65535]::int4[]": BitMap([1, 65535, 65536, 2147483647]),
        "(SELECT array_agg(g::int4) FROM generate_series(1, 200000, 3) g)": BitMap(range(1, 200001, 3)),
    }
    async with tag.context.engine.connect() as connection:
        for literal, expected in cases.items():
            wire = (await connection.execute(sa.text(f"SELECT array_send({literal})"))).scalar_one()
            assert bitmap_from_int4_array(wire) == expected, literal
        with_null = (
            await connection.execute(sa.text("SELECT array_send(ARRAY[1, NULL]::int4[])"))
        ).scalar_one()
    try:
        bitmap_from_int4_array(with_null)
    except ValueError as refused:
        assert "without nulls" in str(refused)
    else:
        raise AssertionError("an array with a NULL must be refused, not read as numbers")


async def test_rebuild_matches_the_followed_index(tag: ServiceRunner) -> None:
    plan = [
        ("R1", "B01", "A01", "1200000"),
        ("R2", "B02", "A02", "700000"),
        ("R3", "B02", "", "20000"),
        ("R4", "B03", "A02", "1500000"),
    ]
    for customer_id, branch, advisor, total in plan:
        await add_customer(tag, customer_id, branch=branch, advisor=advisor)
        await give_assets(tag, customer_id, total)
    live = runtime_for(tag.context).index

    async def followed() -> bool:
        await live.refresh()
        tier = live.values.get("asset_tier", {})
        return sum(len(bitmap) for bitmap in tier.values()) == 4

    await wait_until(followed, "the live index follows every customer's asset tier")
    rebuilt = AudienceIndex(tag.context.sessions)
    await rebuilt.rebuild()
    await live.refresh()

    def non_empty(by_key: dict[str, BitMap]) -> dict[str, BitMap]:
        return {key: bitmap for key, bitmap in by_key.items() if bitmap}

    assert rebuilt.everyone == live.everyone and len(rebuilt.everyone) == 4
    assert non_empty(rebuilt.branches) == non_empty(live.branches)
    assert non_empty(rebuilt.advisors) == non_empty(live.advisors)
    assert "" not in rebuilt.advisors and rebuilt.with_advisor == live.with_advisor
    assert len(rebuilt.with_advisor) == 3
    assert {code: non_empty(by_value) for code, by_value in rebuilt.values.items()} == {
        code: non_empty(by_value) for code, by_value in live.values.items() if non_empty(by_value)
    }
    assert set(rebuilt.values["asset_tier"]) == {"w100_plus", "w50_100", "w0_3"}
