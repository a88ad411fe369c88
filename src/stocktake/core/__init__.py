"""Shared core: storage, errors, permissions and the principal who acts."""
