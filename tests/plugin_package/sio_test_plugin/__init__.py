"""Jobs and filters for testing sioworkers' plugin mechanism."""
