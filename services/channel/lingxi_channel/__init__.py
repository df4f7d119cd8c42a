"""Lingxi channel service: where the platform touches real people: exactly-once, polite and fast.

Owns channel accounts, templates, consent and opt-outs, contact policy, send attempts and
receipts, partner webhooks.
"""
