"""Rules as code (issue 12): what-if previews of rule changes and the overview of the centers below."""
