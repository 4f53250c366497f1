"""The batch season: a data package in, every child's outcome out, with no database.

    outcome = run(package, witnesses=..., program_digest=...)
    write_outputs(outcome, out_dir)

The web path (sunshine.admissions.services.run_season) calls the same :func:`run`.
"""

from sunshine.season.outputs import write_outputs
from sunshine.season.pipeline import (
    REHEARSAL_WITNESS,
    SeasonOutcome,
    StageOutcome,
    read_and_run,
    run,
)

__all__ = [
    "REHEARSAL_WITNESS",
    "SeasonOutcome",
    "StageOutcome",
    "read_and_run",
    "run",
    "write_outputs",
]
