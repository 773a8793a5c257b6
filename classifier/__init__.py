"""Moderato classifier: plain scikit-learn spam and toxicity models (no Flask, Celery or database)."""

from classifier.bundle import ModelBundle, load_bundle, save_bundle
from classifier.errors import ModelFileError
from classifier.inputs import CommentInput
from classifier.training import train_bundle

__all__ = ["CommentInput", "ModelBundle", "ModelFileError", "load_bundle", "save_bundle", "train_bundle"]
