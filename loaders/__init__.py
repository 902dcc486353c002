"""Loaders: seed files, workbooks and CSV uploads into the store, and the data command line."""
