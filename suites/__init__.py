"""Behaviour suites: each test is a check that observes one thing on a live cell.

Also the Django app (label ``suites``) whose models the checks use; the harness
creates its tables in each cell's throwaway database.
"""
