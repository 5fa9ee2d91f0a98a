// Writes the captures ivrmedia-rtpplay's ctest replays (and a WAV for the live test), so no
// binary test data is committed. One scenario, framed five ways:
//   eth_vlan_ipv4.pcap  Ethernet + 802.1Q + IPv4 (some with IP options), microsecond pcap
//   raw_ipv4.pcap       raw IP (LINKTYPE_RAW), nanosecond pcap
//   sll_ipv6.pcapng     Linux cooked v1 + IPv6 with extension headers, pcapng (written here:
//                       libpcap 1.10 cannot write pcapng), nanosecond if_tsresol
//   sll2_ipv6.pcap      Linux cooked v2 + IPv6, microsecond pcap
//   null_ipv4.pcap      BSD loopback (DLT_NULL) + IPv4, microsecond pcap
// The scenario (arrival times are whole microseconds, so all five replay identically):
//   the stream: PCMU, SSRC 0x1234abcd, 150 packets of 20 ms (3 s), sequence numbers and
//     timestamps wrapping; 30 ms network delay plus 0-12 ms jitter; packets 40 and 41 lost;
//     packet 60 arrives after 61; a 300 Hz tone under everything;
//   digits: '5' in-band only at 0.5 s, '7' both in-band and RFC 4733 (PT 101) at 1.5 s, '9' RFC
//     4733 only at 2.3 s (each end packet sent three times, RFC 4733 section 2.5.1.4);
//   noise the reader must skip: a non-RTP UDP datagram, RTCP (on the next port and muxed on the
//     RTP port), a TCP segment, ARP (Ethernet only), RTP of another payload type before the
//     stream, the same SSRC on another flow, a fragmented UDP datagram whose fragments look like
//     RTP, and a second RTP stream (PCMA, SSRC 0x2222, 50 packets from 1.0 s) for --ssrc.
// live_dtmf.wav: 8 kHz, 2 s, in-band "12#" (100 ms tones, 100 ms pauses) from 0.3 s.
// mutated_NN.pcap(ng): the captures with bytes flipped after the file header (seeded) and some
// cut short, for the "never a crash" check.
//
//   make_test_captures OUTDIR
#include <pcap/pcap.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/dtmf.hpp"
#include "ivrmedia/rtp.hpp"
#include "ivrmedia/telephone_event.hpp"

namespace {

namespace rtp = ivrmedia::rtp;
namespace codec = ivrmedia::codec;
namespace dtmf = ivrmedia::dtmf;

using Bytes = std::vector<std::uint8_t>;
constexpr std::int64_t kStartUs = 1700000000000000;  // 2023-11-14T22:13:20Z
constexpr int kRate = 8000;

enum class Transport { udp, tcp, arp, ipv4_fragment_first, ipv4_fragment_rest };

// A datagram as it crossed the network, before framing.
struct Wire {
  std::int64_t arrival_us;
  Transport transport = Transport::udp;
  int src_port = 40000, dst_port = 20000;
  int src_host = 1;  // last octet / group of the sender's address
  Bytes payload;     // UDP payload (or TCP payload)
  bool ip_options = false;
};

void put16(Bytes& b, std::size_t at, unsigned v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

std::vector<float> scenario_audio(int packets) {
  std::vector<float> pcm(static_cast<std::size_t>(packets) * 160);
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] =
        0.03f * static_cast<float>(std::sin(2 * M_PI * 300.0 * static_cast<double>(i) / kRate));
  }
  const auto add_digit = [&](char d, double at_s) {
    dtmf::Generator::Config gc;
    gc.tone_ms = 120;
    gc.pause_ms = 10;
    dtmf::Generator g(gc);
    (void)g.queue(std::string(1, d));
    std::vector<float> tone(static_cast<std::size_t>(0.13 * kRate));
    g.generate(tone);
    const auto at = static_cast<std::size_t>(at_s * kRate);
    for (std::size_t i = 0; i < tone.size(); ++i)
      pcm[at + i] += tone[i];
  };
  add_digit('5', 0.5);
  add_digit('7', 1.5);
  return pcm;
}

