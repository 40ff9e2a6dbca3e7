"""British English, with the 24-hour clock everywhere ("18:30", never "6:30 p.m.").

Django's own en_GB formats use the 12-hour clock ("P"); ``FORMAT_MODULE_PATH`` puts these first.
Templates that give a format of their own ("H:i", "j F Y, H:i") already say the same.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
