"""What a staff member sees of the packs: the work calendar, the dress code of each day, and today's card."""