std::vector<Wire> scenario() {
  std::vector<Wire> w;
  const auto at = [](double s) {
    return kStartUs + static_cast<std::int64_t>(std::llround(s * 1e6));
  };
  // Before the stream.
  w.push_back({at(-0.050), Transport::udp, 5353, 5353, 7, {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0}});
  w.push_back({at(-0.040), Transport::tcp, 5060, 5060, 1, Bytes(40, 'S')});
  w.push_back({at(-0.030), Transport::arp, 0, 0, 1, {}});
  {
    Bytes other = {0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0x55, 0x55, 1, 2, 3, 4};
    w.push_back({at(-0.020), Transport::udp, 41000, 21000, 3, other});
  }

  codec::EncoderConfig ulaw;
  ulaw.format = {"PCMU", 8000, 1};
  auto enc = codec::make_encoder(ulaw);
  rtp::Builder::Config bc;
  bc.payload_type = 0;
  bc.ssrc = 0x1234ABCD;
  bc.first_sequence = 65500;
  bc.first_timestamp = 0xFFFFF000u;
  rtp::Builder builder(bc);
  const int packets = 150;
  const std::vector<float> pcm = scenario_audio(packets);
  std::uint8_t buf[1500];
  std::size_t n = 0;
  std::uint32_t ts_at[packets];
  for (int i = 0; i < packets; ++i) {
    Bytes payload(enc->info().max_payload_bytes);
    std::size_t written = 0;
    (void)enc->encode(std::span<const float>(pcm.data() + i * 160, 160), payload, &written);
    payload.resize(written);
    ts_at[i] = builder.next_timestamp();
    (void)builder.build(payload, 160, i == 0, buf, &n);
    const double send = i * 0.020;
    double arrive = send + 0.030 + ((i * 7) % 13) * 0.001;
    if (i == 60) arrive = 61 * 0.020 + 0.030 + ((61 * 7) % 13) * 0.001 + 0.003;
    if (i == 40 || i == 41) continue;  // lost
    Wire x{at(arrive), Transport::udp, 40000, 20000, 1, Bytes(buf, buf + n)};
    x.ip_options = i % 10 == 3;
    w.push_back(x);
    // RFC 4733 events on the stream's sequence numbers: '7' at packet 75, '9' at packet 115.
    for (const auto& [digit, first, count] : {std::tuple{'7', 75, 6}, std::tuple{'9', 115, 5}}) {
      if (i < first || i >= first + count) continue;
      rtp::EventPayload ev;
      ev.code = rtp::event_code(digit);
      ev.volume = 10;
      ev.duration = static_cast<std::uint32_t>((i - first + 1) * 160);
      ev.end = i == first + count - 1;
      std::uint8_t block[4];
      (void)rtp::write_event(ev, block);
      for (int copy = 0; copy < (ev.end ? 3 : 1); ++copy) {
        (void)builder.build_at(101, block, ts_at[first], i == first && copy == 0, buf, &n);
        Wire e{at(arrive) + 100 + copy * 200, Transport::udp, 40000, 20000, 1, Bytes(buf, buf + n)};
        w.push_back(e);
      }
    }
  }
  // RTCP receiver report on the next port, and one muxed on the RTP port (RFC 5761).
  const Bytes rr = {0x80, 201, 0, 1, 0x12, 0x34, 0xAB, 0xCD};
  w.push_back({at(0.505), Transport::udp, 40001, 20001, 1, rr});
  w.push_back({at(1.005), Transport::udp, 40000, 20000, 1, rr});
  // The stream's SSRC on another flow (a copy via another host).
  {
    Bytes fake = {0x80, 0, 0, 9, 0, 0, 0, 0, 0x12, 0x34, 0xAB, 0xCD, 0xFF, 0xFF};
    w.push_back({at(1.105), Transport::udp, 40000, 20000, 9, fake});
  }
  // A fragmented datagram on the RTP flow: both fragments begin like RTP of the stream.
  {
    Bytes looks_like_rtp = {0x80, 0, 0, 7, 0, 0, 0, 0, 0x12, 0x34, 0xAB, 0xCD};
    looks_like_rtp.resize(64, 0xFF);
    w.push_back({at(1.305), Transport::ipv4_fragment_first, 40000, 20000, 1, looks_like_rtp});
    w.push_back({at(1.306), Transport::ipv4_fragment_rest, 40000, 20000, 1, looks_like_rtp});
  }
  // A second stream, PCMA, 1.0-2.0 s.
  {
    codec::EncoderConfig alaw_config;
    alaw_config.format = {"PCMA", 8000, 1};
    auto alaw = codec::make_encoder(alaw_config);
    rtp::Builder::Config c2;
    c2.payload_type = 8;
    c2.ssrc = 0x2222;
    rtp::Builder b2(c2);
    std::vector<float> tone(160);
    for (int i = 0; i < 50; ++i) {
      for (std::size_t k = 0; k < tone.size(); ++k) {
        tone[k] = 0.1f * static_cast<float>(
                             std::sin(2 * M_PI * 1000.0 * double(i * 160 + int(k)) / kRate));
      }
      Bytes payload(alaw->info().max_payload_bytes);
      std::size_t written = 0;
      (void)alaw->encode(std::span<const float>(tone), payload, &written);
      payload.resize(written);
      (void)b2.build(payload, 160, i == 0, buf, &n);
      w.push_back(
          {at(1.0 + i * 0.020 + 0.011), Transport::udp, 40002, 20002, 2, Bytes(buf, buf + n)});
    }
  }
  std::stable_sort(w.begin(), w.end(),
                   [](const Wire& a, const Wire& b) { return a.arrival_us < b.arrival_us; });
  return w;
}

