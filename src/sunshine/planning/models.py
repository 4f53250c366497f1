"""School plans and catchment zones with effective dates; a zone change is published first."""
