"""The notifications' actions and queries: what a user chose to hear of, telling users of a step
(`events`), their notifications in the site (`inbox`) and the outbox of e-mails (`outbox`)."""

from stocktake.notifications.services.events import (
    Audience,
    active_users,
    everyone,
    notify,
    users_of_actors,
)
from stocktake.notifications.services.inbox import list_notifications, mark_read, unread_count
from stocktake.notifications.services.outbox import (
    claim,
    deliver_due,
    outbox_counts,
    queue_digests,
    retry_after,
)
from stocktake.notifications.services.preferences import (
    Choice,
    Preferences,
    choose_language,
    language_of,
    read_preferences,
    save_preferences,
    unsubscribe,
)

__all__ = [
    "Audience",
    "Choice",
    "Preferences",
    "active_users",
    "choose_language",
    "claim",
    "deliver_due",
    "everyone",
    "language_of",
    "list_notifications",
    "mark_read",
    "notify",
    "outbox_counts",
    "queue_digests",
    "read_preferences",
    "retry_after",
    "save_preferences",
    "unread_count",
    "unsubscribe",
    "users_of_actors",
]
