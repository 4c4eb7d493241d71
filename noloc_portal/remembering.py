"""What a process keeps under keys that change whenever what it was worked out from changes
(a portfolio's row versions, a circle's revision): the least recently used goes first once
``size`` are kept. Nothing here invalidates; a key that is not asked for again ages out."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class Remembered:
    def __init__(self, size: int) -> None:
        self.size = size
        self.values: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple):
        """The value kept under ``key``, or None."""
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def keep(self, key: tuple, value) -> None:
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.values.clear()
