"""Query a DynamoDB partition without sorting the whole table, in moto 5.2.5.

moto runs a Query on a table's own key by sorting every item of the table and keeping
those of the requested partition, so each Query costs the table's size: about 9 s on a table
of 192,000 items here. DynamoDB reads the partition only. The patch hands moto's query the
partition it asked for, whose items it then filters and sorts as before; queries on an
index keep moto's full scan. ``tests/integration/test_emulator_contract.py`` checks the
replaced internals.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

_partition = threading.local()
originals: dict[str, Callable[..., Any]] = {}


def install() -> None:
    """Patch ``Table.query`` and ``Table.all_items`` once per process."""
    if originals:
        return
    from moto.dynamodb.models.table import Table

    original_query = Table.query
    original_all_items = Table.all_items
    signature = inspect.signature(original_query)
    originals["Table.query"] = original_query
    originals["Table.all_items"] = original_all_items

    def all_items(self: Any) -> list[Any]:
        hash_key = getattr(_partition, "key", None)
        if hash_key is None:
            return list(original_all_items(self))
        bucket = self.items.get(hash_key)
        if bucket is None:
            return []
        if self.range_key_attr:
            return sorted(bucket.values(), key=lambda item: item.range_key)
        return [bucket]

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        if bound.arguments.get("index_name") or bound.arguments.get("hash_key") is None:
            return original_query(self, *args, **kwargs)
        _partition.key = bound.arguments["hash_key"]
        try:
            return original_query(self, *args, **kwargs)
        finally:
            _partition.key = None

    Table.all_items = all_items  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]
