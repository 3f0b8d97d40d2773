"""What the main area shows: the home view, a section, a pass, or search results."""
