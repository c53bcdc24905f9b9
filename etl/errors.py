"""The ETL's own error types: every one carries a Spanish reason for the user."""

import errno
import os
from pathlib import Path


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


class WriteError(Exception):
    """The database could not be written; the previous one, if any, is left as it was."""

    def __init__(self, db_path: Path, cause: str):
        super().__init__(f"No se pudo escribir la base «{db_path}»: {cause}. La base anterior queda intacta.")


# What a failed read or write means, in Spanish, for the errors users meet; the system's (English) text otherwise.
OS_CAUSES = {
    errno.EACCES: "permiso denegado",
    errno.EPERM: "permiso denegado",
    errno.ENOENT: "no existe (¿un enlace simbólico roto?)",
    errno.ELOOP: "los enlaces simbólicos forman un bucle",
    errno.ENXIO: "no es un archivo común",
    errno.EISDIR: "es una carpeta, no un archivo",
    errno.EIO: "error de entrada/salida del disco",
    errno.ENAMETOOLONG: "la ruta es demasiado larga",
    errno.ENOSPC: "sin espacio en disco",
    errno.EDQUOT: "cuota de disco agotada",
    errno.EFBIG: "archivo demasiado grande",
    errno.EROFS: "sistema de archivos de sólo lectura",
}
# The causes that can stop a database being written (a DuckDB error quoting any other is a bug, not a full disk).
_WRITE_CAUSES = {
    code: OS_CAUSES[code] for code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS)
}


def os_cause(error: OSError) -> str:
    """Spanish cause of a failed file operation; the system's own text only for unusual errors."""
    return OS_CAUSES.get(error.errno, error.strerror or str(error))


def write_cause(error: BaseException) -> str | None:
    """Spanish cause of a failed write, from an OSError or from a DuckDB error that quotes the system's message;
    None when the error is not about writing (a bug, which should not be dressed up as a full disk)."""
    if isinstance(error, OSError):
        return os_cause(error)
    text = str(error)
    return next((cause for code, cause in _WRITE_CAUSES.items() if os.strerror(code) in text), None)


class IntegrityError(WriteError):
    """The ETL produced a row that breaks a key or a link: a bug, caught before the database is swapped in."""

    def __init__(self, db_path: Path, broken: str):
        Exception.__init__(
            self,
            f"No se escribió la base «{db_path}»: la base construida no es coherente ({broken}). Es un error del "
            "ETL; la base anterior queda intacta.",
        )
