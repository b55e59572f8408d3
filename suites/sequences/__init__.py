"""An app with exactly one auto-incrementing model, for ``sqlsequencereset``."""
