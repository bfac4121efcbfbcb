"""Exports that are safe to hand on (issue 15, points 3-5): a neutral table model written as
CSV or XLSX that no spreadsheet runs as a formula, small-cell suppression for figures reported
upwards, and an AES-256 archive for lists that name children. No routes: callers build the
tables (never with a child's background) and audit each export."""
