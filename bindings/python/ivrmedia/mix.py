"""Prompts, players and mixing: what an IVR plays to its callers.

`Prompt` is immutable mono audio at the rate it plays at (loaded from a file, made from an
array, or generated: silence, comfort noise, DTMF, call-progress tones); `PromptCache` loads
each file once for everyone. A `Player` plays prompts on one channel with a playlist, loops,
gain and click-free fades, and reports `PlayerEvent`s; `BargeIn` says when the caller
interrupts (speech or a key) so `Player.barge_in` can stop the prompt. A `Mixer` makes one
channel from foreground sources (prompts) over ducked background sources (music) through a
look-ahead limiter; a `ConferenceMixer` gives each of N legs the others' audio (N-1)::

    menu = ivrmedia.Prompt.load("menu.wav", 8000)
    music = ivrmedia.Prompt.load("hold.flac", 8000)
    voice, hold = ivrmedia.Player(8000), ivrmedia.Player(8000)
    voice.play(menu, fade_in_ms=20)
    hold.play(music, loops=0)
    mixer = ivrmedia.Mixer(8000, duck_depth_db=12)
    for _ in range(frames):                                    # every 20 ms
        pcm = mixer.process([voice.render(160)], [hold.render(160)], dtype=np.int16)
        for event in voice.events(): ...                       # started / finished / ...

Samples are float32 at full scale +-1.0 (int16 is accepted where noted). Rendering and mixing
release the GIL; each Player, BargeIn, Mixer and ConferenceMixer serves one stream and refuses
a second thread entering it meanwhile with RuntimeError.
"""

from __future__ import annotations

from typing import List, Tuple

import numpy as np
import numpy.typing as npt

from ivrmedia import _ivrmedia

Prompt = _ivrmedia.Prompt
PromptCache = _ivrmedia.PromptCache
Player = _ivrmedia.Player
PlayerEvent = _ivrmedia.PlayerEvent
BargeIn = _ivrmedia.BargeIn
BargeInEvent = _ivrmedia.BargeInEvent
Mixer = _ivrmedia.Mixer
MixerStats = _ivrmedia.MixerStats
LimiterStats = _ivrmedia.LimiterStats
ConferenceMixer = _ivrmedia.ConferenceMixer

__all__ = [
    "Prompt",
    "PromptCache",
    "Player",
    "PlayerEvent",
    "BargeIn",
    "BargeInEvent",
    "Mixer",
    "MixerStats",
    "LimiterStats",
    "ConferenceMixer",
    "play_to_end",
]


def play_to_end(
    player: Player, frame: int = 160, *, max_seconds: float = 600.0
) -> Tuple[npt.NDArray[np.float32], List[PlayerEvent]]:
    """Render `player` frame by frame until it falls silent; return (audio, events).

    Renders `frame` samples at a time while the player is active (playing, fading out or
    waiting for a delayed start) and collects its events; the last frame is rendered whole, so
    the audio ends with up to frame - 1 samples of silence. A paused or idle player gives an
    empty array. Raises RuntimeError when it is still active after `max_seconds` (a prompt
    looping forever: loops=0).
    """
    if frame <= 0:
        raise ValueError(f"play_to_end: frame must be > 0, got {frame}")
    limit = int(max_seconds * player.sample_rate_hz)
    frames: List[npt.NDArray[np.float32]] = []
    events: List[PlayerEvent] = []
    done = 0
    while player.active:
        if done >= limit:
            raise RuntimeError(
                f"play_to_end: still playing after {max_seconds} s (a prompt looping forever?)"
            )
        frames.append(player.render(frame))
        done += frame
        events.extend(player.events())
    events.extend(player.events())
    audio = np.concatenate(frames) if frames else np.zeros(0, np.float32)
    return audio, events
