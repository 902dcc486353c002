"""Errors a person reads: a translation key and its parameters, rendered in
the reader's language at the edge (CLI, page), never inside logic."""

from __future__ import annotations

from tracker.i18n import t


class TrackerError(Exception):
    """A failure with a message for people. `key` names a row of the
    translation tables; `params` fill its placeholders."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str = "vi", escape=None) -> str:
        """The message in `lang`; `escape` (e.g. tracker.text.literal for a
        page) is applied to every text parameter, which may come from a file."""
        return t(self.key, lang, **_escaped(self.params, escape))

    def __str__(self) -> str:
        return self.message("vi")


class StoreDamaged(TrackerError):
    """A store table whose files are damaged: the table, the version the
    damage is in (None when no log file says) and what is wrong (`kind`
    names a row `store.damage.<kind>`)."""

    def __init__(self, table: str, version: int | None, kind: str, detail: str = ""):
        super().__init__("store.damaged", table=table, version=version, kind=kind)
        self.table, self.version, self.kind, self.detail = table, version, kind, detail

    def message(self, lang: str = "vi", escape=None) -> str:
        what = t(f"store.damage.{self.kind}", lang)
        table = escape(self.table) if escape else self.table
        if self.version is None:
            return t("store.damaged_no_version", lang, table=table, what=what)
        return t("store.damaged", lang, table=table, version=self.version, what=what)


def _escaped(params: dict, escape) -> dict:
    if escape is None:
        return params
    return {k: escape(v) if isinstance(v, str) else v for k, v in params.items()}
