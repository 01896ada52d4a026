"""Views of plans and conferences in the officials' portal (see `conferences.urls`)."""
