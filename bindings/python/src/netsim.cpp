// Network-simulator bindings: ivrmedia.NetworkSimulator and NetworkConfig over
// sim::NetworkSimulator (lib/sim, linked as ivrmedia_sim; not part of the product library).
//
// A NetworkConfig is a plain settings object: every field is a read-write attribute named as in
// lib/sim/network_config.hpp (enums as strings, the Gilbert-Elliott chain flattened to loss_*).
// NetworkSimulator takes a preset name or a NetworkConfig plus keyword overrides of any field.
// send() copies the datagram; simulate() runs a whole stream with the GIL released. Invalid
// settings raise ValueError naming the field (sim's std::invalid_argument).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "objects.hpp"
#include "records.hpp"
#include "sim/network_config.hpp"
#include "sim/network_simulator.hpp"

namespace py = pybind11;
namespace sim = ivrmedia::sim;
using ivrm_py::Bytes;
using ivrm_py::bytes_of;
using ivrm_py::Exclusive;
using ivrm_py::Record;

namespace {

struct PyNetworkSimulator {
  explicit PyNetworkSimulator(const sim::NetworkConfig& c) : net(c) {}
  sim::NetworkSimulator net;
  std::atomic<bool> busy{false};
};

const char* jitter_name(sim::JitterModel j) {
  switch (j) {
    case sim::JitterModel::gaussian:
      return "gaussian";
    case sim::JitterModel::pareto:
      return "pareto";
    default:
      return "none";
  }
}

sim::JitterModel jitter_of(const std::string& s) {
  if (s == "none") return sim::JitterModel::none;
  if (s == "gaussian") return sim::JitterModel::gaussian;
  if (s == "pareto") return sim::JitterModel::pareto;
  throw py::value_error("jitter must be 'none', 'gaussian' or 'pareto', got '" + s + "'");
}

sim::SpikeShape shape_of(const std::string& s) {
  if (s == "ramp") return sim::SpikeShape::ramp;
  if (s == "plateau") return sim::SpikeShape::plateau;
  throw py::value_error("spike_shape must be 'ramp' or 'plateau', got '" + s + "'");
}

sim::NetworkConfig preset_config(const std::string& name, std::uint64_t seed) {
  const auto p = sim::preset_from_name(name);
  if (!p) {
    std::string names;
    for (const sim::Preset q : sim::kAllPresets)
      names += (names.empty() ? "'" : ", '") + std::string(sim::preset_name(q)) + "'";
    throw py::value_error("unknown network preset '" + name + "'; one of " + names);
  }
  return sim::preset(*p, seed);
}

// Names NetworkConfig's attributes take as keyword overrides (filled while binding).
std::vector<std::string>& setting_names() {
  static std::vector<std::string> names;
  return names;
}

// A config from a preset name or a NetworkConfig, a seed and keyword overrides of any setting
// (plus loss_rate / loss_burst_packets for a simple Gilbert chain). Validated.
sim::NetworkConfig config_of(const py::object& preset, const std::optional<std::uint64_t>& seed,
                             const py::kwargs& overrides) {
  sim::NetworkConfig c;
  if (py::isinstance<py::str>(preset)) {
    c = preset_config(py::cast<std::string>(preset), seed.value_or(1));
  } else if (py::isinstance<sim::NetworkConfig>(preset)) {
    c = py::cast<sim::NetworkConfig>(preset);
    if (seed) c.seed = *seed;
  } else {
    throw py::type_error("preset: expected a preset name or a NetworkConfig");
  }
  py::object obj = py::cast(c);
  std::optional<double> loss_rate;
  double loss_burst = 1.0;
  for (const auto& [k, v] : overrides) {
    const auto key = py::cast<std::string>(k);
    if (key == "loss_rate") {
      loss_rate = py::cast<double>(v);
    } else if (key == "loss_burst_packets") {
      loss_burst = py::cast<double>(v);
    } else if (std::find(setting_names().begin(), setting_names().end(), key) !=
               setting_names().end()) {
      obj.attr(key.c_str()) = v;
    } else {
      throw py::type_error("unknown network setting '" + key +
                           "' (see ivrmedia.netsim.NetworkConfig)");
    }
  }
  c = py::cast<sim::NetworkConfig>(obj);
  if (loss_rate) {
    c.loss = sim::GilbertElliott::from_loss_and_burst(*loss_rate, loss_burst);
  } else if (overrides.contains("loss_burst_packets")) {
    throw py::type_error("loss_burst_packets needs loss_rate");
  }
  c.validate();
  return c;
}

py::list arrivals(std::vector<sim::Arrival>&& a) {
  py::list out;
  for (auto& x : a)
    out.append(py::cast(std::move(x)));
  return out;
}

py::list simulate(PyNetworkSimulator& self, const py::iterable& packets) {
  std::vector<sim::SentPacket> sent;
  for (const py::handle item : packets) {
    const auto pair = py::cast<py::sequence>(item);
    if (pair.size() != 2) throw py::value_error("packets: expected (datagram, send_time_us) pairs");
    const Bytes b = bytes_of(pair[0], "datagram");
    sent.push_back({{b.span.begin(), b.span.end()}, py::cast<std::int64_t>(pair[1])});
  }
  const Exclusive lock(self.busy, "NetworkSimulator");
  std::vector<sim::Arrival> out;
  {
    py::gil_scoped_release released;
    // std::invalid_argument (decreasing send times) crosses the GIL scope and becomes a
    // ValueError once the GIL is back.
    out = self.net.simulate(sent);
  }
  return arrivals(std::move(out));
}

// Binds a read-write setting and records its name as an override keyword.
template <typename M>
void setting(py::class_<sim::NetworkConfig>& cls, const char* name, M sim::NetworkConfig::*member,
             const char* doc) {
  cls.def_readwrite(name, member, doc);
  setting_names().emplace_back(name);
}

template <typename Get, typename Set>
void setting(py::class_<sim::NetworkConfig>& cls, const char* name, Get get, Set set,
             const char* doc) {
  cls.def_property(name, get, set, doc);
  setting_names().emplace_back(name);
}

}  // namespace

