"""Rows matched by their key columns, a column at a time: which stored
rows hold one of an upload's keys, without building a tuple per row."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def key_matcher(wanted: pa.Table, key: list[str]) -> Callable[[pa.Table], np.ndarray]:
    """A test of whether each row's key is one of `wanted`'s (keys with a
    missing value never match): each column numbered by its wanted values,
    the numbers combined into one integer per key and looked up by hash."""
    wanted = wanted.drop_null()
    distinct = [pc.unique(wanted.column(c)) for c in key]
    sought = np.zeros(wanted.num_rows, dtype=np.int64)
    renumber = []  # after which columns the codes are renumbered among the wanted keys, before they could overflow
    for n, (column, values) in enumerate(zip(key, distinct, strict=True)):
        sought = sought * len(values) + pc.index_in(wanted.column(column), value_set=values).to_numpy()
        following = len(distinct[n + 1]) if n + 1 < len(key) else 1
        if n + 1 == len(key) or (sought.max(initial=0) + 1) * following >= 2**62:
            codes = pd.Index(np.unique(sought))
            renumber.append((n, codes))
            sought = codes.get_indexer(sought)

    def matches(rows: pa.Table) -> np.ndarray:
        found = np.ones(rows.num_rows, dtype=bool)
        stored = np.zeros(rows.num_rows, dtype=np.int64)
        steps = dict(renumber)
        for n, (column, values) in enumerate(zip(key, distinct, strict=True)):
            number = _numbered(rows.column(column), values)
            found &= number >= 0
            stored = stored * len(values) + number
            if n in steps:
                stored = steps[n].get_indexer(stored)
                found &= stored >= 0
        return found

    return matches


def _numbered(values: pa.ChunkedArray, by: pa.Array) -> np.ndarray:
    """Each value's position in `by` (-1: not there, or missing); text read
    as dictionary codes is looked up once per distinct value."""
    parts = []
    for chunk in values.chunks:
        if pa.types.is_dictionary(chunk.type):
            place = pc.fill_null(pc.index_in(chunk.dictionary, value_set=by), -1).to_numpy()
            parts.append(np.where(chunk.is_null().to_numpy(zero_copy_only=False), -1,
                                  place[pc.fill_null(chunk.indices, 0).to_numpy()]))
        else:
            parts.append(pc.fill_null(pc.index_in(chunk, value_set=by), -1).to_numpy())
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)
