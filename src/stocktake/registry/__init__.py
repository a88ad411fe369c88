"""The registry of actors: member and observer states, groups of states, UN entities, other
intergovernmental organisations and non-governmental stakeholder organisations."""
