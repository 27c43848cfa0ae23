"""Connection rules.

A rule is a function of (sources, targets, rule parameters, random key) that returns the
connections as two index arrays into ``sources`` and ``targets`` (positions, not ids), in the
order NEST makes them. Synapse parameters given as arrays are indexed with the same
positions, so every rule supports the array shapes of the NEST documentation without code of
its own. Rules are registered by name in RULES; adding one is adding a function.
"""
from dataclasses import dataclass

import numpy as np

from ..errors import BadParameterValue, DimensionMismatch


@dataclass(frozen=True)
class ConnectionRule:
    """A named rule: its function, its parameters (name -> required?) and switches."""

    name: str
    build: object
    params: tuple = ()
    doc: str = ""


def all_to_all(n_pre, n_post, allow_autapses, same_node):
    """Every source to every target; targets vary slowest (NEST's order).

    Returns positions (pre_pos, post_pos); ``same_node(pre_pos, post_pos)`` tells which
    pairs are the same node (for allow_autapses=False).
    """
    post_pos = np.repeat(np.arange(n_post, dtype=np.int64), n_pre)
    pre_pos = np.tile(np.arange(n_pre, dtype=np.int64), n_post)
    if not allow_autapses:
        keep = ~same_node(pre_pos, post_pos)
        pre_pos, post_pos = pre_pos[keep], post_pos[keep]
    return pre_pos, post_pos


def one_to_one(n_pre, n_post, allow_autapses, same_node):
    """The i-th source to the i-th target."""
    if n_pre != n_post:
        raise DimensionMismatch(
            f"one_to_one needs as many sources as targets; got {n_pre} sources and "
            f"{n_post} targets.")
    pos = np.arange(n_pre, dtype=np.int64)
    if not allow_autapses:
        keep = ~same_node(pos, pos)
        return pos[keep], pos[keep]
    return pos, pos


RULES = {
    "all_to_all": ConnectionRule("all_to_all", all_to_all, (),
                                 "Connect every source to every target."),
    "one_to_one": ConnectionRule("one_to_one", one_to_one, (),
                                 "Connect the i-th source to the i-th target."),
}


def expand_rule(rule, pre_ids, post_ids, allow_autapses=True, allow_multapses=True, **params):
    """Apply ``rule`` to id arrays; return (pre_pos, post_pos) position arrays.

    Parameters
    ----------
    rule : str
        A name in RULES.
    pre_ids, post_ids : ndarray of int
        Source and target node ids.
    allow_autapses, allow_multapses : bool
        NEST's switches.
    """
    spec = RULES.get(rule)
    if spec is None:
        raise BadParameterValue("rule", f"unknown connection rule '{rule}'; known rules: "
                                        f"{', '.join(sorted(RULES))}.")
    pre_ids = np.asarray(pre_ids, dtype=np.int64)
    post_ids = np.asarray(post_ids, dtype=np.int64)

    def same_node(pre_pos, post_pos):
        return pre_ids[pre_pos] == post_ids[post_pos]

    return spec.build(pre_ids.shape[0], post_ids.shape[0], bool(allow_autapses), same_node)
