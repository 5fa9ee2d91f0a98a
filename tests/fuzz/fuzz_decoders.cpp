// Every decoder on arbitrary payloads (RTP payloads are the caller's data, and a hostile peer
// sends anything). Input: records of an op byte and a payload (16-bit length, bytes); the op
// picks decode (int16 or float), opus FEC from the payload, concealment of a length, or reset.
// One decoder of each format decodes the whole input in turn, keeping its state between
// records as in a call. Checks: samples_in and decode agree, output stays inside the buffer
// sized by samples_in, float output is finite, a refused payload leaves no output count.
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "fuzz_seeds.hpp"
#include "fuzz_target.hpp"
#include "ivrmedia/codec.hpp"

namespace codec = ivrmedia::codec;
using ivrmedia::Status;

namespace {

struct Spec {
  codec::Format format;
  int sample_rate_hz;
};
const Spec kSpecs[] = {{{"PCMU", 8000, 1}, 8000},  {{"PCMA", 8000, 1}, 8000},
                       {{"G722", 8000, 1}, 16000}, {{"L16", 16000, 1}, 16000},
                       {{"L16", 48000, 2}, 48000}, {{"opus", 48000, 2}, 48000},
                       {{"opus", 48000, 2}, 8000}};

}  // namespace

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  std::vector<std::vector<std::uint8_t>> seeds;
  for (const Spec& spec : kSpecs) {
    codec::EncoderConfig ec;
    ec.format = spec.format;
    auto enc = codec::make_encoder(ec);
    const auto frame = static_cast<std::size_t>(enc->info().frame_samples) *
                       static_cast<std::size_t>(enc->info().channels);
    std::vector<float> pcm(frame);
    std::vector<std::uint8_t> payload(enc->info().max_payload_bytes), s;
    for (int k = 0; k < 6; ++k) {
      for (std::size_t i = 0; i < frame; ++i)
        pcm[i] = 0.4f * std::sin(0.05f * static_cast<float>(i + frame * k));
      std::size_t n = 0;
      if (enc->encode(pcm, payload, &n) != Status::ok) break;
      s.push_back(static_cast<std::uint8_t>(k % 2));  // decode int16, then float
      ivrm_fuzz::append_record(s, std::span(payload.data(), n));
    }
    seeds.push_back(std::move(s));
  }
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (const Spec& spec : kSpecs) {
    codec::DecoderConfig dc;
    dc.format = spec.format;
    dc.sample_rate_hz = spec.sample_rate_hz;
    auto dec = codec::make_decoder(dc);
    const std::size_t channels = static_cast<std::size_t>(dec->info().channels);
    const std::size_t max = static_cast<std::size_t>(dec->info().max_samples) * channels;
    std::vector<std::int16_t> s(max);
    std::vector<float> f(max);
    FuzzInput in(data, size);
    for (int k = 0; k < 64 && !in.empty(); ++k) {
      const std::uint8_t op = in.u8();
      const std::vector<std::uint8_t> payload = in.bytes(in.u16() % 1500);
      std::size_t expect = 0;
      const Status counted = dec->samples_in(payload, &expect);
      std::size_t got = 12345;
      switch (op % 5) {
        case 0:
        case 1: {
          const Status st = op % 5 == 0 ? dec->decode(payload, std::span(s), &got)
                                        : dec->decode(payload, std::span(f), &got);
          if (st == Status::ok) {
            IVRM_FUZZ_CHECK(counted == Status::ok && got == expect);
            IVRM_FUZZ_CHECK(got * channels <= max);
            if (op % 5 == 1)
              for (std::size_t i = 0; i < got * channels; ++i)
                IVRM_FUZZ_CHECK(std::isfinite(f[i]));
          } else {
            IVRM_FUZZ_CHECK(got == 12345 || got == 0);
          }
          break;
        }
        case 2: {  // opus FEC from this payload (others conceal), 20 ms
          const std::size_t n =
              static_cast<std::size_t>(dec->info().sample_rate_hz / 50) * channels;
          (void)dec->decode_fec(payload, std::span(f).first(n));
          for (std::size_t i = 0; i < n; ++i)
            IVRM_FUZZ_CHECK(std::isfinite(f[i]));
          break;
        }
        case 3: {  // conceal a length the input picks (refused when not a whole frame)
          const std::size_t n = (static_cast<std::size_t>(op) * 37) % (max + 1);
          (void)dec->conceal(std::span(s).first(n - n % channels));
          break;
        }
        default:
          dec->reset();
          break;
      }
    }
  }
  return 0;
}
