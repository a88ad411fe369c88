"""Follow-up and review: the frame of objectives, pledges, indicators and progress."""
