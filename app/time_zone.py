"""The platform's civil time, defined here once: every date a learner reads (invoices, periods, deadlines,
certificates) is a Paris date, whatever the server's zone. Times are stored in UTC."""

from zoneinfo import ZoneInfo

NAME = "Europe/Paris"
PARIS = ZoneInfo(NAME)
