"""Who may do what: roles, password checks and the users in Streamlit's
secrets file. Pure Python (no Streamlit): the pages pass `st.secrets` in.

The secrets file (`.streamlit/secrets.toml`, never committed) holds

    [auth]
    require_login_to_view = false          # true: every page needs a login

    [auth.users.lan]                       # one table per user
    password_hash = "$argon2id$v=19$..."   # written by `python -m loaders adduser lan`
    role = "analyst"                       # analyst: upload and restore; viewer: read only

    [auth.roles]                           # only with OIDC (st.login): e-mail -> role
    "lan@example.org" = "analyst"

Passwords are stored only as argon2id hashes. Repeated wrong passwords for
one user name are slowed down by a counter kept in this process's memory: it
resets when the server restarts and is not shared between server processes
(one Streamlit server is one process, which is how the app is deployed).
Each attempt takes its place in the count before the password is checked,
under one lock, so parallel guesses queue behind the slow-down instead of
all being checked. The first FREE_ATTEMPTS wrong passwords cost nothing;
then each waits twice as long as the one before, never more than MAX_DELAY
(one minute): a real user is never locked out for longer than that, and a
quiet FORGET_AFTER (15 minutes) clears the count.
"""

from __future__ import annotations

import functools
import getpass
import os
import re
import sys
import threading
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tracker import settings
from tracker.errors import TrackerError
from tracker.i18n import t

ROLES = ("viewer", "analyst")
# What each action needs; "view" needs a login only when the settings say so.
ACTION_ROLES = {"view": ("viewer", "analyst"), "upload": ("analyst",), "restore": ("analyst",)}
USERNAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MIN_PASSWORD_LENGTH = 8

# Throttle: the first FREE_ATTEMPTS wrong passwords cost nothing extra; after
# that each attempt waits BASE_DELAY * 2**(extra failures), at most MAX_DELAY;
# a name with no failure for FORGET_AFTER starts afresh.
FREE_ATTEMPTS = 3
BASE_DELAY = 2.0
MAX_DELAY = 60.0
FORGET_AFTER = 15 * 60.0

_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Checked when the user name is unknown, so a wrong name costs as long
    as a wrong password (hashed at the first sign-in, not at import)."""
    return _HASHER.hash("not a password of anyone")


@dataclass(frozen=True)
class User:
    """A signed-in person and their role."""

    name: str
    role: str


@dataclass(frozen=True)
class Settings:
    """The [auth] part of the secrets, read once per run."""

    require_login_to_view: bool = False
    users: Mapping[str, Mapping] = field(default_factory=dict)
    oidc: bool = False  # st.login is configured (a provider with client_id, redirect_uri, cookie_secret)
    roles_by_email: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_secrets(cls, secrets: Mapping | None) -> Settings:
        """Settings from a secrets mapping (st.secrets or a parsed TOML file);
        no [auth] section means: anyone may view, nobody may upload."""
        section = _plain((secrets or {}).get("auth") or {})
        users = {
            str(name): entry for name, entry in (section.get("users") or {}).items()
            if isinstance(entry, Mapping) and entry.get("role") in ROLES and entry.get("password_hash")
        }
        roles = {
            str(email).lower(): role for email, role in (section.get("roles") or {}).items() if role in ROLES
        }
        return cls(
            require_login_to_view=bool(section.get("require_login_to_view", False)),
            users=users,
            oidc=oidc_configured(section),
            roles_by_email=roles,
        )


def _plain(value):
    """Nested mappings (Streamlit's AttrDict included) as plain dicts."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def oidc_configured(section: Mapping) -> bool:
    """True when the [auth] section is complete enough for st.login: a
    redirect URI, a cookie secret and a provider with a client id."""
    if not section.get("redirect_uri") or not section.get("cookie_secret"):
        return False
    if section.get("client_id") and section.get("server_metadata_url"):
        return True
    return any(
        isinstance(v, Mapping) and v.get("client_id") and v.get("server_metadata_url")
        for k, v in section.items() if k not in ("users", "roles")
    )


def oidc_providers(section: Mapping) -> list[str]:
    """The st.login provider names configured in [auth] ("default" for a flat one)."""
    names = [
        k for k, v in section.items()
        if k not in ("users", "roles") and isinstance(v, Mapping) and v.get("client_id")
    ]
    return names or (["default"] if section.get("client_id") else [])


def may(user: User | None, action: str, settings: Settings) -> bool:
    """Whether `user` (None: nobody signed in) may do `action`."""
    if action == "view" and not settings.require_login_to_view:
        return True
    return user is not None and user.role in ACTION_ROLES[action]


def oidc_user(email: str | None, settings: Settings) -> User | None:
    """The user an OIDC login maps to through [auth.roles]; someone signed
    in but not listed may view only."""
    if not email:
        return None
    return User(email, settings.roles_by_email.get(email.lower(), "viewer"))


# -- passwords --------------------------------------------------------------
class Throttle:
    """Failure counts per user name, with the time of the last one.
    Thread-safe: Streamlit runs every session in its own thread, and an
    attempt is counted (as a failure until it succeeds) in the same locked
    step that allows it, so parallel guesses cannot all pass the check."""

    MAX_NAMES = 10_000  # forget the oldest names beyond this many, so random names cannot fill memory

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # name -> (count, last failure time)
        self._lock = threading.Lock()

    def _wait(self, name: str) -> float:
        count, last = self._failures.get(name, (0, 0.0))
        if count and self.clock() - last >= FORGET_AFTER:
            self._failures.pop(name, None)
            return 0.0
        if count < FREE_ATTEMPTS:
            return 0.0
        delay = min(BASE_DELAY * 2 ** (count - FREE_ATTEMPTS), MAX_DELAY)
        return max(0.0, last + delay - self.clock())

    def wait(self, name: str) -> float:
        """Seconds before `name` may try again (0 when it may now)."""
        with self._lock:
            return self._wait(name.lower())

    def attempt(self, name: str) -> float:
        """Take an attempt for `name`: 0 when it may try now (the attempt is
        then counted as a failure until `succeeded`), else the seconds to wait
        (nothing counted)."""
        with self._lock:
            wait = self._wait(name.lower())
            if wait == 0:
                self._count(name.lower())
            return wait

    def failed(self, name: str) -> None:
        with self._lock:
            self._count(name.lower())

    def _count(self, name: str) -> None:
        count, _ = self._failures.pop(name, (0, 0.0))
        self._failures[name] = (count + 1, self.clock())
        while len(self._failures) > self.MAX_NAMES:
            self._failures.pop(next(iter(self._failures)))

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.lower(), None)


