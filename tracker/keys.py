"""Stored rows by their key columns, a column at a time: which rows hold
one of an upload's keys, the newest revision of each key, and whether two
columns hold the same values, without building a tuple per row."""

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
        if n + 1 == len(key) or (int(sought.max(initial=0)) + 1) * following >= 2**62:  # Python ints: no wrap
            sought, codes = pd.factorize(sought, sort=True)  # one hash pass, then the few codes sorted
            renumber.append((n, pd.Index(codes)))

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


def newest_revisions(rows: pa.Table, key: list[str]) -> pa.Table:
    """The newest revision of each key, in key order: rows sorted by key
    then published_at (a stable sort, so among equal times the row read
    last wins), keeping the last row of each key."""
    if rows.num_rows <= 1:
        return rows
    codes = [_sort_code(rows.column(c)) for c in key + ["published_at"]]
    if any(c is None for c in codes):  # a missing value: let Arrow order and compare it
        order = pc.sort_indices(rows, sort_keys=[(c, "ascending") for c in key + ["published_at"]]).to_numpy()
        ordered = rows.take(order)
        n = rows.num_rows
        same_as_next = np.ones(n - 1, dtype=bool)
        for column in key:
            this, after = ordered.column(column).slice(0, n - 1), ordered.column(column).slice(1)
            equal = pc.fill_null(pc.equal(this, after), False)
            both_missing = pc.and_(pc.is_null(this, nan_is_null=True), pc.is_null(after, nan_is_null=True))
            same_as_next &= pc.or_(equal, both_missing).to_numpy(zero_copy_only=False)
    else:
        order = np.lexsort(codes[::-1])  # stable, last key first
        same_as_next = np.ones(len(order) - 1, dtype=bool)
        for code in codes[:-1]:
            ordered = code[order]
            same_as_next &= ordered[1:] == ordered[:-1]
    positions = pa.array(order[np.append(~same_as_next, True)])
    return pa.Table.from_arrays([_take(rows.column(c), positions) for c in rows.column_names], schema=rows.schema)


def _take(values: pa.ChunkedArray, positions: pa.Array) -> pa.Array:
    """values.take(positions). Text with few distinct values (ids, codes,
    sources) goes through its dictionary: moving small integers instead of
    strings takes half the time on a national table."""
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        encoded = pc.dictionary_encode(values).combine_chunks()
        if 2 * len(encoded.dictionary) <= len(encoded):
            return encoded.dictionary.take(encoded.indices.take(positions))
    return values.combine_chunks().take(positions)


def _sort_code(values: pa.ChunkedArray) -> np.ndarray | None:
    """Integers that sort as the values do (text by its rank among the
    distinct values); None when a value is missing."""
    if values.null_count:
        return None
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        encoded = pc.dictionary_encode(values).combine_chunks()
        rank = np.empty(len(encoded.dictionary), dtype=np.int64)
        rank[pc.sort_indices(encoded.dictionary).to_numpy()] = np.arange(len(encoded.dictionary))
        return rank[encoded.indices.to_numpy()]
    if pa.types.is_timestamp(values.type):
        return values.cast(pa.int64()).to_numpy()
    if pa.types.is_integer(values.type):
        return values.to_numpy()
    return None


def same_values(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality of two aligned columns where two missing values
    are equal: compared column-wise when both have the same type, else
    value by value as Python compares them."""
    a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
    if a.dtype == b.dtype:
        equal = (a == b).to_numpy(dtype=bool, na_value=False)
    else:
        with np.errstate(invalid="ignore"):
            equal = (a.astype(object).to_numpy() == b.astype(object).to_numpy())
    return np.where(a_missing | b_missing, a_missing & b_missing, equal).astype(bool)
