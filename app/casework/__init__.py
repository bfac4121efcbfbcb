"""Casework: where each child lives (placements), the follow-up visit plan, and visit reports.

Restricted like the background: the child's social worker writes, the committee reads,
teachers never see any of it (not even that it exists).
"""
