// Long-run tests (hours of simulated calls) keep their full length in the release build, where
// they cost seconds, and run a shorter stretch under AddressSanitizer, which makes them 10-20x
// slower: the sanitizer build is there to find memory errors, which show up in the first
// minutes as well as in the second hour.
#pragma once

namespace ivrm_test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

// `full` normally, `sanitized` under AddressSanitizer.
template <class T>
constexpr T long_run(T full, T sanitized) {
  return kSanitized ? sanitized : full;
}

}  // namespace ivrm_test
