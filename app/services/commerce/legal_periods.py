"""The periods the law gives a learner before a contract binds them. Apart from the subscription's state machine,
so that the referral rewards (earned once the withdrawal period is over) read them without depending on it."""

from datetime import timedelta

REFLECTION_PERIOD = timedelta(days=7)  # Code de l'éducation L444-8: signature only after seven days
# Premium Solo: 14 days from the order to withdraw (art. 6.1, L221-18 of the Code de la consommation); a referral
# is rewarded only once they are over.
WITHDRAWAL_PERIOD = timedelta(days=14)
