"""The global filters as a value: what the sidebar chose, as query parameters and as words.

components.py reads the widgets into a Filters; queries take a Filters and bind its fields.
An empty tuple means "no restriction" (all values, including unknown ones).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from etl.present.labels import CENTRAL, SCHEME_CHANGE_YEAR


@dataclass(frozen=True)
class Filters:
    year: int
    tracks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    include_central: bool = True

    def params(self) -> dict[str, object]:
        """Bound parameters for every filtered query (the year is passed separately, since
        several queries return all years at once)."""
        return {
            "tracks": list(self.tracks),
            "categories": list(self.categories),
            "regions": list(self.regions),
            "levels": list(self.levels),
            "include_central": self.include_central,
        }

    @property
    def has_category(self) -> bool:
        return bool(self.categories)

    def previous_year(self, years: Collection[int]) -> int | None:
        """The year to compare with: the one before, if it has data and is comparable (a
        category filter has nothing to compare with before 2024)."""
        before = self.year - 1
        if before not in years:
            return None
        if self.has_category and before < SCHEME_CHANGE_YEAR:
            return None
        return before

    def nationwide(self) -> Filters:
        """The same filters without the region and 中央单位 restrictions (for comparisons
        whose groups are fixed: a province against its region and the nation)."""
        return replace(self, regions=(), include_central=True)

    def parts(self) -> list[str]:
        """The restrictions in force, in words, year first."""
        parts = [f"{self.year}年度"]
        for chosen in (self.tracks, self.categories, self.regions, self.levels):
            if chosen:
                parts.append("、".join(chosen))
        if not self.include_central:
            parts.append(f"不含{CENTRAL}")
        return parts

    def describe(self) -> str:
        """For a caption: 2024年度 · 东部 · 县级 (or 全部 when nothing is restricted)."""
        parts = self.parts()
        return " · ".join(parts if len(parts) > 1 else [*parts, "全部申报"])

    def slug(self, with_year: bool = True) -> str:
        """For a file name: 2024_融合生产传播_东部 (no characters a file system dislikes)."""
        parts = [str(self.year)] if with_year else []
        for chosen in (self.tracks, self.categories, self.regions, self.levels):
            if chosen:
                parts.append("+".join(chosen))
        if not self.include_central:
            parts.append(f"不含{CENTRAL}")
        return "_".join(parts)
