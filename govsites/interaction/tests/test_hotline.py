"""IA-09: messages pushed to the 12345 hotline, retried when it fails, its results received."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites.core.models import AuditRecord, NotificationDelivery
from govsites.interaction import hotline, services
from govsites.interaction.error_reports import ImportRejected
from govsites.interaction.hotline_gateways import HotlineMessage, HotlineReceipt
from govsites.interaction.models import EnquiryEvent, HotlineForward

from .conftest import write

pytestmark = pytest.mark.django_db
FAILING = "govsites.interaction.tests.test_hotline.FailingGateway"
FILE = "govsites.interaction.hotline_gateways.FileHotlineGateway"
HTTP = "govsites.interaction.hotline_gateways.HttpHotlineGateway"


class FailingGateway:
    """A hotline that is down."""

    def forward(self, *, message: HotlineMessage) -> HotlineReceipt:
        raise ConnectionRefusedError("12345 interface down")


def _meizhou() -> None:
    from govsites.rules.services import choose_variant

    choose_variant(variant="meizhou-2021", site=None, reason="梅州", acting_user=None)


@pytest.fixture
def pushes(settings: Any, tmp_path: Path) -> Path:
    settings.GOVSITES_HOTLINE_GATEWAY = FILE
    settings.GOVSITES_HOTLINE_FILE = str(tmp_path / "pushes.jsonl")
    return tmp_path / "pushes.jsonl"


def _submit(mailbox: Any, capture: Any, **fields: Any) -> Any:
    with capture(execute=True):
        return write(mailbox, **fields).enquiry


def test_under_meizhou_a_message_is_pushed_to_12345_and_the_push_is_in_its_history(
        mailbox: Any, pushes: Path, django_capture_on_commit_callbacks: Any) -> None:
    _meizhou()
    enquiry = _submit(mailbox, django_capture_on_commit_callbacks)
    due = enquiry.reply_due
    forward = HotlineForward.objects.get(enquiry=enquiry)
    assert forward.status == "forwarded" and forward.ticket_number == f"DEV-{enquiry.query_code}"
    assert EnquiryEvent.objects.filter(enquiry=enquiry, kind="hotline_forwarded").exists()
    record = AuditRecord.objects.get(action="interaction.enquiry.hotline_forward")
    assert record.details["ticket_number"] == forward.ticket_number
    written = pushes.read_text(encoding="utf-8")
    assert enquiry.query_code in written and "13812345678" not in written
    enquiry.refresh_from_db()
    assert enquiry.reply_due == due


def test_nationally_a_message_is_pushed_only_when_its_mailbox_asks(
        mailbox: Any, pushes: Path, django_capture_on_commit_callbacks: Any) -> None:
    _submit(mailbox, django_capture_on_commit_callbacks)
    assert not HotlineForward.objects.exists()
    mailbox.hotline_forwarding = "on"
    mailbox.save()
    _submit(mailbox, django_capture_on_commit_callbacks)
    assert HotlineForward.objects.filter(status="forwarded").count() == 1
    _meizhou()
    mailbox.hotline_forwarding = "off"
    mailbox.save()
    _submit(mailbox, django_capture_on_commit_callbacks)
    assert HotlineForward.objects.count() == 1


def test_a_held_message_is_pushed_only_when_a_person_releases_it(
        mailbox: Any, clerk: Any, pushes: Path, django_capture_on_commit_callbacks: Any) -> None:
    from govsites.screening.selectors import current_screener

    _meizhou()
    term = next(t for t in current_screener().ruleset.terms if t.category == "gambling")
    held = _submit(mailbox, django_capture_on_commit_callbacks,
                   content=f"有人在小区开设{term.text}，请查处。")
    assert held.status == "held" and not HotlineForward.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.release_enquiry(enquiry=held, acting_user=clerk)
    assert HotlineForward.objects.get(enquiry=held).status == "forwarded"


def test_a_failed_push_is_kept_retried_alerted_and_sent_when_the_hotline_is_back(
        mailbox: Any, clerk: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    _meizhou()
    settings.GOVSITES_HOTLINE_GATEWAY = FAILING
    enquiry = _submit(mailbox, django_capture_on_commit_callbacks)
    forward = HotlineForward.objects.get(enquiry=enquiry)
    assert (forward.status, forward.attempts) == ("pending", 1)
    assert "12345 interface down" in forward.last_error
    later = timezone.now()
    for _round in range(3):
        later += dt.timedelta(hours=7)
        assert hotline.retry_due_forwards(now=later) == 1
    forward.refresh_from_db()
    assert (forward.status, forward.attempts, forward.alerted) == ("pending", 4, True)
    alerts = NotificationDelivery.objects.filter(kind=hotline.HOTLINE_FAILED)
    assert list(alerts.values_list("recipient", flat=True)) == [clerk.pk]
    assert AuditRecord.objects.filter(action="interaction.enquiry.hotline_failed").count() == 4
    assert hotline.retry_due_forwards(now=later) == 0  # not due again yet
    settings.GOVSITES_HOTLINE_GATEWAY = "govsites.interaction.hotline_gateways.ConsoleHotlineGateway"
    assert hotline.retry_due_forwards(now=later + dt.timedelta(hours=7)) == 1
    forward.refresh_from_db()
    assert forward.status == "forwarded" and forward.last_error == ""


class _Hotline(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hotline.received.append({"auth": self.headers.get("Authorization"),
                                  "body": json.loads(body)})
        answer = json.dumps({"ticket_number": "MZ12345-0001"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hotline_server(settings: Any) -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Hotline)
    _Hotline.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GOVSITES_HOTLINE_GATEWAY = HTTP
    settings.GOVSITES_HOTLINE_URL = f"http://127.0.0.1:{server.server_port}/push"
    settings.GOVSITES_HOTLINE_TOKEN = "t0ken"
    yield settings.GOVSITES_HOTLINE_URL
    server.shutdown()
    server.server_close()


def test_the_http_gateway_posts_inside_the_allowed_networks_and_keeps_the_ticket(
        mailbox: Any, settings: Any, hotline_server: str,
        django_capture_on_commit_callbacks: Any) -> None:
    _meizhou()
    settings.GOVSITES_HOTLINE_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    enquiry = _submit(mailbox, django_capture_on_commit_callbacks)
    assert HotlineForward.objects.get(enquiry=enquiry).ticket_number == "MZ12345-0001"
    [call] = _Hotline.received
    assert call["auth"] == "Bearer t0ken"
    assert call["body"]["query_code"] == enquiry.query_code
    assert call["body"]["writer_mobile"] == "13812345678"  # the hotline calls the writer back


def test_the_http_gateway_refuses_an_address_outside_the_allowed_networks(
        mailbox: Any, settings: Any, hotline_server: str,
        django_capture_on_commit_callbacks: Any) -> None:
    _meizhou()
    settings.GOVSITES_HOTLINE_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    enquiry = _submit(mailbox, django_capture_on_commit_callbacks)
    forward = HotlineForward.objects.get(enquiry=enquiry)
    assert forward.status == "pending" and "GOVSITES_HOTLINE_ALLOWED_NETWORKS" in forward.last_error
    assert _Hotline.received == []


def _result(enquiry: Any, **overrides: Any) -> dict[str, Any]:
    data = {"query_code": enquiry.query_code, "ticket_number": f"DEV-{enquiry.query_code}",
            "result": "经12345热线转市教育局办理：报名时间为7月1日至7月10日。",
            "replied_at": "2026-11-03T10:00:00+08:00"}
    data.update(overrides)
    return data


def test_the_hotline_result_comes_back_by_callback_and_is_published_after_approval(
        client: Any, mailbox: Any, clerk: Any, approver: Any, settings: Any, pushes: Path,
        django_capture_on_commit_callbacks: Any) -> None:
    _meizhou()
    settings.GOVSITES_HOTLINE_CALLBACK_TOKEN = "cb-secret"
    settings.GOVSITES_HOTLINE_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    enquiry = _submit(mailbox, django_capture_on_commit_callbacks)
    due = enquiry.reply_due
    url = "/interact/hotline/results"
    body = json.dumps(_result(enquiry))
    refused = client.post(url, body, content_type="application/json",
                          headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 403
    bad = client.post(url, json.dumps(_result(enquiry, replied_at="昨天")),
                      content_type="application/json",
                      headers={"Authorization": "Bearer cb-secret"})
    assert bad.status_code == 400 and "答复时间" in bad.json()["error"]["message"]
    assert HotlineForward.objects.get(enquiry=enquiry).status == "forwarded"
    ok = client.post(url, body, content_type="application/json",
                     headers={"Authorization": "Bearer cb-secret"})
    assert ok.status_code == 200 and ok.json() == {"recorded": True}
    again = client.post(url, body, content_type="application/json",
                        headers={"Authorization": "Bearer cb-secret"})
    assert again.json() == {"recorded": False}
    assert EnquiryEvent.objects.filter(enquiry=enquiry, kind="hotline_replied").count() == 1
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    reply = hotline.adopt_hotline_result(enquiry=enquiry, acting_user=clerk)
    services.approve_reply(reply=reply, acting_user=approver)
    enquiry.refresh_from_db()
    assert enquiry.status == "replied" and enquiry.reply_due == due
    assert "7月1日至7月10日" in enquiry.replies.get().body


def test_a_result_for_a_message_never_pushed_is_refused(mailbox: Any) -> None:
    enquiry = write(mailbox).enquiry
    with pytest.raises(ValidationError, match="没有推送过12345热线"):
        hotline.receive_hotline_result(acting_user=None, data=_result(enquiry))


def test_an_import_of_results_with_a_bad_line_is_rejected_whole(
        mailbox: Any, pushes: Path, django_capture_on_commit_callbacks: Any) -> None:
    _meizhou()
    first = _submit(mailbox, django_capture_on_commit_callbacks)
    second = _submit(mailbox, django_capture_on_commit_callbacks, subject="第二条留言")
    rows = [_result(first), _result(second, ticket_number="OTHER-1")]
    with pytest.raises(ImportRejected) as refused:
        hotline.import_hotline_results(data=json.dumps(rows).encode(), filename="r.json",
                                       acting_user=None)
    assert any(line.startswith("第2行") for line in refused.value.lines)
    assert not HotlineForward.objects.filter(status="replied").exists()
    csv_text = "query_code,ticket_number,result,replied_at\n" + "".join(
        f"{r['query_code']},{r['ticket_number']},{r['result']},{r['replied_at']}\n"
        for r in (_result(first), _result(second)))
    outcome = hotline.import_hotline_results(data=csv_text.encode(), filename="r.csv",
                                             acting_user=None)
    assert (outcome.recorded, outcome.unchanged) == (2, 0)
    again = hotline.import_hotline_results(data=csv_text.encode(), filename="r.csv",
                                           acting_user=None)
    assert (again.recorded, again.unchanged) == (0, 2)
