"""Money taken and accounted for: the first payment of an order, monthly renewals and their retries, invoices
and credit notes, late-payment interest, referral rewards, the provider's notifications, and the Premium tab's
summary of what a subscription costs and has cost."""
