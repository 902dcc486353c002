"""Roles, password checks, throttling and the `adduser` command (tracker/auth.py)."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import tomllib
from types import SimpleNamespace

import pytest

from tracker import auth
from tracker.errors import TrackerError

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "test-only-password-1"  # test data, not anyone's password


@pytest.fixture(scope="module")
def test_hash() -> str:
    return auth.hash_password(PASSWORD)


def settings_with(test_hash: str, **auth_section) -> auth.Settings:
    section = {
        "users": {
            "lan": {"password_hash": test_hash, "role": "analyst"},
            "minh": {"password_hash": test_hash, "role": "viewer"},
            "broken": {"password_hash": test_hash, "role": "admin"},  # unknown role: ignored
        },
        **auth_section,
    }
    return auth.Settings.from_secrets({"auth": section})


@contextlib.contextmanager
def raises_key(key: str):
    """Expect a TrackerError with this translation key."""
    with pytest.raises(TrackerError) as caught:
        yield
    assert caught.value.key == key


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hash_is_argon2id_and_verifies(test_hash):
    assert test_hash.startswith("$argon2id$")
    assert PASSWORD not in test_hash
    assert auth.verify(test_hash, PASSWORD)
    assert not auth.verify(test_hash, PASSWORD + "x")
    assert not auth.verify("not a hash", PASSWORD)


def test_settings_from_secrets(test_hash):
    settings = settings_with(test_hash, require_login_to_view=True, roles={"Lan@Example.org": "analyst", "x@y": "boss"})
    assert settings.require_login_to_view is True
    assert sorted(settings.users) == ["lan", "minh"]
    assert settings.roles_by_email == {"lan@example.org": "analyst"}
    assert settings.oidc is False
    empty = auth.Settings.from_secrets({})
    assert (empty.require_login_to_view, dict(empty.users), empty.oidc) == (False, {}, False)


def test_oidc_needs_a_complete_provider():
    base = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test"}
    provider = {"client_id": "id", "client_secret": "s", "server_metadata_url": "https://example.org/.well-known"}
    assert auth.oidc_configured({**base, **provider})
    assert auth.oidc_configured({**base, "google": provider})
    assert not auth.oidc_configured({**base})
    assert not auth.oidc_configured({"google": provider})
    assert auth.oidc_providers({**base, "google": provider}) == ["google"]
    assert auth.oidc_providers({**base, **provider}) == ["default"]


def test_roles_decide_actions(test_hash):
    open_view = settings_with(test_hash)
    closed_view = settings_with(test_hash, require_login_to_view=True)
    analyst, viewer = auth.User("lan", "analyst"), auth.User("minh", "viewer")
    table = {
        (settings_name, who, action): auth.may(user, action, settings)
        for settings_name, settings in (("open", open_view), ("closed", closed_view))
        for who, user in (("nobody", None), ("viewer", viewer), ("analyst", analyst))
        for action in ("view", "upload", "restore")
    }
    allowed = {key for key, ok in table.items() if ok}
    assert allowed == {
        ("open", "nobody", "view"), ("open", "viewer", "view"), ("open", "analyst", "view"),
        ("open", "analyst", "upload"), ("open", "analyst", "restore"),
        ("closed", "viewer", "view"), ("closed", "analyst", "view"),
        ("closed", "analyst", "upload"), ("closed", "analyst", "restore"),
    }


def test_oidc_user_maps_email_to_role(test_hash):
    settings = settings_with(test_hash, roles={"lan@example.org": "analyst"})
    assert auth.oidc_user("LAN@example.org", settings) == auth.User("LAN@example.org", "analyst")
    assert auth.oidc_user("someone@example.org", settings) == auth.User("someone@example.org", "viewer")
    assert auth.oidc_user(None, settings) is None


def test_sign_in(test_hash):
    settings = settings_with(test_hash)
    throttle = auth.Throttle(FakeClock())
    assert auth.sign_in(settings, " lan ", PASSWORD, throttle) == auth.User("lan", "analyst")
    assert auth.sign_in(settings, "minh", PASSWORD, throttle).role == "viewer"
    for name, password in (("lan", "wrong password"), ("nobody", PASSWORD), ("", ""), ("broken", PASSWORD)):
        with pytest.raises(TrackerError) as caught:
            auth.sign_in(settings, name, password, throttle)
        assert caught.value.key == "auth.wrong"


def test_wrong_passwords_are_slowed_down_exponentially(test_hash):
    settings = settings_with(test_hash)
    clock = FakeClock()
    throttle = auth.Throttle(clock)
    for _ in range(auth.FREE_ATTEMPTS):
        with raises_key("auth.wrong"):
            auth.sign_in(settings, "lan", "wrong", throttle)
    # Now even the right password is refused until the delay has passed.
    with pytest.raises(TrackerError) as caught:
        auth.sign_in(settings, "LAN", PASSWORD, throttle)
    assert caught.value.key == "auth.wait"
    assert caught.value.params["seconds"] == int(auth.BASE_DELAY) + 1
    assert throttle.wait("lan") == auth.BASE_DELAY
    clock.now += auth.BASE_DELAY
    with raises_key("auth.wrong"):
        auth.sign_in(settings, "lan", "wrong again", throttle)
    assert throttle.wait("lan") == 2 * auth.BASE_DELAY  # doubled
    assert throttle.wait("minh") == 0  # per user name
    clock.now += 2 * auth.BASE_DELAY
    assert auth.sign_in(settings, "lan", PASSWORD, throttle).name == "lan"
    assert throttle.wait("lan") == 0  # a success resets the count


def test_delay_is_capped():
    clock = FakeClock()
    throttle = auth.Throttle(clock)
    for _ in range(60):
        throttle.failed("lan")
    assert throttle.wait("lan") == auth.MAX_DELAY


def test_set_user_keeps_the_rest_of_the_file(tmp_path, test_hash):
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text(
        '# kept comment\n[auth]\nrequire_login_to_view = true\n\n'
        '[auth.users.lan]\npassword_hash = "old"\nrole = "viewer"\n\n'
        '[auth.roles]\n"lan@example.org" = "analyst"\n\n[other]\nkey = "kept"\n',
        encoding="utf-8",
    )
    auth.set_user(path, "lan", test_hash, "analyst")
    auth.set_user(path, "hoa", test_hash, "viewer")
    text = path.read_text(encoding="utf-8")
    parsed = tomllib.loads(text)
    assert parsed == {
        "auth": {
            "require_login_to_view": True,
            "users": {
                "lan": {"password_hash": test_hash, "role": "analyst"},
                "hoa": {"password_hash": test_hash, "role": "viewer"},
            },
            "roles": {"lan@example.org": "analyst"},
        },
        "other": {"key": "kept"},
    }
    assert text.startswith("# kept comment\n")
    assert text.count("[auth.users.lan]") == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_set_user_refuses_bad_input_and_leaves_the_file(tmp_path, test_hash):
    path = tmp_path / "secrets.toml"
    with raises_key("auth.bad_name"):
        auth.set_user(path, "lan.nguyen", test_hash, "analyst")
    with raises_key("auth.bad_role"):
        auth.set_user(path, "lan", test_hash, "admin")
    assert not path.exists()
    path.write_text("[auth\nbroken", encoding="utf-8")
    with raises_key("auth.secrets_invalid"):
        auth.set_user(path, "lan", test_hash, "analyst")
    assert path.read_text(encoding="utf-8") == "[auth\nbroken"


def test_adduser_command(tmp_path):
    path = tmp_path / "secrets.toml"
    run = subprocess.run(
        [sys.executable, "-m", "loaders", "adduser", "lan", "--secrets", str(path), "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "lan" in run.stdout and str(path) in run.stdout
    stored = tomllib.loads(path.read_text(encoding="utf-8"))["auth"]["users"]["lan"]
    assert stored["role"] == "analyst"
    assert auth.verify(stored["password_hash"], PASSWORD)
    for output in (run.stdout, run.stderr):
        assert PASSWORD not in output and stored["password_hash"] not in output and "$argon2" not in output

    short = subprocess.run(
        [sys.executable, "-m", "loaders", "adduser", "hoa", "--lang", "en", "--secrets", str(path), "--password-stdin"],
        input="short\n", capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
    )
    assert short.returncode == 1
    assert "at least 8 characters" in short.stderr
    assert "hoa" not in tomllib.loads(path.read_text(encoding="utf-8"))["auth"]["users"]


def test_add_user_cli_in_process(tmp_path, monkeypatch, capsys):
    path = tmp_path / "secrets.toml"
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    args = SimpleNamespace(username="minh", role="viewer", secrets=path, password_stdin=False, lang="vi")
    assert auth.add_user_cli(args) == 0
    out = capsys.readouterr().out
    assert "minh" in out and "người xem" in out and PASSWORD not in out
    assert tomllib.loads(path.read_text(encoding="utf-8"))["auth"]["users"]["minh"]["role"] == "viewer"


def test_parallel_guesses_wait_their_turn(test_hash):
    """30 wrong passwords at once for one name: only the free attempts are
    checked; the others are told to wait without their password being tried."""
    import threading

    settings = settings_with(test_hash)
    throttle = auth.Throttle(FakeClock())  # time stands still: no delay ever expires
    checked, waited = [], []
    barrier = threading.Barrier(30)

    def guess(n: int) -> None:
        barrier.wait()
        try:
            auth.sign_in(settings, "lan", f"guess {n}", throttle)
        except TrackerError as exc:
            (checked if exc.key == "auth.wrong" else waited).append(n)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == auth.FREE_ATTEMPTS
    assert len(waited) == 30 - auth.FREE_ATTEMPTS


def test_a_real_user_waits_at_most_a_minute_and_is_forgotten_later():
    clock = FakeClock()
    throttle = auth.Throttle(clock)
    for _ in range(200):
        throttle.failed("lan")
    assert throttle.wait("lan") == auth.MAX_DELAY == 60.0
    clock.now += auth.MAX_DELAY
    assert throttle.attempt("lan") == 0  # the real user may try again after a minute
    clock.now += auth.FORGET_AFTER
    assert throttle.wait("lan") == 0
    for _ in range(auth.FREE_ATTEMPTS - 1):  # a quiet quarter of an hour gives the free attempts back
        assert throttle.attempt("lan") == 0


def test_secrets_backup_and_temporary_files_are_private_and_ignored(tmp_path, test_hash):
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text("[auth]\nrequire_login_to_view = false\n", encoding="utf-8")
    os.chmod(path, 0o644)
    stale_tmp = path.with_name("secrets.toml.tmp")
    stale_tmp.write_text("left by a crash", encoding="utf-8")
    os.chmod(stale_tmp, 0o644)
    auth.set_user(path, "lan", test_hash, "analyst")
    backup = path.with_name("secrets.toml.bak")
    assert backup.read_text(encoding="utf-8") == "[auth]\nrequire_login_to_view = false\n"
    for written in (path, backup):
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert not stale_tmp.exists()  # replaced the file
    ignored = subprocess.run(
        ["git", "check-ignore", ".streamlit/secrets.toml", ".streamlit/secrets.toml.tmp", ".streamlit/secrets.toml.bak"],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    assert ignored.stdout.split() == [".streamlit/secrets.toml", ".streamlit/secrets.toml.tmp",
                                      ".streamlit/secrets.toml.bak"]


def test_set_user_in_a_file_without_auth_and_with_an_inline_table(tmp_path, test_hash):
    path = tmp_path / "secrets.toml"
    path.write_text('title = "x"\n', encoding="utf-8")
    auth.set_user(path, "lan", test_hash, "analyst")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "title": "x", "auth": {"users": {"lan": {"password_hash": test_hash, "role": "analyst"}}}}
    path.write_text('[auth]\nusers = { minh = { password_hash = "h", role = "viewer" } }\n', encoding="utf-8")
    auth.set_user(path, "lan", test_hash, "analyst")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["auth"]["users"] == {
        "minh": {"password_hash": "h", "role": "viewer"}, "lan": {"password_hash": test_hash, "role": "analyst"}}
