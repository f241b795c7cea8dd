"""The change bus: changes take effect at once in every worker process, by topic.

A core service: it knows no consumer. Each process keeps things in memory that other processes can change, and
each owner subscribes to its own topic: the Casbin role assignments (``govhall.authz.enforcer.Authorizer.connect``,
topic ``policy``, keys = tenant ids) and the tenants' pack settings chains (``govhall.packs.cache``, topic
``pack_settings``, keys = the tenant whose settings changed, for it and its subtree); what comes next adds its own
topic. A consumer ``subscribe``s to its topic with two callbacks: drop one key, and drop everything. A
transaction that changes something calls ``ChangeBus.announce(session, topic, *keys)`` (``changed(session,
tenant_id)`` for role assignments) and commits with ``ChangeBus.commit(session)``:

- PostgreSQL: ``pg_notify`` inside the transaction, so the notice goes out if and only if the change commits;
  every process LISTENs on one dedicated asyncpg connection (reconnecting with backoff; after a reconnect it
  drops everything it holds, for every topic, because notices sent meanwhile are lost).
- Redis (``GOVHALL_REDIS_URL``): a publish after the commit, every process subscribes.
- SQLite (a file): an append-only journal beside the database file (``<db>-bus``). The committing process
  appends its notice (under an exclusive ``flock``) before its request answers; every process calls ``poll()``
  at the start of each request, which costs one ``stat`` unless the file changed, and applies the lines it has
  not seen. A journal that was cut (it is restarted past ``JOURNAL_MAX_BYTES``, with a new generation line) makes
  a reader drop everything it holds. So ``govhall serve --workers N`` on SQLite stays correct as well.
- SQLite in memory: one process, so invalidating the local copies is all there is.

The committing process invalidates its own copy right after the commit and then waits (up to
``ECHO_TIMEOUT``) until its own notice came back through the database or Redis AND every peer it knows has
acknowledged it. A peer acknowledges after it has applied the notice, so by the time the response leaves, every
live worker has dropped its copy: "the next request is denied" holds on a loaded machine too, not by timing.
Peers know each other from ``hello`` messages: sent on connecting, answered once by each peer that had not seen
the sender, and repeated every ``PING_SECONDS``; a peer silent for ``PEER_TTL`` is no longer waited for, and a
peer that stops says ``bye`` first, so a rolling restart never makes a save wait for a worker that is gone.

Fail closed: ``commit`` returns a ``Propagation``; when the notice could not be confirmed by every live peer (or
this worker is not listening itself) it says so, and the revoking request tells the admin. While a worker is not
listening it does not trust its cached role assignments: ``Authorizer`` reads them from the database for every
request (as the pack settings cache bypasses itself in that state).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.log import get_logger

log = get_logger(__name__)

CHANNEL = "govhall_policy"
POLICY = "policy"
"""The topic of Casbin role assignments (keys: tenant ids); a notice without a topic is one of these (the wire
format of the release before topics, kept so a rolling restart loses no notice)."""
ECHO_TIMEOUT = 2.0
SETTLE_SECONDS = 0.01
"""After its own echo the committing request waits this much longer: PostgreSQL signals every listening backend
at commit, so by then every other worker has had the notice for at least this long (it takes microseconds to
apply). Only the requests that commit a change (role assignments, pack settings) pay this; ordinary
requests never wait."""
PING_SECONDS = 30.0
PEER_TTL = 3 * PING_SECONDS
MAX_KEYS = 100
"""More keys than this in one notice (a provincial admin appointed over a whole province) become one ``"*"``: every
worker drops all it holds of the topic, which keeps the NOTIFY payload under PostgreSQL's 8000 bytes."""
MAX_USER_KEYS = 40
"""At most this many ``<tenant>/<user>`` keys in one notice (73 characters each, sent twice for older releases); more
become whole tenants (and over ``MAX_KEYS`` one ``"*"``)."""
_PENDING = "govhall_policy_pending"
JOURNAL_MAX_BYTES = 1 << 20
"""The SQLite journal starts afresh past this size (readers then drop everything they hold, once)."""
PROPAGATION_KEY = "govhall_policy_propagation"
"""``session.info`` key: the ``Propagation`` of the session's last ``commit`` (read by the revoking routes)."""


