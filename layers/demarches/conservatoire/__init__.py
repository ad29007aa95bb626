"""Enrollment in the conservatoire de musique and the atelier d'art, and term evaluations.

Pure domain (catalogue, enrollment, windows, fees, evaluations), its ports and its use cases.
``config`` loads the configuration of a school year, and the ``config/`` folder contains the
bundled files.
"""