// IPv4 (with UDP or TCP), or nothing for ARP. `options`: 4 bytes of NOP options (IHL 6).
Bytes ipv4(const Wire& x) {
  const bool tcp = x.transport == Transport::tcp;
  const bool rest = x.transport == Transport::ipv4_fragment_rest;
  const std::size_t ihl = x.ip_options ? 24 : 20;
  Bytes l4;
  if (rest) {
    l4 = x.payload;  // the tail of a datagram: no UDP header
  } else {
    l4.assign(tcp ? 20 : 8, 0);
    put16(l4, 0, static_cast<unsigned>(x.src_port));
    put16(l4, 2, static_cast<unsigned>(x.dst_port));
    if (tcp) {
      l4[12] = 0x50;
      l4[13] = 0x18;
    } else {
      // a first fragment announces the whole datagram's length
      const std::size_t len =
          8 + x.payload.size() + (x.transport == Transport::ipv4_fragment_first ? 64 : 0);
      put16(l4, 4, static_cast<unsigned>(len));
    }
    l4.insert(l4.end(), x.payload.begin(), x.payload.end());
  }
  Bytes ip(ihl, 0);
  ip[0] = static_cast<std::uint8_t>(0x40 | (ihl / 4));
  put16(ip, 2, static_cast<unsigned>(ihl + l4.size()));
  if (x.transport == Transport::ipv4_fragment_first) put16(ip, 6, 0x2000);  // MF
  if (rest) put16(ip, 6, 9);                                                // offset 72 bytes
  ip[8] = 64;
  ip[9] = tcp ? 6 : 17;
  ip[12] = 10, ip[13] = 0, ip[14] = 0, ip[15] = static_cast<std::uint8_t>(x.src_host);
  ip[16] = 10, ip[17] = 0, ip[18] = 0, ip[19] = 100;
  for (std::size_t i = 20; i < ihl; ++i)
    ip[i] = 1;  // NOP options
  ip.insert(ip.end(), l4.begin(), l4.end());
  return ip;
}