@dataclass(frozen=True, slots=True)
class Propagation:
    """What ``ChangeBus.commit`` knows about the other workers once it returns."""

    confirmed: bool = True
    """Every live peer acknowledged (it applied the notice), and this worker heard its own echo."""
    unconfirmed: tuple[str, ...] = ()
    """Peers that did not acknowledge in time (or ``"self"`` when this worker is not listening)."""


def message(topic: str, keys: Iterable[str], nonce: str, sender: str) -> str:
    """A notice as sent on the channel. Role notices also carry ``domains``, the only field that processes of
    the release before topics read (they ignore other topics), so a rolling restart loses none of them."""
    msg: dict[str, Any] = {"topic": topic, "keys": list(keys), "nonce": nonce, "from": sender}
    if topic == POLICY:
        # A release before per-user keys reads whole tenants: ``<tenant>/<user>`` is ``<tenant>`` to it.
        msg["domains"] = list(dict.fromkeys(k.split("/", 1)[0] for k in msg["keys"]))
    return json.dumps(msg)


class ChangeBus:
    def __init__(self, *, database_url: str, redis_url: str = "") -> None:
        self.instance = uuid.uuid4().hex
        self._database_url = database_url
        self._redis_url = redis_url
        self._journal: Journal | None = None
        if redis_url:
            self.backend = "redis"
        elif database_url.startswith("postgresql"):
            self.backend = "postgres"
        elif (path := sqlite_file(database_url)) is not None:
            self.backend = "file"
            self._journal = Journal(path.with_name(path.name + "-bus"), self.instance)
        else:
            self.backend = "local"
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        """The loop the bus started on: its listener task and connection belong to it. A server runs everything on
        one loop; a test client runs an app's lifespan on a loop of its own and its requests on another, and an
        asyncpg connection used from two threads at once crashes the process."""
        self._stopping = asyncio.Event()
        self._connected = asyncio.Event()
        self._echo: dict[str, asyncio.Event] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()  # nonces received lately (an echo may beat the wait)
        self._conn: Any = None
        self._redis: Any = None
        self._topics: dict[str, tuple[Callable[[str], None], Callable[[], None]]] = {}
        self.received = 0
        self._peers: dict[str, float] = {}  # other instances on the channel -> when last heard (monotonic)
        self._acks: dict[str, set[str]] = {}  # nonce of an own notice -> peers that applied it
        self._ack_event = asyncio.Event()
        self._sends: set[asyncio.Task[None]] = set()
        self._conn_lock = asyncio.Lock()  # asyncpg runs one operation at a time per connection

    def subscribe(self, topic: str, invalidate: Callable[[str], None], reset: Callable[[], None]) -> None:
        """Call ``invalidate(key)`` for each key of every ``topic`` notice (this process's own included), and
        ``reset()`` when notices may have been missed (a reconnect) or for the key ``*``."""
        self._topics[topic] = (invalidate, reset)

    @property
    def listening(self) -> bool:
        """Whether notices of other processes reach this one now (always on SQLite: the journal is read per request)."""
        return self.backend in ("local", "file") or self._connected.is_set()

    def poll(self) -> None:
        """Apply the notices other processes wrote to the SQLite journal since the last call (a ``stat`` when
        nothing changed; a no-op on the other backends, whose notices arrive by themselves)."""
        if self._journal is None:
            return
        notices = self._journal.read_new()
        if notices is None:
            self._reset_all()
            return
        for raw in notices:
            self.received += 1
            self._apply(raw)

    # ---- publishing ----------------------------------------------------------------------------------------

    async def changed(self, session: AsyncSession, *domains: UUID | str, users: Iterable[UUID | str] = ()) -> None:
        """Mark role assignments of ``domains`` as changed in this transaction (call before commit). With ``users``,
        only those users' assignments changed: every worker re-reads just their rows in each domain (keys
        ``<tenant>/<user>``) instead of reloading the tenant."""
        who = [str(u) for u in users]
        if who and len(who) * len(domains) <= MAX_USER_KEYS:
            await self.announce(session, POLICY, *(f"{d}/{u}" for d in domains for u in who))
        else:
            await self.announce(session, POLICY, *domains)

    async def announce(self, session: AsyncSession, topic: str, *keys: UUID | str) -> None:
        """Mark ``keys`` of ``topic`` as changed in this transaction (call before commit)."""
        if len(keys) > MAX_KEYS:
            keys = ("*",)
        pending: dict[str, dict[str, None]] = session.info.setdefault(_PENDING, {})
        for key in keys:
            pending.setdefault(topic, {})[str(key)] = None
        if self.backend == "postgres":
            nonce = uuid.uuid4().hex
            session.info.setdefault(_PENDING + "_nonces", []).append(nonce)
            payload = message(topic, [str(k) for k in keys], nonce, self.instance)
            await session.execute(select(func.pg_notify(CHANNEL, payload)))

    async def commit(self, session: AsyncSession) -> Propagation:
        """Commit, apply the change to this process and make sure the notice is on its way to the others; the
        answer says whether every live peer confirmed it."""
        try:
            await session.commit()
        finally:
            pending: dict[str, dict[str, None]] = session.info.pop(_PENDING, {})
            nonces = session.info.pop(_PENDING + "_nonces", [])
        if self._journal is not None and pending:
            self._journal.append([message(topic, list(keys), uuid.uuid4().hex, self.instance)
                                  for topic, keys in pending.items()])
        for topic, keys in pending.items():
            self._invalidate(topic, list(keys))
        if self.backend == "redis" and pending:
            nonces = []
            for topic, keys in pending.items():
                nonce = uuid.uuid4().hex
                nonces.append(nonce)
                self._expect([nonce])
                await self._publish_redis(topic, keys, nonce)
        result = await self._await_echo(nonces)
        session.info[PROPAGATION_KEY] = result
        return result

    def committed(self, topic: str, keys: Iterable[str]) -> None:
        """After a commit made without ``commit`` (a plain ``session.commit()`` whose transaction already carried its
        ``pg_notify``, see ``RowWatch``): drop this process's copies, append the notice to the SQLite journal,
        publish it on Redis in the background. Nothing here waits for peers; ``commit`` does."""
        keys = list(keys)
        if not keys:
            return
        if len(keys) > MAX_KEYS:
            keys = ["*"]
        if self._journal is not None:
            self._journal.append([message(topic, keys, uuid.uuid4().hex, self.instance)])
        self._invalidate(topic, keys)
        if self.backend == "redis":
            with contextlib.suppress(RuntimeError):  # no running loop (a sync caller outside the app): nothing to do
                task = asyncio.get_running_loop().create_task(self._publish_redis(topic, keys, uuid.uuid4().hex))
                self._sends.add(task)
                task.add_done_callback(self._sends.discard)

    def discard(self, session: AsyncSession) -> None:
        """After a rollback: nothing was committed, so nothing is announced."""
        session.info.pop(_PENDING, None)
        session.info.pop(_PENDING + "_nonces", None)

    def _expect(self, nonces: list[str]) -> None:
        for n in nonces:
            if n not in self._seen:
                self._echo.setdefault(n, asyncio.Event())

    async def _publish_redis(self, topic: str, keys: Iterable[str], nonce: str) -> None:
        try:
            await self._redis_client().publish(CHANNEL, message(topic, keys, nonce, self.instance))
        except Exception as exc:
            log.error("policy_publish_failed", error=type(exc).__name__)

    async def _await_echo(self, nonces: list[str]) -> Propagation:
        self._expect(nonces)  # no await since the commit returned: an echo that already came is in _seen
        events = [self._echo[n] for n in nonces if n in self._echo]
        result = Propagation()
        if nonces and self._task is not None:
            peers = set(self.peers())
            if not self.listening:
                result = Propagation(False, ("self", *sorted(peers)))
            try:
                await asyncio.wait_for(self._until_acked(events, nonces, peers), ECHO_TIMEOUT)
                await asyncio.sleep(SETTLE_SECONDS)
            except TimeoutError:
                missing = sorted(p for p in peers & set(self._peers)
                                 if any(p not in self._acks.get(n, ()) for n in nonces))
                if any(not e.is_set() for e in events):
                    missing = ["self", *missing]
                log.warning("policy_echo_timeout", backend=self.backend, unacknowledged=missing)
                result = Propagation(False, tuple(missing))
        elif nonces and self.backend != "local":  # the bus is not running (stopped or never started)
            result = Propagation(False, ("self",))
        for n in nonces:
            self._echo.pop(n, None)
            self._acks.pop(n, None)
        return result

    async def _until_acked(self, events: list[asyncio.Event], nonces: list[str], peers: set[str]) -> None:
        await asyncio.gather(*(e.wait() for e in events))
        while True:
            self._ack_event.clear()
            live = peers & set(self._peers)  # a peer that said goodbye meanwhile is not waited for
            if all(live <= self._acks.get(n, set()) for n in nonces):
                return
            await self._ack_event.wait()

    def peers(self) -> list[str]:
        """The other processes heard on the channel within ``PEER_TTL`` (those a commit waits for)."""
        now = asyncio.get_running_loop().time()
        return [p for p, seen in self._peers.items() if now - seen <= PEER_TTL]

    def _heard(self, sender: str) -> bool:
        """Note that ``sender`` is alive; True when it was not known before."""
        new = sender not in self._peers
        self._peers[sender] = asyncio.get_running_loop().time()
        return new

    def _send(self, payload: dict[str, Any]) -> None:
        """Send a control message (hello, ack) without blocking the listener callback (on the bus's own loop)."""
        loop, here = self._loop, asyncio.get_running_loop()
        if loop is not None and loop is not here and loop.is_running():
            asyncio.run_coroutine_threadsafe(self._send_now(json.dumps(payload)), loop)  # see ``_loop``
            return
        task = here.create_task(self._send_now(json.dumps(payload)))
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    async def _send_now(self, raw: str) -> None:
        try:
            if self.backend == "postgres" and self._conn is not None:
                await self._notify(self._conn, raw)
            elif self.backend == "redis":
                await self._redis_client().publish(CHANNEL, raw)
        except Exception as exc:
            log.warning("policy_control_send_failed", error=type(exc).__name__)

    async def _notify(self, conn: Any, raw: str) -> None:
        async with self._conn_lock:
            await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, raw)

    def _hello(self) -> None:
        self._send({"hello": self.instance})

    # ---- receiving -----------------------------------------------------------------------------------------

    def _invalidate(self, topic: str, keys: list[str]) -> None:
        handlers = self._topics.get(topic)
        if handlers is None:
            return  # a topic this process does not hold anything of
        invalidate, reset = handlers
        for key in keys:
            if key == "*":
                reset()
            else:
                invalidate(key)

    def _reset_all(self) -> None:
        for _invalidate, reset in self._topics.values():
            reset()

    def _apply(self, raw: str | bytes) -> None:
        try:
            msg = json.loads(raw)
            if "hello" in msg or "ack" in msg or "bye" in msg:
                self._control(msg)
                return
            topic = str(msg.get("topic", POLICY))
            keys = [str(k) for k in msg.get("keys", msg.get("domains", []))]
        except (ValueError, AttributeError):
            log.warning("policy_notice_unreadable")
            return
        self.received += 1
        self._invalidate(topic, keys)
        nonce = str(msg.get("nonce"))
        self._seen[nonce] = None
        while len(self._seen) > 1024:
            self._seen.popitem(last=False)
        if (event := self._echo.get(nonce)) is not None:
            event.set()
        sender = msg.get("from")
        if sender and sender != self.instance and sender != "no-app" and self._journal is None:
            self._heard(str(sender))
            self._send({"ack": nonce, "from": self.instance, "to": sender})

    def _control(self, msg: dict[str, Any]) -> None:
        sender = str(msg.get("hello") or msg.get("bye") or msg.get("from") or "")
        if not sender or sender == self.instance:
            return
        if "bye" in msg:  # a worker that stops: no longer waited for
            self._peers.pop(sender, None)
            self._ack_event.set()
            return
        if self._heard(sender) and "hello" in msg:
            self._hello()  # a newcomer: tell it that this process is here too
        if "ack" in msg and msg.get("to") == self.instance:
            self._acks.setdefault(str(msg["ack"]), set()).add(sender)
            self._ack_event.set()

    async def start(self) -> None:
        if self._journal is not None:
            self._journal.read_new()  # start at the journal's end: what came before is already in the database
        if self.backend in ("local", "file") or self._task is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name=f"policy-watcher-{self.backend}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._connected.wait(), 5.0)

    async def stop(self) -> None:
        loop = self._loop
        if loop is not None and loop is not asyncio.get_running_loop() and loop.is_running():
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._stop(), loop))  # see ``_loop``
            return
        await self._stop()

    async def _stop(self) -> None:
        await self._goodbye()
        self._stopping.set()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._close()
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
            self._redis = None

    async def _goodbye(self) -> None:
        """Tell the peers this worker stops, so their saves stop waiting for it at once."""
        if self.backend in ("local", "file") or self._task is None or not self._connected.is_set():
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._send_now(json.dumps({"bye": self.instance})), 2.0)

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 2.0)

    async def _run(self) -> None:
        delay = 0.5
        while not self._stopping.is_set():
            try:
                if self.backend == "postgres":
                    await self._listen_postgres()
                else:
                    await self._listen_redis()
                delay = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("policy_watcher_disconnected", backend=self.backend, error=type(exc).__name__)
            finally:
                self._connected.clear()
                await self._close()
            if not self._stopping.is_set():
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def _listen_postgres(self) -> None:
        import asyncpg

        url = make_url(self._database_url)
        conn = await asyncpg.connect(user=url.username, password=url.password, host=url.host,
                                     port=url.port or 5432, database=url.database)
        self._conn = conn
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _c: lost.set())
        await conn.add_listener(CHANNEL, lambda _c, _pid, _ch, payload: self._apply(payload))
        self._reset_all()  # notices sent while we were not listening are lost: start clean
        self._connected.set()
        self._hello()
        log.info("policy_watcher_listening", backend="postgres")
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), PING_SECONDS)
            if not lost.is_set():  # the heartbeat peers know us by; a dead connection raises here
                await asyncio.wait_for(self._notify(conn, json.dumps({"hello": self.instance})), 10.0)

    def _redis_client(self):
        if self._redis is None:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(self._redis_url)
        return self._redis

    async def _listen_redis(self) -> None:
        pubsub = self._redis_client().pubsub()
        try:
            await pubsub.subscribe(CHANNEL)
            self._reset_all()
            self._connected.set()
            self._hello()
            log.info("policy_watcher_listening", backend="redis")
            last_hello = asyncio.get_running_loop().time()
            while not self._stopping.is_set():
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=PING_SECONDS)
                if message and message.get("type") == "message":
                    self._apply(message["data"])
                if asyncio.get_running_loop().time() - last_hello >= PING_SECONDS:
                    self._hello()
                    last_hello = asyncio.get_running_loop().time()
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()


