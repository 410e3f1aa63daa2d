"""Builders for the disclosure tests: a body, staff with roles, and requests on set dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group

from govsites import testing
from govsites.accounts.roles import Role, group_name

from .. import services
from ..identity import Applicant
from ..models import DisclosureBody, DisclosureRequest

ID_NUMBER = "11010519491231002X"  # a valid check digit (GB 11643 example)


def make_body(organisation: Any = None, **fields: Any) -> DisclosureBody:
    org = organisation or testing.make_organisation("示例市教育局", kind="department")
    defaults = {"office_name": "示例市教育局办公室", "address": "示例市学府路8号",
                "office_hours": "工作日9:00-12:00，14:00-17:30", "phone": "0753-2345678"}
    defaults.update(fields)
    return services.save_body(organisation=org, acting_user=None, **defaults)


def make_staff(body: DisclosureBody, username: str, *roles: Role) -> Any:
    from govsites.accounts.models import User

    user = User.objects.create_user(username, password="Pass@2026word", real_name=username,
                                    mobile="13800000000", organisation=body.organisation)
    for role in roles:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        user.groups.add(group)
    return user


def applicant(name: str = "张三", id_number: str = ID_NUMBER, **extra: str) -> Applicant:
    return Applicant(name=name, id_type="resident_id", id_number=id_number,
                     phone=extra.get("phone", "13912345678"), email=extra.get("email", ""),
                     address=extra.get("address", ""))


def content(description: str = "2026年义务教育阶段学校招生计划",
            document_number: str = "", method: str = "download") -> services.RequestContent:
    return services.RequestContent(description=description, document_number=document_number,
                                   delivery_form="electronic", delivery_method=method)


def registered(body: DisclosureBody, user: Any, received_on: dt.date, *,
               person: Applicant | None = None, applicant_type: str = "natural_person",
               subtype: str = "", description: str = "2026年义务教育阶段学校招生计划",
               method: str = "inspection") -> DisclosureRequest:
    return services.register_request(
        body=body, acting_user=user, channel="in_person", received_on=received_on,
        applicant_type=applicant_type, organisation_subtype=subtype,
        applicant=person or applicant(), content=content(description, method=method))
