"""Named errors of karavan (ingest, store, CLI, pipeline): each has a code, a message, and the file
(and line) it is about.

The CLI turns them into one line, `karavan: error: <file>:<line>: <message>`,
never a traceback. A problem with `warning = True` was handled (the input was
still read) and is only reported.
"""

from __future__ import annotations


class KaravanError(Exception):
    """Base of every error karavan reports to a user."""

    code = "E000"
    warning = False

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    @property
    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        # a file name that is not UTF-8 holds lone surrogates (os.fsdecode): shown as \udcff, printable anywhere
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class InputNotFound(KaravanError):
    code = "E101"


class EmptyInput(KaravanError):
    code = "E102"


class BinaryInput(KaravanError):
    code = "E103"


class UndecodableInput(KaravanError):
    code = "E104"


class InputTooLarge(KaravanError):
    code = "E105"


class BadJsonLine(KaravanError):
    code = "E106"


class MissingField(KaravanError):
    code = "E107"


class UnsupportedInput(KaravanError):
    code = "E108"


class DuplicateId(KaravanError):
    code = "E109"


class UnreadableInput(KaravanError):
    code = "E112"


class TruncatedUtf8(KaravanError):
    """The input ended inside a UTF-8 character: the valid part was kept."""

    code = "E110"
    warning = True


class BadMetadata(KaravanError):
    """A metadata value was not understood and was kept in `meta` instead."""

    code = "E111"
    warning = True


class RepairedInput(KaravanError):
    """Something a record cannot hold as it is was replaced (lone surrogates by U+FFFD, a stray byte, a huge
    number kept as text); the rest was read."""

    code = "E113"
    warning = True


class NotADatabase(KaravanError):
    code = "E201"


class NoDatabase(KaravanError):
    code = "E202"


class UnknownDocument(KaravanError):
    code = "E203"


class StoreError(KaravanError):
    """SQLite could not do what was asked (the disk, the file's permissions, damage, a lock): the input is not
    at fault. Each message says what to do; what the store held before the failing transaction is kept."""

    code = "E210"


class StoreFull(StoreError):
    code = "E204"


class StoreReadOnly(StoreError):
    code = "E205"


class StoreCorrupt(StoreError):
    code = "E206"


class StoreBusy(StoreError):
    code = "E207"


class NothingRead(KaravanError):
    code = "E301"


class BadArgument(KaravanError):
    code = "E302"


class PipelineFailed(KaravanError):
    """A stage raised on one document: the document is not stored, the others go on."""

    code = "E401"


class OverBudget(KaravanError):
    """The pipeline ran out of its time on one document: it was stored with the facts found in time."""

    code = "E402"
    warning = True
