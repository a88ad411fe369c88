"""Concurrent writers against a running server: every one waits its turn and is stored once,
even while the machine is busy and anonymous readers are being turned away."""

from __future__ import annotations

import http.cookiejar
import itertools
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.accounts.models import ApiToken, SignInFailure
from stocktake.accounts.services import get_user, issue_token
from stocktake.analysis.models import AnalysisCluster
from stocktake.analysis.services import run_analysis
from stocktake.app import create_app
from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.commands import server_options
from stocktake.config import get_settings
from stocktake.consultation.models import Input, InputStatus, InputTag
from stocktake.core.db import create_db_engine
from stocktake.core.permissions import Principal
from stocktake.demo.generator import DEMO_LOGINS, DEMO_PASSWORD
from stocktake.meetings.models import Meeting, Participant
from stocktake.negotiation.models import (
    PENDING,
    Amendment,
    AmendmentPosition,
    Draft,
    DraftElement,
    DraftRevision,
)
from stocktake.process.services import get_process
from stocktake.registry.models import Actor
from stocktake.review.models import (
    CountryIndicator,
    Indicator,
    Observation,
    Pledge,
    Practice,
    ReviewCycle,
    VoluntaryReport,
)
from stocktake.summary.models import Summary, SummaryVersion
from tests.conftest import CSRF
from tests.databases import copy_of
from tests.servers import free_port

SYSTEM = Principal.system()


@dataclass
class LiveServer:
    url: str
    database_url: str
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def live_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """uvicorn serving a database of its own (a copy of the demo) on 127.0.0.1."""
    url = copy_of("demo", backend, "live", tmp_path_factory.mktemp("live"))
    engine = create_db_engine(url)
    with Session(engine) as session:
        tokens = {
            email: issue_token(session, get_user(session, email), by=Principal.system())
            for email in ("mexico@gcm.example", "secretariat@gcm.example")
        }
    settings = get_settings(environment="test", secret_key="live-secret", database_url=url)
    port = free_port()
    options = {**server_options(), "log_level": "warning"}  # as `stocktake serve` runs it
    app = create_app(settings, engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield LiveServer(f"http://127.0.0.1:{port}", url, tokens)
    server.should_exit = True
    thread.join(10)
    engine.dispose()


def post_json(
    url: str, body: dict[str, object], token: str, method: str = "POST"
) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310  (a URL of the test server)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


def at_once(count: int, job: Callable[[int], tuple[int, str]]) -> list[tuple[int, str]]:
    """`count` requests sent at the same moment, each made by `job(i)`: their answers, in order."""
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(job, range(count)))


def audited(database_url: str, action: AuditAction, target_key: object) -> int:
    """How many audit events of this action the server wrote about this target."""
    engine = create_db_engine(database_url)
    with Session(engine) as session:
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == action, AuditEvent.target_key == str(target_key))
        )
    engine.dispose()
    return events or 0


@contextmanager
def busy_machine(seconds: float = 60) -> Iterator[None]:
    """Another process keeping a core busy meanwhile, as other work on a shared machine does;
    it stops by itself after `seconds` at most."""
    loop = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass"
    busy = subprocess.Popen([sys.executable, "-c", loop])  # noqa: S603  (this Python, a fixed loop)
    try:
        yield
    finally:
        busy.kill()
        busy.wait()


