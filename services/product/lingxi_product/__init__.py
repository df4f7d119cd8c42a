"""Lingxi product service: what may be recommended: good products and suitable ones, with auditable decisions.

Owns products, NAV/price series, product metrics and tags, suitability decisions.
"""
