"""The words the analysis pages show for what is stored as a key (a run's status and stage, an
actor's region and regional group), each marked for the catalogs and translated on the page."""

from __future__ import annotations

from stocktake.web.languages import translatable
from stocktake.web.names import REGIONS
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

# the regions of the UN's M49 standard and the regional groups are named in `stocktake.web.names`
# (REGIONS, REGIONAL_GROUPS), which every area's pages share

templates.env.globals.update(
    RUN_STATUS_NAMES=RUN_STATUS_NAMES,
    RUN_STAGE_NAMES=RUN_STAGE_NAMES,
    REGION_NAMES=REGIONS,
)