def get_status(url: str) -> int:
    """The status of an anonymous GET."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  (the test server)
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_simultaneous_submissions_and_registrations_all_succeed_once(
    live_server: LiveServer,
) -> None:
    """60 signed-in writes at once, while another process keeps a core busy and 60 anonymous
    searches (none the same, so none shared from the readers' cache) arrive with them: every write
    waits its turn and succeeds once; only anonymous readers may be told to come back (503)."""
    mexico = live_server.tokens["mexico@gcm.example"]
    secretariat = live_server.tokens["secretariat@gcm.example"]
    jobs: list[Callable[[], tuple[int, str]]] = []
    for i in range(30):
        jobs.append(
            lambda i=i: post_json(
                f"{live_server.url}/api/v1/inputs",
                {"text": f"Simultaneous input number {i} on safe and regular pathways."},
                mexico,
            )
        )
        jobs.append(
            lambda i=i: post_json(
                f"{live_server.url}/api/v1/meetings/puerto-vallarta-2017/registrations",
                {"actor": "MEX", "name": f"Simultaneous participant {i}"},
                mexico if i % 2 else secretariat,
            )
        )
    searches = [f"{live_server.url}/inputs?q=migrants+{i}" for i in range(60)]
    with busy_machine(), ThreadPoolExecutor(len(jobs) + len(searches)) as pool:
        reads = [pool.submit(get_status, url) for url in searches]
        answers = list(pool.map(lambda job: job(), jobs))
        read_statuses = [read.result() for read in reads]
    failures = [(status, body[:200]) for status, body in answers if status != 201]
    assert not failures, f"{len(failures)} of {len(jobs)} failed: {failures[:3]}"
    assert set(read_statuses) <= {200, 503}, read_statuses

    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        for i in range(30):
            assert (
                session.scalar(
                    select(func.count())
                    .select_from(Input)
                    .where(
                        Input.text == f"Simultaneous input number {i} on safe and regular pathways."
                    )
                )
                == 1
            )
            assert (
                session.scalar(
                    select(func.count())
                    .select_from(Participant)
                    .where(Participant.name == f"Simultaneous participant {i}")
                )
                == 1
            )
    engine.dispose()


def test_a_crowd_signing_in_turns_no_reader_away(live_server: LiveServer) -> None:
    """24 sign-ins with the right password and 30 wrong guesses at one account, all at once, and
    four readers viewing pages meanwhile: the sign-ins wait in their own queue (each password
    check takes a core for a fraction of a second), every one is answered, and no page view waits
    behind them or is answered 503.
    Of the guesses at most 5 have their password checked; the rest are refused by the account's
    limit before any hashing."""
    target = "stakeholder@gcm.example"
    logins = [login.email for login in DEMO_LOGINS if login.email != target]

    def attempt(number: int) -> int:
        email, password = (
            (logins[number % len(logins)], DEMO_PASSWORD)
            if number < 24
            else (target, f"wrong guess {number}")
        )
        return post_json(
            f"{live_server.url}/api/v1/tokens",
            {"email": email, "password": password, "name": f"crowd {number}"},
            token="none",
        )[0]

    done = threading.Event()

    def read(reader: int) -> list[int]:
        """Page views one after another, each a different search, until the sign-ins are done."""
        statuses = []
        while not done.is_set() and len(statuses) < 500:
            statuses.append(
                get_status(f"{live_server.url}/inputs?q=crowd+{reader}+{len(statuses)}")
            )
        return statuses

    with ThreadPoolExecutor(58) as pool:
        readers = [pool.submit(read, reader) for reader in range(4)]
        attempts = list(pool.map(attempt, range(54)))
        done.set()
        statuses = [status for reader in readers for status in reader.result()]
    assert statuses, "no page was viewed meanwhile"
    assert set(statuses) == {200}, Counter(statuses)
    assert attempts[:24] == [201] * 24
    guesses = attempts[24:]
    assert set(guesses) <= {401, 429}, guesses
    assert 1 <= guesses.count(401) <= 5


def test_simultaneous_wrong_passwords_get_no_more_guesses_than_the_limit(
    live_server: LiveServer,
) -> None:
    """20 guesses at once for one account: the limit is 5 failures, so at most 5 passwords are
    checked (401) and the rest are refused (429), each of the 401s in the audit log."""
    email = "philippines@gcm.example"
    url = f"{live_server.url}/api/v1/tokens"

    def guess(number: int) -> int:
        request = urllib.request.Request(  # noqa: S310  (a URL of the test server)
            url,
            data=json.dumps({"email": email, "password": f"wrong guess {number}"}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(guess, range(20)))
    assert 1 <= statuses.count(401) <= 5, statuses
    assert set(statuses) <= {401, 429}, statuses  # sign-ins wait their turn: no 503

    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        failures = session.scalar(
            select(func.count()).select_from(SignInFailure).where(SignInFailure.email == email)
        )
    engine.dispose()
    assert failures == statuses.count(401)
    assert audited(live_server.database_url, AuditAction.SIGN_IN_FAILED, email) == failures


def test_two_moderators_publishing_the_same_inputs_at_once_publish_each_once(
    live_server: LiveServer,
) -> None:
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        ids = list(
            session.scalars(
                select(Input.id)
                .where(Input.status == InputStatus.SUBMITTED)
                .order_by(Input.id)
                .limit(8)
            )
        )
    assert len(ids) == 8
    secretariat = live_server.tokens["secretariat@gcm.example"]
    body = {"ids": ids, "action": "publish"}
    url = f"{live_server.url}/api/v1/inputs/moderate"
    answers = at_once(10, lambda _: post_json(url, body, secretariat))
    assert all(status == 200 for status, _ in answers), answers
    changed = [json.loads(text)["changed"] for _, text in answers]
    assert sorted(i for ids_changed in changed for i in ids_changed) == ids  # each by one of them

    with Session(engine) as session:
        events = session.scalars(
            select(AuditEvent.target_key).where(
                AuditEvent.action == AuditAction.INPUT_PUBLISHED,
                AuditEvent.target_key.in_([str(i) for i in ids]),
            )
        ).all()
    engine.dispose()
    assert sorted(events, key=int) == [str(i) for i in ids]  # one event each


def test_one_input_published_by_several_at_once_is_published_once(
    live_server: LiveServer,
) -> None:
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        input_id = session.scalar(
            select(Input.id).where(Input.status == InputStatus.SUBMITTED).order_by(Input.id.desc())
        )
    engine.dispose()
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/inputs/{input_id}/publish"
    answers = at_once(8, lambda _: post_json(url, {}, secretariat))
    assert all(status == 200 for status, _ in answers), answers
    assert audited(live_server.database_url, AuditAction.INPUT_PUBLISHED, input_id) == 1


def test_revisions_issued_at_once_are_one_revision_and_conflicts(live_server: LiveServer) -> None:
    """A double click (or two secretariat officers) on "Issue revision": one revision, the others
    told that someone else changed the draft at the same moment (409), nothing half-written."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        draft_id = session.scalar(select(Draft.id).order_by(Draft.id))
        before = session.scalar(select(func.count()).select_from(DraftRevision))
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/drafts/{draft_id}/revisions"
    answers = at_once(6, lambda i: post_json(url, {"note": f"{i}"}, secretariat))
    statuses = sorted(status for status, _ in answers)
    assert statuses[0] == 201, answers
    assert set(statuses) <= {201, 409}, answers
    for status, text in answers:
        if status == 409:
            assert "at the same moment" in json.loads(text)["detail"]
    with Session(engine) as session:
        after = session.scalar(select(func.count()).select_from(DraftRevision))
    engine.dispose()
    assert after - before == statuses.count(201)


def test_a_pledge_published_by_several_at_once_is_published_once(live_server: LiveServer) -> None:
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        pledge_id = session.scalar(
            select(Pledge.id).where(Pledge.published_at.is_(None)).order_by(Pledge.id)
        )
    engine.dispose()
    assert pledge_id is not None
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/review/pledges/{pledge_id}/publish"
    answers = at_once(6, lambda _: post_json(url, {}, secretariat))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * 5, answers
    assert audited(live_server.database_url, AuditAction.PLEDGE_PUBLISHED, pledge_id) == 1


def test_amendments_proposed_at_once_each_get_a_number_of_their_own(
    live_server: LiveServer,
) -> None:
    """Delegations proposing at the same moment: each amendment stored, none refused."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        draft_id = session.scalar(select(Draft.id).order_by(Draft.id))
        eid = session.scalar(
            select(DraftElement.eid)
            .where(DraftElement.draft_id == draft_id)
            .order_by(DraftElement.position)
        )
        before = set(
            session.scalars(select(Amendment.number).where(Amendment.draft_id == draft_id))
        )
    mexico = live_server.tokens["mexico@gcm.example"]
    url = f"{live_server.url}/api/v1/drafts/{draft_id}/amendments"
    answers = at_once(
        6,
        lambda i: post_json(
            url,
            {"kind": "add_paragraph", "target": eid, "new_text": f"Simultaneous paragraph {i}."},
            mexico,
        ),
    )
    assert [status for status, _ in answers] == [201] * 6, answers
    numbers = sorted(json.loads(text)["number"] for _, text in answers)
    assert numbers == list(range(max(before) + 1, max(before) + 7))
    with Session(engine) as session:
        stored = session.scalar(
            select(func.count()).select_from(Amendment).where(Amendment.draft_id == draft_id)
        )
    engine.dispose()
    assert stored == len(before) + 6


def _pending_amendment(session: Session, *, not_by: str) -> Amendment:
    """A pending amendment, in conflict with nothing, on which the actor takes no position."""
    actor_id = session.scalar(select(Actor.id).where(Actor.code == not_by))
    for amendment in session.scalars(
        select(Amendment)
        .where(
            Amendment.status.in_([s.value for s in PENDING]),
            Amendment.in_conflict.is_(False),
        )
        .order_by(Amendment.id)
    ):
        if all(p.actor_id != actor_id for p in amendment.positions):
            return amendment
    raise AssertionError("the demo has no such amendment")


def test_one_position_taken_several_times_at_once_is_one_position(
    live_server: LiveServer,
) -> None:
    """A delegation's double click on "Support": one position, no refusal."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        amendment = _pending_amendment(session, not_by="MEX")
        draft_id, number, amendment_id = amendment.draft_id, amendment.number, amendment.id
    mexico = live_server.tokens["mexico@gcm.example"]
    url = f"{live_server.url}/api/v1/drafts/{draft_id}/amendments/{number}/positions"
    answers = at_once(6, lambda _: post_json(url, {"role": "supporter"}, mexico))
    assert [status for status, _ in answers] == [200] * 6, answers
    with Session(engine) as session:
        positions = session.scalar(
            select(func.count())
            .select_from(AmendmentPosition)
            .where(AmendmentPosition.amendment_id == amendment_id)
            .join(Actor, Actor.id == AmendmentPosition.actor_id)
            .where(Actor.code == "MEX")
        )
    engine.dispose()
    assert positions == 1


def test_an_amendment_decided_several_times_at_once_is_decided_once(
    live_server: LiveServer,
) -> None:
    """Two officers accepting the same amendment at once: one decision, the others told (409)."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        amendment = _pending_amendment(session, not_by="EU")
        draft_id, number = amendment.draft_id, amendment.number
    engine.dispose()
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/drafts/{draft_id}/amendments/{number}/status"
    answers = at_once(6, lambda _: post_json(url, {"status": "accepted"}, secretariat, "PUT"))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * 5, answers
    assert (
        audited(live_server.database_url, AuditAction.AMENDMENT_DECIDED, f"{draft_id}/A{number}")
        == 1
    )


def test_attendance_recorded_several_times_at_once_is_recorded_once(
    live_server: LiveServer,
) -> None:
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        participant_id = session.scalar(
            select(Participant.id).where(Participant.attended.is_(False)).order_by(Participant.id)
        )
        meeting = session.scalar(
            select(Meeting.slug).join(Participant).where(Participant.id == participant_id)
        )
    engine.dispose()
    assert participant_id is not None
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/meetings/{meeting}/registrations/{participant_id}/attendance"
    answers = at_once(6, lambda _: post_json(url, {"attended": True}, secretariat, "PUT"))
    assert [status for status, _ in answers] == [200] * 6, answers
    assert audited(live_server.database_url, AuditAction.ATTENDANCE_RECORDED, participant_id) == 1


def test_a_draft_submitted_several_times_at_once_is_submitted_once(
    live_server: LiveServer,
) -> None:
    """A double click on "Submit": the draft is sent once, the other click told it is sent."""
    mexico = live_server.tokens["mexico@gcm.example"]
    status, text = post_json(
        f"{live_server.url}/api/v1/inputs",
        {"text": "A draft on labour mobility, submitted twice at once.", "status": "draft"},
        mexico,
    )
    assert status == 201, text
    input_id = json.loads(text)["id"]
    url = f"{live_server.url}/api/v1/inputs/{input_id}/submit"
    answers = at_once(10, lambda _: post_json(url, {}, mexico))
    assert sorted(status for status, _ in answers) == [200] + [409] * 9, answers
    # one event when the draft was saved, one when it was sent
    assert audited(live_server.database_url, AuditAction.INPUT_SUBMITTED, input_id) == 2


def _tagged_input(live_server: LiveServer) -> tuple[int, list[str]]:
    """A published input with dimensions, and every dimension the process knows."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        input_id = session.scalar(
            select(Input.id)
            .where(Input.status == InputStatus.PUBLISHED, Input.tags.any())
            .order_by(Input.id)
        )
        keys = sorted(
            set(session.scalars(select(InputTag.key).where(InputTag.vocabulary == "dimensions")))
        )
    engine.dispose()
    assert input_id is not None
    assert len(keys) >= 3
    return input_id, keys


