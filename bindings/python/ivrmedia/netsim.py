"""A seeded network simulator for RTP streams (research and tests; not for production calls).

`NetworkSimulator` turns packets stamped with send times into arrivals: base delay, Gaussian
or Pareto jitter, delay spikes that drain in bursts (mobile handovers), Gilbert-Elliott burst
loss, reordering, duplicates and clock skew. The same seed and input give the same arrivals
on every platform, whether packets are sent one at a time or all at once. Presets model the
networks the jitter buffer is tested on::

    ivrmedia.netsim.PRESETS   # ('ideal', 'wired', 'wifi', 'mobile_lte', ...)

    net = ivrmedia.NetworkSimulator("mobile_lte", seed=7, loss_rate=0.03, loss_burst_packets=2)
    arrivals = net.simulate([(datagram, send_time_us), ...])    # sorted by arrival
    for a in arrivals:
        buffer.push(a.bytes, a.arrival_time_us)
    net.stats.lost, net.stats.reordered

or, tick by tick, `net.send(datagram, t)` as the sender sends and `net.take(now_us)` for what
has arrived. Any NetworkConfig field can be overridden by keyword (`base_delay_us=80_000`,
`jitter="pareto"`, `clock_skew_ppm=200`, ...). Times are integer microseconds; network times
are on the receiver's clock. lib/sim/README.md describes the models and the presets' numbers.
"""

from __future__ import annotations

from typing import Tuple

from ivrmedia import _ivrmedia

NetworkSimulator = _ivrmedia.NetworkSimulator
NetworkConfig = _ivrmedia.NetworkConfig
NetworkStats = _ivrmedia.NetworkStats
Arrival = _ivrmedia.Arrival

#: The preset names, mildest first.
PRESETS: Tuple[str, ...] = tuple(_ivrmedia.network_presets())

__all__ = ["NetworkSimulator", "NetworkConfig", "NetworkStats", "Arrival", "PRESETS"]
