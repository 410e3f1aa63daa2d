"""The `govsites` console script: the project's manage.py."""

import os
import sys


def main() -> None:
    """Run a Django management command with the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsites.config.settings.base")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings, which refuse unsafe starts)
    except ImproperlyConfigured as refusal:
        sys.stderr.write(f"govsites: 配置错误，未启动。\n{refusal}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
