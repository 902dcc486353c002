"""Errors a person reads: a translation key and its parameters, rendered in
the reader's language at the edge (CLI, page), never inside logic."""

from __future__ import annotations


class TrackerError(Exception):
    """A failure with a message for people. `key` names a row of the
    translation tables; `params` fill its placeholders."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str = "vi") -> str:
        from tracker.i18n import t

        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("vi")


class StoreDamaged(TrackerError):
    """A store table whose files are damaged: the table, the version the
    damage is in (None when no log file says) and what is wrong (`kind`
    names a row `store.damage.<kind>`)."""

    def __init__(self, table: str, version: int | None, kind: str, detail: str = ""):
        super().__init__("store.damaged", table=table, version=version, kind=kind)
        self.table, self.version, self.kind, self.detail = table, version, kind, detail

    def message(self, lang: str = "vi") -> str:
        from tracker.i18n import t

        what = t(f"store.damage.{self.kind}", lang)
        if self.version is None:
            return t("store.damaged_no_version", lang, table=self.table, what=what)
        return t("store.damaged", lang, table=self.table, version=self.version, what=what)
