"""Mentoring sessions of Premium Plus: the weekly slots a mentor offers in their own time zone, the sessions a
learner books in them (within the monthly number their Parcours gives) and cancels up to 24 hours before, and the
calendar invitations (.ics) both receive by mail."""
