"""Typed refusals of the ceremony services; ``str(error)`` is one readable line."""

from __future__ import annotations

from sunshine.errors import Conflict, DomainError, Invalid, NotAllowed


class CeremonyError(DomainError):
    """Base of every refusal a caller of the ceremony services can cause."""


class WrongState(CeremonyError, Conflict):
    def __init__(self, step: str, state: str, allowed: tuple[str, ...]) -> None:
        self.step, self.state, self.allowed = step, state, allowed
        super().__init__(
            f"cannot {step}: the ceremony is {state}, {step} needs {' or '.join(allowed)}"
        )


class NotPermitted(CeremonyError, NotAllowed):
    """The actor's role may not take this step."""


class InvalidInput(CeremonyError, Invalid):
    """A value the step cannot accept (unknown role, malformed beacon, empty reason...)."""


class MissingInputs(CeremonyError, Conflict):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"cannot draw: these announced inputs are missing: {', '.join(missing)}")
