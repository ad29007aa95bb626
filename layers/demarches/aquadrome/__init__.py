"""Aquadrome: public swimming sessions booked online by households."""
