"""What can go wrong when krutt talks to a calendar server, as one plain sentence each."""

from __future__ import annotations

from krutt.domain.errors import KruttError
from krutt.domain.messages import Param


class ConnectionFailed(KruttError):
    """The server could not be reached or refused; nothing was read.

    `retry_after` is the number of seconds the server asked krutt to wait (429), if any.
    `resync` says the stored cursor is no longer valid and a full read is needed.
    """

    def __init__(
        self,
        text: str,
        *,
        retry_after: int | None = None,
        resync: bool = False,
        **params: Param,
    ) -> None:
        super().__init__(text, **params)
        self.retry_after = retry_after
        self.resync = resync
