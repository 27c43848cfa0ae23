"""The connection rule engine: rules turn populations into (source, target) index arrays."""
from .rules import RULES, ConnectionRule, expand_rule

__all__ = ["RULES", "ConnectionRule", "expand_rule"]
