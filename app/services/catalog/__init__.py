"""The catalogue as learners browse it: categories, courses, Parcours, search and filters."""
