"""Monthly periods. A period that starts on the 31st ends on the last day of a shorter month."""

import calendar
from datetime import datetime

from app.time_zone import PARIS


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and wall-clock time in Paris `months` later, clamped to the month's last day
    (31 Jan + 1 -> 28/29 Feb), whatever daylight saving time did in between. Aware in, aware (same zone) out."""
    local = moment.astimezone(PARIS)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(moment.tzinfo)
