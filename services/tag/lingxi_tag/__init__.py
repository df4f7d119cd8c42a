"""Lingxi tag service: the customer data platform every other service selects customers from.

Owns customers, accounts, holdings, behaviour aggregates, identities, tag definitions and values, audiences.
"""
