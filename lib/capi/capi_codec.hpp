// Shared by the codec-based C API handles (encoder, decoder, transcoder): the codec configs'
// translation to C++ and the ivrm_codec_info output struct.
#pragma once

#include <cstddef>

#include "ivrmedia/codec.hpp"
#include "ivrmedia/ivrmedia.h"

namespace ivrmedia::capi {

// Version 1 of each struct; later versions only append.
constexpr std::size_t kEncoderConfigV1 = sizeof(ivrm_encoder_config);
constexpr std::size_t kDecoderConfigV1 = sizeof(ivrm_decoder_config);
constexpr std::size_t kInfoV1 = sizeof(ivrm_codec_info);

// Reads a caller's codec config (growable-struct rules, enum and flag checks) into the C++ one.
// Throws std::bad_alloc only (the payload name is copied into a std::string).
ivrm_status to_cxx(const ivrm_encoder_config* cfg, codec::EncoderConfig& out);
ivrm_status to_cxx(const ivrm_decoder_config* cfg, codec::DecoderConfig& out);

// Growable output struct: writes the fields this library knows that fit in the caller's
// struct_size, and nothing beyond it.
ivrm_status fill_info(const codec::Info& i, ivrm_codec_info* info) noexcept;

}  // namespace ivrmedia::capi
