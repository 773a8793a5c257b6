"""Texts and values shared by the compatibility tests."""

SITE_URL = "https://news.example"
# The seed-trained default model scores these far from the thresholds they are meant to cross.
BLATANT_SPAM = ("BUY CHEAP VIAGRA NOW!!! Best prices, free shipping, click http://cheap-pills.example/buy "
                "http://casino.example")
MILD_SPAM = "Cheap meds, no prescription: http://pills.example"
ORDINARY = "Good piece on the new bus routes; the Sunday timetable change will help my commute."
INSULT = "You are a pathetic idiot and everyone here hates you."
PROFANE = "What a load of shit, fuck this."
