#!/usr/bin/env python3
"""Writes the inbox's new-message chime (wwwroot/sounds/new-message.wav): two short soft tones, 8 kHz mono
8-bit PCM, about 2.5 KB. Generated rather than downloaded so the repository holds no third-party binary.
Run: python3 scripts/make-alert-sound.py"""
import math
import os
import struct
import wave

RATE = 8000
TONES = [(880.0, 0.09), (0.0, 0.03), (1318.5, 0.16)]  # A5, a breath, E6
VOLUME = 0.35

out = os.path.join(os.path.dirname(__file__), "..", "KelolaPesan.Web", "wwwroot", "sounds", "new-message.wav")
os.makedirs(os.path.dirname(out), exist_ok=True)
frames = bytearray()
for freq, seconds in TONES:
    n = int(RATE * seconds)
    for i in range(n):
        # A quick attack and an exponential fade: no click at either end.
        envelope = min(1.0, i / (RATE * 0.005)) * math.exp(-4.0 * i / n)
        sample = VOLUME * envelope * math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
        frames += struct.pack("B", int(128 + 127 * sample))
with wave.open(out, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(1)
    w.setframerate(RATE)
    w.writeframes(bytes(frames))
print(f"{os.path.normpath(out)}: {os.path.getsize(out)} bytes")