def test_an_input_retagged_by_several_at_once_keeps_one_set_of_tags(
    live_server: LiveServer,
) -> None:
    """Officers retagging one input at once: each replaces the tags in turn, none is refused, and
    each audit event says what it replaced (what the one before it stored)."""
    input_id, keys = _tagged_input(live_server)
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/inputs/{input_id}/tags"
    answers = at_once(
        6,
        lambda i: post_json(
            url, {"dimensions": [keys[i % 3]], "input_types": []}, secretariat, "PUT"
        ),
    )
    assert [status for status, _ in answers] == [200] * 6, answers
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        changes = list(
            session.scalars(
                select(AuditEvent.changes)
                .where(
                    AuditEvent.action == AuditAction.INPUT_RETAGGED,
                    AuditEvent.target_key == str(input_id),
                )
                .order_by(AuditEvent.id)
            )
        )
        stored = sorted(
            session.scalars(
                select(InputTag.key).where(
                    InputTag.input_id == input_id, InputTag.vocabulary == "dimensions"
                )
            )
        )
    engine.dispose()
    assert len(changes) == 6
    for earlier, later in itertools.pairwise(changes):
        assert later["dimensions"][0] == earlier["dimensions"][1]
    assert stored == changes[-1]["dimensions"][1]


def test_an_input_withdrawn_by_several_at_once_was_published_once(
    live_server: LiveServer,
) -> None:
    """Each withdrawal at once is kept, and the audit says that only the first found it published."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        input_id = session.scalar(
            select(Input.id).where(Input.status == InputStatus.PUBLISHED).order_by(Input.id.desc())
        )
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/inputs/{input_id}/withdraw"
    answers = at_once(6, lambda i: post_json(url, {"reason": f"duplicate, said {i}"}, secretariat))
    assert [status for status, _ in answers] == [200] * 6, answers
    with Session(engine) as session:
        previous = [
            change["status"][0]
            for change in session.scalars(
                select(AuditEvent.changes).where(
                    AuditEvent.action == AuditAction.INPUT_WITHDRAWN,
                    AuditEvent.target_key == str(input_id),
                )
            )
        ]
    engine.dispose()
    assert sorted(previous) == [InputStatus.PUBLISHED.value] + [InputStatus.WITHDRAWN.value] * 5


def test_versions_saved_at_once_each_get_a_number_of_their_own(live_server: LiveServer) -> None:
    """Two editors saving the Chair's summary at the same moment: both versions kept, numbered
    in turn, none refused."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        # the live database has no analysis run to generate from: a summary as one would leave it
        process = get_process(session)
        summary = Summary(process_id=process.id, title="Chair's summary: saved at once")
        summary.versions.append(SummaryVersion(number=1, markdown="# Chair's summary\n"))
        session.add(summary)
        session.commit()
        summary_id = summary.id
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/summaries/{summary_id}/versions"
    answers = at_once(
        6, lambda i: post_json(url, {"markdown": f"# Chair's summary\n\nEdit {i}.\n"}, secretariat)
    )
    assert [status for status, _ in answers] == [201] * 6, answers
    assert sorted(json.loads(text)["number"] for _, text in answers) == [2, 3, 4, 5, 6, 7]
    with Session(engine) as session:
        numbers = session.scalars(
            select(SummaryVersion.number).where(SummaryVersion.summary_id == summary_id)
        ).all()
    engine.dispose()
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6, 7]
    assert audited(live_server.database_url, AuditAction.SUMMARY_SAVED, summary_id) == 6


