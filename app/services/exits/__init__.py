"""Leaving a subscription: the Premium Solo withdrawal, the Premium Plus early termination (L444-8) and its
force-majeure exception."""
