"""The original sioworkers' module surface, used as its plugins use it."""
