"""Local stand-ins for outside services (API Particulier, API Impôt particulier, PayFiP).

Each module exposes ``start(port) -> server`` and ``server.stop()``. The servers listen on a
loopback address only and respond with the documented response shapes for fixed test personas.
"""
