"""The network simulator from Python: presets and overrides, reproducibility per seed, the
Gilbert-Elliott loss rate, duplicates, reordering, clock skew, send/take against simulate,
errors and the GIL."""

from __future__ import annotations

import copy

import pytest

import ivrmedia
from ivrmedia import NetworkConfig, NetworkSimulator, netsim


def stream(n: int, ptime_us: int = 20_000) -> list[tuple[bytes, int]]:
    return [(k.to_bytes(4, "big") + bytes(16), k * ptime_us) for k in range(n)]


def summary(arrivals: list[netsim.Arrival]) -> list[tuple[int, int, bool]]:
    return [(a.index, a.arrival_time_us, a.duplicate) for a in arrivals]


def test_presets() -> None:
    assert netsim.PRESETS == ("ideal", "wired", "wifi", "mobile_lte", "mobile_3g_handover",
                              "congested", "bursty_loss")
    for name in netsim.PRESETS:
        c = NetworkConfig.preset(name, seed=5)
        assert c.seed == 5
        c.validate()
        assert NetworkSimulator(name, seed=5).config.base_delay_us == c.base_delay_us
    assert NetworkSimulator().config.jitter == NetworkConfig.preset("mobile_lte").jitter
    with pytest.raises(ValueError, match="unknown network preset 'lte'.*'mobile_lte'"):
        NetworkSimulator("lte")


def test_ideal_network_delays_by_the_base_delay_only() -> None:
    net = NetworkSimulator("ideal")
    arrivals = net.simulate(stream(100))
    assert [a.index for a in arrivals] == list(range(100))
    assert all(a.arrival_time_us == a.send_time_us + 20_000 for a in arrivals)
    assert arrivals[7].bytes == stream(100)[7][0]
    s = net.stats
    assert (s.sent, s.lost, s.delivered, s.reordered, s.duplicated) == (100, 0, 100, 0, 0)
    assert s.mean_extra_delay_us == 0.0


def test_reproducible_per_seed() -> None:
    packets = stream(2000)
    for preset in ("mobile_lte", "congested", "bursty_loss"):
        a = NetworkSimulator(preset, seed=11).simulate(packets)
        b = NetworkSimulator(preset, seed=11).simulate(packets)
        c = NetworkSimulator(preset, seed=12).simulate(packets)
        assert summary(a) == summary(b) and a == b
        assert summary(a) != summary(c)
    # reset() replays the same arrivals.
    net = NetworkSimulator("congested", seed=3)
    first = summary(net.simulate(packets))
    net.reset()
    assert summary(net.simulate(packets)) == first


def test_send_and_take_match_simulate() -> None:
    packets = stream(500)
    want = summary(NetworkSimulator("wifi", seed=9).simulate(packets))
    net = NetworkSimulator("wifi", seed=9)
    got = []
    k = 0
    for tick in range(0, 12_000_000, 10_000):
        while k < len(packets) and net.receiver_time(packets[k][1]) <= tick:
            assert net.send(*packets[k]) == k
            k += 1
        got += summary(net.take(tick))
    got += summary(net.flush())
    assert got == want
    assert net.in_flight == 0 and net.next_arrival_us is None


def test_loss_overrides() -> None:
    net = NetworkSimulator("ideal", seed=4, loss_rate=0.1, loss_burst_packets=3)
    assert net.config.mean_loss_rate == pytest.approx(0.1)
    assert net.config.loss_r_bad_to_good == pytest.approx(1 / 3)
    net.simulate(stream(20_000))
    s = net.stats
    assert s.lost / s.sent == pytest.approx(0.1, abs=0.02)
    assert s.lost / s.loss_bursts == pytest.approx(3, rel=0.15)  # Gilbert: mean burst 1 / r
    with pytest.raises(ValueError):
        NetworkSimulator("ideal", loss_rate=0.9, loss_burst_packets=1)  # no such chain
    with pytest.raises(TypeError, match="needs loss_rate"):
        NetworkSimulator("ideal", loss_burst_packets=2)


