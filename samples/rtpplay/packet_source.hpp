// ivrmedia-rtpplay: where packets come from. The player asks a PacketSource for the datagrams
// that arrived up to a time; a capture file answers from the file, a live socket waits on the
// wall clock, a generator makes them (a sound file sent through the network simulator).
// Everything after that (stream selection, the jitter
// buffer, the output) is the same for every source, as in NetEq's tools.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rtpplay {

// One UDP payload with the time it arrived and the flow it came on.
struct Packet {
  std::vector<std::uint8_t> bytes;
  std::int64_t arrival_us = 0;  // microseconds since the Unix epoch (the capture's clock)
  std::string flow;             // "src:port > dst:port", for choosing one stream
};

enum class Next {
  packet,  // *out holds the next packet (arrived at or before until_us)
  idle,    // none arrived by until_us (a live source has waited until then)
  end,     // no more packets will come
};

class PacketSource {
 public:
  virtual ~PacketSource() = default;
  // The next packet that arrived at or before until_us.
  virtual Next next(std::int64_t until_us, Packet* out) = 0;
  // Why the source ended early (a damaged capture, a socket error); empty when it did not.
  [[nodiscard]] virtual std::string error() const { return {}; }
  // Counts for the report, as "name": value JSON members (no braces).
  [[nodiscard]] virtual std::string json_counts() const = 0;
};

// A pcap or pcapng file (read with libpcap). On failure returns null and sets *error.
std::unique_ptr<PacketSource> open_capture(const std::string& path, std::string* error);

struct LiveOptions {
  int port = 0;              // 0: the system picks one (printed on stderr)
  double duration_s = 0;     // stop after this long from the first packet; 0: no limit
  double idle_s = 3;         // stop after this long without a packet (after the first)
  double first_wait_s = 30;  // give up when nothing arrives this long after start
};
// A UDP socket on 127.0.0.1. Prints "listening on 127.0.0.1:PORT" on stderr once bound.
std::unique_ptr<PacketSource> open_live(const LiveOptions& options, std::string* error);

struct GeneratorOptions {
  std::string wav;                           // 8 kHz sound file, sent as PCMU in 20 ms packets
  std::string network = "ideal";             // a lib/sim preset name
  std::uint64_t seed = 1;                    // the network's and the RTP header's random draws
  std::int64_t start_us = 1700000000000000;  // first send time (2023-11-14T22:13:20Z)
};
// The sound file sent through ivrmedia's network simulator (lib/sim), made at once.
std::unique_ptr<PacketSource> open_generator(const GeneratorOptions& options, std::string* error);

}  // namespace rtpplay
