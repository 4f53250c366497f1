"""Sunshine (阳光招生): open, verifiable compulsory-education admissions."""

__version__ = "0.1.0"
