#!/usr/bin/env python
import sys

if __name__ == "__main__":
    from paddock.env import use_default_settings

    use_default_settings("dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
