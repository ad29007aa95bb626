"""Households (foyers): the stored profile every démarche reuses, typed once."""
