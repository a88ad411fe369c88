"""Admission under load: which requests are at work, which wait their turn and which are refused.

A server process works on a bounded number of requests at once. When more come, they wait in
order of what a refusal would cost: a signed-in write (a delegation's submission) first and for
longest, then a signed-in reader, then an anonymous reader, who is the first to be told 503 and
to come back. Sign-ins have a lane of their own, as wide as the machine has cores, because each
costs a fraction of a second of password hashing: a crowd signing in neither takes the places of
page views nor waits behind them. Plain ASGI, so that nothing is read for a refused request."""

from __future__ import annotations

import asyncio
from collections import deque
from enum import IntEnum

from starlette.types import ASGIApp, Receive, Scope, Send

from stocktake.core.translation import Text
from stocktake.web.refusals import refuse

RETRY_AFTER_SECONDS = 5
_EXEMPT = ("/static/",)
SIGN_IN_PATHS = frozenset({"/login", "/api/v1/tokens"})
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class Priority(IntEnum):
    """Who goes first when a place frees: the lower, the sooner."""

    SIGNED_IN_WRITE = 0
    SIGNED_IN_READ = 1
    ANONYMOUS = 2


class Turns:
    """`size` places; whoever waits is given the next free place by priority, then by arrival."""

    def __init__(self, size: int, priorities: int = 1) -> None:
        self.size = size
        self.busy = 0
        self.waiting: list[deque[asyncio.Future[None]]] = [deque() for _ in range(priorities)]

    def waiters(self, *priorities: int) -> int:
        return sum(len(self.waiting[p]) for p in priorities)

    async def take(self, priority: int, timeout: float) -> bool:
        """A place, now or within `timeout` seconds (True), or none (False)."""
        if self.busy < self.size:  # a freed place goes straight to a waiter: none is waiting
            self.busy += 1
            return True
        turn = asyncio.get_running_loop().create_future()
        self.waiting[priority].append(turn)
        try:
            async with asyncio.timeout(timeout):
                await turn
        except TimeoutError:
            # handed a place just as the time ran out: it is this request's all the same
            return turn.done() and not turn.cancelled()
        except BaseException:
            if turn.done() and not turn.cancelled():
                self.give_back()
            raise
        finally:
            if turn in self.waiting[priority]:
                self.waiting[priority].remove(turn)
        return True

    def give_back(self) -> None:
        """Free a place: to the first waiter of the highest priority, or to no one."""
        for queue in self.waiting:
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)
                    return
        self.busy -= 1


class Admission:
    """At most `limit` requests at work at once (as many as the database pool has connections
    for them and the thread pool has threads), and besides them at most `sign_ins` sign-ins.

    When every place is taken, up to `queue` readers wait their turn, each at most `wait` seconds,
    and up to `queue` signed-in writes (a method other than GET, HEAD or OPTIONS with a session
    cookie or an Authorization header), each at most `write_wait` seconds, served before any
    reader. Sign-ins (POST /login, POST /api/v1/tokens) wait in their own queue, at most
    `write_wait` seconds too. Beyond that, or after that, the answer is an immediate 503 with
    Retry-After: the server sheds the load it cannot serve, the anonymous readers' first."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        queue: int,
        wait: float,
        write_wait: float = 30.0,
        sign_ins: int = 2,
        session_cookie: str = "stocktake_session",
    ) -> None:
        self.app, self.queue, self.wait, self.write_wait = app, queue, wait, write_wait
        self.cookie = session_cookie.lower().encode()
        self.places = Turns(limit, priorities=len(Priority))
        self.sign_in_places = Turns(sign_ins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_EXEMPT):
            await self.app(scope, receive, send)
            return
        turns, priority, wait, queued = self._lane(scope)
        if turns.busy >= turns.size and turns.waiters(*queued) >= self.queue:
            await self._busy(scope, send)
            return
        if not await turns.take(priority, wait):
            await self._busy(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            turns.give_back()

    def _lane(self, scope: Scope) -> tuple[Turns, int, float, tuple[int, ...]]:
        """Where a request waits: its places, its priority there, how long it may wait and
        which waiters its queue counts."""
        if scope["method"] == "POST" and scope["path"] in SIGN_IN_PATHS:
            return self.sign_in_places, 0, self.write_wait, (0,)
        priority = self.priority(scope)
        if priority is Priority.SIGNED_IN_WRITE:
            return self.places, priority, self.write_wait, (priority,)
        return self.places, priority, self.wait, (Priority.SIGNED_IN_READ, Priority.ANONYMOUS)

    def priority(self, scope: Scope) -> Priority:
        """A request's place in the queue, from what it claims (a session cookie, a token): the
        claim is checked later, and a false one gains a place in the queue, never access."""
        signed_in = any(
            name == b"authorization" or (name == b"cookie" and self.cookie in value.lower())
            for name, value in scope["headers"]
        )
        if not signed_in:
            return Priority.ANONYMOUS
        if scope["method"] in _READS:
            return Priority.SIGNED_IN_READ
        return Priority.SIGNED_IN_WRITE

    @staticmethod
    async def _busy(scope: Scope, send: Send) -> None:
        await refuse(
            scope,
            send,
            503,
            Text("The server is busy; try again in a few seconds."),
            [("retry-after", str(RETRY_AFTER_SECONDS))],
        )
