#include "sim/random_draws.hpp"

#include <cmath>
#include <limits>

namespace ivrmedia::sim {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (Cody-Waite reduction).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;

}  // namespace

double portable_log(double x) noexcept {
  if (!(x > 0))
    return x == 0 ? -std::numeric_limits<double>::infinity()
                  : std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1): exact
  if (m < 0.70710678118654752440) {
    m *= 2;  // m in [sqrt(1/2), sqrt(2)) keeps the series argument small
    --e;
  }
  // ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m-1)/(m+1), |s| <= 0.1716, s^2 <=
  // 0.0295: thirteen terms reach 0.0295^13 / 27 ~ 5e-22, far below an ulp.
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double sum = 1.0 / 27;
  for (int n = 25; n >= 1; n -= 2)
    sum = sum * s2 + 1.0 / n;
  const double ln_m = 2 * s * sum;
  return double(e) * kLn2Hi + (double(e) * kLn2Lo + ln_m);
}

double portable_exp(double x) noexcept {
  if (std::isnan(x)) return x;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  // x = k ln2 + r, |r| <= ln2 / 2; e^x = 2^k e^r with e^r from its Taylor series (r^18/18! is
  // ~1e-24 at |r| = 0.347).
  const double k = std::floor(x * 1.44269504088896340736 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double sum = 1.0;
  for (int n = 18; n >= 1; --n)
    sum = 1.0 + sum * r / n;
  return std::ldexp(sum, int(k));
}

double RandomDraws::normal(std::uint64_t index) const noexcept {
  for (std::uint64_t k = 0; k + 1 < kDrawsPerIndex; k += 2) {
    const double a = 2 * uniform(index, k) - 1;
    const double b = 2 * uniform(index, k + 1) - 1;
    const double s = a * a + b * b;
    if (s < 1 && s > 0) return a * std::sqrt(-2 * portable_log(s) / s);
  }
  return 0.0;  // 32 rejected pairs in a row: never seen, but keep the result defined
}

}  // namespace ivrmedia::sim
