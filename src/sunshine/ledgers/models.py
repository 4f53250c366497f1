"""The campaign ledgers: problem clues, violations, the checklist, rectification, visits."""