THROTTLE = Throttle()


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (salted; parameters inside the hash)."""
    return _HASHER.hash(password)


def verify(password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`; a malformed hash never matches."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sign_in(settings: Settings, name: str, password: str, throttle: Throttle | None = None) -> User:
    """The user when `name` and `password` match a user of the secrets file.
    Raises TrackerError auth.wait while the name is throttled (the password
    is not even checked) and auth.wrong otherwise. `throttle` defaults to
    this process's THROTTLE."""
    throttle = throttle or THROTTLE
    name = (name or "").strip()
    wait = throttle.attempt(name)  # counted as a failure from here until the password matches
    if wait > 0:
        raise TrackerError("auth.wait", seconds=int(wait) + 1)
    entry = settings.users.get(name)
    ok = verify(entry["password_hash"] if entry else _dummy_hash(), password or "")
    if not (ok and entry):
        raise TrackerError("auth.wrong")
    throttle.succeeded(name)
    return User(name, entry["role"])


# -- the secrets file -------------------------------------------------------
def read_secrets(path: Path) -> dict:
    """The parsed secrets file ({} when there is none)."""
    if not path.exists():
        return {}
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise TrackerError("auth.secrets_invalid", path=str(path), details=str(exc)) from exc


def set_user(path: Path, name: str, password_hash: str, role: str) -> None:
    """Add or replace `[auth.users.<name>]` in the secrets file through
    tomlkit, keeping every other line (comments, OIDC settings) as it was.
    The file is written only when the result parses and holds exactly this
    user; the file, its temporary file and its backup of the previous
    content (`secrets.toml.bak`) are readable by their owner only."""
    if not USERNAME.match(name):
        raise TrackerError("auth.bad_name", name=name)
    if role not in ROLES:
        raise TrackerError("auth.bad_role", role=role, roles=", ".join(ROLES))
    import tomlkit  # only `adduser` edits the file: the app's start does not pay for this import

    read_secrets(path)  # refuse to touch a file that does not parse
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        document = tomlkit.parse(text)
        section = document.setdefault("auth", tomlkit.table(is_super_table=True))
        users = section.setdefault("users", tomlkit.table(is_super_table=True))
        # A users table written inline holds its entries inline too.
        entry = tomlkit.inline_table() if isinstance(users, tomlkit.items.InlineTable) else tomlkit.table()
        entry["password_hash"] = password_hash
        entry["role"] = role
        users[name] = entry
        new_text = tomlkit.dumps(document)
        written = tomllib.loads(new_text)["auth"]["users"][name]
    except (tomlkit.exceptions.TOMLKitError, tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError,
            ValueError) as exc:
        raise TrackerError("auth.secrets_invalid", path=str(path), details=str(exc)) from exc
    if written != {"password_hash": password_hash, "role": role}:
        raise TrackerError("auth.secrets_invalid", path=str(path), details=f"auth.users.{name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if text:
        _write_private(path.with_name(path.name + ".bak"), text)
    tmp = path.with_name(path.name + ".tmp")
    _write_private(tmp, new_text)
    os.replace(tmp, path)


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable and writable by its owner only (also
    when the file was already there with wider permissions)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def read_new_password(from_stdin: bool, lang: str) -> str:
    """The new password: one line of standard input, or asked twice on the terminal."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(t("auth.ask_password", lang))
        if getpass.getpass(t("auth.ask_again", lang)) != password:
            raise TrackerError("auth.mismatch")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise TrackerError("auth.short", length=MIN_PASSWORD_LENGTH)
    return password


def add_user_cli(args) -> int:
    """`python -m loaders adduser NAME [--role R] [--secrets PATH] [--password-stdin]`:
    store the user's argon2 hash in the secrets file. Prints neither the
    password nor its hash."""
    path = Path(args.secrets) if args.secrets else settings.get("secrets")
    if not USERNAME.match(args.username):
        raise TrackerError("auth.bad_name", name=args.username)
    password = read_new_password(args.password_stdin, args.lang)
    set_user(path, args.username, hash_password(password), args.role)
    print(t("auth.user_saved", args.lang, name=args.username, role=t(f"auth.role.{args.role}", args.lang), path=path))
    return 0
