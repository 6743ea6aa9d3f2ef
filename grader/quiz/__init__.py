"""`grader quiz`: predict-the-behaviour questions about the concepts of each challenge.

Questions live as data in challenges/NN_slug/quiz.toml (format in `loader`). Each one shows a short
snippet, asks what it prints, returns, raises, how long it takes or how many calls are in flight at
once, and after the learner answers runs the snippet (`runner`) to show what really happened.

    model     Question and ServiceSpec: one question as data (standard library only)
    loader    reading and validating quiz.toml, with errors like the catalog's
    runner    running a snippet in this process on a fresh event loop, keeping the evidence
    keycheck  does a recorded answer agree with what the snippet really did (the kit's tests use it)
    answers   judging what a learner typed
    present   the text a learner reads: the question, the choices, what the run did
    history   which questions a learner has answered right (.grader/quiz.json)
    play      one round: ask, judge, explain, score
    command   the click command, registered in grader/cli.py

Imports nothing from the kit: its modules are imported by name.
"""