// IPv6: a hop-by-hop and a destination options header before UDP (or TCP); fragments carry a
// fragment header.
Bytes ipv6(const Wire& x) {
  const bool tcp = x.transport == Transport::tcp;
  const bool frag =
      x.transport == Transport::ipv4_fragment_first || x.transport == Transport::ipv4_fragment_rest;
  Bytes l4;
  if (x.transport == Transport::ipv4_fragment_rest) {
    l4 = x.payload;
  } else {
    l4.assign(tcp ? 20 : 8, 0);
    put16(l4, 0, static_cast<unsigned>(x.src_port));
    put16(l4, 2, static_cast<unsigned>(x.dst_port));
    if (tcp) {
      l4[12] = 0x50;
    } else {
      put16(l4, 4, static_cast<unsigned>(8 + x.payload.size() + (frag ? 64 : 0)));
    }
    l4.insert(l4.end(), x.payload.begin(), x.payload.end());
  }
  const std::uint8_t upper = tcp ? 6 : 17;
  Bytes ext;
  // hop-by-hop (8 bytes: next, len 0, PadN), destination options (16 bytes: len 1)
  ext.insert(ext.end(), {60, 0, 1, 4, 0, 0, 0, 0});
  ext.insert(ext.end(), {static_cast<std::uint8_t>(frag ? 44 : upper), 1, 1, 12, 0, 0, 0, 0, 0, 0,
                         0, 0, 0, 0, 0, 0});
  if (frag) {
    const unsigned off = x.transport == Transport::ipv4_fragment_rest ? (72u << 0) : 0u;
    const unsigned m = x.transport == Transport::ipv4_fragment_first ? 1u : 0u;
    ext.insert(ext.end(), {upper, 0, static_cast<std::uint8_t>((off | m) >> 8),
                           static_cast<std::uint8_t>(off | m), 0, 0, 0, 1});
  }
  Bytes ip(40, 0);
  ip[0] = 0x60;
  put16(ip, 4, static_cast<unsigned>(ext.size() + l4.size()));
  ip[6] = 0;  // hop-by-hop first
  ip[7] = 64;
  ip[8] = 0x20, ip[9] = 0x01, ip[10] = 0x0d, ip[11] = 0xb8;
  ip[23] = static_cast<std::uint8_t>(x.src_host);
  ip[24] = 0x20, ip[25] = 0x01, ip[26] = 0x0d, ip[27] = 0xb8;
  ip[39] = 100;
  ip.insert(ip.end(), ext.begin(), ext.end());
  ip.insert(ip.end(), l4.begin(), l4.end());
  return ip;
}

Bytes ethernet(const Wire& x) {
  // destination, source, an 802.1Q tag (VLAN 42), then the EtherType
  Bytes f = {0x02, 0,    0,    0,    0,    0x64,
             0x02, 0,    0,    0,    0,    static_cast<std::uint8_t>(x.src_host),
             0x81, 0x00, 0x00, 0x2A, 0x08, 0x00};
  if (x.transport == Transport::arp) {
    Bytes arp(f.size() + 28, 0);  // an all-zero ARP body is enough to be skipped
    std::copy(f.begin(), f.end(), arp.begin());
    arp[17] = 0x06;
    return arp;
  }
  const Bytes ip = ipv4(x);
  const std::size_t header = f.size();
  f.resize(header + ip.size());
  std::copy(ip.begin(), ip.end(), f.begin() + static_cast<std::ptrdiff_t>(header));
  if (f.size() < 64) f.resize(64, 0);  // minimum frame: padding after the IP datagram
  return f;
}

Bytes sll(const Wire& x, bool v2) {
  const std::uint16_t proto = x.transport == Transport::arp ? 0x0806 : 0x86DD;
  Bytes f;
  if (v2) {
    f = {static_cast<std::uint8_t>(proto >> 8),
         static_cast<std::uint8_t>(proto),
         0,
         0,
         0,
         0,
         0,
         2,
         0,
         1,
         0,
         6,
         2,
         0,
         0,
         0,
         0,
         1,
         0,
         0};
  } else {
    f = {0,
         0,
         0,
         1,
         0,
         6,
         2,
         0,
         0,
         0,
         0,
         1,
         0,
         0,
         static_cast<std::uint8_t>(proto >> 8),
         static_cast<std::uint8_t>(proto)};
  }
  if (x.transport == Transport::arp) {
    f.resize(f.size() + 28, 0);
    return f;
  }
  const Bytes ip = ipv6(x);
  f.insert(f.end(), ip.begin(), ip.end());
  return f;
}

