// Symbol visibility for the C++ API (the library is built with hidden visibility by default).
#pragma once

#if defined(IVRM_STATIC_DEFINE)
#define IVRM_API
#elif defined(__GNUC__) || defined(__clang__)
#define IVRM_API __attribute__((visibility("default")))
#else
#define IVRM_API
#endif
