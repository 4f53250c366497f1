"""Domain errors of the admissions services. Each carries one readable line (``str(error)``):
the CLI prints it and exits 2, the web maps it to a 4xx."""

from __future__ import annotations

from sunshine.errors import DomainError, NotFound


class AdmissionsError(DomainError):
    """Base of every error a caller of the admissions services can cause."""


class PackageImportError(AdmissionsError):
    """A data package that cannot be loaded; nothing was written."""


class SeasonExists(PackageImportError):
    def __init__(self, region_code: str, school_year: int) -> None:
        self.region_code = region_code
        self.school_year = school_year
        super().__init__(f"a season for region {region_code}, year {school_year} is already loaded")


class SeasonInUse(PackageImportError):
    """Replacing a season would delete rows that outlive it (student records, cases)."""

    def __init__(self, region_code: str, school_year: int, reason: str) -> None:
        self.region_code = region_code
        self.school_year = school_year
        super().__init__(
            f"the season for region {region_code}, year {school_year} cannot be replaced: {reason}"
        )


class DuplicateChild(PackageImportError):
    """Two applications for one child (the database allows one per child per season)."""

    def __init__(self, application_ids: tuple[str, ...], more: int = 0) -> None:
        self.application_ids = application_ids
        tail = f" (and {more} more children applying twice)" if more else ""
        # The child's ID number is personal data: name the applications, not the child.
        super().__init__(
            "applications.csv: one child has several applications: "
            + ", ".join(application_ids)
            + tail
        )


class DuplicatePreference(PackageImportError):
    def __init__(self, application_id: str, school_id: str) -> None:
        self.application_id = application_id
        self.school_id = school_id
        super().__init__(
            f"applications.csv: application {application_id} lists school {school_id} "
            "more than once in preferences"
        )


class ValueTooLong(PackageImportError):
    """Rows count as the reader counts them: header row 1, first data row 2."""

    def __init__(self, file: str, row: int, column: str, limit: int) -> None:
        self.file, self.row, self.column, self.limit = file, row, column, limit
        super().__init__(f"{file} row {row} column {column}: longer than {limit} characters")


class PackageRejected(PackageImportError):
    """The database refused the package for a reason not diagnosed more precisely."""


class SeasonNotFound(AdmissionsError, NotFound):
    pass
