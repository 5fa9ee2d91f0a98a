// Capture files through libpcap: pcap_open_offline reads pcap (microsecond or nanosecond) and
// pcapng; every timestamp is asked for in nanoseconds and kept in microseconds. This file only
// unwraps link, network and transport headers down to the UDP payload.
#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "packet_source.hpp"

namespace rtpplay {
namespace {

// Link types by their numbers as well as libpcap's macros (some are missing in old headers).
constexpr int kLinkNull = 0;      // BSD loopback: 4-byte address family in host order
constexpr int kLinkEthernet = 1;  // DLT_EN10MB
constexpr int kLinkRaw = 12;      // DLT_RAW as libpcap reports LINKTYPE_RAW (101) on Linux
constexpr int kLinkRawAlt = 14;   // DLT_RAW on OpenBSD-style headers
constexpr int kLinkLoop = 108;    // OpenBSD loopback: family in network order
constexpr int kLinkSll = 113;     // Linux cooked capture v1
constexpr int kLinkIpv4 = 228;
constexpr int kLinkIpv6 = 229;
constexpr int kLinkSll2 = 276;  // Linux cooked capture v2

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

class CaptureSource final : public PacketSource {
 public:
  explicit CaptureSource(pcap_t* p) : pcap_(p), link_(pcap_datalink(p)) {}
  ~CaptureSource() override { pcap_close(pcap_); }
  CaptureSource(const CaptureSource&) = delete;
  CaptureSource& operator=(const CaptureSource&) = delete;

  [[nodiscard]] bool link_supported() const {
    switch (link_) {
      case kLinkNull:
      case kLinkEthernet:
      case kLinkRaw:
      case kLinkRawAlt:
      case kLinkLoop:
      case kLinkSll:
      case kLinkIpv4:
      case kLinkIpv6:
      case kLinkSll2:
        return true;
      default:
        return false;
    }
  }
  [[nodiscard]] int link() const { return link_; }

  Next next(std::int64_t until_us, Packet* out) override {
    if (!have_pending_ && (!error_.empty() || !read_one())) return Next::end;
    if (pending_.arrival_us > until_us) return Next::idle;
    *out = std::move(pending_);
    have_pending_ = false;
    return Next::packet;
  }

  [[nodiscard]] std::string error() const override { return error_; }

  [[nodiscard]] std::string json_counts() const override {
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "\"link_type\": %d, \"frames\": %lld, \"udp\": %lld, \"not_ip\": %lld, "
                  "\"not_udp\": %lld, \"fragments_skipped\": %lld, \"truncated\": %lld, "
                  "\"out_of_order_time\": %lld",
                  link_, static_cast<long long>(frames_), static_cast<long long>(udp_),
                  static_cast<long long>(not_ip_), static_cast<long long>(not_udp_),
                  static_cast<long long>(fragments_), static_cast<long long>(truncated_),
                  static_cast<long long>(backwards_));
    return buf;
  }

 private:
  // Reads frames until one holds a UDP payload; false at the end of the file (or an error,
  // reported on stderr).
  bool read_one() {
    for (;;) {
      pcap_pkthdr* h = nullptr;
      const u_char* data = nullptr;
      const int rc = pcap_next_ex(pcap_, &h, &data);
      if (rc == PCAP_ERROR_BREAK) return false;
      if (rc != 1) {
        error_ = pcap_geterr(pcap_);
        return false;
      }
      ++frames_;
      // Asked for nanosecond precision at open: tv_usec holds nanoseconds.
      std::int64_t t = static_cast<std::int64_t>(h->ts.tv_sec) * 1000000 +
                       static_cast<std::int64_t>(h->ts.tv_usec) / 1000;
      // Capture clocks can step back (NTP); arrival times passed on never go backwards.
      if (t < last_us_) {
        ++backwards_;
        t = last_us_;
      }
      last_us_ = t;
      if (link_layer(data, h->caplen, t)) return true;
    }
  }

  bool link_layer(const std::uint8_t* p, std::size_t n, std::int64_t t) {
    std::uint16_t proto = 0;
    switch (link_) {
      case kLinkEthernet: {
        if (n < 14) return skip(not_ip_);
        std::size_t off = 12;
        proto = be16(p + off);
        // 802.1Q / 802.1ad tags, possibly stacked (QinQ)
        while ((proto == 0x8100 || proto == 0x88A8 || proto == 0x9100) && off + 6 <= n) {
          off += 4;
          proto = be16(p + off);
        }
        off += 2;
        return network(proto, p + off, n - off, t);
      }
      case kLinkSll:
        if (n < 16) return skip(not_ip_);
        return network(be16(p + 14), p + 16, n - 16, t);
      case kLinkSll2:
        if (n < 20) return skip(not_ip_);
        return network(be16(p), p + 20, n - 20, t);
      case kLinkNull:
      case kLinkLoop: {
        if (n < 4) return skip(not_ip_);
        std::uint32_t family;
        if (link_ == kLinkLoop) {
          family = std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
                   std::uint32_t{p[2]} << 8 | p[3];
        } else {
          std::memcpy(&family, p, 4);  // host order of the capturing machine: try both
          if (family > 0xFFFF) family = __builtin_bswap32(family);
        }
        // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD),
        // 30 (macOS)
        const std::uint16_t ip = family == 2 ? 0x0800
                                 : (family == 10 || family == 24 || family == 28 || family == 30)
                                     ? 0x86DD
                                     : 0;
        return network(ip, p + 4, n - 4, t);
      }
      default:  // raw IP: the version nibble says which
        if (n < 1) return skip(not_ip_);
        return network((p[0] >> 4) == 4 ? 0x0800 : (p[0] >> 4) == 6 ? 0x86DD : 0, p, n, t);
    }
  }

