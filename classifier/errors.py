"""Errors the classifier raises to its callers."""


class ModelFileError(Exception):
    """A model file is missing, corrupt, tampered with, or built by an incompatible scikit-learn."""


class DataFileError(ValueError):
    """A data file cannot be read; the message names the file and, where it can, the line."""