void bind_netsim(py::module_& m) {
  using C = sim::NetworkConfig;
  py::class_<C> cfg(
      m, "NetworkConfig",
      "Settings of a simulated network path (lib/sim/network_config.hpp; times in integer\n"
      "microseconds on the receiver's clock). Start from NetworkConfig.preset(name, seed) or\n"
      "NetworkConfig() (20 ms base delay, nothing else) and set attributes; validate() raises\n"
      "ValueError naming the first field out of range.");
  cfg.def(py::init<>())
      .def_static("preset", &preset_config, py::arg("name"), py::arg("seed") = 1,
                  "The named preset: 'ideal', 'wired', 'wifi', 'mobile_lte',\n"
                  "'mobile_3g_handover', 'congested', 'bursty_loss'.")
      .def("validate", &C::validate, "Raises ValueError naming the first field out of range.")
      .def(
          "set_loss",
          [](C& c, double rate, double burst_packets) {
            c.loss = sim::GilbertElliott::from_loss_and_burst(rate, burst_packets);
          },
          py::arg("rate"), py::arg("burst_packets") = 1.0,
          "Simple Gilbert loss: mean loss `rate` (0 <= rate < 1) in bursts of mean\n"
          "`burst_packets` (>= 1; 1 is independent loss). ValueError when no chain has them.")
      .def_property_readonly(
          "mean_loss_rate", [](const C& c) { return c.loss.mean_loss_rate(); },
          "Long-run loss rate of the Gilbert-Elliott chain.")
      .def("__copy__", [](const C& c) { return C(c); })
      .def(
          "__deepcopy__", [](const C& c, const py::object&) { return C(c); }, py::arg("memo"))
      .def("__repr__", [](const py::object& self) {
        std::string s = "NetworkConfig(";
        bool first = true;
        for (const std::string& n : setting_names()) {
          s += (first ? "" : ", ") + n + "=" + std::string(py::repr(self.attr(n.c_str())));
          first = false;
        }
        return s + ")";
      });
  setting(cfg, "seed", &C::seed, "Random seed: the same seed and input give the same arrivals.");
  setting(cfg, "base_delay_us", &C::base_delay_us, "Fixed one-way delay, the floor.");
  setting(
      cfg, "jitter", [](const C& c) { return std::string(jitter_name(c.jitter)); },
      [](C& c, const std::string& s) { c.jitter = jitter_of(s); },
      "'none', 'gaussian' (Normal(mean, stddev), clipped at 0) or 'pareto' (Lomax).");
  setting(cfg, "gaussian_mean_us", &C::gaussian_mean_us, "Gaussian jitter mean.");
  setting(cfg, "gaussian_stddev_us", &C::gaussian_stddev_us, "Gaussian jitter deviation.");
  setting(cfg, "pareto_scale_us", &C::pareto_scale_us, "Pareto (Lomax) scale.");
  setting(cfg, "pareto_shape", &C::pareto_shape, "Pareto shape (tail weight).");
  setting(cfg, "jitter_cap_us", &C::jitter_cap_us, "No jitter draw exceeds this.");
  setting(cfg, "preserve_order", &C::preserve_order,
          "One FIFO path: jitter delays the packets behind instead of reordering.");
  setting(cfg, "min_arrival_spacing_us", &C::min_arrival_spacing_us,
          "With preserve_order: least spacing of consecutive arrivals.");
  setting(cfg, "reorder_probability", &C::reorder_probability,
          "Chance a packet takes a slower path and arrives after the next reorder_depth.");
  setting(cfg, "reorder_depth", &C::reorder_depth, "Packets a reordered one falls behind.");
  setting(cfg, "spike_probability", &C::spike_probability, "Per packet sent.");
  setting(cfg, "spike_rate_per_s", &C::spike_rate_per_s, "Poisson spikes per second.");
  setting(cfg, "spike_height_us", &C::spike_height_us, "Extra delay at a spike's start.");
  setting(cfg, "spike_duration_us", &C::spike_duration_us,
          "ramp: >= height (0 = height); plateau: > 0.");
  setting(
      cfg, "spike_shape",
      [](const C& c) {
        return std::string(c.spike_shape == sim::SpikeShape::ramp ? "ramp" : "plateau");
      },
      [](C& c, const std::string& s) { c.spike_shape = shape_of(s); },
      "'ramp' (stall draining in a burst) or 'plateau' (slower route, then back).");
  setting(
      cfg, "loss_p_good_to_bad", [](const C& c) { return c.loss.p_good_to_bad; },
      [](C& c, double v) { c.loss.p_good_to_bad = v; }, "Gilbert-Elliott p.");
  setting(
      cfg, "loss_r_bad_to_good", [](const C& c) { return c.loss.r_bad_to_good; },
      [](C& c, double v) { c.loss.r_bad_to_good = v; }, "Gilbert-Elliott r.");
  setting(
      cfg, "loss_in_good", [](const C& c) { return c.loss.loss_in_good; },
      [](C& c, double v) { c.loss.loss_in_good = v; }, "Loss probability in the good state.");
  setting(
      cfg, "loss_in_bad", [](const C& c) { return c.loss.loss_in_bad; },
      [](C& c, double v) { c.loss.loss_in_bad = v; }, "Loss probability in the bad state.");
  setting(cfg, "duplicate_probability", &C::duplicate_probability, "Chance of a copy.");
  setting(cfg, "duplicate_max_lag_us", &C::duplicate_max_lag_us,
          "A copy arrives 0..this after the original.");
  setting(cfg, "clock_skew_ppm", &C::clock_skew_ppm,
          "How much faster the sender's clock runs (+-100000).");

  m.def(
      "network_presets",
      [] {
        std::vector<std::string> names;
        for (const sim::Preset p : sim::kAllPresets)
          names.emplace_back(sim::preset_name(p));
        return names;
      },
      "Names of the network presets.");

  using St = sim::NetworkStats;
  Record<St>(m, "NetworkStats", "What a NetworkSimulator did since creation or reset().")
      .field("sent", &St::sent, "Packets sent.")
      .field("lost", &St::lost, "Packets lost.")
      .field("loss_bursts", &St::loss_bursts, "Runs of consecutive lost packets.")
      .field("duplicated", &St::duplicated, "Copies made.")
      .field("spikes", &St::spikes, "Delay spikes started.")
      .field("reordered", &St::reordered,
             "Delivered packets that arrived after a packet sent later (RFC 4737).")
      .field("delivered", &St::delivered, "Arrivals taken, duplicates included.")
      .field("mean_extra_delay_us", &St::mean_extra_delay_us,
             "Mean delay beyond the base delay of packets not lost.")
      .field("max_extra_delay_us", &St::max_extra_delay_us, "Largest such delay.")
      .finish();

  Record<sim::Arrival>(m, "Arrival", "One packet arriving at the receiver.")
      .field("arrival_time_us", &sim::Arrival::arrival_time_us, "Receiver's clock.")
      .field("send_time_us", &sim::Arrival::send_time_us, "As given to send() (sender's clock).")
      .field("index", &sim::Arrival::index, "0 for the first packet sent, 1 for the next, ...")
      .field("duplicate", &sim::Arrival::duplicate, "A second copy of packet `index`.")
      .computed(
          "bytes",
          [](const sim::Arrival& a) {
            return py::bytes(reinterpret_cast<const char*>(a.bytes.data()),
                             static_cast<py::ssize_t>(a.bytes.size()));
          },
          "The datagram (a copy of what was sent).")
      .finish();

  py::class_<PyNetworkSimulator>(
      m, "NetworkSimulator",
      "Seeded network path: packets stamped with send times in, arrivals out, with delay,\n"
      "Gaussian or Pareto jitter, delay spikes, Gilbert-Elliott burst loss, reordering,\n"
      "duplicates and clock skew. The same seed and input give the same arrivals.\n\n"
      "preset is a preset name (see network_presets()) or a NetworkConfig; seed replaces the\n"
      "preset's (default 1); keyword overrides set any NetworkConfig field by name, and\n"
      "loss_rate=..., loss_burst_packets=... set a simple Gilbert loss. ValueError for a\n"
      "setting out of range, TypeError for an unknown one.")
      .def(py::init([](const py::object& preset, const std::optional<std::uint64_t>& seed,
                       const py::kwargs& overrides) {
             return std::make_unique<PyNetworkSimulator>(config_of(preset, seed, overrides));
           }),
           py::arg("preset") = "mobile_lte", py::arg("seed") = py::none())
      .def(
          "send",
          [](PyNetworkSimulator& self, const py::object& datagram, std::int64_t send_time_us) {
            const Bytes b = bytes_of(datagram, "datagram");
            const Exclusive lock(self.busy, "NetworkSimulator");
            return self.net.send(b.span, send_time_us);
          },
          py::arg("datagram"), py::arg("send_time_us"),
          "Sends one packet at send_time_us on the sender's clock (not decreasing; ValueError\n"
          "otherwise). Returns its index.")
      .def(
          "take",
          [](PyNetworkSimulator& self, std::int64_t now_us) {
            const Exclusive lock(self.busy, "NetworkSimulator");
            return arrivals(self.net.take(now_us));
          },
          py::arg("now_us"),
          "Every Arrival with arrival_time_us <= now_us not taken yet, in arrival order.\n"
          "Complete once every packet whose receiver_time() is <= now_us has been sent.")
      .def(
          "flush",
          [](PyNetworkSimulator& self) {
            const Exclusive lock(self.busy, "NetworkSimulator");
            return arrivals(self.net.flush());
          },
          "Everything still in flight, in arrival order (end of stream).")
      .def("simulate", &simulate, py::arg("packets"),
           "Sends every (datagram, send_time_us) pair, then flushes: the stream's arrivals in\n"
           "arrival order. The GIL is released while the simulator runs.")
      .def(
          "receiver_time",
          [](const PyNetworkSimulator& self, std::int64_t send_time_us) {
            return self.net.receiver_time(send_time_us);
          },
          py::arg("send_time_us"), "The receiver's clock when the sender's reads send_time_us.")
      .def(
          "reset",
          [](PyNetworkSimulator& self) {
            const Exclusive lock(self.busy, "NetworkSimulator");
            self.net.reset();
          },
          "Back to the state after creation (the same arrivals again).")
      .def_property_readonly(
          "next_arrival_us",
          [](const PyNetworkSimulator& self) { return self.net.next_arrival_us(); },
          "Arrival time of the next packet in flight, or None.")
      .def_property_readonly(
          "in_flight", [](const PyNetworkSimulator& self) { return self.net.in_flight(); },
          "Packets sent and not taken yet.")
      .def_property_readonly(
          "config", [](const PyNetworkSimulator& self) { return self.net.config(); },
          "A copy of the NetworkConfig.")
      .def_property_readonly(
          "stats",
          [](PyNetworkSimulator& self) {
            const Exclusive lock(self.busy, "NetworkSimulator");
            return self.net.stats();
          },
          "A NetworkStats snapshot.")
      .def("__repr__", [](const PyNetworkSimulator& self) {
        return "NetworkSimulator(seed=" + std::to_string(self.net.config().seed) +
               ", in_flight=" + std::to_string(self.net.in_flight()) + ")";
      });
}
