"""Date and time formats per language (``FORMAT_MODULE_PATH``), one style each everywhere:
German 13.02.2019 and 13.02.2019 09:30; English 13 Feb 2019 and 13 Feb 2019, 09:30 (a
24-hour clock, so no "a.m." whose period doubles up at the end of a sentence). Input formats
stay Django's own for each language."""
