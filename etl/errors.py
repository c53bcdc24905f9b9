"""The ETL's own error type: every rejection carries a Spanish reason for the user."""


class FichaError(Exception):
    """A file that cannot be loaded as a ficha; `str(error)` is the Spanish reason shown to users."""

    def __init__(self, message: str, line: int | None = None, section: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.section = section

    def __reduce__(self):
        # Keep line and section when the error travels back from a worker process.
        return (type(self), (self.message, self.line, self.section))
