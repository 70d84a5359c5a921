"""Selectors for GOV.UK's notification banners (app/templates/components/banners.html), shared by the page and
browser tests: a banner of each kind, and its message (the banner's content, without its title)."""

SUCCESS = ".govuk-notification-banner--success"
PROBLEM = ".app-notification-banner--problem"
IMPORTANT = ".govuk-notification-banner:not(.govuk-notification-banner--success, .app-notification-banner--problem)"
CONTENT = ".govuk-notification-banner__content"

SUCCESS_MESSAGE = f"{SUCCESS} {CONTENT}"
PROBLEM_MESSAGE = f"{PROBLEM} {CONTENT}"
IMPORTANT_MESSAGE = f"{IMPORTANT} {CONTENT}"
# The outcome read first: the first flash, focused on load.
FOCUSED_SUCCESS = f"{SUCCESS}[data-focus-on-load]"
FOCUSED_SUCCESS_MESSAGE = f"{FOCUSED_SUCCESS} {CONTENT}"
