"""Drop-in compatibility: Akismet, Perspective and Coral payloads mapped onto Moderato's domain."""
