"""The settings of one call to the example builder, passed along explicitly."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Budget:
    """How much one value has cost so far: schema nodes built, and ``_build`` calls on the stack
    (composition loops do not nest objects, so they are counted apart)."""

    nodes: int = 0
    active: int = 0


@dataclass(frozen=True)
class Call:
    """One call's settings.

    ``direction``: ``"request"`` leaves out readOnly properties, ``"response"`` writeOnly ones.
    ``text``: the value travels as text (a parameter), so a declared "10" of an integer schema
    is read as 10. ``scalar_first``: a top-level oneOf/anyOf takes its first scalar branch.
    """

    direction: str = "request"
    text: bool = False
    scalar_first: bool = False
    budget: Budget = field(default_factory=Budget, compare=False)

    @staticmethod
    def make(direction: str = "request", *, text: bool = False, scalar_first: bool = False) -> "Call":
        return Call("response" if direction == "response" else "request", text, scalar_first)

    @property
    def hidden_flag(self) -> str:
        """The schema flag of the properties this direction leaves out."""
        return "readOnly" if self.direction == "request" else "writeOnly"
