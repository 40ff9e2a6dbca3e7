"""Helpers the test suite shares: an SMTP listener and browser utilities."""
