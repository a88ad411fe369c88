"""The words the analysis pages show for what is stored as a key (a run's status and stage, an
actor's region and regional group), each marked for the catalogs and translated on the page."""

from __future__ import annotations

from stocktake.core.translation import translatable_in
from stocktake.web.languages import translatable
from stocktake.web.names import REGIONS
from stocktake.web.templating import templates

# a run's statuses in a context of their own: "completed" names a pledge's status too, and a
# language may give the two different forms (fr "achevée", an analysis; "achevé", a pledge)
RUN_STATUS_NAMES = {
    "running": translatable_in("analysis run", "running"),
    "completed": translatable_in("analysis run", "completed"),
    "failed": translatable_in("analysis run", "failed"),
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
    "done": translatable_in("analysis run", "done"),
    "failed": translatable_in("analysis run", "failed"),
}

# the regions of the UN's M49 standard and the regional groups are named in `stocktake.web.names`
# (REGIONS, REGIONAL_GROUPS), which every area's pages share

templates.env.globals.update(
    RUN_STATUS_NAMES=RUN_STATUS_NAMES,
    RUN_STAGE_NAMES=RUN_STAGE_NAMES,
    REGION_NAMES=REGIONS,
)
