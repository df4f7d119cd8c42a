"""Lingxi strategy service: turns customer data and events into touches and advisor to-do tasks.

Owns service strategies (KPM), matches, to-do tasks and their outcomes, advisor capacity.
"""
