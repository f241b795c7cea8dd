"""Attendance: punches from terminals and the web, evaluation of staff-days and months against the work calendar."""
