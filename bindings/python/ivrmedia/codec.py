"""RTP payload codecs: one Encoder/Decoder interface over PCMU, PCMA, L16, G722 and opus.

Formats are named as SDP's a=rtpmap line names them ("<name>/<clock>[/<channels>]"):

    PCMU, PCMA  ITU-T G.711, 8000 Hz mono, static payload types 0 and 8; concealment after
                G.711 Appendix I.
    L16         16-bit big-endian linear PCM (RFC 3551) at 8000, 16000 or 48000 Hz (give the
                clock), mono or stereo.
    G722        ITU-T G.722 64 kbit/s, static type 9. Audio is 16000 Hz, but the RTP clock runs
                at 8000 Hz (RFC 3551's quirk): `rtp_clock_hz` says so, and a 20 ms packet of
                320 samples advances the RTP timestamp by 160.
    opus        RFC 7587 via libopus: the RTP clock is always 48000 Hz whatever the PCM rate
                (8, 12, 16, 24 or 48 kHz), mono or stereo; libopus concealment and in-band FEC
                (`Decoder.decode_fec`).

PCM is interleaved NumPy int16 or float32 (full scale +-1.0); payloads are `bytes` out and any
byte buffer in. Sample counts named `samples_per_channel` count one sample of every channel as
one. Each call allocates only its result and releases the GIL while the coder runs; an Encoder
or Decoder serves one stream and must not be used by two threads at once (RuntimeError).

Example, a 16 kHz host on an opus leg that lost one packet::

    enc = ivrmedia.Encoder("opus", sample_rate_hz=16000)
    dec = ivrmedia.Decoder("opus", sample_rate_hz=16000)
    payload = enc.encode(pcm_20ms)                # 320 int16 samples -> bytes
    audio = dec.decode(payload)                   # -> 320 int16 samples
    gap = dec.decode_fec(next_payload, 320)       # the lost packet, rebuilt from the next one

`Transcoder` bridges two formats payload by payload (decode, channel map, resample, re-frame,
encode), with exact RTP accounting: the output leg's timestamps never drift from the input
leg's. Each push returns the output payloads that became ready::

    tc = ivrmedia.Transcoder("G722", "PCMU", ptime_ms=20)
    for payload in g722_payloads:                 # or tc.push_loss(timestamp_gap) for a loss
        for out in tc.push(payload):              # 160-byte PCMU payloads
            send(out)                             # timestamp += 160 each
"""

from __future__ import annotations

from typing import Optional, Tuple, Union

from ivrmedia import _ivrmedia

Encoder = _ivrmedia.Encoder
Decoder = _ivrmedia.Decoder
Transcoder = _ivrmedia.Transcoder
TranscoderStats = _ivrmedia.TranscoderStats
CodecInfo = _ivrmedia.CodecInfo

__all__ = [
    "Encoder",
    "Decoder",
    "Transcoder",
    "TranscoderStats",
    "CodecInfo",
    "static_payload",
    "rtp_units",
]


def static_payload(payload_type: int) -> Optional[Tuple[str, int, int]]:
    """Return (name, clock_rate_hz, channels) of an RFC 3551 static payload type, or None.

    ivrmedia carries 0 (PCMU), 8 (PCMA) and 9 (G722, whose clock is 8000 Hz although its audio
    is 16000 Hz). Dynamic types (96-127) are bound by SDP, and other static types (10 and 11 are
    L16 at 44100 Hz, 18 is G.729) are not carried: both give None.
    """
    return _ivrmedia.codec_static_payload(payload_type)


def rtp_units(coder: Union[Encoder, Decoder, CodecInfo], samples_per_channel: int) -> int:
    """Return the RTP timestamp increment of `samples_per_channel` samples of `coder`.

    This is samples_per_channel * rtp_clock_hz / sample_rate_hz: 160 for a 20 ms G722 packet
    (320 samples), 960 for 20 ms of opus at any PCM rate. A Transcoder's input_info and
    output_info are accepted too.
    """
    return samples_per_channel * coder.rtp_clock_hz // coder.sample_rate_hz
