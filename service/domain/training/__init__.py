"""Retraining: training data from labels, holdout evaluation, runs, promotion, rollback and shadow mode."""
