"""The forum as the demo catalogue sets it up, for the community tests."""

from app.models import ForumCategory
from app.services.community import discussions


def general() -> ForumCategory:
    return discussions.category_by_slug(discussions.GENERAL_FORUM_SLUG)
