"""Captured pages: read them into articles and feed items, and write articles back as pages."""
