"""Process definitions: phases, dimensions, input types, actor kinds, categories, meeting types."""
