"""Lingxi campaign service: runs marketing campaigns and proves what worked against a control group.

Owns campaigns, journeys, approvals, audience snapshots, control groups, attribution and reports.
"""
