"""The words the analysis pages show for what is stored as a key (a run's status and stage, an
actor's region and regional group), each marked for the catalogs and translated on the page."""

from __future__ import annotations

from stocktake.web.languages import translatable
from stocktake.web.templating import templates

RUN_STATUS_NAMES = {
    "running": translatable("running"),
    "completed": translatable("completed"),
    "failed": translatable("failed"),
}

RUN_STAGE_NAMES = {
    "queued": translatable("queued"),
    "loading": translatable("loading the inputs"),
    "vectors": translatable("reading the meaning of the texts"),
    "duplicates": translatable("finding duplicates"),
    "meaning": translatable("grouping texts of the same meaning"),
    "tags": translatable("tagging"),
    "links": translatable("linking to the SDGs"),
    "clusters": translatable("clustering"),
    "divergences": translatable("finding divergences"),
    "storing": translatable("storing the results"),
    "done": translatable("done"),
    "failed": translatable("failed"),
}

# the regions of the UN's M49 standard, as the registry stores them
REGION_NAMES = {
    "Africa": translatable("Africa"),
    "Americas": translatable("Americas"),
    "Asia": translatable("Asia"),
    "Europe": translatable("Europe"),
    "Oceania": translatable("Oceania"),
}

# the five regional groups of Member States (registry.models.REGIONAL_GROUPS), by their names
REGIONAL_GROUP_NAMES = (
    translatable("African States"),
    translatable("Asia-Pacific States"),
    translatable("Eastern European States"),
    translatable("Latin American and Caribbean States"),
    translatable("Western European and other States"),
)

templates.env.globals.update(
    RUN_STATUS_NAMES=RUN_STATUS_NAMES,
    RUN_STAGE_NAMES=RUN_STAGE_NAMES,
    REGION_NAMES=REGION_NAMES,
)
