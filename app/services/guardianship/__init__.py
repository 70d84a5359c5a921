"""The guardian's space: what a parent, legal representative, tutor or curator who approved a learner's
subscription sees of it (read only), the new version of the terms they approve again, and the exits they ask for on
the learner's behalf (cancellation, L444-8 termination, force majeure), which the learner is told of."""
