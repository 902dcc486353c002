"""Shared fixtures: a real store on disk, built from the seed files."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path

import pytest

from loaders import seed
from tracker.store import Store

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSETS = Path(__file__).with_name("assets")
PASSWORD = "test-only-password-1"  # test data, not anyone's password


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Store:
    """The store built from data/ once per test run. Read it, never write
    to it: use `fresh_store` for tests that write."""
    root = tmp_path_factory.mktemp("store") / "store"
    store = Store(root)
    seed.run(store)
    return store


@pytest.fixture(scope="session")
def plan_120_store(tmp_path_factory) -> Store:
    """A store of the catalogue with the figures of Kế hoạch 120/KH-UBND
    alone (no published history): for tests of how the 2018 plan is drawn,
    exported and put on slides. Read it, never write to it."""
    data = tmp_path_factory.mktemp("data_120") / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns("store", "observations"))
    (data / "observations").mkdir()
    shutil.copy(REPO_ROOT / "data" / "observations" / "120_KH-UBND_2018.csv", data / "observations")
    store = Store(tmp_path_factory.mktemp("store_120") / "store")
    seed.run(store, data_dir=data)
    return store


@pytest.fixture
def fresh_store(built_store, tmp_path) -> Store:
    """A private copy of the built store that a test may write to."""
    root = tmp_path / "store"
    shutil.copytree(built_store.root, root)
    return Store(root)


@pytest.fixture
def store_env(fresh_store, monkeypatch) -> Store:
    """A private store that the app and the command line find through
    $PLAN_STORE (for AppTest and subprocess tests)."""
    monkeypatch.setenv("PLAN_STORE", fresh_store.root)
    return fresh_store


@pytest.fixture(autouse=True)
def plain_main(monkeypatch):
    """A plain __main__ for spawned children: an AppTest run earlier in this
    process leaves a page script as __main__, which spawn would run again."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


@pytest.fixture(scope="module")
def users() -> dict:
    """Two test users for the secrets of the pages that need a sign-in: an
    analyst and a viewer, both with PASSWORD (argon2id hashes)."""
    from tracker import auth

    password_hash = auth.hash_password(PASSWORD)
    return {
        "lan": {"password_hash": password_hash, "role": "analyst"},
        "minh": {"password_hash": password_hash, "role": "viewer"},
    }


@pytest.fixture
def page_app_store(store_env, monkeypatch):
    """$PLAN_STORE a private store for a page under AppTest: no cached store,
    no cached reading and no sign-in throttle left by another test."""
    import streamlit as st

    from tracker import auth

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle())
    return store_env
