"""What the learner buys and holds: prices and promo codes, the order and its consents (checkout), the
subscription and its state machine, access to premium content, the Premium Plus contract and its reflection
period, payment-method updates, changes of Parcours and material changes of the terms."""
