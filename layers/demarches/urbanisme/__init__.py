"""Urbanism démarche: certificats d'urbanisme (CUa, CUb) and déclarations d'intention d'aliéner.

No module here uses an AWS client, an environment variable or the network. The domain
modules are pure; ``local_ca`` writes its keys to a given folder, and ``signature`` and
``pdf_layout`` wrap pyHanko and fpdf2. Use cases reach storage and delivery through the
protocols of ``ports``.
"""
