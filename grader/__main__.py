"""`python -m grader`: the same as the `grader` command.

Imports grader.launch.
"""

from grader.launch import main

main()
