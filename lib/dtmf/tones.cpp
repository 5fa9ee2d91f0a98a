// DTMF keypad, frequencies and the dBm0 level scale shared by generator and detector.
#include <cmath>

#include "ivrmedia/dtmf.hpp"

namespace ivrmedia::dtmf {

double dbm0_to_amplitude(double dbm0) noexcept {
  return std::pow(10.0, (dbm0 - kFullScaleSineDbm0) / 20.0);
}

double amplitude_to_dbm0(double amplitude) noexcept {
  return amplitude > 0 ? 20.0 * std::log10(amplitude) + kFullScaleSineDbm0 : -200.0;
}

bool digit_position(char digit, int& row, int& column) noexcept {
  const auto at = kDigits.find(digit);
  if (at == std::string_view::npos || digit == '\0') return false;
  row = static_cast<int>(at / 4);
  column = static_cast<int>(at % 4);
  return true;
}

}  // namespace ivrmedia::dtmf