def test_one_person_registered_several_times_at_once_is_registered_once(
    live_server: LiveServer,
) -> None:
    """A double click on "Register": one registration, the other click told it exists (409)."""
    mexico = live_server.tokens["mexico@gcm.example"]
    url = f"{live_server.url}/api/v1/meetings/puerto-vallarta-2017/registrations"
    body: dict[str, object] = {"actor": "MEX", "name": "Registered Twice At Once"}
    answers = at_once(8, lambda _: post_json(url, body, mexico))
    assert sorted(status for status, _ in answers) == [201] + [409] * 7, answers
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        registered = session.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.name == "Registered Twice At Once")
        )
    engine.dispose()
    assert registered == 1


def test_contributions_published_by_several_at_once_are_published_once(
    live_server: LiveServer,
) -> None:
    """Officers publishing the same practices at once: each published once, the others told
    (409)."""
    mexico = live_server.tokens["mexico@gcm.example"]
    practice_ids = []
    for n in range(3):
        status, text = post_json(
            f"{live_server.url}/api/v1/review/practices",
            {
                "title": f"One-stop centres for returning migrants, number {n}",
                "description": "Municipal one-stop centres give returning migrants advice on "
                "documents, work, schooling and health in one place, with follow-up visits.",
                "objectives": [21],
            },
            mexico,
        )
        assert status == 201, text
        practice_ids.append(json.loads(text)["id"])
    secretariat = live_server.tokens["secretariat@gcm.example"]
    answers = at_once(
        18,
        lambda i: post_json(
            f"{live_server.url}/api/v1/review/practices/{practice_ids[i % 3]}/publish",
            {},
            secretariat,
        ),
    )
    assert sorted(status for status, _ in answers) == [204] * 3 + [409] * 15, answers
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        published = session.scalars(
            select(AuditEvent.target_key).where(
                AuditEvent.action == AuditAction.CONTRIBUTION_PUBLISHED,
                AuditEvent.target_type == Practice.__tablename__,
                AuditEvent.target_key.in_([str(i) for i in practice_ids]),
            )
        ).all()
    engine.dispose()
    assert sorted(published, key=int) == [str(i) for i in practice_ids]


