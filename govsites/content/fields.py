"""Model fields of the content app."""

from __future__ import annotations

from typing import Any

from wagtail.fields import RichTextField

from .richtext import sanitise_rich_text


class SanitisedRichTextField(RichTextField):
    """A rich-text field that stores only what the allow-list keeps (richtext.py).

    pre_save() is the one place every write passes: Model.save() (whatever `clean` says),
    bulk_create(), and Wagtail's revisions, whose content is serialised through pre_save() too
    (modelcluster). The instance carries the sanitised value afterwards.
    """

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = sanitise_rich_text(value)
            setattr(model_instance, self.attname, value)
        return value