def test_duplicates_reordering_and_skew() -> None:
    net = NetworkSimulator("ideal", seed=2, duplicate_probability=0.1,
                           duplicate_max_lag_us=5_000, reorder_probability=0.05,
                           reorder_depth=2)
    arrivals = net.simulate(stream(2000))
    dups = [a for a in arrivals if a.duplicate]
    assert len(dups) == net.stats.duplicated and 120 < len(dups) < 280
    assert all(a.bytes == stream(2000)[a.index][0] for a in dups)
    assert 40 < net.stats.reordered < 160
    assert [a.arrival_time_us for a in arrivals] == sorted(a.arrival_time_us for a in arrivals)
    # +1 % sender clock: 20 ms of sender time last 19.802 ms at the receiver.
    skew = NetworkSimulator("ideal", clock_skew_ppm=10_000)
    skew.send(b"x", 0)
    assert skew.receiver_time(1_010_000) == 1_000_000


def test_config_object() -> None:
    c = NetworkConfig()
    assert (c.base_delay_us, c.jitter, c.spike_shape, c.seed) == (20_000, "none", "ramp", 1)
    c.jitter = "pareto"
    c.pareto_scale_us = 3000.0
    c.pareto_shape = 1.5
    c.set_loss(0.02, 2)
    c.validate()
    d = copy.deepcopy(c)
    d.base_delay_us = 1
    assert c.base_delay_us == 20_000
    net = NetworkSimulator(c, seed=8, base_delay_us=50_000)
    assert (net.config.seed, net.config.base_delay_us, net.config.jitter) == (8, 50_000, "pareto")
    assert NetworkSimulator(c).config.seed == 1
    assert "jitter='pareto'" in repr(c)
    with pytest.raises(ValueError, match="'none', 'gaussian' or 'pareto'"):
        c.jitter = "uniform"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="'ramp' or 'plateau'"):
        c.spike_shape = "square"  # type: ignore[assignment]
    c.reorder_probability = 2.0
    with pytest.raises(ValueError, match="reorder_probability"):
        c.validate()
    with pytest.raises(ValueError, match="reorder_probability"):
        NetworkSimulator(c)
    with pytest.raises(TypeError, match="unknown network setting 'delay'"):
        NetworkSimulator("ideal", delay=5)
    with pytest.raises(TypeError):
        NetworkSimulator(5)  # type: ignore[arg-type]


def test_send_errors() -> None:
    net = NetworkSimulator("ideal")
    net.send(b"a", 1000)
    with pytest.raises(ValueError):
        net.send(b"b", 999)  # send times must not decrease
    with pytest.raises(ValueError):
        net.simulate([(b"c", 10)])
    with pytest.raises(TypeError):
        net.send("text", 2000)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pairs"):
        net.simulate([(b"d",)])  # type: ignore[list-item]


def test_one_simulator_on_two_threads_is_refused(errors_on_threads) -> None:
    # simulate() releases the GIL; a second thread entering the same simulator is refused.
    net = NetworkSimulator("congested", seed=1)
    packets = stream(3000)
    errors = errors_on_threads(lambda: (net.reset(), net.simulate(packets)), 20)
    assert all("two threads" in e for e in errors)


def test_docstrings_and_reprs() -> None:
    for obj in (netsim, NetworkSimulator, NetworkSimulator.send, NetworkSimulator.take,
                NetworkSimulator.simulate, NetworkConfig, NetworkConfig.preset, netsim.Arrival,
                netsim.NetworkStats):
        assert obj.__doc__ and obj.__doc__.strip()
    assert repr(NetworkSimulator("ideal", seed=3)) == "NetworkSimulator(seed=3, in_flight=0)"
    assert ivrmedia.NetworkSimulator is NetworkSimulator
    a = NetworkSimulator("ideal").simulate([(b"xy", 0)])[0]
    assert a.to_dict() == {"arrival_time_us": 20_000, "send_time_us": 0, "index": 0,
                           "duplicate": False, "bytes": b"xy"}
