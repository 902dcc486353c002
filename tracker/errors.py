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