def test_pledge_statuses_reported_at_once_each_say_what_they_replaced(
    live_server: LiveServer,
) -> None:
    """Every report is kept, and each audit event's "from" is what the one before it set."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        pledge_id = session.scalar(
            select(Pledge.id).where(Pledge.published_at.is_not(None)).order_by(Pledge.id.desc())
        )
    assert pledge_id is not None
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/review/pledges/{pledge_id}/status"
    statuses = ["planned", "in_progress", "completed", "discontinued"]
    answers = at_once(
        8, lambda i: post_json(url, {"status": statuses[i % 4], "note": f"{i}"}, secretariat)
    )
    assert [status for status, _ in answers] == [200] * 8, answers
    with Session(engine) as session:
        changes = session.scalars(
            select(AuditEvent.changes)
            .where(
                AuditEvent.action == AuditAction.PLEDGE_STATUS_UPDATED,
                AuditEvent.target_key == str(pledge_id),
            )
            .order_by(AuditEvent.id)
        ).all()
        status = session.scalar(select(Pledge.status).where(Pledge.id == pledge_id))
    engine.dispose()
    assert len(changes) >= 8
    for earlier, later in itertools.pairwise(changes):
        assert later["from"] == earlier["to"]
    assert status == changes[-1]["to"]


def test_a_token_revoked_several_times_at_once_is_revoked_once(live_server: LiveServer) -> None:
    engine = create_db_engine(live_server.database_url)
    email = "mexico@gcm.example"
    with Session(engine) as session:
        issue_token(session, get_user(session, email), name="revoked at once", by=SYSTEM)
        token_id = session.scalar(select(ApiToken.id).where(ApiToken.name == "revoked at once"))
        revoked_before = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == AuditAction.TOKEN_REVOKED, AuditEvent.target_key == email)
        )
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/tokens/{token_id}"
    answers = at_once(10, lambda _: post_json(url, {}, secretariat, "DELETE"))
    assert [status for status, _ in answers] == [204] * 10, answers
    engine.dispose()
    assert audited(live_server.database_url, AuditAction.TOKEN_REVOKED, email) == revoked_before + 1


def signed_in_page_client(live_server: LiveServer, email: str) -> tuple[str, str]:
    """Sign in through the login page: the session cookie and the CSRF token of its pages."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{live_server.url}/login", timeout=60) as response:
        match = CSRF.search(response.read().decode())
    assert match
    form = {"csrf": match.group(1), "email": email, "password": DEMO_PASSWORD, "next": "/"}
    with opener.open(
        f"{live_server.url}/login", data=urllib.parse.urlencode(form).encode(), timeout=60
    ) as response:
        match = CSRF.search(response.read().decode())
    assert match
    return "; ".join(f"{c.name}={c.value}" for c in jar), match.group(1)


