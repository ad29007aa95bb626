"""Urbanism démarche: certificats d'urbanisme (CUa, CUb) and déclarations d'intention d'aliéner.

The modules here are pure: no AWS client, no environment variable, no network. Storage and
delivery are reached through the protocols of ``ports``.
"""
