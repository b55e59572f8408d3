"""Behaviour suites: each test is a check that observes one thing on a live cell.

Also the Django apps whose models the checks use. Their tables are created per
check (the models are unmanaged) so that checks never see each other's rows.
"""

# The Django apps a cell installs.
DJANGO_APPS = ["suites", "suites.sequences"]
