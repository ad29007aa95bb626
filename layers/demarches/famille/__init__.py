"""Portail famille: the periscolaire démarche (registration, quotient familial, reservations,
monthly invoices and their online payment)."""
