"""The negotiation's named actions and queries."""

from stocktake.negotiation.services.amendments import (
    AmendmentData,
    decide_amendment,
    propose_amendment,
    take_position,
)
from stocktake.negotiation.services.anchoring import reanchor_pending
from stocktake.negotiation.services.drafts import (
    amendable_amendment,
    amendable_draft,
    compilation_readers,
    edit_element,
    get_draft,
    import_draft,
    list_drafts,
    reads_working_text,
    require_working_text,
    set_compilation_readers,
    set_paragraph_status,
)
from stocktake.negotiation.services.languages import (
    add_language_version,
    language_versions,
    nodes_in,
)
from stocktake.negotiation.services.link_queries import readable_inputs, readable_links
from stocktake.negotiation.services.links import (
    confirm_link,
    get_link,
    link_cluster,
    links_of_inputs,
    list_links,
    reject_link,
    unlink,
)
from stocktake.negotiation.services.papers import PaperDetails, set_paper_details
from stocktake.negotiation.services.queries import (
    element_of,
    get_amendment,
    list_amendments,
    pending_views,
    revision_of,
    working_nodes,
)
from stocktake.negotiation.services.revisions import (
    issue_revision,
    lineage,
    progress,
    publish_revision,
    record_round,
    revision_nodes,
    rounds_of,
    status_counts,
)
from stocktake.negotiation.services.sponsors import (
    acts_for_sponsor,
    confirm_co_sponsorship,
    update_amendment,
    withdraw_amendment,
)
from stocktake.negotiation.services.suggestions import suggest_links
from stocktake.negotiation.services.zero import (
    draft_from_summary,
    plain_title,
    rename_draft,
    skeleton_from_summary,
    working_language,
    zero_draft_source,
)

__all__ = [
    "AmendmentData",
    "PaperDetails",
    "acts_for_sponsor",
    "add_language_version",
    "amendable_amendment",
    "amendable_draft",
    "compilation_readers",
    "confirm_co_sponsorship",
    "confirm_link",
    "decide_amendment",
    "draft_from_summary",
    "edit_element",
    "element_of",
    "get_amendment",
    "get_draft",
    "get_link",
    "import_draft",
    "issue_revision",
    "language_versions",
    "lineage",
    "link_cluster",
    "links_of_inputs",
    "list_amendments",
    "list_drafts",
    "list_links",
    "nodes_in",
    "pending_views",
    "plain_title",
    "progress",
    "propose_amendment",
    "publish_revision",
    "readable_inputs",
    "readable_links",
    "reads_working_text",
    "reanchor_pending",
    "record_round",
    "reject_link",
    "rename_draft",
    "require_working_text",
    "revision_nodes",
    "revision_of",
    "rounds_of",
    "set_compilation_readers",
    "set_paper_details",
    "set_paragraph_status",
    "skeleton_from_summary",
    "status_counts",
    "suggest_links",
    "take_position",
    "unlink",
    "update_amendment",
    "withdraw_amendment",
    "working_language",
    "working_nodes",
    "zero_draft_source",
]
