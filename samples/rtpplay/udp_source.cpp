// Live RTP on a loopback UDP port. The player asks for the packets up to each 20 ms tick; this
// source waits for them with poll() until the tick's wall-clock time, so playout runs in real
// time. Arrival times are the monotonic clock (immune to NTP steps) offset to the Unix epoch
// once at start, so the log reads like a capture's.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "packet_source.hpp"

namespace rtpplay {
namespace {

// Ctrl-C (or SIGTERM) ends a live run like the idle timeout does, so the WAV is closed properly.
volatile sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) {
  g_stop = 1;
}

std::int64_t clock_us(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

class LiveSource final : public PacketSource {
 public:
  LiveSource(int fd, const LiveOptions& o)
      : fd_(fd),
        options_(o),
        epoch_offset_(clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC)),
        started_(now()) {}
  ~LiveSource() override { close(fd_); }
  LiveSource(const LiveSource&) = delete;
  LiveSource& operator=(const LiveSource&) = delete;

  Next next(std::int64_t until_us, Packet* out) override {
    for (;;) {
      const std::int64_t t = now();
      if (ended(t)) return Next::end;
      if (receive(t, out)) return Next::packet;
      if (t >= until_us) return Next::idle;
      // Sleep until the tick, the end, or a datagram; at most 100 ms at a time (a first packet
      // may take until_us = "forever").
      std::int64_t wait_us = std::min<std::int64_t>(until_us - t, 100000);
      pollfd pfd{fd_, POLLIN, 0};
      timespec ts{static_cast<time_t>(wait_us / 1000000),
                  static_cast<long>(wait_us % 1000000) * 1000};
      if (ppoll(&pfd, 1, &ts, nullptr) < 0 && errno != EINTR) {
        error_ = std::string("poll: ") + std::strerror(errno);
        return Next::end;
      }
    }
  }

  [[nodiscard]] std::string error() const override { return error_; }

  [[nodiscard]] std::string json_counts() const override {
    char buf[200];
    std::snprintf(buf, sizeof buf, "\"port\": %d, \"datagrams\": %lld, \"oversized\": %lld",
                  options_.port, static_cast<long long>(datagrams_),
                  static_cast<long long>(oversized_));
    return buf;
  }

 private:
  [[nodiscard]] std::int64_t now() const { return clock_us(CLOCK_MONOTONIC) + epoch_offset_; }

  [[nodiscard]] bool ended(std::int64_t t) const {
    if (g_stop != 0) return true;
    if (first_us_ < 0) return t - started_ > static_cast<std::int64_t>(options_.first_wait_s * 1e6);
    if (options_.duration_s > 0 &&
        t - first_us_ > static_cast<std::int64_t>(options_.duration_s * 1e6))
      return true;
    return t - last_us_ > static_cast<std::int64_t>(options_.idle_s * 1e6);
  }

  bool receive(std::int64_t t, Packet* out) {
    std::uint8_t buf[65536];
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = recvfrom(fd_, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC,
                               reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) return false;  // EAGAIN: nothing waiting (other errors: treated the same)
    if (static_cast<std::size_t>(n) > sizeof buf) {
      ++oversized_;
      return false;
    }
    ++datagrams_;
    if (first_us_ < 0) first_us_ = t;
    last_us_ = t;
    out->bytes.assign(buf, buf + n);
    out->arrival_us = t;
    char addr[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &from.sin_addr, addr, sizeof addr);
    out->flow = std::string(addr) + ":" + std::to_string(ntohs(from.sin_port)) +
                " > 127.0.0.1:" + std::to_string(options_.port);
    return true;
  }

  int fd_;
  LiveOptions options_;
  std::int64_t epoch_offset_;
  std::int64_t started_;
  std::int64_t first_us_ = -1, last_us_ = -1;
  std::int64_t datagrams_ = 0, oversized_ = 0;
  std::string error_;
};

}  // namespace

std::unique_ptr<PacketSource> open_live(const LiveOptions& options, std::string* error) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return nullptr;
  }
  int size = 1 << 20;  // room for a burst while the player is busy
  (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(options.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    *error = "127.0.0.1:" + std::to_string(options.port) + ": " + std::strerror(errno);
    close(fd);
    return nullptr;
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;  // no SA_RESTART: ppoll returns at once
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  LiveOptions bound = options;
  bound.port = ntohs(addr.sin_port);
  std::fprintf(stderr, "ivrmedia-rtpplay: listening on 127.0.0.1:%d\n", bound.port);
  std::fflush(stderr);
  return std::make_unique<LiveSource>(fd, bound);
}

}  // namespace rtpplay
