"""Meetings of a process, the participants registered for them and who attended."""
