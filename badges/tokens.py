"""Secrets in links: the visitor's badge link and the signed confirmation link."""

CONFIRM_SALT = "badges.visitor-confirm"
