"""The subscribers' forum, private messages and reports of posts."""
