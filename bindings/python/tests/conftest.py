"""Shared pytest fixtures of the ivrmedia Python tests."""

from __future__ import annotations

import threading
from typing import Callable

import pytest


@pytest.fixture
def errors_on_threads() -> Callable[[Callable[[], object], int], list[str]]:
    """Return run(call, repeat): `call` repeated on four threads at once; the RuntimeError
    messages they raised. Objects release the GIL while they work and refuse a second thread
    with RuntimeError ("... two threads ...") instead of racing."""

    def run(call: Callable[[], object], repeat: int) -> list[str]:
        errors: list[str] = []
        # All four start together: a fast call would otherwise let one thread finish its
        # repeats before the next one has even started, and nothing would overlap.
        start = threading.Barrier(4)

        def work() -> None:
            start.wait()
            for _ in range(repeat):
                try:
                    call()
                except RuntimeError as e:
                    errors.append(str(e))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return errors

    return run


@pytest.fixture
def refusals_on_threads(
    errors_on_threads: Callable[[Callable[[], object], int], list[str]],
) -> Callable[[Callable[[], object], int], tuple[list[str], int]]:
    """Return run(call, repeat): rounds of errors_on_threads until some call was refused (at
    most 100 rounds); (the refusals' messages, the calls made). Whether two threads overlap in
    one round is up to the scheduler (on a loaded machine a woken thread may not run before the
    other's call ends), so a test that needs a refusal repeats until it sees one."""

    def run(call: Callable[[], object], repeat: int) -> tuple[list[str], int]:
        errors: list[str] = []
        calls = 0
        for _ in range(100):
            errors += errors_on_threads(call, repeat)
            calls += 4 * repeat
            if errors:
                break
        return errors, calls

    return run
