from __future__ import annotations

import datetime as dt
import threading
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stocktake.core.db import Base, Timestamped
from stocktake.process.definition import ProcessDefinition


class NamesProcessKeys:
    """A table of another domain whose rows name a process's phases or terms by key, each row under
    the process (`process_id`). `load_process` refuses a definition that drops a key still named.

    The tables say so themselves, so that the process, below them, imports none of them:
    `process_keys` maps a column to its vocabulary ("phases" for the phases) and the word for one
    key; `process_key_owner` and `process_key_label` name a row in the refusal."""

    process_keys: ClassVar[dict[str, tuple[str, str]]] = {}
    process_key_owner: ClassVar[str] = "row"
    process_key_label: ClassVar[str] = "id"
    process_key_parent: ClassVar[str] = "process_id"


def names_process_keys() -> list[type[NamesProcessKeys]]:
    """Every model that names a process's keys, among the models imported (the app and the
    commands import them all)."""
    found: list[type[NamesProcessKeys]] = []
    pending = list(NamesProcessKeys.__subclasses__())
    while pending:
        model = pending.pop(0)
        found.append(model)
        pending += model.__subclasses__()
    return found


READ_KEPT = 8
"""The most definitions `Process.read_definition` keeps read, oldest dropped first."""
_READ: dict[int, tuple[dict[str, Any], ProcessDefinition]] = {}
_READ_LOCK = threading.Lock()


class Process(Timestamped, Base):
    __tablename__ = "process"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(40))
    mandate: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    phases: Mapped[list[Phase]] = relationship(
        back_populates="process", order_by="Phase.position", cascade="all, delete-orphan"
    )
    terms: Mapped[list[Term]] = relationship(
        back_populates="process", order_by="Term.position", cascade="all, delete-orphan"
    )

    def read_definition(self) -> ProcessDefinition:
        """The definition the process was last loaded from, as stored with it. Tables added to the
        format since then read as left out until the file is loaded again.

        Read once per stored definition object: the pages' copies of the kept process
        (`services.kept`) share it, so a page does not validate the whole definition again (the
        definition is frozen, and the stored JSON is replaced, never changed in place)."""
        raw = self.definition
        with _READ_LOCK:
            found = _READ.get(id(raw))
        if found is not None and found[0] is raw:
            return found[1]
        definition = ProcessDefinition.model_validate(raw)
        with _READ_LOCK:
            _READ[id(raw)] = (raw, definition)  # holding raw: its id is not reused meanwhile
            while len(_READ) > READ_KEPT:
                del _READ[next(iter(_READ))]
        return definition

    def titled(self, text: str, language: str) -> str:
        """`text` (a draft's or a paper's title) in `language` where it is the process's name and
        the definition gives that name in the language (`[process.names]`); else as written."""
        info = self.read_definition().process
        given = info.names.model_dump() if info.names else {}
        names = {"en": info.name, **{k: v for k, v in given.items() if v}}
        key = " ".join(text.split()).casefold()
        if any(key == " ".join(name.split()).casefold() for name in names.values()):
            return names.get(language) or text
        return text

    def vocabulary(self, name: str) -> list[Term]:
        return [term for term in self.terms if term.vocabulary == name]

    def term_name(self, vocabulary: str, key: str) -> str:
        for term in self.vocabulary(vocabulary):
            if term.key == key:
                return term.name
        return key

    def phase_on(self, day: dt.date) -> Phase | None:
        return next((p for p in self.phases if p.start_date <= day <= p.end_date), None)


class Phase(Base):
    __tablename__ = "phase"
    __table_args__ = (UniqueConstraint("process_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")

    process: Mapped[Process] = relationship(back_populates="phases")


class Term(Base):
    """One entry of a process vocabulary: a dimension, input type, actor kind,
    stakeholder category or meeting type, with its names in the official languages."""

    __tablename__ = "process_term"
    __table_args__ = (UniqueConstraint("process_id", "vocabulary", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    vocabulary: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(Text, default="")

    process: Mapped[Process] = relationship(back_populates="terms")
