"""Adapters from the démarches' ports to AWS services and outside APIs."""
