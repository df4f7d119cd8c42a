"""Lingxi points service: membership and points, a liability on the brokerage's books.

Owns members, tiers, the points ledger, earning rules, rewards and redemptions.
"""
