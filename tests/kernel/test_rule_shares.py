"""Rules build an MPI process's share of a Connect call exactly as it is in the whole call."""
import numpy as np
import pytest

from kernel.connect import _rules
from kernel.connect.context import DrawContext, evaluate_by_identity
from kernel.connect.parameters import Normal
from kernel.connect.rules import SUBSET_RULES, expand_rule
from kernel.errors import BadParameterValue

PRE = np.arange(1, 41)
POST = np.arange(21, 71)
CASES = {"fixed_indegree": {"indegree": 7}, "all_to_all": {},
         "pairwise_bernoulli": {"p": 0.2}, "pairwise_poisson": {"pairwise_avg_num_conns": 0.3},
         "fixed_outdegree": {"outdegree": 5}, "fixed_total_number": {"N": 300}}


def expand(rule, subset=None, pre=PRE, post=POST, **switches):
    return expand_rule(rule, pre, post, rng=DrawContext(99, 7), targets_subset=subset,
                       **switches, **CASES.get(rule, {}))


def pairs(result):
    return list(zip(result.pre_pos.tolist(), result.post_pos.tolist()))


@pytest.mark.parametrize("rule", sorted(CASES) + ["one_to_one"])
@pytest.mark.parametrize("autapses", [True, False])
@pytest.mark.parametrize("k", [2, 3])
def test_shares_make_up_the_whole_call(rule, autapses, k):
    pre = POST if rule == "one_to_one" else PRE
    whole = expand(rule, pre=pre, allow_autapses=autapses)
    assert not whole.share_built
    shares = [expand(rule, np.flatnonzero(POST % k == r), pre=pre, allow_autapses=autapses)
              for r in range(k)]
    assert rule in SUBSET_RULES
    for r, share in enumerate(shares):
        assert share.share_built
        assert (POST[share.post_pos] % k == r).all()        # only the share's targets
    got = sorted(p for share in shares for p in pairs(share))
    assert got == sorted(pairs(whole))
    assert all(share.value_keys == whole.value_keys == "index" for share in shares)

    def keyed(result):
        """(pair, array element, Parameter site) of every connection."""
        n = result.count
        element = np.arange(n) if result.conn_index is None else result.conn_index
        if rule in ("pairwise_bernoulli", "pairwise_poisson"):     # take no arrays
            element = np.zeros(n)
        site = np.arange(n) if result.draw_index is None else result.draw_index
        return sorted(zip(pairs(result), np.asarray(element).tolist(),
                          np.asarray(site).tolist()))
    # each connection has the same array element and Parameter key wherever it is built
    assert sorted(x for share in shares for x in keyed(share)) == keyed(whole)


@pytest.mark.parametrize("make", [
    lambda sub, src: expand_rule("symmetric_pairwise_bernoulli", POST, POST, rng=DrawContext(5, 3),
                                 allow_autapses=False, make_symmetric=True, p=0.1,
                                 targets_subset=sub, sources_subset=src),
    lambda sub, src: expand_rule("one_to_one", POST, POST[::-1].copy(), rng=DrawContext(5, 3),
                                 make_symmetric=True, targets_subset=sub, sources_subset=src)])
def test_symmetric_rules_keep_the_pairs_with_a_local_end(make):
    whole = make(None, None)
    ends = {}
    for r in range(3):
        local = np.flatnonzero(POST % 3 == r)
        share = make(local, local)
        assert not share.share_built and share.symmetric
        s, t, _ = share.connections(POST, POST if len(share.post_pos) == 0 else
                                    (POST[::-1] if "one" in repr(make) else POST))
        ends[r] = len(share.pre_pos)
    s, t, _ = whole.connections(POST, POST)
    assert sum(ends.values()) >= len(whole.pre_pos)
    for r in range(3):
        local = np.flatnonzero(POST % 3 == r)
        share = make(local, local)
        mine = (POST[share.pre_pos] % 3 == r) | (POST[share.post_pos] % 3 == r) \
            if share.pre_pos.size else np.ones(0, bool)
        assert mine.all()
        full = set(pairs(whole))
        assert set(pairs(share)) <= full
        assert {p for p in full if POST[p[0]] % 3 == r or POST[p[1]] % 3 == r} <= set(pairs(share))


def test_fixed_total_number_share_draws_the_split_only():
    """Every process draws the same multinomial split; a share holds its targets' counts."""
    whole = expand("fixed_total_number")
    counts = np.bincount(whole.post_pos, minlength=len(POST))
    share = expand("fixed_total_number", np.array([3, 17]))
    assert sorted(share.post_pos.tolist()) == [3] * counts[3] + [17] * counts[17]
    # the permutation of the draw order is a bijection of 0..N-1
    place = _rules.shuffled_index(np.arange(1000, dtype=np.int64), 1000, 4, 2)
    assert np.array_equal(np.sort(place), np.arange(1000))


def test_multinomial_split_is_multinomial():
    from scipy.stats import chisquare
    weights = np.array([1, 2, 3, 4] * 10, dtype=np.int64)
    totals = np.zeros(40)
    for stream in range(200):
        counts = _rules.multinomial(5000, weights, 12, stream, 3)
        assert counts.sum() == 5000
        totals += counts
    assert chisquare(totals, 200 * 5000 * weights / weights.sum()).pvalue > 1e-3


@pytest.mark.parametrize("n,p", [(7, 0.3), (40, 0.5), (1000, 0.02), (5000, 0.3), (100, 0.97)])
def test_binomial_draws_match_the_distribution(n, p):
    from scipy.stats import binom, chisquare
    draws = np.array([_rules.multinomial(n, np.array([int(p * 1000), 1000 - int(p * 1000)]),
                                         3, s, 3)[0] for s in range(4000)])
    q = int(p * 1000) / 1000
    lo, hi = binom.ppf(0.001, n, q), binom.ppf(0.999, n, q)
    edges = np.unique(np.linspace(lo, hi + 1, 12).astype(int))
    observed = np.histogram(np.clip(draws, edges[0], edges[-1] - 1), edges)[0]
    cdf = binom.cdf(edges - 1, n, q)
    cdf[0], cdf[-1] = 0.0, 1.0
    assert chisquare(observed, 4000 * np.diff(cdf)).pvalue > 1e-3


def test_identity_keys_do_not_depend_on_the_split():
    src = np.array([1, 2, 2, 3, 2, 5])
    tgt = np.array([9, 9, 9, 8, 9, 7])
    whole = evaluate_by_identity(Normal(), 3, 4, src, tgt)
    assert len(set(whole.tolist())) == 6          # multapses draw apart
    part = evaluate_by_identity(Normal(), 3, 4, src[[1, 2, 4]], tgt[[1, 2, 4]])
    assert np.array_equal(part, whole[[1, 2, 4]])
    groups = evaluate_by_identity(Normal(), 3, 4, src, tgt, np.array([1, 1, 2, 1, 1, 1]))
    assert groups[2] != groups[1]


def test_errors_are_checked_for_every_target():
    # target 21 is also a source: without autapses it has 39 sources; 40 cannot be reached
    with pytest.raises(BadParameterValue, match="21 is also one of the sources"):
        expand_rule("fixed_indegree", PRE, POST, rng=DrawContext(1, 1), allow_autapses=False,
                    allow_multapses=False, targets_subset=np.array([30, 31]), indegree=40)
