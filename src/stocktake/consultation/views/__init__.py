"""Consultation pages: one router holding the routes of the moderation queue, the inputs and the
drafts (the routes themselves, so that the authorisation matrix sees every one)."""

from fastapi import APIRouter

from stocktake.consultation.views import drafts, inputs, moderation

router = APIRouter(include_in_schema=False)
# the queue first: /inputs/queue is not an input id
router.routes.extend([*moderation.router.routes, *inputs.router.routes, *drafts.router.routes])
