"""Named actions and queries of follow-up and review, one module per part."""
