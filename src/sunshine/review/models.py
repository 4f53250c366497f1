"""Two-level review (分级审核) of applications and overrides that need a second person."""
