"""The issue's extraction targets, asserted on the dev set and on the held-out documents."""

ACCURACY_TARGETS = {
    "host_region": 0.9,
    "program": 0.9,
    "participant_count": 0.9,
    "cohort": 0.85,
    "year": 0.85,
    "visit_date": 0.85,
}
F1_TARGETS = {"awards": 0.75, "groups": 0.75, "people": 0.75}
