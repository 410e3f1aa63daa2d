"""A recording SMS gateway for tests: select it with GOVSITES_SMS_GATEWAY and read `sent`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Sms:
    mobile: str
    text: str


class RecordingSmsGateway:
    """Keeps every text it is asked to send (class-level, so each instance shares one list)."""

    sent: ClassVar[list[Sms]] = []

    def send(self, *, mobile: str, text: str) -> None:
        RecordingSmsGateway.sent.append(Sms(mobile=mobile, text=text))

    @classmethod
    def reset(cls) -> None:
        cls.sent.clear()


class FailingSmsGateway:
    """A gateway that is down."""

    def send(self, *, mobile: str, text: str) -> None:
        raise ConnectionError("SMS gateway unavailable")
