"""Names of the raw market-data tables a config may refer to (the data layer defines their columns)."""

from __future__ import annotations

from typing import Literal

TableName = Literal["trades", "l2", "l3", "marketstate", "reference"]
TABLE_NAMES: tuple[str, ...] = ("trades", "l2", "l3", "marketstate", "reference")
