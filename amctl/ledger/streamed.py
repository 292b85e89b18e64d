"""A run's parts made in a worker thread while the ledger writes the ones made before.

At a million managers the parts are 280 MB, and SQLite takes a second or more to write them.
Made one after another and then written, the two add up; made by a worker and written as each
arrives, SQLite's write (which lets the GIL go) runs while the next part is put together, and
a part's bytes are let go once written rather than all held until the last one is made.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from typing import Any

_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class Streamed(Mapping[str, bytes]):
    """Parts as `make` yields them, made in a worker. `arriving` gives each once, in the order
    made, for a writer that lets it go; as a mapping, every part is made and kept first."""

    def __init__(self, make: Callable[[], Iterator[tuple[str, bytes]]]) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=1)  # one made ahead, no more
        self._stop = threading.Event()
        self._whole: dict[str, bytes] | None = None
        self._spent = False
        self._worker = threading.Thread(target=self._run, args=(make,), daemon=True)
        self._worker.start()

    def _run(self, make: Callable[[], Iterator[tuple[str, bytes]]]) -> None:
        try:
            for item in make():
                if self._stop.is_set():
                    return
                self._queue.put(item)
        except BaseException as exc:  # raised again where the parts are read
            self._queue.put(_Failed(exc))
            return
        self._queue.put(_END)

    def arriving(self) -> Iterator[tuple[str, bytes]]:
        """Each part as it is made; what the worker raised, raised here."""
        if self._whole is not None:
            yield from sorted(self._whole.items())
            return
        if self._spent:
            raise RuntimeError("the parts were written already")
        self._spent = True
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item

    def close(self) -> None:
        """Stop the worker (the parts not needed: an unchanged run, a refusal) and wait."""
        self._stop.set()
        while self._worker.is_alive():
            with suppress(queue.Empty):
                self._queue.get(timeout=0.05)  # a part it waits to hand over
        self._worker.join()

    def _all(self) -> dict[str, bytes]:
        if self._whole is None:
            self._whole = dict(self.arriving())
        return self._whole

    def __getitem__(self, name: str) -> bytes:
        return self._all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
