"""The applicant's identity data (条例第29条第1项): validation, encryption, masking.

The plain data exists only in memory: forms hand it to services, services encrypt it
(crypto.py) before anything is saved, and staff screens decrypt it for display.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import crypto
from .choices import ApplicantType, IdType

_RESIDENT_ID = re.compile(r"^[1-9]\d{16}[0-9X]$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Applicant:
    """Who asks: name, 身份证明 and contacts (an organisation also names its contact person)."""

    name: str
    id_type: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    contact_person: str = ""

    def normalised(self) -> Applicant:
        return Applicant(name=self.name.strip(), id_type=self.id_type,
                         id_number=self.id_number.strip().upper(), phone=self.phone.strip(),
                         email=self.email.strip(), address=self.address.strip(),
                         postcode=self.postcode.strip(),
                         contact_person=self.contact_person.strip())


def _resident_id_ok(number: str) -> bool:
    if not _RESIDENT_ID.match(number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def validate(applicant: Applicant, applicant_type: str) -> Applicant:
    """Return the normalised applicant or raise ValidationError naming each bad field."""
    a = applicant.normalised()
    errors: dict[str, str] = {}
    if not a.name:
        errors["name"] = _("请填写申请人姓名或名称。")
    if a.id_type not in IdType.values:
        errors["id_type"] = _("请选择身份证明类型。")
    elif not a.id_number:
        errors["id_number"] = _("请填写身份证明号码。")
    elif a.id_type == IdType.RESIDENT_ID and not _resident_id_ok(a.id_number):
        errors["id_number"] = _("居民身份证号码应为18位且校验位正确。")
    elif a.id_type == IdType.CREDIT_CODE and not _CREDIT_CODE.match(a.id_number):
        errors["id_number"] = _("统一社会信用代码应为18位。")
    if applicant_type == ApplicantType.LEGAL_PERSON:
        if a.id_type not in ("", IdType.CREDIT_CODE, IdType.OTHER_ID):
            errors["id_type"] = _("法人或其他组织请填写统一社会信用代码或其他证照号码。")
        if not a.contact_person:
            errors["contact_person"] = _("法人或其他组织请填写联系人姓名。")
    if not a.phone and not a.email and not a.address:
        errors["phone"] = _("请至少填写一种联系方式（电话、电子邮箱或通信地址）。")
    if a.phone and not _PHONE.match(a.phone):
        errors["phone"] = _("联系电话格式不正确。")
    if a.email and not _EMAIL.match(a.email):
        errors["email"] = _("电子邮箱格式不正确。")
    if errors:
        raise ValidationError(errors)
    return a


def seal(applicant: Applicant) -> tuple[str, str]:
    """Return (ciphertext, applicant key) for storage."""
    return crypto.encrypt(asdict(applicant)), crypto.applicant_key(applicant.id_type,
                                                                    applicant.id_number)


def mask_name(name: str) -> str:
    """Show a name with all but its first character hidden (张** ), for lists."""
    name = name.strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * min(len(name) - 1, 3)
