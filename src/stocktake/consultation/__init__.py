"""Consultation: inputs and recommendation cards from forms, the API and bulk files."""
