"""The connection rule engine: rules turn populations into (source, target) index arrays."""
from .rules import (RULES, ConnectionRule, RuleResult, array_shape, expand_rule, require_params,
                    value_index)

__all__ = ["RULES", "ConnectionRule", "RuleResult", "array_shape", "expand_rule",
           "require_params", "value_index"]
