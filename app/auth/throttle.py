"""Limits on failed attempts (issue 5, point 5): per account and per client address.

Only failures count. A view asks `locked()` before it checks a password or a code and calls
`failed()` after a wrong one, so during a lock even the right password does not log in, and a
known address and an unknown one get the same answer at the same speed. Flask-Limiter keeps
the counts in its storage (memory:// in one process, redis:// shared by several workers),
with a moving window: at most N failures in any stretch of the window's length.
"""

import hashlib
import hmac
import ipaddress
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import ngettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.strategies import RateLimiter

from app.core.audit import audit

# What is being guessed: each has its own counts, with the same limits.
SCOPES = ("login", "reset", "two_factor")


@dataclass(frozen=True)
class Lock:
    seconds: int

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.seconds / 60))
        # TRANSLATORS: %(num)d is a number of minutes.
        return ngettext(
            "Too many attempts. Try again in %(num)d minute.",
            "Too many attempts. Try again in %(num)d minutes.",
            minutes,
        )


def init_app(app: Flask) -> None:
    """One Limiter per app: Flask-Limiter keeps its storage on the instance, so a module-level
    one would be shared, and replaced, by every app a process creates (the tests make several).
    """
    _limits(app.config)  # a mistyped limit stops the start, not the first login
    app.extensions["qadam_limiter"] = Limiter(get_remote_address, app=app)


def limiter(app: Flask | None = None) -> Limiter:
    return (app or current_app).extensions["qadam_limiter"]


def locked(scope: str, account: str) -> Lock | None:
    """The lock on this account or on this client address, if either used up its failures."""
    strategy = _strategy()
    waits = [
        _seconds_left(strategy, item, keys)
        for _, item, keys in _counters(scope, account)
        if not strategy.test(item, *keys)
    ]
    return Lock(max(waits)) if waits else None


def failed(scope: str, account: str, user_id: object | None = None) -> None:
    """Count one failure against the account and the address; audit a lock it starts."""
    strategy = _strategy()
    for kind, item, keys in _counters(scope, account):
        strategy.hit(item, *keys)
        if not strategy.test(item, *keys):  # that was the last failure allowed: locked now
            if kind == "account":
                audit(f"{scope}_locked", "user", user_id)
            else:
                audit(f"{scope}_locked", "address")  # the event keeps the address itself


def _strategy() -> RateLimiter:
    return limiter().limiter


def _limits(config) -> dict[str, RateLimitItem]:
    return {
        "account": parse(config["QADAM_LOGIN_LIMIT_ACCOUNT"]),
        "address": parse(config["QADAM_LOGIN_LIMIT_ADDRESS"]),
    }


def _counters(scope: str, account: str) -> Iterator[tuple[str, RateLimitItem, tuple[str, ...]]]:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope}")
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    limits = _limits(current_app.config)
    yield "account", limits["account"], (prefix, scope, "account", _account_key(account))
    yield "address", limits["address"], (prefix, scope, "address", _client_address())


def _account_key(account: str) -> str:
    """A keyed hash of the typed address (or user id): the same whether or not the account
    exists, and the limiter's storage never holds the address itself."""
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    typed = account.strip().lower().encode()
    return hmac.new(secret, typed, hashlib.sha256).hexdigest()[:32]


def _client_address() -> str:
    """The client's address; an IPv6 client counts by its /64, which one device may roam."""
    address = get_remote_address()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(getattr(ip, "ipv4_mapped", None) or ip)


def _seconds_left(strategy: RateLimiter, item: RateLimitItem, keys: tuple[str, ...]) -> int:
    reset_at = strategy.get_window_stats(item, *keys).reset_time
    return max(1, math.ceil(reset_at - time.time()))
