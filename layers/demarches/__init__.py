"""Shared domain library of the démarches suite, deployed as a Lambda layer."""
