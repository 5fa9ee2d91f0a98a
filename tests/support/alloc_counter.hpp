// Counts heap allocations made by the current thread, to prove processing calls allocate nothing.
// Counts operator new always, and malloc/calloc/realloc too except under AddressSanitizer (which
// owns those symbols).
#pragma once

namespace ivrm_test {

long allocations_on_this_thread() noexcept;

// Number of allocations this thread made while the object lived.
class AllocationScope {
 public:
  AllocationScope() noexcept : start_(allocations_on_this_thread()) {}
  [[nodiscard]] long count() const noexcept { return allocations_on_this_thread() - start_; }

 private:
  long start_;
};

}  // namespace ivrm_test
