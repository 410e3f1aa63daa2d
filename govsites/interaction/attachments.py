"""Files sent with a message: checked by type (magic bytes, not the name), size and count before
anything is saved, screened like the text, and sealed with SM4 at rest."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

#: Accepted types: the file must start with the signature of its extension's type.
SIGNATURES = {".pdf": (b"%PDF-", "application/pdf"), ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
              ".jpg": (b"\xff\xd8\xff", "image/jpeg"), ".jpeg": (b"\xff\xd8\xff", "image/jpeg")}


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    content_type: str = ""


def limits() -> tuple[int, int]:
    """How many files a message may carry, and the most bytes each (operator settings)."""
    return (int(getattr(settings, "GOVSITES_INTERACTION_MAX_ATTACHMENTS", 3)),
            int(getattr(settings, "GOVSITES_INTERACTION_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)))


def check(uploads: list[Upload]) -> list[Upload]:
    """Return the uploads with their content types, or raise one ValidationError naming each problem."""
    count, max_bytes = limits()
    problems = []
    if len(uploads) > count:
        problems.append(f"最多上传 {count} 个附件。")
    checked = []
    for upload in uploads:
        name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:120]
        extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        signature = SIGNATURES.get(extension)
        if signature is None or not upload.data.startswith(signature[0]):
            problems.append(f"附件“{name}”不是 PDF、PNG 或 JPG 文件。")
        elif len(upload.data) > max_bytes:
            problems.append(f"附件“{name}”超过 {max_bytes // (1024 * 1024)} MB。")
        else:
            checked.append(Upload(name, upload.data, signature[1]))
    if problems:
        raise ValidationError({"attachments": problems})
    return checked
