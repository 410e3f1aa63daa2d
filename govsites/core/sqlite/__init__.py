"""The embedded mode's database backend: Django's SQLite backend with write transactions queued
inside the process (see base.py)."""
