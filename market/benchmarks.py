"""The salary table's rows: each level's pay worded as the guide words it, and its change since the edition before."""

from collections.abc import Iterable
from dataclasses import dataclass

from core.money import usd_change, usd_range


@dataclass(frozen=True)
class Delta:
    amount: int

    @property
    def text(self) -> str:
        return usd_change(self.amount)

    @property
    def direction(self) -> str:
        """ "up", "down" or "none", for the ``delta--*`` classes."""
        return "up" if self.amount > 0 else "down" if self.amount < 0 else "none"


@dataclass(frozen=True)
class SalaryRow:
    """One level of an edition's benchmarks, with the same level of the previous edition when there is one."""

    benchmark: object
    previous: object = None

    @property
    def level(self) -> str:
        return self.benchmark.get_level_display()

    @property
    def level_parts(self) -> tuple[str, str]:
        """("Junior", "(0-2 yrs)"), so a narrow table can wrap the level between its name and its years."""
        name, _, years = self.level.partition(" (")
        return (name, f"({years}" if years else "")

    @property
    def base(self) -> str:
        return usd_range(self.benchmark.base_min, self.benchmark.base_max)

    @property
    def total(self) -> str:
        return usd_range(self.benchmark.total_min, self.benchmark.total_max)

    def _deltas(self, low_field, high_field):
        if self.previous is None:
            return None
        return (
            Delta(getattr(self.benchmark, low_field) - getattr(self.previous, low_field)),
            Delta(getattr(self.benchmark, high_field) - getattr(self.previous, high_field)),
        )

    @property
    def base_change(self) -> tuple[Delta, Delta] | None:
        """Change of the low and high ends of base salary since the previous edition."""
        return self._deltas("base_min", "base_max")

    @property
    def total_change(self) -> tuple[Delta, Delta] | None:
        """Change of the low and high ends of total comp since the previous edition."""
        return self._deltas("total_min", "total_max")

    @property
    def previous_base(self) -> str:
        return usd_range(self.previous.base_min, self.previous.base_max) if self.previous else ""

    @property
    def previous_total(self) -> str:
        return usd_range(self.previous.total_min, self.previous.total_max) if self.previous else ""


def salary_rows(benchmarks: Iterable, previous: Iterable = ()) -> list[SalaryRow]:
    """Rows for ``benchmarks`` (one edition, in level order), matched by level to ``previous`` (the edition before)."""
    previous_by_level = {b.level: b for b in previous}
    return [SalaryRow(benchmark=b, previous=previous_by_level.get(b.level)) for b in benchmarks]
