"""The gate's rules as configured in data/reference/quality_rules.toml: severity, wording, settings.

Every rule id used by a suite must be declared there; `rules()` fails loudly on a rule without a
severity in {blocking, warning}, so a typo cannot silently demote a rule.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from etl.config import REFERENCE_DIR

RULES_FILE = REFERENCE_DIR / "quality_rules.toml"
SEVERITIES = ("blocking", "warning")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # blocking | warning
    description: str  # Chinese: what the rule checks
    message: str  # Chinese template: what the sender reads

    def render(self, values: dict[str, object]) -> str:
        """The message with its placeholders filled; a missing value shows as —."""
        return self.message.format_map(_Filled(values))


class _Filled(dict):
    def __missing__(self, key: str) -> str:
        return "—"

    def __getitem__(self, key: str) -> object:
        value = super().get(key)
        return "—" if value is None else value


@cache
def settings() -> dict:
    with open(RULES_FILE, "rb") as handle:
        return tomllib.load(handle)


@cache
def rules() -> dict[str, Rule]:
    """Every configured rule, by id."""
    table = {}
    for rule_id, spec in settings()["rules"].items():
        if spec["severity"] not in SEVERITIES:
            raise ValueError(f"{RULES_FILE.name}: {rule_id} severity {spec['severity']!r}")
        table[rule_id] = Rule(rule_id, spec["severity"], spec["description"], spec["message"])
    return table


def type_hint(field: str, kind: str) -> dict[str, str]:
    """{what, allowed} for schema.type: the field's own entry wins over its kind's."""
    types = settings()["types"]
    return types.get(field, types[kind])
