"""Rules build an MPI process's share of a Connect call exactly as it is in the whole call."""
import numpy as np
import pytest

from kernel.connect.context import DrawContext
from kernel.connect.rules import INDEXED_SUBSET_RULES, SUBSET_RULES, expand_rule
from kernel.errors import BadParameterValue

PRE = np.arange(1, 41)
POST = np.arange(21, 71)
CASES = {"fixed_indegree": {"indegree": 7}, "all_to_all": {},
         "pairwise_bernoulli": {"p": 0.2}, "pairwise_poisson": {"pairwise_avg_num_conns": 0.3},
         "fixed_outdegree": {"outdegree": 5}, "fixed_total_number": {"N": 300}}


def expand(rule, subset=None, **switches):
    return expand_rule(rule, PRE, POST, rng=DrawContext(99, 7), targets_subset=subset,
                       **switches, **CASES[rule])


def pairs(result):
    return list(zip(result.pre_pos.tolist(), result.post_pos.tolist()))


@pytest.mark.parametrize("rule", sorted(CASES))
@pytest.mark.parametrize("k", [2, 3])
def test_shares_make_up_the_whole_call(rule, k):
    whole = expand(rule)
    assert not whole.share_built and whole.conn_index is None
    shares = [expand(rule, np.flatnonzero(POST % k == r)) for r in range(k)]
    for r, share in enumerate(shares):
        assert share.share_built == (rule in SUBSET_RULES)
        mine = POST[share.post_pos] % k == r
        if share.share_built:
            assert mine.all()           # only the share's targets
        else:
            assert pairs(share) == pairs(whole)
    if rule not in SUBSET_RULES:
        return
    got = sorted(p for share in shares for p in pairs(share))
    assert got == sorted(pairs(whole))
    if rule in INDEXED_SUBSET_RULES:
        # each connection knows its place in the whole call (for arrays and Parameters)
        full = pairs(whole)
        for share in shares:
            index = share.conn_index
            assert [full[i] for i in index] == pairs(share)


def test_all_to_all_without_autapses_builds_everything():
    share = expand("all_to_all", np.array([0, 2, 4]), allow_autapses=False)
    assert not share.share_built
    assert len(share.pre_pos) == len(PRE) * len(POST) - 20     # 20 ids in both populations


def test_errors_are_checked_for_every_target():
    # target 21 is also a source: without autapses it has 39 sources; 40 cannot be reached
    with pytest.raises(BadParameterValue, match="21 is also one of the sources"):
        expand_rule("fixed_indegree", PRE, POST, rng=DrawContext(1, 1), allow_autapses=False,
                    allow_multapses=False, targets_subset=np.array([30, 31]), indegree=40)
