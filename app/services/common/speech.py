"""Text to speech, behind one function: espeak-ng (Debian's speech synthesiser) speaks, lame makes the MP3 that
every current browser plays. Both are programs, run without a shell; neither touches the network."""

import shutil
import subprocess

# The voice of each language of the portal (espeak-ng's names), and words per minute: a little slower than its
# default of 175, as for a text one listens to for long.
VOICES = {"fr": "fr-fr", "en": "en-gb"}
WORDS_PER_MINUTE = 160
# Speech needs no more: mono, 16 kHz, about 24 kbit/s (some 180 KB a minute).
LAME_OPTIONS = ["--quiet", "-m", "m", "--resample", "16", "--abr", "24", "--id3v2-only", "--id3v2-utf16"]
# A section of the terms takes a second or two; a synthesiser that hangs must not hold a worker for ever.
TIMEOUT_SECONDS = 300


class SpeechUnavailable(RuntimeError):
    """The synthesiser or the encoder is not installed (apt-get install espeak-ng lame)."""


def available() -> bool:
    return shutil.which("espeak-ng") is not None and shutil.which("lame") is not None


def _run(command: list[str], data: bytes) -> bytes:
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
    except FileNotFoundError as error:
        raise SpeechUnavailable(str(error)) from error
    return done.stdout


def mp3(text: str, language: str, title: str = "", album: str = "", track: int | None = None) -> bytes:
    """`text` spoken in `language` ("fr" or "en") as MP3 bytes, tagged with its title, album and track number (a
    player or a downloaded file shows them)."""
    wave = _run(["espeak-ng", "-v", VOICES[language], "-s", str(WORDS_PER_MINUTE), "--stdin", "--stdout"],
                text.encode("utf-8"))
    tags = ["--tt", title, "--tl", album] + (["--tn", str(track)] if track is not None else [])
    return _run(["lame", *LAME_OPTIONS, *tags, "-", "-"], wave)
