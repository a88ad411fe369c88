"""Notifications: what a signed-in user hears of (a new revision, a Chair's summary published, an
input of theirs moderated, an amendment of theirs decided, a pledge of theirs confirmed, a meeting
they are registered for changed), in the site, by e-mail at once or in a daily digest, in their
language; the outbox the e-mails wait in and the SMTP sender that delivers them."""