bool write_pcap(const std::string& path, int dlt, int precision, const std::vector<Wire>& wires,
                Bytes (*frame)(const Wire&)) {
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(dlt, 65535, static_cast<u_int>(precision));
  pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
  if (d == nullptr) {
    std::fprintf(stderr, "make_test_captures: %s: %s\n", path.c_str(), pcap_geterr(dead));
    pcap_close(dead);
    return false;
  }
  for (const Wire& x : wires) {
    const Bytes f = frame(x);
    pcap_pkthdr h{};
    h.ts.tv_sec = static_cast<time_t>(x.arrival_us / 1000000);
    const std::int64_t sub = x.arrival_us % 1000000;
    h.ts.tv_usec =
        static_cast<suseconds_t>(precision == PCAP_TSTAMP_PRECISION_NANO ? sub * 1000 : sub);
    h.caplen = h.len = static_cast<bpf_u_int32>(f.size());
    pcap_dump(reinterpret_cast<u_char*>(d), &h, f.data());
  }
  pcap_dump_close(d);
  pcap_close(dead);
  return true;
}

// pcapng (draft-ietf-opsawg-pcapng): section header, one interface (nanosecond resolution),
// one enhanced packet block per frame, little-endian.
bool write_pcapng(const std::string& path, int linktype, const std::vector<Wire>& wires,
                  Bytes (*frame)(const Wire&)) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const auto u32 = [](Bytes& b, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  const auto u16 = [](Bytes& b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
  };
  const auto block = [&](std::uint32_t type, const Bytes& body) {
    Bytes b;
    const auto total = static_cast<std::uint32_t>(12 + (body.size() + 3) / 4 * 4);
    u32(b, type);
    u32(b, total);
    b.insert(b.end(), body.begin(), body.end());
    b.resize(total - 4, 0);
    u32(b, total);
    std::fwrite(b.data(), 1, b.size(), f);
  };
  Bytes shb;
  u32(shb, 0x1A2B3C4D);
  u16(shb, 1);
  u16(shb, 0);
  u32(shb, 0xFFFFFFFF);  // section length unknown
  u32(shb, 0xFFFFFFFF);
  block(0x0A0D0D0A, shb);
  Bytes idb;
  u16(idb, static_cast<std::uint32_t>(linktype));
  u16(idb, 0);
  u32(idb, 65535);
  u16(idb, 9);  // if_tsresol: 10^-9
  u16(idb, 1);
  idb.insert(idb.end(), {9, 0, 0, 0});
  u16(idb, 0);  // opt_endofopt
  u16(idb, 0);
  block(1, idb);
  for (const Wire& x : wires) {
    const Bytes data = frame(x);
    const auto ns = static_cast<std::uint64_t>(x.arrival_us) * 1000;
    Bytes epb;
    u32(epb, 0);
    u32(epb, static_cast<std::uint32_t>(ns >> 32));
    u32(epb, static_cast<std::uint32_t>(ns));
    u32(epb, static_cast<std::uint32_t>(data.size()));
    u32(epb, static_cast<std::uint32_t>(data.size()));
    epb.insert(epb.end(), data.begin(), data.end());
    block(6, epb);
  }
  return std::fclose(f) == 0;
}

bool write_live_wav(const std::string& path) {
  dtmf::Generator::Config gc;
  gc.tone_ms = 100;
  gc.pause_ms = 100;
  dtmf::Generator g(gc);
  (void)g.queue("12#");
  std::vector<float> pcm(2 * kRate, 0.0f);
  g.generate(std::span<float>(pcm.data() + static_cast<std::size_t>(0.3 * kRate),
                              pcm.size() - static_cast<std::size_t>(0.3 * kRate)));
  SF_INFO si{};
  si.samplerate = kRate;
  si.channels = 1;
  si.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* s = sf_open(path.c_str(), SFM_WRITE, &si);
  if (s == nullptr) return false;
  const bool ok = sf_writef_float(s, pcm.data(), static_cast<sf_count_t>(pcm.size())) ==
                  static_cast<sf_count_t>(pcm.size());
  return sf_close(s) == 0 && ok;
}

