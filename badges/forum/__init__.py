"""A badge holder's part in the forum: their own agenda and their relevance votes."""