  bool network(std::uint16_t proto, const std::uint8_t* p, std::size_t n, std::int64_t t) {
    char src[64], dst[64];
    if (proto == 0x0800) {
      if (n < 20 || (p[0] >> 4) != 4) return skip(not_ip_);
      const std::size_t ihl = std::size_t{p[0] & 0x0Fu} * 4;  // options included
      const std::size_t total = be16(p + 2);
      if (ihl < 20 || total < ihl || n < ihl) return skip(truncated_);
      if (n > total) n = total;  // Ethernet padding
      const std::uint16_t frag = be16(p + 6);
      // A non-first fragment has no UDP header; a first one with more to come holds only part
      // of its datagram. Neither can be used without reassembly.
      if ((frag & 0x1FFF) != 0 || (frag & 0x2000) != 0) return skip(fragments_);
      if (p[9] != 17) return skip(not_udp_);
      std::snprintf(src, sizeof src, "%u.%u.%u.%u", p[12], p[13], p[14], p[15]);
      std::snprintf(dst, sizeof dst, "%u.%u.%u.%u", p[16], p[17], p[18], p[19]);
      return udp(p + ihl, n - ihl, t, src, dst);
    }
    if (proto == 0x86DD) {
      if (n < 40 || (p[0] >> 4) != 6) return skip(not_ip_);
      const std::size_t payload_len = be16(p + 4);
      if (n > 40 + payload_len && payload_len != 0) n = 40 + payload_len;
      format_ipv6(p + 8, src);
      format_ipv6(p + 24, dst);
      std::uint8_t next = p[6];
      std::size_t off = 40;
      // Walk the extension headers (RFC 8200 section 4) to the upper layer.
      for (int hops = 0; hops < 16; ++hops) {
        if (next == 17) return udp(p + off, n - off, t, src, dst);
        if (next == 0 || next == 43 || next == 60 || next == 135 || next == 139 ||
            next == 140) {  // hop-by-hop, routing, destination options, mobility, HIP, shim6
          if (off + 8 > n) return skip(truncated_);
          const std::size_t len = (std::size_t{p[off + 1]} + 1) * 8;
          next = p[off];
          off += len;
        } else if (next == 44) {  // fragment: only a whole datagram (offset 0, M clear) is usable
          if (off + 8 > n) return skip(truncated_);
          const std::uint16_t fo = be16(p + off + 2);
          if ((fo & 0xFFF8) != 0 || (fo & 1) != 0) return skip(fragments_);
          next = p[off];
          off += 8;
        } else if (next == 51) {  // authentication header: length in 32-bit words minus 2
          if (off + 8 > n) return skip(truncated_);
          const std::size_t len = (std::size_t{p[off + 1]} + 2) * 4;
          next = p[off];
          off += len;
        } else {  // ESP (encrypted), no next header (59), TCP, ICMPv6, ...
          return skip(not_udp_);
        }
        if (off > n) return skip(truncated_);
      }
      return skip(not_udp_);
    }
    return skip(not_ip_);
  }

  bool udp(const std::uint8_t* p, std::size_t n, std::int64_t t, const char* src, const char* dst) {
    if (n < 8) return skip(truncated_);
    const std::size_t len = be16(p + 4);
    if (len < 8 || len > n) return skip(truncated_);  // cut by the snap length
    ++udp_;
    pending_.bytes.assign(p + 8, p + len);
    pending_.arrival_us = t;
    char flow[160];
    std::snprintf(flow, sizeof flow, "%s:%u > %s:%u", src, be16(p), dst, be16(p + 2));
    pending_.flow = flow;
    have_pending_ = true;
    return true;
  }

  static void format_ipv6(const std::uint8_t* a, char* out) {
    char text[INET6_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET6, a, text, sizeof text);
    std::snprintf(out, 64, "[%s]", text);
  }

  static bool skip(std::int64_t& counter) {
    ++counter;
    return false;
  }

  pcap_t* pcap_;
  int link_;
  Packet pending_;
  bool have_pending_ = false;
  std::string error_;
  std::int64_t last_us_ = INT64_MIN;
  std::int64_t frames_ = 0, udp_ = 0, not_ip_ = 0, not_udp_ = 0, fragments_ = 0, truncated_ = 0,
               backwards_ = 0;
};

}  // namespace

std::unique_ptr<PacketSource> open_capture(const std::string& path, std::string* error) {
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p =
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err);
  if (p == nullptr) {
    *error = path + ": " + err;
    return nullptr;
  }
  auto source = std::make_unique<CaptureSource>(p);
  if (!source->link_supported()) {
    const char* name = pcap_datalink_val_to_name(source->link());
    *error = path + ": link type " + std::to_string(source->link()) + " (" +
             (name ? name : "unknown") +
             ") not supported (Ethernet, Linux cooked v1/v2, raw IPv4/IPv6, BSD loopback are)";
    return nullptr;
  }
  return source;
}

}  // namespace rtpplay
