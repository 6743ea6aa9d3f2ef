"""Floods stdout with print() for ever (pytest captures it into a temporary file).

challenge: 02_three_fetches
status: timeout|error
diagnosis: timeout|crashed|import-error
timeout: 4
"""

line = "flood " * 2000
while True:
    print(line)