def sqlite_file(database_url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and for ``:memory:``)."""
    if not database_url.startswith("sqlite"):
        return None
    name = make_url(database_url).database
    return Path(name).resolve() if name and name != ":memory:" else None


_ABSENT = (0, 0, 0)


class Journal:
    """The SQLite change journal: one JSON notice a line, after a generation line ``#<hex>``.

    Writers hold an exclusive ``flock`` while they append (or start the file afresh); a reader takes a shared
    one only when the file changed, so the common case is a ``stat``."""

    def __init__(self, path: Path, instance: str) -> None:
        self.path = path
        self.instance = instance
        self._seen: tuple[int, int, int] | None = None  # (inode, size, mtime_ns) at the last read
        self._generation = b""
        self._offset = 0

    def append(self, lines: list[str]) -> None:
        import fcntl

        data = "".join(line.replace("\n", " ") + "\n" for line in lines).encode()
        with open(self.path, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            size = fh.seek(0, os.SEEK_END)
            if size == 0 or size + len(data) > JOURNAL_MAX_BYTES:
                fh.truncate(0)
                fh.write(b"#" + uuid.uuid4().hex.encode() + b"\n")
            fh.write(data)
            fh.flush()

    def read_new(self) -> list[str] | None:
        """The notices of other processes appended since the last call; None when some may have been lost (the
        journal was started afresh or removed meanwhile): drop everything."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            lost = self._seen not in (None, _ABSENT)
            self._seen, self._generation, self._offset = _ABSENT, b"", 0
            return None if lost else []
        state = (st.st_ino, st.st_size, st.st_mtime_ns)
        if state == self._seen:
            return []
        import fcntl

        first = self._seen is None
        with open(self.path, "rb") as fh:
            fcntl.flock(fh, fcntl.LOCK_SH)
            st = os.fstat(fh.fileno())
            head = fh.readline()
            generation = head.strip()
            if self._seen == _ABSENT:  # the file appeared since the last look: read it all
                self._generation, self._offset = generation, len(head)
            self._seen = (st.st_ino, st.st_size, st.st_mtime_ns)
            if first or generation != self._generation or st.st_size < self._offset:
                lost = not first
                self._generation, self._offset = generation, st.st_size
                return None if lost else []
            fh.seek(self._offset)
            data = fh.read(st.st_size - self._offset)
        end = data.rfind(b"\n") + 1  # only whole lines (a writer holds the lock, so all of them are)
        self._offset += end
        own = f'"from": "{self.instance}"'.encode()  # its own notices were applied at commit
        return [raw.decode() for raw in data[:end].splitlines() if raw and own not in raw]


