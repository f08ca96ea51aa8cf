"""Pure extractors: text or bytes in, typed span records out. No I/O outside resources.py."""

__version__ = "0.1.0"
