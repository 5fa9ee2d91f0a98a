// ITU-T G.107 E-model (transmission rating R and MOS), its wideband scale (G.107.1), and codec
// impairment values (G.113). Section numbers are those of G.107 (06/2015).
#include <algorithm>
#include <cmath>

#include "ivrmedia/call_quality.hpp"

namespace ivrmedia::rtp {

namespace {

// G.107.1 section 6.2: the wideband scale ends at 129, and its Annex A maps R_wb to G.107's
// curve through R_wb / 1.29.
constexpr double kWidebandMax = 129.0;
constexpr double kWidebandScale = 1.29;
// G.107 section 7.5: the narrowband Ie,eff saturates towards 95; the wideband form uses 129.
constexpr double kNarrowbandIeCeiling = 95.0;

double lg(double x) noexcept {
  return std::log10(x);
}
double power_sum_db(double a, double b, double c, double d) noexcept {
  return 10.0 * lg(std::pow(10.0, a / 10.0) + std::pow(10.0, b / 10.0) + std::pow(10.0, c / 10.0) +
                   std::pow(10.0, d / 10.0));
}

// Total noise No (section 7.2).
double noise_no(const EModel::Config& c) noexcept {
  const double olr = c.slr_db + c.rlr_db;
  const double nos = c.ps_dba - c.slr_db - c.ds_db - 100.0 +
                     0.004 * std::pow(c.ps_dba - olr - c.ds_db - 14.0, 2.0);
  const double pre = c.pr_dba + 10.0 * lg(1.0 + std::pow(10.0, (10.0 - c.lstr_db) / 10.0));
  const double nor = c.rlr_db - 121.0 + pre + 0.008 * std::pow(pre - 35.0, 2.0);
  const double nfo = c.nfor_dbmp + c.rlr_db;
  return power_sum_db(c.nc_dbm0p, nos, nor, nfo);
}

// Sidetone impairment Ist (section 7.3); depends on T through STMRo.
double sidetone_ist(const EModel::Config& c, double t_ms) noexcept {
  const double stmro = -10.0 * lg(std::pow(10.0, -c.stmr_db / 10.0) +
                                  std::exp(-t_ms / 4.0) * std::pow(10.0, -c.telr_db / 10.0));
  return 12.0 * std::pow(1.0 + std::pow((stmro - 13.0) / 6.0, 8.0), 1.0 / 8.0) -
         28.0 * std::pow(1.0 + std::pow((stmro + 1.0) / 19.4, 35.0), 1.0 / 35.0) -
         13.0 * std::pow(1.0 + std::pow((stmro - 3.0) / 33.0, 13.0), 1.0 / 13.0) + 29.0;
}

// Simultaneous impairment Is = Iolr + Ist + Iq (section 7.3).
double simultaneous_is(const EModel::Config& c, double no, double ro, double t_ms) noexcept {
  const double olr = c.slr_db + c.rlr_db;
  const double xolr = olr + 0.2 * (64.0 + no - c.rlr_db);
  const double iolr = 20.0 * (std::pow(1.0 + std::pow(xolr / 8.0, 8.0), 1.0 / 8.0) - xolr / 8.0);
  const double q = 37.0 - 15.0 * lg(c.qdu);
  const double g = 1.07 + 0.258 * q + 0.0602 * q * q;
  const double z = 46.0 / 30.0 - g / 40.0;
  const double y = (ro - 100.0) / 15.0 + 46.0 / 8.4 - g / 9.0;
  const double iq = 15.0 * lg(1.0 + std::pow(10.0, y) + std::pow(10.0, z));
  return iolr + sidetone_ist(c, t_ms) + iq;
}

// Delay impairment Id = Idte + Idle + Idd (section 7.4).
double delay_id(const EModel::Config& c, double no, double ro, double t_ms, double tr_ms,
                double ta_ms) noexcept {
  // Talker echo, with the low-sidetone (STMR < 9 dB) and high-sidetone (STMR > 20 dB) rules.
  const double ist = sidetone_ist(c, t_ms);
  double terv = c.telr_db - 40.0 * lg((1.0 + t_ms / 10.0) / (1.0 + t_ms / 150.0)) +
                6.0 * std::exp(-0.3 * t_ms * t_ms);
  if (c.stmr_db < 9.0) terv += ist / 2.0;
  const double roe = -1.5 * (no - c.rlr_db);
  const double re = 80.0 + 2.5 * (terv - 14.0);
  double idte = ((roe - re) / 2.0 + std::sqrt((roe - re) * (roe - re) / 4.0 + 100.0) - 1.0) *
                (1.0 - std::exp(-t_ms));
  if (c.stmr_db > 20.0) idte = std::sqrt(idte * idte + ist * ist);

  // Listener echo.
  const double rle = 10.5 * (c.wepl_db + 7.0) * std::pow(tr_ms + 1.0, -0.25);
  const double idle = (ro - rle) / 2.0 + std::sqrt((ro - rle) * (ro - rle) / 4.0 + 169.0);

  // Pure delay, with the delay-sensitivity parameters mT and sT.
  double idd = 0.0;
  if (ta_ms > c.mt_ms) {
    const double x = lg(ta_ms / c.mt_ms) / lg(2.0);
    const double e = 6.0 * c.st;
    idd = 25.0 * (std::pow(1.0 + std::pow(x, e), 1.0 / e) -
                  3.0 * std::pow(1.0 + std::pow(x / 3.0, e), 1.0 / e) + 2.0);
  }
  return idte + idle + idd;
}

double clamp_finite(double v, double lo, double hi, double if_nan) noexcept {
  if (std::isnan(v)) return if_nan;
  return std::clamp(v, lo, hi);
}

bool finite_config(const EModel::Config& c) noexcept {
  for (double v : {c.slr_db, c.rlr_db, c.stmr_db, c.lstr_db, c.ds_db, c.telr_db, c.wepl_db, c.qdu,
                   c.nc_dbm0p, c.nfor_dbmp, c.ps_dba, c.pr_dba, c.advantage, c.mt_ms, c.st}) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace

CodecImpairment codec_impairment(Codec codec) noexcept {
  switch (codec) {
    case Codec::g711:
      // G.113 Appendix I (provisional planning values): G.711 with no concealment, random
      // loss, Bpl = 4.3; Ie = 0 (G.711 is the E-model's reference codec).
      return {RatingScale::narrowband, 0.0, 4.3};
    case Codec::g711_plc:
      // G.113 Appendix I: G.711 with the G.711 Appendix I concealment, Bpl = 25.1.
      return {RatingScale::narrowband, 0.0, 25.1};
    case Codec::g722:
      // Ie,wb = 13: G.113 Appendix IV (wideband equipment impairment factors), G.722 at
      // 64 kbit/s. Bpl = 25.1 is an assumption, not a G.113 table value: G.722 with
      // waveform-extrapolation concealment taken to be as robust as G.711 with its Appendix I
      // PLC. This library's G.722 decoder conceals with that very algorithm run at 16 kHz and
      // re-encodes the concealment to keep the ADPCM state in step (plc.hpp), much as G.722
      // Appendix III does.
      return {RatingScale::wideband, 13.0, 25.1};
    case Codec::opus:
      // ESTIMATES: ITU-T has published no Ie,wb or Bpl for Opus (G.113 lists none).
      // Ie,wb = 10: listening tests of Opus's wideband modes (A. Raemoe, H. Toukomaa, "Voice
      // quality characterization of IETF Opus codec", Interspeech 2011) found Opus at about
      // 20 kbit/s comparable to or better than the ITU-T wideband codecs it was compared
      // with; 10 puts it a little better than G.722 at 64 kbit/s (13). Bpl = 20: between G.711
      // without (4.3) and with (25.1) concealment, a little below the latter because Opus's
      // parametric concealment fades faster over long bursts. Replace both when measured
      // values (P.833.1 / P.834.1 procedures) become available.
      return {RatingScale::wideband, 10.0, 20.0};
  }
  return codec_impairment(Codec::g711);
}

double mos_from_r(double r) noexcept {
  // G.107 Annex B. The cubic dips just under 1 for 0 < R < 6.5: clamp.
  if (std::isnan(r) || r <= 0.0) return 1.0;
  if (r >= 100.0) return 4.5;
  const double mos = 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6;
  return std::clamp(mos, 1.0, 4.5);
}

double mos_from_r_wideband(double r_wb) noexcept {
  return mos_from_r(r_wb / kWidebandScale);
}

double effective_equipment_impairment(const CodecImpairment& codec, double packet_loss_percent,
                                      double burst_ratio) noexcept {
  // G.107 section 7.5; G.107.1 uses the same form with the wideband ceiling.
  const double ceiling = codec.scale == RatingScale::wideband ? kWidebandMax : kNarrowbandIeCeiling;
  const double ppl = clamp_finite(packet_loss_percent, 0.0, 100.0, 0.0);
  const double burst = std::isfinite(burst_ratio) && burst_ratio > 0.0 ? burst_ratio : 1.0;
  const double denominator = ppl / burst + codec.bpl;
  if (!(denominator > 0.0)) return codec.ie;  // Ppl = 0 and Bpl <= 0 (a meaningless codec)
  return codec.ie + (ceiling - codec.ie) * ppl / denominator;
}

EModel::EModel(const Config& config) : config_(config) {
  if (!finite_config(config) || config.qdu < 1.0 || config.mt_ms <= 0.0 || config.st <= 0.0) {
    throw Error(Status::bad_config,
                "rtp::EModel: parameters must be finite, qdu >= 1, mt_ms > 0, st > 0");
  }
  no_ = noise_no(config_);
  ro_ = 15.0 - 1.5 * (config_.slr_db + no_);  // section 7.2
  // R of G.107's default connection: the reference the wideband scale counts from.
  const Config defaults;
  const double default_no = noise_no(defaults);
  const double default_ro = 15.0 - 1.5 * (defaults.slr_db + default_no);
  default_r_ = default_ro - simultaneous_is(defaults, default_no, default_ro, 0.0) -
               delay_id(defaults, default_no, default_ro, 0.0, 0.0, 0.0);
}

Rating EModel::rate(const Conditions& conditions) const noexcept {
  // A day of delay is far past where every term has saturated; it keeps the arithmetic tame.
  constexpr double kMaxDelayMs = 86'400'000.0;
  const double ta = clamp_finite(conditions.mouth_to_ear_ms, 0.0, kMaxDelayMs, 0.0);
  const double t = conditions.talker_echo_ms >= 0.0
                       ? clamp_finite(conditions.talker_echo_ms, 0.0, kMaxDelayMs, ta)
                       : ta;
  const double tr = conditions.round_trip_ms >= 0.0
                        ? clamp_finite(conditions.round_trip_ms, 0.0, kMaxDelayMs, 2.0 * t)
                        : 2.0 * t;

  const double ro_minus_is = ro_ - simultaneous_is(config_, no_, ro_, t);
  const double id = delay_id(config_, no_, ro_, t, tr, ta);
  const double ie_eff = effective_equipment_impairment(
      conditions.codec, conditions.packet_loss_percent, conditions.burst_ratio);

  Rating rating;
  rating.scale = conditions.codec.scale;
  rating.advantage = config_.advantage;
  rating.ie_eff = ie_eff;
  if (rating.scale == RatingScale::wideband) {
    // See the header: the narrowband model's distance from its default R, carried over with
    // the 1.29 ratio between the scales, so that the default connection rates 129 - Ie,eff,wb.
    rating.ro_minus_is = kWidebandMax - kWidebandScale * (default_r_ - ro_minus_is);
    rating.id = kWidebandScale * id;
    rating.r = rating.ro_minus_is - rating.id - ie_eff + rating.advantage;
    rating.r_narrowband_equivalent = rating.r / kWidebandScale;
    rating.mos = mos_from_r_wideband(rating.r);
  } else {
    rating.ro_minus_is = ro_minus_is;
    rating.id = id;
    rating.r = ro_minus_is - id - ie_eff + rating.advantage;  // section 7.1
    rating.r_narrowband_equivalent = rating.r;
    rating.mos = mos_from_r(rating.r);
  }
  return rating;
}

}  // namespace ivrmedia::rtp