class RowWatch:
    """Every change of one table's rows, however it is made, announced on the bus under ``topic``: for per-worker
    caches of those rows (session users, terminals) that must never serve a stale row.

    - ORM changes (a new, changed or deleted instance of ``model``) are keyed by ``key(instance)`` (None for a row
      no cache can hold, e.g. a new account without its id yet); a bulk ``UPDATE``/``DELETE`` on the table is
      ``"*"`` (which rows it hits is not known), unless it carries the execution option ``skip_option`` (a write
      the caches do not hold, e.g. a terminal's last contact). More than ``MAX_KEYS`` keys become ``"*"``.
    - ``commit(session)`` commits through the app's bus (``ChangeBus.commit``: every live worker has applied the
      notice before it returns). Any other commit still carries the notice (``pg_notify`` in its transaction on
      PostgreSQL, sent as ``no-app``, also from sessions of no app such as the CLI), then appends it to the SQLite
      journal and drops this process's copies (``ChangeBus.committed``); it does not wait for acknowledgements.
    - A session of no app (tests, scripts in the app's process) drops the rows in every cache of the process.

    The cache is found in ``session.info[cache_key]`` and needs ``bus`` and ``forget(key)``.
    """

    def __init__(self, topic: str, model: type, key: Callable[[Any], str | None], cache_key: str,
                 skip_option: str | None = None) -> None:
        import weakref

        self.topic, self.model, self.key, self.cache_key, self.skip_option = topic, model, key, cache_key, skip_option
        self.table = model.__table__.name  # type: ignore[attr-defined]  # a mapped class
        self.changed_key = f"govhall.watch.{topic}.changed"
        self.announced_key = f"govhall.watch.{topic}.announced"
        self.caches: weakref.WeakSet[Any] = weakref.WeakSet()
        self._installed = False

    def track(self, cache: Any) -> None:
        self.caches.add(cache)
        self.install()

    def changed_in(self, session: Any) -> bool:
        """Whether this session's transaction changed rows of the table (it must read its own writes)."""
        return bool(session.info.get(self.changed_key))

    def _note(self, session: Any, *keys: str) -> None:
        session.info.setdefault(self.changed_key, set()).update(keys)

    def _changed_now(self, session: Any) -> set[str]:
        m = self.model
        rows = [o for o in session.deleted if isinstance(o, m)] + [o for o in session.new if isinstance(o, m)]
        rows += [o for o in session.dirty if isinstance(o, m) and session.is_modified(o)]
        return {k for k in map(self.key, rows) if k is not None}  # None: a row no cache can hold yet

    def _keys(self, session: Any) -> list[str]:
        keys: set[str] = set(session.info.get(self.changed_key, ())) | self._changed_now(session)
        return ["*"] if "*" in keys or len(keys) > MAX_KEYS else sorted(keys)  # NOTIFY payloads stay < 8000 bytes

    def _before_flush(self, session: Any, _context: Any, _instances: Any) -> None:
        if changed := self._changed_now(session):
            self._note(session, *changed)

    def _on_execute(self, state: Any) -> None:
        if state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if getattr(table, "name", None) == self.table and not (
                    self.skip_option and state.execution_options.get(self.skip_option)):
                self._note(state.session, "*")

    def _before_commit(self, session: Any) -> None:
        if session.info.get(self.announced_key):
            return
        keys = self._keys(session)
        if not keys:
            return
        self._note(session, *keys)
        if session.get_bind().dialect.name == "postgresql":
            # "no-app" (also from an app's own session): peers apply it and acknowledge nothing, as nobody waits.
            session.execute(select(func.pg_notify(CHANNEL, message(self.topic, keys, uuid.uuid4().hex, "no-app"))))

    def _after_commit(self, session: Any) -> None:
        keys = session.info.pop(self.changed_key, None)
        announced = session.info.pop(self.announced_key, None)
        if not keys:
            return
        cache = session.info.get(self.cache_key)
        if cache is not None and cache.bus is not None:
            if announced != "bus":  # ChangeBus.commit did all this
                cache.bus.committed(self.topic, sorted(keys))
            return
        for c in list(self.caches):
            for key in keys:
                c.forget(key)

    def _after_soft_rollback(self, session: Any, previous: Any) -> None:
        if previous.parent is None:
            session.info.pop(self.changed_key, None)
            session.info.pop(self.announced_key, None)

    def install(self) -> None:
        if self._installed:
            return
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        event.listen(Session, "before_flush", self._before_flush)
        event.listen(Session, "do_orm_execute", self._on_execute)
        event.listen(Session, "before_commit", self._before_commit)
        event.listen(Session, "after_commit", self._after_commit)
        event.listen(Session, "after_soft_rollback", self._after_soft_rollback)
        self._installed = True

    async def commit(self, session: AsyncSession) -> None:
        """Commit a transaction that changed rows of the table: through the app's bus when there is one, so the
        answer leaves only after every live worker dropped its copies; else a plain commit (still announced)."""
        cache = session.info.get(self.cache_key)
        if cache is None or cache.bus is None:
            await session.commit()
            return
        await session.flush()
        keys = self._keys(session.sync_session)
        if keys:
            await cache.bus.announce(session, self.topic, *keys)
            session.info[self.announced_key] = "bus"
        await cache.bus.commit(session)