def post_form(url: str, form: list[tuple[str, object]], cookie: str) -> int:
    request = urllib.request.Request(  # noqa: S310  (a URL of the test server)
        url, data=urllib.parse.urlencode(form).encode(), headers={"Cookie": cookie}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_clusters_merged_by_several_at_once_are_merged_once(live_server: LiveServer) -> None:
    """Two officers merging the same clusters at once: one merge; the other finds a cluster
    merged away (404) instead of failing half-way."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        run, _ = run_analysis(session, get_process(session), by=SYSTEM)
        first, second = session.scalars(
            select(AnalysisCluster.number)
            .where(AnalysisCluster.run_id == run.id)
            .order_by(AnalysisCluster.number)
            .limit(2)
        ).all()
    cookie, csrf = signed_in_page_client(live_server, "secretariat@gcm.example")
    form: list[tuple[str, object]] = [
        ("csrf", csrf),
        ("numbers", first),
        ("numbers", second),
        ("label", "Merged at once"),
    ]
    url = f"{live_server.url}/analysis/clusters/merge"
    statuses = sorted(
        status for status, _ in at_once(6, lambda _: (post_form(url, form, cookie), ""))
    )
    assert statuses == [200] + [404] * 5, statuses
    with Session(engine) as session:
        merges = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == AuditAction.CLUSTER_EDITED,
                AuditEvent.target_key == f"{run.id}/{first}",
            )
        )
        left = session.scalar(
            select(func.count())
            .select_from(AnalysisCluster)
            .where(AnalysisCluster.run_id == run.id, AnalysisCluster.number == second)
        )
    engine.dispose()
    assert (merges, left) == (1, 0)


def test_an_element_edited_by_several_at_once_keeps_one_edit(live_server: LiveServer) -> None:
    """Editors saving the same paragraph from the same version: one edit, the others told (409)
    by the element's version, nothing lost unseen."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        targeted = select(Amendment.target_eid).where(Amendment.draft_id == DraftElement.draft_id)
        element = session.scalars(
            select(DraftElement)
            .where(DraftElement.kind == "paragraph", DraftElement.eid.not_in(targeted))
            .order_by(DraftElement.id.desc())
        ).first()
        assert element is not None
        draft_id, eid, version = element.draft_id, element.eid, element.version
        edits_before = audited(live_server.database_url, AuditAction.ELEMENT_EDITED, draft_id)
    secretariat = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/drafts/{draft_id}/elements/{eid}"
    answers = at_once(
        6,
        lambda i: post_json(
            url, {"version": version, "text": f"We commit, in words {i}."}, secretariat, "PATCH"
        ),
    )
    assert sorted(status for status, _ in answers) == [200] + [409] * 5, answers
    with Session(engine) as session:
        text = session.scalar(
            select(DraftElement.text).where(
                DraftElement.draft_id == draft_id, DraftElement.eid == eid
            )
        )
    engine.dispose()
    saved = next(json.loads(body)["text"] for status, body in answers if status == 200)
    assert text == saved
    assert (
        audited(live_server.database_url, AuditAction.ELEMENT_EDITED, draft_id) == edits_before + 1
    )


def test_a_submitter_editing_while_the_input_is_published_edits_only_before(
    live_server: LiveServer,
) -> None:
    """The submitter changes an input until it is published: of edits made at the moment the
    secretariat publishes it, those that come after the publication are refused (422)."""
    mexico = live_server.tokens["mexico@gcm.example"]
    secretariat = live_server.tokens["secretariat@gcm.example"]
    status, text = post_json(
        f"{live_server.url}/api/v1/inputs",
        {"text": "An input on consular protection, edited while it is published."},
        mexico,
    )
    assert status == 201, text
    input_id = json.loads(text)["id"]
    url = f"{live_server.url}/api/v1/inputs/{input_id}"

    def act(i: int) -> tuple[int, str]:
        if i == 4:
            return post_json(f"{url}/publish", {}, secretariat)
        return post_json(url, {"title": f"Retitled {i}"}, mexico, "PATCH")

    answers = at_once(10, act)
    assert {status for status, _ in answers} <= {200, 422}, answers
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        events = session.execute(
            select(AuditEvent.id, AuditEvent.action)
            .where(
                AuditEvent.target_type == "input",
                AuditEvent.target_key == str(input_id),
                AuditEvent.action.in_([AuditAction.INPUT_UPDATED, AuditAction.INPUT_PUBLISHED]),
            )
            .order_by(AuditEvent.id)
        ).all()
    engine.dispose()
    order = [action for _, action in events]
    published = order.index(AuditAction.INPUT_PUBLISHED)
    assert AuditAction.INPUT_UPDATED not in order[published:], order
    assert len(order) == sum(1 for status, _ in answers if status == 200)  # one event each


def test_a_cycle_and_a_report_made_several_times_at_once_are_made_once(
    live_server: LiveServer,
) -> None:
    """Opening the same review cycle, or sending the same voluntary report, at the same moment:
    one is stored and the others are told (409) by the key that refuses a second."""
    secretariat = live_server.tokens["secretariat@gcm.example"]
    cycle = {
        "slug": "opened-at-once",
        "title": "Review opened at once",
        "scope": "global",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
    }
    answers = at_once(
        6, lambda _: post_json(f"{live_server.url}/api/v1/review/cycles", cycle, secretariat)
    )
    assert sorted(status for status, _ in answers) == [201] + [409] * 5, answers
    report = {
        "objective": 21,
        "text": "Mexico reports on objective 21 for this cycle: reintegration programmes in "
        "twelve states, with municipal one-stop centres and follow-up visits.",
    }
    url = f"{live_server.url}/api/v1/review/cycles/opened-at-once/reports"
    mexico = live_server.tokens["mexico@gcm.example"]
    answers = at_once(6, lambda _: post_json(url, report, mexico))
    assert sorted(status for status, _ in answers) == [201] + [409] * 5, answers
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        reports = session.scalar(
            select(func.count())
            .select_from(VoluntaryReport)
            .join(ReviewCycle)
            .where(ReviewCycle.slug == "opened-at-once")
        )
    engine.dispose()
    assert reports == 1


def test_the_compilation_document_asked_for_several_times_at_once_is_made_by_one_job_at_a_time(
    live_server: LiveServer,
) -> None:
    """Eight clicks at once on the compilation's Word button, by one secretariat officer: each is
    answered with a job, and no two jobs for the same draft are ever at work together (the askers
    take their turn on the draft's row; a click that finds a job waiting or at work follows it)."""
    from stocktake.core.jobs.models import Job
    from stocktake.negotiation.jobs import COMPILATION_DOCX_JOB

    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        draft_id = session.scalar(select(func.min(Draft.id)))
        before = session.scalar(select(func.max(Job.id))) or 0
    token = live_server.tokens["secretariat@gcm.example"]
    url = f"{live_server.url}/api/v1/drafts/{draft_id}/compilation/docx"
    answers = at_once(8, lambda _: post_json(url, {}, token))
    assert {status for status, _ in answers} <= {201, 202}, answers
    answered = {json.loads(text)["job_id"] for _, text in answers}
    deadline = time.monotonic() + 60
    with Session(engine) as session:
        while True:
            jobs = list(
                session.scalars(
                    select(Job)
                    .where(Job.kind == COMPILATION_DOCX_JOB, Job.id > before)
                    .order_by(Job.id)
                )
            )
            if all(job.finished_at for job in jobs) or time.monotonic() > deadline:
                break
            session.expire_all()
            time.sleep(0.2)
    engine.dispose()
    assert {job.id for job in jobs} == answered  # no job that nobody was told of
    for earlier, later in itertools.pairwise(jobs):
        assert earlier.finished_at is not None, earlier.id
        assert later.created_at >= earlier.finished_at, (earlier.id, later.id)
    assert all(job.state == "done" for job in jobs), [(job.id, job.reason) for job in jobs]


REPORTED_ROWS = b"Year,Value\n2016,7.9\n2017,7.4\n2018,7.2\n"


def _send_file(url: str, token: str, content: bytes) -> tuple[int, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="data.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(  # noqa: S310  (a URL of the test server)
        url,
        data=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": f"Bearer {token}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


def _observations_of_mexico(session: Session, code: str) -> tuple[int, int, int]:
    """Mexico's observations of the indicator, its records for Mexico, and indicators so coded."""
    indicators = session.scalar(
        select(func.count()).select_from(Indicator).where(Indicator.code == code)
    )
    indicator = session.scalar(select(Indicator.id).where(Indicator.code == code))
    observations = session.scalar(
        select(func.count())
        .select_from(Observation)
        .where(Observation.indicator_id == indicator, Observation.geography == "MEX")
    )
    records = session.scalar(
        select(func.count())
        .select_from(CountryIndicator)
        .where(CountryIndicator.indicator_id == indicator, CountryIndicator.geography == "MEX")
    )
    return observations or 0, records or 0, indicators or 0


def test_reports_sent_at_once_store_one_files_rows(live_server: LiveServer) -> None:
    """A delegation's indicator data sent six times at once: each report replaces the country's
    observations whole, so one file's rows are stored, never two files' side by side, and an
    indicator first reported by several at once is added once (on PostgreSQL, without the
    indicator's lock, some answered 409)."""
    token = live_server.tokens["mexico@gcm.example"]
    engine = create_db_engine(live_server.database_url)
    # a stored indicator, and one of the framework that no report has added yet
    for code, dashed in (("10.c.1", "10-c-1"), ("3.1.1", "3-1-1")):
        url = f"{live_server.url}/api/v1/review/indicators/{code}/observations"
        answers = at_once(6, lambda _, url=url: _send_file(url, token, REPORTED_ROWS))
        assert {status for status, _ in answers} == {201}, answers
        with Session(engine) as session:
            assert _observations_of_mexico(session, dashed) == (3, 1, 1), code
    engine.dispose()
