from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from stocktake.notifications.kinds import Kind
from stocktake.notifications.models import Delivery


class KindSettingIO(BaseModel):
    kind: Kind
    email: Delivery = Field(description="now: an e-mail at once; digest: in the daily digest; none")
    in_app: bool = Field(description="Shown on the user's notifications page")


class NotificationSettingsIO(BaseModel):
    language: str | None = Field(
        None,
        description=(
            "The language of the user's e-mails and notifications (ar, en, es, fr, ru, zh); "
            'null: the process\'s default. On PUT, omitted: unchanged; "": the default.'
        ),
    )
    kinds: list[KindSettingIO] = Field(default_factory=list)


class NotificationOut(BaseModel):
    id: int
    kind: str
    text: str = Field(description="What happened, in the user's language")
    link: str = Field(description="The page it is about, a path on this site")
    created_at: dt.datetime
    read: bool


class NotificationsOut(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int
    page: int
    page_size: int


class MarkReadIn(BaseModel):
    ids: list[int] | None = Field(
        None, max_length=1000, description="The notifications to mark read; null: all of them"
    )


class MarkedOut(BaseModel):
    marked: int
