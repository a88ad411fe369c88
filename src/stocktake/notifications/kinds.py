"""The kinds of news a user may hear of, their names, and how each is heard when the user has not
chosen (docs/notifications.md)."""

from __future__ import annotations

import enum

from stocktake.core.translation import translatable
from stocktake.notifications.models import Delivery


class Kind(enum.StrEnum):
    REVISION = "revision"  # a new revision of a draft, issued or published
    SUMMARY = "summary"  # a Chair's summary published
    INPUT = "input"  # an input of theirs published or withdrawn by the secretariat
    AMENDMENT = "amendment"  # an amendment their delegation sponsors decided
    PLEDGE = "pledge"  # a pledge of theirs confirmed by a partner
    MEETING = "meeting"  # a meeting their delegation is registered for changed


DIGEST = "digest"
"""What an unsubscribe link of a daily digest names: every kind heard in the digest."""

NAMES = {
    Kind.REVISION: translatable("A new revision of a draft"),
    Kind.SUMMARY: translatable("A Chair's summary published"),
    Kind.INPUT: translatable("An input of mine published or withdrawn"),
    Kind.AMENDMENT: translatable("A decision on an amendment we sponsor"),
    Kind.PLEDGE: translatable("A partner's confirmation of a pledge of ours"),
    Kind.MEETING: translatable("A change to a meeting we are registered for"),
}

DELIVERY_NAMES = {
    Delivery.NOW: translatable("E-mail at once"),
    Delivery.DIGEST: translatable("Daily digest"),
    Delivery.NONE: translatable("No e-mail"),
}

DEFAULTS: dict[Kind, tuple[Delivery, bool]] = {
    # what concerns the user's own work comes by e-mail at once; news of the whole process (a
    # revision, a summary) is shown in the site, and by e-mail only to whoever asks for it
    Kind.REVISION: (Delivery.NONE, True),
    Kind.SUMMARY: (Delivery.NONE, True),
    Kind.INPUT: (Delivery.NOW, True),
    Kind.AMENDMENT: (Delivery.NOW, True),
    Kind.PLEDGE: (Delivery.NOW, True),
    Kind.MEETING: (Delivery.NOW, True),
}
"""Each kind's e-mail delivery and whether it shows in the site, for a user who has not chosen."""


class Said:
    """What each step says, in English (the catalogs' keys), with its values named."""

    REVISION_ISSUED = translatable("%(label)s of “%(title)s” was issued.")
    REVISION_PUBLISHED = translatable("%(label)s of “%(title)s” was published.")
    SUMMARY_PUBLISHED = translatable(
        "Version %(number)s of the Chair's summary “%(title)s” was published."
    )
    INPUT_PUBLISHED = translatable("Your input “%(title)s” was published.")
    INPUT_WITHDRAWN = translatable(
        "Your input “%(title)s” was withdrawn by the secretariat: %(reason)s"
    )
    AMENDMENT_DECIDED = translatable("Amendment %(label)s to “%(title)s” is now %(status)s.")
    PLEDGE_CONFIRMED = translatable(
        "%(partner)s confirmed that it is a partner of your pledge “%(title)s”."
    )
    MEETING_CHANGED = translatable("“%(title)s” has changed: %(dates)s, %(place)s.")
    MEETING_CANCELLED = translatable("“%(title)s” was cancelled.")
