"""Reads for accounts."""
