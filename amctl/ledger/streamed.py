"""A run's parts made in a worker thread while the ledger writes the ones made before.

At a million managers the parts are 280 MB, and SQLite takes a second or more to write them.
Made one after another and then written, the two add up; made by a worker and written as each
arrives, SQLite's write (which lets the GIL go) runs while the next part is put together. Two
parts are alive at most, the one being written and the one being made: a part is let go once
written rather than all held until the last one is made.
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
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=1)
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
                del item
                # the next part is begun once this one is taken: the writer holds one and
                # the worker makes one, never a third waiting in between
                self._queue.join()
        except BaseException as exc:  # raised again where the parts are read
            self._queue.put(_Failed(exc))
            return
        self._queue.put(_END)

    def arriving(self) -> Iterator[tuple[str, bytes]]:
        """Each part as it is made; what the worker raised, raised here."""
        if self._whole is not None:
            yield from sorted(self._whole.items())
            return
        if self._spent or self._stop.is_set():
            raise RuntimeError("the parts were written or given up already")
        self._spent = True
        while True:
            got = self._queue.get()
            self._queue.task_done()  # taken: the worker may begin the next
            if got is _END:
                return
            if isinstance(got, _Failed):
                raise got.error
            name, body = got
            del got
            yield name, body
            del name, body  # let go before waiting for the next

    def __enter__(self) -> Streamed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker (its parts not needed: an unchanged run, a refusal) and wait for
        it: after the part it is making, it makes no other."""
        self._stop.set()
        while self._worker.is_alive():
            with suppress(queue.Empty):
                self._queue.get(timeout=0.05)  # a part it waits to hand over
                self._queue.task_done()
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
