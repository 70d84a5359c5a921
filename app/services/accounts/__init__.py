"""Who the learner is: sign-up, sign-in, sessions and passwords, the age of majority by country, and the
guardians who approve a minor's or a protected adult's enrolment."""
