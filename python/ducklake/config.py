"""Where the client finds its server and token: the same places as the ``ducklake`` CLI.

In order: the arguments of :class:`ducklake.Client`; a profile named by ``profile=`` or
``DUCKLAKE_PROFILE``; ``DUCKLAKE_URL`` and ``DUCKLAKE_TOKEN``; the default profile of the CLI's
file ``~/.config/ducklake/config.toml`` (``$XDG_CONFIG_HOME/ducklake/config.toml``); and last
``http://127.0.0.1:8080`` without a token. A profile holds ``url`` and either ``token_file`` (a
file whose first line is the token) or ``token_env`` (the name of a variable that holds it); the
file itself never holds a token. ``ducklake login`` writes it.

Example ``config.toml``::

    default_profile = "prod"

    [profiles.prod]
    url = "https://lake.example.com"
    token_file = "~/.config/ducklake/tokens/prod"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import BadRequest

DEFAULT_URL = "http://127.0.0.1:8080"


@dataclass(frozen=True)
class Endpoint:
    """A server URL (without a trailing slash) and the bearer token for it, if any."""

    url: str
    token: str | None

    def __repr__(self) -> str:  # never show the token
        return f"Endpoint(url={self.url!r}, token={'***' if self.token else None})"


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ducklake" / "config.toml"


def _normalised_url(url: str, where: str) -> str:
    url = url.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise BadRequest(f"{where}: the server URL must start with http:// or https://, not {url!r}")
    return url


def _read_token_file(path: str) -> str:
    try:
        first = Path(path).expanduser().read_text().splitlines()
    except OSError as error:
        raise BadRequest(f"cannot read the token file {path}: {error.strerror}") from None
    token = first[0].strip() if first else ""
    if not token:
        raise BadRequest(f"the token file {path} is empty")
    return token


def _load_profiles() -> tuple[str | None, dict[str, dict]]:
    path = config_path()
    if not path.is_file():
        return None, {}
    try:
        data = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadRequest(f"{path}: {error}") from None
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(p, dict) for p in profiles.values()):
        raise BadRequest(f"{path}: profiles must be tables")
    default = data.get("default_profile")
    return (default if isinstance(default, str) and default else None), profiles


def _profile_token(name: str, profile: dict) -> str | None:
    if profile.get("token_file"):
        return _read_token_file(str(profile["token_file"]))
    if profile.get("token_env"):
        token = os.environ.get(str(profile["token_env"]))
        if not token:
            raise BadRequest(f"profile {name!r} reads its token from ${profile['token_env']}, which is not set")
        return token
    return None


def resolve_endpoint(url: str | None = None, token: str | None = None, profile: str | None = None) -> Endpoint:
    """The server and token a client with these arguments talks to (see the module's docstring)."""
    default_profile, profiles = _load_profiles()
    named = profile or os.environ.get("DUCKLAKE_PROFILE")
    if named:
        name = named
    elif url or os.environ.get("DUCKLAKE_URL"):
        name = None
    else:
        name = default_profile or ("default" if "default" in profiles else None)
    if name:
        if name not in profiles:
            raise BadRequest(f"no profile {name!r} in {config_path()} (ducklake login --profile {name} makes one)")
        entry = profiles[name]
        resolved_url = _normalised_url(url or entry.get("url") or DEFAULT_URL, "url" if url else f"profile {name}")
        # A default profile yields to DUCKLAKE_TOKEN; one named on purpose does not.
        resolved_token = token or (None if named else os.environ.get("DUCKLAKE_TOKEN")) or _profile_token(name, entry)
        return Endpoint(resolved_url, resolved_token or None)
    resolved_url = _normalised_url(url or os.environ.get("DUCKLAKE_URL") or DEFAULT_URL,
                                   "url" if url else "DUCKLAKE_URL")
    return Endpoint(resolved_url, token or os.environ.get("DUCKLAKE_TOKEN") or None)