// Flips about one byte in 24 inside the frames of pcap files (records intact), or one in 64 of
// everything after the file header (pcapng, and the last pcap files: after the first two blocks
// or the 24-byte header, so the files still open); cuts every third file at a random length.
bool write_mutations(const std::string& dir) {
  const char* sources[] = {"eth_vlan_ipv4.pcap", "raw_ipv4.pcap", "sll_ipv6.pcapng",
                           "sll2_ipv6.pcap"};
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  const auto draw = [&state]() {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<std::uint32_t>(state >> 33);
  };
  for (int k = 0; k < 24; ++k) {
    const std::string src = sources[k % 4];
    std::ifstream in(dir + "/" + src, std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t header = src.ends_with(".pcapng") ? 28 + 32 : 24;
    if (b.size() <= header + 16) return false;
    if (src.ends_with(".pcapng") || k >= 20) {
      for (std::size_t i = header; i < b.size(); ++i) {
        if (draw() % 64 == 0) b[i] = static_cast<std::uint8_t>(draw());
      }
    } else {
      // Only inside the frames, so the records stay readable and every layer sees damage.
      for (std::size_t at = header; at + 16 <= b.size();) {
        const std::size_t caplen = std::size_t{b[at + 8]} | std::size_t{b[at + 9]} << 8 |
                                   std::size_t{b[at + 10]} << 16 | std::size_t{b[at + 11]} << 24;
        at += 16;
        for (std::size_t i = at; i < at + caplen && i < b.size(); ++i) {
          if (draw() % 24 == 0) b[i] = static_cast<std::uint8_t>(draw());
        }
        at += caplen;
      }
    }
    if (k % 3 == 2) b.resize(header + draw() % (b.size() - header));
    char name[64];
    std::snprintf(name, sizeof name, "/mutated_%02d%s", k,
                  src.ends_with(".pcapng") ? ".pcapng" : ".pcap");
    std::ofstream out(dir + name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    if (!out) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_test_captures OUTDIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::vector<Wire> w = scenario();
  std::vector<Wire> ip_only;  // raw IP cannot carry ARP
  for (const Wire& x : w) {
    if (x.transport != Transport::arp) ip_only.push_back(x);
  }
  bool ok =
      write_pcap(dir + "/eth_vlan_ipv4.pcap", DLT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, w, ethernet);
  ok = ok && write_pcap(dir + "/raw_ipv4.pcap", DLT_RAW, PCAP_TSTAMP_PRECISION_NANO, ip_only, ipv4);
  ok = ok &&
       write_pcapng(dir + "/sll_ipv6.pcapng", 113, w, [](const Wire& x) { return sll(x, false); });
  ok = ok && write_pcap(dir + "/sll2_ipv6.pcap", 276, PCAP_TSTAMP_PRECISION_MICRO, w,
                        [](const Wire& x) { return sll(x, true); });
  ok = ok && write_pcap(dir + "/null_ipv4.pcap", DLT_NULL, PCAP_TSTAMP_PRECISION_MICRO, ip_only,
                        [](const Wire& x) {
                          Bytes f = {2, 0, 0, 0};  // AF_INET in the writer's (little-endian) order
                          const Bytes ip = ipv4(x);
                          f.resize(4 + ip.size());
                          std::copy(ip.begin(), ip.end(), f.begin() + 4);
                          return f;
                        });
  ok = ok && write_live_wav(dir + "/live_dtmf.wav");
  ok = ok && write_mutations(dir);
  if (!ok) {
    std::fprintf(stderr, "make_test_captures: writing into %s failed\n", dir.c_str());
    return 1;
  }
  return 0;
}