class RowCache:
    """Rows of one table by key, per worker process, least recently used dropped first (at most ``size``; 0 keeps
    nothing), kept exact by the ``RowWatch`` that announces every change of them (``watch``). A read stores its row
    only if no invalidation happened while it read (``generation``); while the bus is not listening the cache is
    not used (fail closed). Subclasses say how a notice's key reads (``key_of``) and what a stored value must
    match (``fits``)."""

    def __init__(self, size: int, watch: RowWatch) -> None:
        from collections import OrderedDict

        self.size = size
        self.watch = watch
        self._entries: OrderedDict[Any, Any] = OrderedDict()
        self.generation = 0
        """Bumped by every invalidation."""
        self.bus: ChangeBus | None = None
        self.hits = 0
        self.misses = 0
        watch.track(self)

    def key_of(self, raw: Any) -> Any:
        """A notice's key as this cache's key (ValueError: unreadable, everything is dropped)."""
        return raw

    def fits(self, key: Any, value: Any) -> bool:
        """Whether ``value`` is the row of ``key`` (never store another row under a key)."""
        return True

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def connect(self, bus: ChangeBus) -> None:
        self.bus = bus
        bus.subscribe(self.watch.topic, self.forget, self.clear)

    @property
    def usable(self) -> bool:
        """Not while the bus is not listening: notices sent meanwhile would be missed."""
        return self.size > 0 and (self.bus is None or self.bus.listening)

    def get(self, key: Any) -> Any:
        value = self._entries.get(key)
        if value is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: Any, value: Any, generation: int) -> None:
        if generation != self.generation or self.size <= 0 or not self.fits(key, value):
            return
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def forget(self, raw: Any) -> None:
        self.generation += 1
        if str(raw) == "*":
            self._entries.clear()
            return
        try:
            self._entries.pop(self.key_of(raw), None)
        except ValueError:  # an unreadable notice: drop everything rather than guess
            self._entries.clear()

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()

    def for_session(self, session: Any) -> Any:
        """This cache for reading in ``session``, or None: while the bus is deaf, or when the session's
        transaction changed the table (it must read its own writes and not publish them early)."""
        return self if self.usable and not self.watch.changed_in(session) else None
